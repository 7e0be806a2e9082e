"""Attempts and completion records: an attempt opens a practice session through the engine
(the runtime's runner) and the session record says how it went; when that session has ended,
`finalize` writes the attempt's completion record once, pinned to what ran."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sim.errors import Conflict, NotFound
from sim.models import PracticeSession, SessionStatus, User
from sim.models.common import as_utc
from sim.programs.criteria import PassCriteria, evaluate
from sim.programs.models import Assignment, Attempt, Cohort, Program
from sim.programs.records import CompletionRecord
from sim.runtime import Runtime

log = logging.getLogger("sim.programs")


def now() -> datetime:
    return datetime.now(UTC)


def attempts_of(db: Session, assignment_id: int, user_id: int) -> list[Attempt]:
    return list(db.exec(select(Attempt).where(Attempt.assignment_id == assignment_id,
                                              Attempt.user_id == user_id)
                        .order_by(col(Attempt.id))))


def start_attempt(db: Session, runtime: Runtime, user: User, assignment: Assignment,
                  persona_id: str, via: str = "web") -> tuple[Attempt, PracticeSession]:
    """Opens a practice session in the assignment's mode, pinned like any session (persona
    version, voice, model, scorer and its version). Refuses what the assignment does not allow."""
    if persona_id not in assignment.persona_ids:
        raise NotFound(f"Scenario {persona_id!r} is not part of this assignment; it has "
                       f"{', '.join(assignment.persona_ids)}.", field="persona_id")
    persona = runtime.catalog.current(db, persona_id)  # the published version
    if persona is None:
        raise Conflict(f"Scenario {persona_id!r} is no longer published.", code="persona_missing")
    if assignment.opens_at is not None and now() < as_utc(assignment.opens_at):
        raise Conflict(f"This assignment opens on {as_utc(assignment.opens_at):%Y-%m-%d %H:%M} "
                       "UTC.", code="not_open")
    earlier = [a for a in attempts_of(db, assignment.id or 0, user.id or 0)
               if a.persona_id == persona_id]
    for attempt in earlier:
        ps = db.get(PracticeSession, attempt.session_id)
        if ps is not None and ps.status == SessionStatus.ACTIVE:
            raise Conflict(f"Attempt {attempt.number} of this scenario is still open (session "
                           f"{ps.id}); end it first.", code="attempt_open")
    if assignment.attempts_allowed is not None and len(earlier) >= assignment.attempts_allowed:
        raise Conflict(f"All {assignment.attempts_allowed} attempt(s) at this scenario are used.",
                       code="no_attempts_left")
    state, line = runtime.runner(persona).opening()
    ps = PracticeSession(
        user_id=user.id or 0, persona_id=persona.id, persona_version=persona.version,
        persona_title=persona.title[:200], mode=assignment.mode, voice=runtime.voice_name[:40],
        model=runtime.model[:120] if runtime.model else None, scorer=runtime.scorer_name[:40],
        scorer_version=runtime.scorer_version[:40], scorer_settings=runtime.scorer_settings,
        opening_line=line, opening_state=state.model_dump(mode="json"))
    db.add(ps)
    db.flush()
    attempt = Attempt(assignment_id=assignment.id or 0, user_id=user.id or 0,
                      persona_id=persona_id, number=len(earlier) + 1, session_id=ps.id or 0,
                      via=via)
    db.add(attempt)
    db.flush()
    return attempt, ps


def session_report(db: Session, runtime: Runtime, ps: PracticeSession) -> dict[str, Any] | None:
    """The ended session's report over every branch, as the trainee's report shows it."""
    from sim.records import every_record
    from sim.reports import build_report

    persona = runtime.catalog.pinned(db, ps.persona_id, ps.persona_version)
    if persona is None:
        return None
    meta, path, every = every_record(db, ps)
    return build_report(persona=persona, meta=meta, turns=path,
                        all_turns=every).model_dump(mode="json")


def current_record(db: Session, attempt_id: int) -> CompletionRecord | None:
    """The newest record of an attempt (the one in force after any corrections)."""
    return db.exec(select(CompletionRecord).where(CompletionRecord.attempt_id == attempt_id)
                   .order_by(col(CompletionRecord.seq).desc()).limit(1)).first()


def finalize(db: Session, runtime: Runtime, attempt: Attempt) -> CompletionRecord | None:
    """The attempt's completion record, written once its session has ended (idempotent; two
    workers racing both end up reading the one row the unique key let in)."""
    existing = current_record(db, attempt.id or 0)
    if existing is not None:
        return existing
    ps = db.get(PracticeSession, attempt.session_id)
    if ps is None or ps.status != SessionStatus.ENDED:
        return None
    assignment = db.get(Assignment, attempt.assignment_id)
    cohort = db.get(Cohort, assignment.cohort_id) if assignment else None
    program = db.get(Program, cohort.program_id) if cohort else None
    report = session_report(db, runtime, ps)
    if assignment is None or program is None or report is None:
        return None
    criteria = PassCriteria.model_validate(assignment.criteria or {})
    results = evaluate(criteria, report)
    record = report.get("record") or {}
    owner = db.get(User, attempt.user_id)
    row = CompletionRecord(
        attempt_id=attempt.id or 0, seq=0, assignment_id=assignment.id or 0,
        program_id=program.id or 0, user_id=attempt.user_id,
        trainee_name=owner.display_name if owner else "unknown", session_id=ps.id or 0,
        persona_id=ps.persona_id, persona_version=ps.persona_version,
        persona_title=ps.persona_title, scorer=ps.scorer, scorer_version=ps.scorer_version,
        voice=ps.voice, model=ps.model, mode=str(ps.mode),
        passed=all(r.met for r in results),
        criteria=criteria.model_dump(mode="json"),
        results=[r.model_dump(mode="json") for r in results],
        replies_written=int(record.get("replies_written", 0)),
        replies_off_branch=int(record.get("replies_off_kept_branch", 0)),
        hours=assignment.hours, completed_at=as_utc(ps.ended_at or now()))
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:
        log.info("completion record written by another worker", extra={"attempt": attempt.id})
        return current_record(db, attempt.id or 0)
    return row


def correct(db: Session, old: CompletionRecord, actor: User, passed: bool,
            reason: str) -> CompletionRecord:
    """A correction: a new record (seq+1) pointing to the one it corrects; the old one stays."""
    newest = current_record(db, old.attempt_id)
    if newest is None or newest.id != old.id:
        raise Conflict(f"Record {old.id} was already corrected by record "
                       f"{newest.id if newest else '?'}; correct the newest one.",
                       code="superseded")
    data = old.model_dump(exclude={"id", "seq", "supersedes_id", "recorded_at", "recorded_by",
                                   "reason", "passed"})
    row = CompletionRecord(**data, seq=old.seq + 1, supersedes_id=old.id, passed=passed,
                           recorded_by=actor.id, reason=reason)
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:
        raise Conflict("Another correction of this record was just written; reload.",
                       code="superseded") from None
    return row
