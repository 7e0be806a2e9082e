"""A practice session: one trainee, one persona version (pinned: the runtime loads exactly that
version whenever the session continues), one voice and scorer, many turns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String, false
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field


class SessionMode(StrEnum):
    COACH = "coach"
    EXAM = "exam"


class SessionStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class SessionBase(SQLModel):
    persona_id: str = Field(max_length=64, index=True)
    mode: SessionMode = Field(default=SessionMode.COACH, sa_type=String(10))


class SessionCreate(SQLModel):
    persona_id: CleanStr = Field(min_length=1, max_length=64)
    mode: SessionMode = SessionMode.COACH


class PracticeSession(SessionBase, table=True):
    __tablename__ = "practice_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    persona_version: int
    persona_title: str = Field(max_length=200)
    status: SessionStatus = Field(default=SessionStatus.ACTIVE, sa_type=String(10))
    voice: str = Field(max_length=40)
    model: str | None = Field(default=None, max_length=120)
    scorer: str = Field(max_length=40)
    scorer_version: str = Field(max_length=40)
    scorer_settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    opening_line: str
    opening_state: dict[str, Any] = Field(sa_type=JSON)
    head_turn_id: int | None = Field(default=None)
    turn_count: int = 0
    lock_token: str | None = Field(default=None, max_length=64)
    lock_until: float | None = Field(default=None, description="epoch seconds; stale after")
    created_at: datetime = timestamp_field()
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # an instructor trying a persona version in the studio: never in progress or session lists
    test_drive: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class SessionPublic(SQLModel):
    id: int
    user_id: int
    persona_id: str
    persona_version: int
    persona_title: str
    mode: SessionMode
    status: SessionStatus
    voice: str
    model: str | None
    scorer: str
    scorer_version: str
    created_at: datetime
    ended_at: datetime | None
    opening_line: str
    state: dict[str, Any] | None = Field(description="Current client state; null in exam mode")
    head_turn_id: int | None
    turn_count: int
    test_drive: bool = Field(default=False, description="A studio test-drive of a persona version")
