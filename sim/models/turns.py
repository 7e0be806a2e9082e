"""One exchange: the trainee's reply and what it produced. Turns form a tree via parent_id,
so a rewind keeps both branches."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field


class TurnStatus(StrEnum):
    PENDING = "pending"
    COMPLETE = "complete"
    FAILED = "failed"


class TurnCreate(SQLModel):
    text: CleanStr = Field(description="The trainee's reply; limited to settings.max_message_chars")
    parent_turn_id: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="Omit to continue from the head; a turn id to branch after it; null to "
        "branch from the opening line.",
    )


class Turn(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="practice_session.id", index=True, ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="turn.id")
    index: int = Field(description="1-based depth from the opening line")
    status: TurnStatus = Field(default=TurnStatus.PENDING, sa_type=String(10))
    trainee_text: str
    client_text: str | None = None
    voice: str | None = Field(default=None, max_length=40)
    fallback_notice: str | None = None
    error: str | None = None
    score: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    state: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    changes: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    disclosed_now: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    created_at: datetime = timestamp_field()
    completed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class TurnPublic(SQLModel):
    id: int
    index: int
    parent_id: int | None
    status: TurnStatus
    trainee_text: str
    client_text: str | None
    voice: str | None
    fallback_notice: str | None
    error: str | None
    created_at: datetime
    score: dict[str, Any] | None = None
    state: dict[str, Any] | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list)
    disclosed_now: list[dict[str, Any]] = Field(default_factory=list)
