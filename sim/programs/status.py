"""Where a trainee stands on an assignment: per scenario and overall, for "My assignments",
the cohort dashboard and its CSV export. Completion records are written here, lazily, for
attempts whose session has ended (the trainee routes are never asked to call back)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from sim.models import PracticeSession, SessionStatus
from sim.models.common import as_utc
from sim.programs.attempts import attempts_of, finalize, now
from sim.programs.models import Assignment
from sim.programs.records import CompletionRecord
from sim.runtime import Runtime

Status = Literal["not_started", "in_progress", "not_passed", "passed", "failed"]


class ScenarioStatus(BaseModel):
    persona_id: str
    attempts_used: int
    attempts_left: int | None
    open_session_id: int | None
    passed: bool
    record_ids: list[int]
    last_session_id: int | None


class AssignmentStatus(BaseModel):
    assignment_id: int
    user_id: int
    status: Status
    overdue: bool
    due_at: datetime | None
    scenarios: list[ScenarioStatus]
    passed_record_ids: list[int]
    completed_at: datetime | None


def status_of(db: Session, runtime: Runtime, assignment: Assignment,
              user_id: int) -> AssignmentStatus:
    attempts = attempts_of(db, assignment.id or 0, user_id)
    scenarios: list[ScenarioStatus] = []
    passed_ids: list[int] = []
    finished_at: list[datetime] = []
    for persona_id in assignment.persona_ids:
        mine = [a for a in attempts if a.persona_id == persona_id]
        records: list[CompletionRecord] = []
        open_id = None
        for attempt in mine:
            ps = db.get(PracticeSession, attempt.session_id)
            if ps is not None and ps.status == SessionStatus.ACTIVE:
                open_id = ps.id
            record = finalize(db, runtime, attempt)
            if record is not None:
                records.append(record)
        winning = [r for r in records if r.passed]
        if winning:
            passed_ids.append(winning[0].id or 0)
            finished_at.append(as_utc(winning[0].completed_at))
        left = None if assignment.attempts_allowed is None else max(
            0, assignment.attempts_allowed - len(mine))
        scenarios.append(ScenarioStatus(
            persona_id=persona_id, attempts_used=len(mine), attempts_left=left,
            open_session_id=open_id, passed=bool(winning),
            record_ids=[r.id or 0 for r in records],
            last_session_id=mine[-1].session_id if mine else None))
    status: Status
    if all(s.passed for s in scenarios):
        status = "passed"
    elif any(s.open_session_id for s in scenarios):
        status = "in_progress"
    elif any(not s.passed and s.attempts_left == 0 for s in scenarios):
        status = "failed"
    elif any(s.attempts_used for s in scenarios):
        status = "not_passed"
    else:
        status = "not_started"
    due = as_utc(assignment.due_at) if assignment.due_at else None
    return AssignmentStatus(
        assignment_id=assignment.id or 0, user_id=user_id, status=status,
        overdue=due is not None and status != "passed" and now() > due, due_at=due,
        scenarios=scenarios, passed_record_ids=passed_ids if status == "passed" else [],
        completed_at=max(finished_at) if status == "passed" and finished_at else None)
