"""Programs, cohorts, enrolments and assignments: one SQLModel family per entity
(Base / Create / Update / table / Public)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field as PydanticField
from pydantic import field_validator
from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field
from sim.models.sessions import SessionMode
from sim.programs.criteria import PassCriteria

# an id as the database holds it (a 32-bit integer): bigger ones are a 422, not a 500
DbId = Annotated[int, PydanticField(ge=1, le=2**31 - 1)]

# -- programs -------------------------------------------------------------------------------


class ProgramBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    approval_statement: str = Field(default="", max_length=2000, description=(
        "The accrediting body's approval text printed on every certificate"))
    record_retention_days: int = Field(default=7 * 365, ge=30, le=100 * 365, description=(
        "How long completion records and certificates are kept (also after an account is "
        "deleted); `sim purge` removes them after that"))
    transcript_retention_days: int | None = Field(default=None, ge=1, le=100 * 365, description=(
        "Attempt transcripts are purged after this many days (null: SIM_TRANSCRIPT_RETENTION_DAYS"
        " or kept)"))


class ProgramCreate(ProgramBase):
    title: CleanStr = Field(min_length=1, max_length=200)
    description: CleanStr = Field(default="", max_length=4000)
    approval_statement: CleanStr = Field(default="", max_length=2000)
    instructor_ids: list[DbId] = Field(default_factory=list, max_length=200)


class ProgramUpdate(SQLModel):
    title: CleanStr | None = Field(default=None, min_length=1, max_length=200)
    description: CleanStr | None = Field(default=None, max_length=4000)
    approval_statement: CleanStr | None = Field(default=None, max_length=2000)
    transcript_retention_days: int | None = Field(default=None, ge=1, le=100 * 365)
    instructor_ids: list[DbId] | None = Field(default=None, max_length=200)


class Program(ProgramBase, table=True):
    __tablename__ = "prog_program"

    id: int | None = Field(default=None, primary_key=True)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()


class ProgramInstructor(SQLModel, table=True):
    __tablename__ = "prog_program_instructor"

    program_id: int = Field(foreign_key="prog_program.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class ProgramPublic(ProgramBase):
    id: int
    created_at: datetime
    instructor_ids: list[int]
    cohort_ids: list[int]


# -- cohorts and enrolment ------------------------------------------------------------------


class CohortCreate(SQLModel):
    name: CleanStr = Field(min_length=1, max_length=200)


class Cohort(SQLModel, table=True):
    __tablename__ = "prog_cohort"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="prog_program.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    invite_hash: str | None = Field(default=None, max_length=64, index=True, description=(
        "sha256 of the invite link's code; null when no link is open"))
    created_at: datetime = timestamp_field()


class CohortPublic(SQLModel):
    id: int
    program_id: int
    name: str
    created_at: datetime
    trainees: int
    invite_open: bool


class Enrolment(SQLModel, table=True):
    __tablename__ = "prog_enrolment"

    cohort_id: int = Field(foreign_key="prog_cohort.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    via: str = Field(max_length=10, description="csv | invite | lti")
    enrolled_at: datetime = timestamp_field()


# -- assignments ----------------------------------------------------------------------------


class AssignmentBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    persona_ids: list[str] = Field(sa_type=JSON, description="Every one must be passed")
    mode: SessionMode = Field(default=SessionMode.EXAM, sa_type=String(10))
    opens_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    attempts_allowed: int | None = Field(default=3, ge=1, le=50, description=(
        "Attempts per scenario; null: unlimited"))
    hours: float = Field(default=1.0, ge=0.25, le=100, description="CE credit hours")
    criteria: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AssignmentCreate(SQLModel):
    title: CleanStr = Field(min_length=1, max_length=200)
    persona_ids: list[CleanStr] = Field(min_length=1, max_length=10)
    mode: SessionMode = SessionMode.EXAM
    opens_at: datetime | None = None
    due_at: datetime | None = None
    attempts_allowed: int | None = Field(default=3, ge=1, le=50)
    hours: float = Field(default=1.0, ge=0.25, le=100)
    criteria: PassCriteria = Field(default_factory=PassCriteria)

    @field_validator("due_at")
    @classmethod
    def _due_after_open(cls, value: datetime | None, info: Any) -> datetime | None:
        opens = info.data.get("opens_at")
        if value is not None and opens is not None and value <= opens:
            raise ValueError("must be after opens_at")
        return value


class Assignment(AssignmentBase, table=True):
    __tablename__ = "prog_assignment"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="prog_cohort.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()


class AssignmentPublic(AssignmentBase):
    id: int
    cohort_id: int
    program_id: int
    created_at: datetime


class Attempt(SQLModel, table=True):
    """One try at one scenario of an assignment: the practice session it ran in."""

    __tablename__ = "prog_attempt"
    __table_args__ = (UniqueConstraint("session_id", name="uq_prog_attempt_session"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="prog_assignment.id", index=True, ondelete="CASCADE")
    user_id: int = Field(index=True, description="no foreign key: records outlive accounts")
    persona_id: str = Field(max_length=64)
    number: int = Field(ge=1, description="1-based, per scenario")
    session_id: int = Field(description="the practice session (no key: transcripts are purged)")
    via: str = Field(default="web", max_length=10, description="web | lti")
    started_at: datetime = timestamp_field()
