"""Privacy: everything about one user as JSON, deletion on request, and the retention purge.

Deletion removes the account's personal data at once (practice sessions, enrolments, logins,
platform links; the account itself is anonymised and disabled) but keeps what a CE program
must keep: attempt transcripts, completion records, evaluations and certificates stay until
the program's retention runs out, when `sim purge` removes them (docs/PROGRAMS.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sim.db import session_scope
from sim.models import AuthSession, PracticeSession, Turn, User
from sim.models.common import as_utc
from sim.programs.attempts import now
from sim.programs.lti.models import ScoreSend
from sim.programs.lti_models import LtiCache, LtiNonce, PlatformUser
from sim.programs.models import Assignment, Attempt, Cohort, Enrolment, Program
from sim.programs.models_extra import Activation
from sim.programs.records import AuditEvent, Certificate, CompletionRecord, Evaluation


def _rows(db: Session, model: Any, *where: Any) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json", warnings=False) for r in db.exec(select(model).where(*where))]


def export_user(db: Session, user: User) -> dict[str, Any]:
    """Everything stored about the user (no password hash, no login tokens)."""
    uid = user.id or 0
    sessions = []
    for ps in db.exec(select(PracticeSession).where(PracticeSession.user_id == uid)
                      .order_by(col(PracticeSession.id))):
        data = ps.model_dump(mode="json", exclude={"lock_token", "lock_until"}, warnings=False)
        data["turns"] = _rows(db, Turn, Turn.session_id == ps.id)
        sessions.append(data)
    return {
        "format": "resistance-sim.user-export/1",
        "exported_at": now().isoformat(),
        "user": user.model_dump(mode="json", exclude={"password_hash"}, warnings=False),
        "practice_sessions": sessions,
        "enrolments": _rows(db, Enrolment, Enrolment.user_id == uid),
        "attempts": _rows(db, Attempt, Attempt.user_id == uid),
        "completion_records": _rows(db, CompletionRecord, CompletionRecord.user_id == uid),
        "evaluations": _rows(db, Evaluation, Evaluation.user_id == uid),
        "certificates": _rows(db, Certificate, Certificate.user_id == uid),
        "audit_events_about_you": _rows(db, AuditEvent, AuditEvent.subject_user_id == uid),
        "platform_accounts": _rows(db, PlatformUser, PlatformUser.user_id == uid),
        "scores_sent_to_lms": _rows(db, ScoreSend, ScoreSend.user_id == uid),
    }


def delete_user_data(db: Session, user: User) -> dict[str, int]:
    """Deletes what is not a program record; anonymises and disables the account."""
    uid = user.id or 0
    kept = set(db.exec(select(Attempt.session_id).where(Attempt.user_id == uid)))
    doomed = [i for i in db.exec(select(PracticeSession.id)
                                 .where(PracticeSession.user_id == uid)) if i not in kept]
    conn = db.connection()
    if doomed:
        conn.execute(delete(Turn).where(col(Turn.session_id).in_(doomed)))
        conn.execute(delete(PracticeSession).where(col(PracticeSession.id).in_(doomed)))
    for model in (Enrolment, AuthSession, PlatformUser, Activation):
        conn.execute(delete(model).where(col(model.user_id) == uid))
    user.email = f"deleted-{uid}@deleted.invalid"
    user.display_name = "Deleted user"
    user.password_hash = "!deleted"
    user.active = False
    db.add(user)
    return {"sessions_deleted": len(doomed), "attempt_sessions_kept": len(kept)}


def purge(engine: Engine, default_days: int | None, dry_run: bool = False) -> dict[str, int]:
    """Deletes transcripts past their retention and program records past the program's
    record retention, plus used LTI nonces and expired launch state. Returns the counts."""
    at = now()
    counts = {"transcripts": 0, "completion_records": 0, "certificates": 0, "evaluations": 0,
              "attempts": 0, "lti_rows": 0}
    with session_scope(engine) as db:
        conn = db.connection()
        attempt_program = {a: p for a, p in db.exec(
            select(Attempt.session_id, Cohort.program_id)
            .join(Assignment, col(Assignment.id) == col(Attempt.assignment_id))
            .join(Cohort, col(Cohort.id) == col(Assignment.cohort_id)))}
        programs = {p.id: p for p in db.exec(select(Program))}
        doomed = []
        for sid, ended in db.exec(select(PracticeSession.id, PracticeSession.ended_at)
                                  .where(col(PracticeSession.ended_at).is_not(None))):
            program = programs.get(attempt_program.get(sid or 0))
            days = (program.transcript_retention_days if program else None) or default_days
            if days is not None and ended is not None and as_utc(ended) < at - timedelta(days=days):
                doomed.append(sid)
        counts["transcripts"] = len(doomed)
        if doomed and not dry_run:
            conn.execute(delete(Turn).where(col(Turn.session_id).in_(doomed)))
            conn.execute(delete(PracticeSession).where(col(PracticeSession.id).in_(doomed)))
        for program in programs.values():
            cutoff = at - timedelta(days=program.record_retention_days)
            for model, stamp, key in (
                    (Certificate, Certificate.issued_at, "certificates"),
                    (Evaluation, Evaluation.submitted_at, "evaluations")):
                where: list[Any] = [stamp < cutoff]
                if model is Certificate:
                    where.append(Certificate.program_id == program.id)
                else:
                    where.append(col(Evaluation.assignment_id).in_(select(Assignment.id).join(
                        Cohort, col(Cohort.id) == col(Assignment.cohort_id))
                        .where(Cohort.program_id == program.id)))
                ids = list(db.exec(select(model.id).where(*where)))
                counts[key] += len(ids)
                if ids and not dry_run:
                    conn.execute(delete(model).where(col(model.id).in_(ids)))
            old = list(db.exec(select(CompletionRecord.id, CompletionRecord.attempt_id).where(
                CompletionRecord.program_id == program.id, CompletionRecord.recorded_at < cutoff)
                .order_by(col(CompletionRecord.seq).desc())))
            counts["completion_records"] += len(old)
            if old and not dry_run:  # newest first: corrections before what they point to
                for rid, _ in old:
                    conn.execute(delete(CompletionRecord).where(col(CompletionRecord.id) == rid))
                attempts = {a for _, a in old}
                counts["attempts"] += len(attempts)
                conn.execute(delete(Attempt).where(col(Attempt.id).in_(attempts)))
        stale = at - timedelta(days=2)
        if not dry_run:
            counts["lti_rows"] += conn.execute(delete(LtiNonce).where(
                col(LtiNonce.used_at) < stale)).rowcount or 0
            counts["lti_rows"] += conn.execute(delete(LtiCache).where(
                col(LtiCache.expires_at) < at.timestamp())).rowcount or 0
        if dry_run:
            db.rollback()
    return counts
