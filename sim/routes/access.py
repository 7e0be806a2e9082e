"""Object-level access and the public shapes of sessions and turns.

A trainee sees only their own sessions (anyone else's is a 404, so ids leak nothing);
instructors read their trainees' sessions and admins every session (the rule is
sim/studio/scope.py), but only the owner may act in one.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from sim.errors import Forbidden, NotFound
from sim.models import (
    PracticeSession,
    SessionPublic,
    Turn,
    TurnPublic,
    User,
)
from sim.models.common import as_utc
from sim.records import hidden, path_to
from sim.studio.scope import is_reviewer, may_review


def can_review(user: User) -> bool:
    return is_reviewer(user)


def readable_session(db: Session, user: User, session_id: int) -> PracticeSession:
    """The session if this user may read it (own, or in their review scope); 404 otherwise
    (same answer as 'no such id')."""
    ps = db.get(PracticeSession, session_id)
    if ps is None or (ps.user_id != user.id and not may_review(db, user, ps.user_id)):
        raise NotFound(f"No practice session {session_id}.")
    return ps


def owned_session(db: Session, user: User, session_id: int) -> PracticeSession:
    """The session if this user owns it: reviewers get 403, strangers 404."""
    ps = readable_session(db, user, session_id)
    if ps.user_id != user.id:
        raise Forbidden("Only the trainee who owns this session can act in it; you can review it.")
    return ps


def turn_public(turn: Turn, hide: bool) -> TurnPublic:
    return TurnPublic(
        id=turn.id or 0,
        index=turn.index,
        parent_id=turn.parent_id,
        status=turn.status,
        trainee_text=turn.trainee_text,
        client_text=turn.client_text,
        voice=turn.voice,
        fallback_notice=turn.fallback_notice,
        error=turn.error,
        created_at=as_utc(turn.created_at),
        score=None if hide else turn.score,
        state=None if hide else turn.state,
        changes=[] if hide else (turn.changes or []),
        disclosed_now=turn.disclosed_now or [],
    )


def current_state(ps: PracticeSession, turns: dict[int, Turn]) -> dict[str, Any]:
    """State after the last complete turn on the active branch (or the opening state)."""
    for turn in reversed(path_to(turns, ps.head_turn_id)):
        if turn.status == "complete" and turn.state is not None:
            return turn.state
    return ps.opening_state


def session_public(ps: PracticeSession, turns: dict[int, Turn] | None = None) -> SessionPublic:
    state = None if hidden(ps) else current_state(ps, turns or {})
    return SessionPublic.model_validate(ps, update={
        "id": ps.id or 0, "state": state, "created_at": as_utc(ps.created_at),
        "ended_at": as_utc(ps.ended_at) if ps.ended_at else None})


def branches(turns: dict[int, Turn]) -> list[dict[str, Any]]:
    """Every leaf of the turn tree is one branch: its path and a short label."""
    parents = {t.parent_id for t in turns.values()}
    out = []
    for leaf_id, leaf in turns.items():
        if leaf_id in parents:
            continue
        ids = [t.id for t in path_to(turns, leaf_id)]
        snippet = leaf.trainee_text[:40] + ("…" if len(leaf.trainee_text) > 40 else "")
        out.append({"head_turn_id": leaf_id, "turn_ids": ids,
                    "label": f"{len(ids)} turn(s), last: {snippet}"})
    return out
