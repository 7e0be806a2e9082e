"""Grade return through AGS. When a practice session that is an attempt at an LMS-linked
assignment ends, a worker wakes (an ORM hook on the session record, not a call from the
trainee routes), writes the completion record (sim/programs/attempts.finalize), computes the
assignment's score for that trainee and posts it to the link's line item: an OAuth2 client
credentials token obtained with a JWT assertion signed by the tool key, then POST
{lineitem}/scores. Each score is a row in prog_lti_score until the platform took it; failures
are retried with a growing delay (so a platform that is down gets the score later)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sim.db import session_scope
from sim.models import PracticeSession, SessionStatus
from sim.models.common import utcnow
from sim.programs.attempts import finalize
from sim.programs.lti.adapters import Connector, http_session, registration_for
from sim.programs.lti.models import ScoreSend
from sim.programs.lti_models import Platform, PlatformUser, ResourceLink
from sim.programs.models import Assignment, Attempt
from sim.programs.records import CompletionRecord
from sim.runtime import Runtime

log = logging.getLogger("sim.programs.lti")
MAX_TRIES = 8


def score_of(db: Session, assignment: Assignment, user_id: int) -> tuple[float, str]:
    """0-100: per scenario, the best attempt's share of pass criteria met (a pass is 1), then
    the mean over the assignment's scenarios. The comment says passed or what is missing."""
    shares, missing = [], []
    for persona_id in assignment.persona_ids:
        best = 0.0
        for record in _records(db, assignment.id or 0, user_id, persona_id):
            results = record.results or []
            share = 1.0 if record.passed else (
                sum(1 for r in results if r.get("met")) / len(results) if results else 0.0)
            best = max(best, share)
        shares.append(best)
        if best < 1.0:
            missing.append(persona_id)
    score = round(100.0 * sum(shares) / max(1, len(shares)), 2)
    comment = "Passed." if not missing else f"Not passed yet: {', '.join(missing)}."
    return score, comment


def _records(db: Session, assignment_id: int, user_id: int, persona_id: str
             ) -> list[CompletionRecord]:
    rows = db.exec(select(CompletionRecord).where(
        CompletionRecord.assignment_id == assignment_id, CompletionRecord.user_id == user_id,
        CompletionRecord.persona_id == persona_id).order_by(col(CompletionRecord.seq)))
    newest: dict[int, CompletionRecord] = {}
    for row in rows:  # corrections: the newest record of each attempt is the one in force
        newest[row.attempt_id] = row
    return list(newest.values())


def queue_owed(db: Session, runtime: Runtime) -> int:
    """Outbox rows for every ended attempt at a linked assignment by a platform user that has
    none yet (their completion records written first). Returns how many were queued."""
    rows = db.exec(
        select(Attempt, ResourceLink, PlatformUser)
        .join(ResourceLink, col(ResourceLink.assignment_id) == col(Attempt.assignment_id))
        .join(PlatformUser, (col(PlatformUser.platform_id) == col(ResourceLink.platform_id))
              & (col(PlatformUser.user_id) == col(Attempt.user_id)))
        .join(PracticeSession, col(PracticeSession.id) == col(Attempt.session_id))
        .where(PracticeSession.status == SessionStatus.ENDED))
    queued = 0
    for attempt, link, platform_user in list(rows):
        if db.exec(select(ScoreSend.id).where(ScoreSend.link_id == link.id,
                                              ScoreSend.attempt_id == attempt.id)).first():
            continue
        if finalize(db, runtime, attempt) is None:
            continue
        assignment = db.get(Assignment, attempt.assignment_id)
        assert assignment is not None
        score, comment = score_of(db, assignment, attempt.user_id)
        try:
            with db.begin_nested():
                db.add(ScoreSend(link_id=link.id or 0, attempt_id=attempt.id or 0,
                                 user_id=attempt.user_id, sub=platform_user.sub,
                                 score_given=score, comment=comment))
            queued += 1
        except IntegrityError:  # another worker queued it
            continue
    return queued


def grade_for(row: ScoreSend) -> Grade:
    return (Grade().set_score_given(row.score_given).set_score_maximum(row.score_maximum)
            .set_timestamp(utcnow().isoformat(timespec="milliseconds"))
            .set_activity_progress("Completed").set_grading_progress("FullyGraded")
            .set_user_id(row.sub).set_comment(row.comment))


def push(db: Session, row: ScoreSend) -> None:
    """Posts one score to the platform (raises on any failure)."""
    link = db.get(ResourceLink, row.link_id)
    platform = db.get(Platform, link.platform_id) if link else None
    if link is None or platform is None:
        raise RuntimeError("the link or its platform was removed")
    if not link.ags:
        raise RuntimeError("the platform offered no grade service (AGS) for this link")
    service = AssignmentsGradesService(Connector(registration_for(db, platform), http_session()),
                                       link.ags)  # type: ignore[arg-type]
    line: LineItem | None = None
    if not link.ags.get("lineitem"):
        assignment = db.get(Assignment, link.assignment_id)
        line = (LineItem().set_tag(f"assignment-{link.assignment_id}").set_score_maximum(100)
                .set_label(assignment.title if assignment else "Practice")
                .set_resource_link_id(link.resource_link_id))
    service.put_grade(grade_for(row), line)


def send_due(db: Session, limit: int = 50) -> dict[str, int]:
    """Tries every pending score whose time has come; returns counts."""
    now = utcnow()
    due = list(db.exec(select(ScoreSend).where(ScoreSend.status == "pending",
                                               col(ScoreSend.next_try_at) <= now)
                       .order_by(col(ScoreSend.id)).limit(limit)))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for row in due:
        row.tries += 1
        try:
            push(db, row)
        except Exception as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            row.status = "failed" if row.tries >= MAX_TRIES else "pending"
            row.next_try_at = now + timedelta(seconds=min(3600, 15 * 2 ** row.tries))
            counts["failed" if row.status == "failed" else "retry"] += 1
            log.warning("AGS score not sent", extra={"score": row.id, "error": row.last_error})
        else:
            row.status, row.sent_at, row.last_error = "sent", utcnow(), ""
            counts["sent"] += 1
        db.add(row)
        db.commit()
    return counts


def run_once(engine: Engine, runtime: Runtime) -> dict[str, int]:
    """One round: queue what is owed, send what is due (each in its own transaction)."""
    with session_scope(engine) as db:
        if db.exec(select(Platform.id)).first() is None:
            return {"queued": 0}
        queued = queue_owed(db, runtime)
    with session_scope(engine) as db:
        return {"queued": queued, **send_due(db)}


def has_lti_attempt(db: Session, session_ids: list[int]) -> bool:
    """Whether any of these practice sessions is an attempt at an LMS-linked assignment."""
    found = db.exec(select(Attempt.id).join(
        ResourceLink, col(ResourceLink.assignment_id) == col(Attempt.assignment_id))
        .where(col(Attempt.session_id).in_(session_ids)).limit(1)).first()
    return found is not None


def ended_sessions(db: Session) -> list[int]:
    ids = []
    for obj in list(db.dirty):
        if isinstance(obj, PracticeSession) and obj.status == SessionStatus.ENDED and obj.id:
            ids.append(obj.id)
    return ids


def describe(row: ScoreSend) -> dict[str, Any]:
    return row.model_dump(mode="json")
