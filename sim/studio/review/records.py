"""Reading a session's records for review: the turn tree with every branch, the client line each
reply answered, and the AI's rating of a turn as the override snapshot keeps it.

Reads the session tables directly (the session records), not the trainee routes: a reviewer
sees every branch and, unlike the trainee in a live exam, the scores as they were stored.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from scoring.types import DIMENSIONS
from sim.models import PracticeSession, Turn, User

LEVELS = {"none": 0, "low": 1, "medium": 2, "high": 3}


def load_turns(db: Session, session_id: int) -> dict[int, Turn]:
    rows = db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.id)))
    return {t.id or 0: t for t in rows}


def path_ids(turns: dict[int, Turn], turn_id: int | None) -> list[int]:
    """Ids from the opening line down to turn_id, oldest first."""
    out: list[int] = []
    seen: set[int] = set()
    while turn_id is not None and turn_id in turns and turn_id not in seen:
        seen.add(turn_id)
        out.append(turn_id)
        turn_id = turns[turn_id].parent_id
    return out[::-1]


def branch_list(turns: dict[int, Turn], head: int | None) -> list[dict[str, Any]]:
    """Every leaf is one branch; the one holding the head is the active branch (listed first)."""
    parents = {t.parent_id for t in turns.values()}
    active = set(path_ids(turns, head))
    out = []
    for leaf_id in turns:
        if leaf_id in parents:
            continue
        ids = path_ids(turns, leaf_id)
        out.append({"head_turn_id": leaf_id, "turn_ids": ids, "active": leaf_id in active,
                    "label": f"{'Active branch' if leaf_id in active else 'Branch'}: "
                             f"{len(ids)} turn(s)"})
    out.sort(key=lambda b: (not b["active"], b["head_turn_id"]))
    return out


def context_of(ps: PracticeSession, turns: dict[int, Turn], turn: Turn) -> str:
    """The client line this reply answered: the parent turn's reply, or the opening line."""
    if turn.parent_id is None:
        return ps.opening_line
    parent = turns.get(turn.parent_id)
    return (parent.client_text or "") if parent is not None else ""


def ai_rating(score: dict[str, Any] | None) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The AI's four dimensions ({present, level 0-3}) and codes from a stored ReplyScore."""
    score = score or {}
    dims: dict[str, dict[str, Any]] = {}
    for dim in DIMENSIONS:
        raw = score.get(dim) or {}
        dims[dim] = {"present": bool(raw.get("present")),
                     "level": LEVELS.get(str(raw.get("level", "none")), 0)}
    codes = [str(c.get("code")) for c in score.get("codes", []) if c.get("code")]
    return dims, list(dict.fromkeys(codes))


def names(db: Session, ids: set[int]) -> dict[int, str]:
    """Display names for user ids (authors, reviewers, trainees)."""
    if not ids:
        return {}
    rows = db.exec(select(User.id, User.display_name).where(col(User.id).in_(ids)))
    return {uid: name for uid, name in rows if uid is not None}
