"""What instructors add to a session: per-turn comments, per-turn rating overrides (agreement
with each AI rating and code, or the right one) and session feedback the trainee reads.

One family per entity (Base/Create/table/Public). The override keeps a snapshot of what the AI
said next to the instructor's verdict, so agreement statistics and the training export never
depend on re-reading a score that a later scorer might have changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import JSON, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.types import DIMENSIONS, Code
from sim.models.common import CleanStr, timestamp_field

Verdict = Literal["agree", "present", "absent"]
MAX_NOTE = 2000
MAX_TEXT = 4000


# --- per-turn comments -------------------------------------------------------------------

class CommentBase(SQLModel):
    text: str
    shared: bool = Field(default=False, description="true: the trainee sees it on their report")


class CommentCreate(SQLModel):
    text: CleanStr = Field(min_length=1, max_length=MAX_TEXT)
    shared: bool = False

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is only whitespace; write the comment")
        return value.strip()


class ReviewComment(CommentBase, table=True):
    __tablename__ = "review_comment"

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", index=True, ondelete="CASCADE")
    session_id: int = Field(foreign_key="practice_session.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()


class CommentPublic(SQLModel):
    id: int
    turn_id: int
    turn_index: int
    author_id: int
    author_name: str
    text: str
    shared: bool
    created_at: datetime


# --- rating overrides ----------------------------------------------------------------------

class DimensionVerdicts(SQLModel):
    """For each of the scorer's four dimensions: agree with the AI, or say it was present or
    absent."""

    validation: Verdict
    curiosity: Verdict
    confrontation: Verdict
    process_comment: Verdict


class OverrideBase(SQLModel):
    note: str | None = None


class OverrideCreate(SQLModel):
    dimensions: DimensionVerdicts
    codes: list[Code] = Field(max_length=len(Code), description=(
        "The behaviour codes the reply really shows (the AI's codes you agree with, plus the "
        "right ones for those it got wrong or missed); [] for none"))
    note: CleanStr | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("codes")
    @classmethod
    def _distinct(cls, value: list[Code]) -> list[Code]:
        seen: list[Code] = []
        for code in value:
            if code in seen:
                raise ValueError(f"{code.value!r} is listed twice; list each code once")
            seen.append(code)
        return seen


class RatingOverride(OverrideBase, table=True):
    __tablename__ = "rating_override"
    __table_args__ = (UniqueConstraint("turn_id", "reviewer_id", name="uq_override_turn_reviewer"),)

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", index=True, ondelete="CASCADE")
    session_id: int = Field(foreign_key="practice_session.id", index=True, ondelete="CASCADE")
    reviewer_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    scorer_version: str = Field(max_length=80, description="scorer and version that rated it")
    ai_dimensions: dict[str, Any] = Field(sa_type=JSON, description=(
        "{dimension: {present, level 0-3}} as the AI rated the reply"))
    ai_codes: list[str] = Field(sa_type=JSON)
    dimensions: dict[str, bool] = Field(sa_type=JSON, description="the instructor's final view")
    codes: list[str] = Field(sa_type=JSON, description="the instructor's final codes")
    created_at: datetime = timestamp_field()
    updated_at: datetime = Field(sa_type=DateTime(timezone=True))


class AiRating(SQLModel):
    dimensions: dict[str, dict[str, Any]]
    codes: list[str]


class OverridePublic(SQLModel):
    id: int
    turn_id: int
    turn_index: int
    reviewer_id: int
    reviewer_name: str
    ai: AiRating
    dimensions: dict[str, bool]
    codes: list[str]
    agreed_dimensions: dict[str, bool] = Field(description="per dimension: instructor == AI")
    agreed_codes: dict[str, bool] = Field(description=(
        "per code the AI or the instructor gave: both gave it, or both did not"))
    changed: bool = Field(description="true when anything differs from the AI")
    note: str | None
    updated_at: datetime


# --- session feedback ----------------------------------------------------------------------

class FeedbackBase(SQLModel):
    text: str


class FeedbackCreate(SQLModel):
    text: CleanStr = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is only whitespace; write the feedback")
        return value.strip()


class SessionFeedback(FeedbackBase, table=True):
    __tablename__ = "session_feedback"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="practice_session.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()


class FeedbackPublic(SQLModel):
    id: int
    author_id: int
    author_name: str
    text: str
    created_at: datetime


class TraineeFeedback(SQLModel):
    """What the trainee reads on their report: session feedback and the shared comments."""

    feedback: list[FeedbackPublic]
    comments: list[CommentPublic]


__all__ = [
    "DIMENSIONS", "CommentCreate", "CommentPublic", "DimensionVerdicts", "FeedbackCreate",
    "FeedbackPublic", "OverrideCreate", "OverridePublic", "RatingOverride", "ReviewComment",
    "SessionFeedback", "TraineeFeedback",
]
