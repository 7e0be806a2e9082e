"""Loading a session's turn records: every branch, the active path, and what a live exam hides.

Shared by the trainee routes, the reports and the wings (programs, review): it sits below the
routes so that nothing under them has to import a route module.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from sim.models import PracticeSession, SessionMode, SessionStatus, Turn, User
from sim.reports.inputs import SessionMeta, TurnRecord


def hidden(ps: PracticeSession) -> bool:
    """Exam mode keeps feedback (score, changes, state) back until the session ends."""
    return ps.mode == SessionMode.EXAM and ps.status == SessionStatus.ACTIVE


def session_turns(db: Session, session_id: int) -> dict[int, Turn]:
    rows = db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.id)))
    return {t.id or 0: t for t in rows}


def path_to(turns: dict[int, Turn], turn_id: int | None) -> list[Turn]:
    """The turns from the opening line down to turn_id (inclusive), oldest first."""
    path: list[Turn] = []
    seen: set[int] = set()
    while turn_id is not None and turn_id in turns and turn_id not in seen:
        seen.add(turn_id)
        path.append(turns[turn_id])
        turn_id = turns[turn_id].parent_id
    return path[::-1]


def every_record(db: Session, ps: PracticeSession
                 ) -> tuple[SessionMeta, list[TurnRecord], list[TurnRecord]]:
    """SessionMeta, the active branch, and every turn of the session (all branches, failed
    turns included), feedback hidden in a live exam."""
    turns = session_turns(db, ps.id or 0)
    owner = db.get(User, ps.user_id)
    meta = SessionMeta.model_validate({
        "id": ps.id or 0, "persona_id": ps.persona_id, "persona_version": ps.persona_version,
        "persona_title": ps.persona_title, "mode": str(ps.mode), "voice": ps.voice,
        "model": ps.model, "scorer": ps.scorer, "scorer_version": ps.scorer_version,
        "trainee": owner.display_name if owner else "unknown", "created_at": ps.created_at,
        "ended_at": ps.ended_at, "opening_line": ps.opening_line,
        "initial_state": ps.opening_state})
    hide = hidden(ps)
    every = {t.id or 0: TurnRecord.model_validate({
        "index": t.index, "id": t.id or 0, "parent_id": t.parent_id, "status": str(t.status),
        "trainee_text": t.trainee_text, "client_text": t.client_text, "voice": t.voice,
        "fallback_notice": t.fallback_notice, "error": t.error, "created_at": t.created_at,
        "score": None if hide else t.score, "state": None if hide else t.state,
        "changes": [] if hide else (t.changes or [])})
        for t in turns.values()}
    path = [every[t.id or 0] for t in path_to(turns, ps.head_turn_id)]
    return meta, path, list(every.values())
