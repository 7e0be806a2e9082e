"""Append-only records: completion records (a correction is a new record pointing to the old
one), evaluations, certificates and the audit log. Nothing here is ever updated or deleted by
the application: the ORM refuses it (`guard`), and the API has no route that could; only
`sim purge` removes rows, with Core statements, once the program's retention has run out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field


class CompletionRecord(SQLModel, table=True):
    """The outcome of one attempt, pinned to exactly what ran: persona version, scorer and its
    version, voice and model. `seq` 0 is the original; each correction is seq+1 and points to
    the record it corrects (`supersedes_id`); the newest of a chain is the one in force."""

    __tablename__ = "prog_completion_record"
    __table_args__ = (UniqueConstraint("attempt_id", "seq", name="uq_prog_record_attempt_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(index=True, description="no key: records outlive attempts' cleanup")
    seq: int = Field(default=0, ge=0)
    supersedes_id: int | None = Field(default=None, foreign_key="prog_completion_record.id")
    assignment_id: int = Field(index=True)
    program_id: int = Field(index=True)
    user_id: int = Field(index=True)
    trainee_name: str = Field(max_length=120, description="as it was when recorded")
    session_id: int
    persona_id: str = Field(max_length=64)
    persona_version: int
    persona_title: str = Field(max_length=200)
    scorer: str = Field(max_length=40)
    scorer_version: str = Field(max_length=40)
    voice: str = Field(max_length=40)
    model: str | None = Field(default=None, max_length=120)
    mode: str = Field(max_length=10)
    passed: bool
    criteria: dict[str, Any] = Field(sa_type=JSON)
    results: list[dict[str, Any]] = Field(sa_type=JSON)
    replies_written: int
    replies_off_branch: int
    hours: float
    completed_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = timestamp_field()
    recorded_by: int | None = Field(default=None, description="null: recorded by the system")
    reason: str | None = Field(default=None, max_length=2000, description="why (corrections)")


class CompletionPublic(SQLModel):
    id: int
    attempt_id: int
    seq: int
    supersedes_id: int | None
    superseded_by: int | None
    assignment_id: int
    program_id: int
    user_id: int
    trainee_name: str
    session_id: int
    persona_id: str
    persona_version: int
    persona_title: str
    scorer: str
    scorer_version: str
    voice: str
    model: str | None
    mode: str
    passed: bool
    criteria: dict[str, Any]
    results: list[dict[str, Any]]
    replies_written: int
    replies_off_branch: int
    hours: float
    completed_at: datetime
    recorded_at: datetime
    recorded_by: int | None
    reason: str | None


class CorrectionCreate(SQLModel):
    passed: bool
    reason: CleanStr = Field(min_length=5, max_length=2000, description="why the record changes")


class Evaluation(SQLModel, table=True):
    """The post-activity evaluation (CE sponsors require one before the certificate)."""

    __tablename__ = "prog_evaluation"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id", name="uq_prog_evaluation"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(index=True)
    user_id: int = Field(index=True)
    answers: dict[str, Any] = Field(sa_type=JSON)
    submitted_at: datetime = timestamp_field()


class EvaluationCreate(SQLModel):
    objectives_met: int = Field(ge=1, le=5, description="1 (not at all) to 5 (fully)")
    relevance: int = Field(ge=1, le=5, description="relevance to your practice, 1-5")
    quality: int = Field(ge=1, le=5, description="quality of the activity, 1-5")
    bias_free: bool = Field(description="free of commercial bias")
    will_change_practice: CleanStr = Field(default="", max_length=2000)
    comments: CleanStr = Field(default="", max_length=4000)


class Certificate(SQLModel, table=True):
    """Issued once per assignment and trainee, after a pass and the evaluation. What it says is
    frozen here; the verification code is public, everything else is shown to its holder."""

    __tablename__ = "prog_certificate"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id", name="uq_prog_certificate"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    assignment_id: int = Field(index=True)
    program_id: int = Field(index=True)
    user_id: int = Field(index=True)
    record_ids: list[int] = Field(sa_type=JSON, description="the passing records it rests on")
    trainee_name: str = Field(max_length=120)
    activity: str = Field(max_length=200)
    program_title: str = Field(max_length=200)
    hours: float
    completed_on: datetime = Field(sa_type=DateTime(timezone=True))
    approval_statement: str = Field(max_length=2000)
    issued_at: datetime = timestamp_field()


class CertificatePublic(SQLModel):
    id: int
    code: str
    assignment_id: int
    program_id: int
    record_ids: list[int]
    trainee_name: str
    activity: str
    program_title: str
    hours: float
    completed_on: datetime
    approval_statement: str
    issued_at: datetime
    valid: bool
    verify_url: str


class AuditEvent(SQLModel, table=True):
    """Who viewed or exported which record, and when (append-only)."""

    __tablename__ = "prog_audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    actor_id: int | None = Field(default=None, description="null: anonymous (public page)")
    action: str = Field(max_length=40)
    object_type: str = Field(max_length=40)
    object_id: str = Field(max_length=64)
    subject_user_id: int | None = Field(default=None, index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AuditPublic(SQLModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    subject_user_id: int | None
    detail: dict[str, Any]


APPEND_ONLY = (CompletionRecord, Evaluation, Certificate, AuditEvent)


class RecordIsAppendOnly(RuntimeError):
    pass


def _refuse(_mapper: Any, _conn: Any, target: Any) -> None:
    raise RecordIsAppendOnly(f"{type(target).__name__} rows are append-only; write a new one "
                             "(a correction points to the record it corrects)")


for _table in APPEND_ONLY:
    event.listen(_table, "before_update", _refuse)
    event.listen(_table, "before_delete", _refuse)
