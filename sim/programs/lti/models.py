"""Tables the LTI wing added in 0401_programs_lti: which cohort an LMS course (context) fills,
and the outbox of scores owed to platforms (so a platform that is down gets them later)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.models.common import timestamp_field


class LtiContext(SQLModel, table=True):
    """An LMS course on a platform and the cohort its launches enrol into."""

    __tablename__ = "prog_lti_context"

    platform_id: int = Field(foreign_key="prog_lti_platform.id", primary_key=True,
                             ondelete="CASCADE")
    context_id: str = Field(primary_key=True, max_length=255)
    cohort_id: int = Field(foreign_key="prog_cohort.id", ondelete="CASCADE")
    title: str = Field(default="", max_length=255)


class ScoreSend(SQLModel, table=True):
    """A score owed to a platform's line item for one attempt: pending until the platform
    accepted it, retried with a growing delay, failed after MAX_TRIES (shown to admins)."""

    __tablename__ = "prog_lti_score"
    __table_args__ = (UniqueConstraint("link_id", "attempt_id", name="uq_prog_lti_score"),)

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="prog_lti_link.id", index=True, ondelete="CASCADE")
    attempt_id: int = Field(index=True)
    user_id: int
    sub: str = Field(max_length=255, description="the platform's id of the user")
    status: str = Field(default="pending", max_length=10, index=True,
                        description="pending | sent | failed")
    score_given: float = 0.0
    score_maximum: float = 100.0
    comment: str = Field(default="", max_length=1000)
    tries: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = timestamp_field()
    next_try_at: datetime = timestamp_field(index=True)
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ScoreSendPublic(SQLModel):
    id: int
    link_id: int
    attempt_id: int
    user_id: int
    status: str
    score_given: float
    score_maximum: float
    comment: str
    tries: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
