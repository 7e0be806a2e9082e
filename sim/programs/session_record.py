"""The session record as the report builder takes it, read here from the session tables (the
wing reads session records; it does not import the trainee routes: tests/test_layers.py). The
same reading as sim/routes/reports.every_record: the meta, the kept branch, every turn."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sim.models import PracticeSession, SessionMode, SessionStatus, Turn, User
from sim.reports.inputs import SessionMeta, TurnRecord


def _path(turns: dict[int, Turn], turn_id: int | None) -> list[Turn]:
    path: list[Turn] = []
    seen: set[int] = set()
    while turn_id is not None and turn_id in turns and turn_id not in seen:
        seen.add(turn_id)
        path.append(turns[turn_id])
        turn_id = turns[turn_id].parent_id
    return path[::-1]


def every_record(db: Session, ps: PracticeSession
                 ) -> tuple[SessionMeta, list[TurnRecord], list[TurnRecord]]:
    """SessionMeta, the kept branch and every turn (all branches, failed turns included);
    feedback hidden while an exam is still running."""
    turns = {t.id or 0: t for t in db.exec(select(Turn).where(Turn.session_id == ps.id)
                                           .order_by(col(Turn.id)))}
    owner = db.get(User, ps.user_id)
    meta = SessionMeta.model_validate({
        "id": ps.id or 0, "persona_id": ps.persona_id, "persona_version": ps.persona_version,
        "persona_title": ps.persona_title, "mode": str(ps.mode), "voice": ps.voice,
        "model": ps.model, "scorer": ps.scorer, "scorer_version": ps.scorer_version,
        "trainee": owner.display_name if owner else "unknown", "created_at": ps.created_at,
        "ended_at": ps.ended_at, "opening_line": ps.opening_line,
        "initial_state": ps.opening_state})
    hide = ps.mode == SessionMode.EXAM and ps.status == SessionStatus.ACTIVE
    every = {t.id or 0: TurnRecord.model_validate({
        "index": t.index, "id": t.id or 0, "parent_id": t.parent_id, "status": str(t.status),
        "trainee_text": t.trainee_text, "client_text": t.client_text, "voice": t.voice,
        "fallback_notice": t.fallback_notice, "error": t.error, "created_at": t.created_at,
        "score": None if hide else t.score, "state": None if hide else t.state,
        "changes": [] if hide else (t.changes or [])})
        for t in turns.values()}
    path = [every[t.id or 0] for t in _path(turns, ps.head_turn_id)]
    return meta, path, list(every.values())
