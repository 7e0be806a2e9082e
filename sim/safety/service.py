"""Which turns carry a flag, read from the changes the engine stored with each turn.

A flag is a StateChange with quantity 'flag' (abuse, unkeepable_promise) or a 'risk' change for
a hint left unanswered or a leading question about risk. The query narrows by text first (the
stored JSON contains the flag's name), then each candidate's changes are read exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from sim.models import PracticeSession, Turn, TurnStatus, User
from sim.models.common import as_utc
from sim.reports.safety import FLAG_TEXT
from sim.reports.wording import excerpt

MARKERS = ('"flag"', "risk_ignored", "leading")


class FlaggedTurn(BaseModel):
    session_id: int
    turn_id: int
    turn_index: int
    created_at: datetime | None
    trainee: str
    persona_title: str
    kinds: list[str]
    notes: list[str]
    reply: str


def kinds_of(changes: list[dict[str, Any]] | None) -> list[str]:
    """The flag kinds in one turn's stored changes, in order, without repeats."""
    found: list[str] = []
    for change in changes or []:
        quantity, move = change.get("quantity"), change.get("move")
        kind = None
        if quantity == "flag" and move in FLAG_TEXT:
            kind = move
        elif quantity == "risk" and move == "risk_ignored":
            kind = "risk_ignored"
        elif quantity == "risk" and move == "risk_asked" and "leading" in str(change.get("reason")):
            kind = "risk_asked_unkindly"
        if kind and kind not in found:
            found.append(kind)
    return found


def flagged_turns(db: Session, limit: int = 100,
                  owners: SelectOfScalar[Any] | None = None) -> list[FlaggedTurn]:
    """The most recent flagged turns, newest first: of the sessions owned by `owners` (the
    viewer's review scope, sim/studio/scope.py), or of every session when None. Studio
    test-drives are not trainees' work and are left out."""
    text = cast(col(Turn.changes), String)
    stmt = (
        select(Turn, PracticeSession, User)
        .join(PracticeSession, col(PracticeSession.id) == col(Turn.session_id))
        .join(User, col(User.id) == col(PracticeSession.user_id))
        .where(col(Turn.status) == TurnStatus.COMPLETE,
               col(PracticeSession.test_drive).is_(False),
               or_(*(text.contains(marker) for marker in MARKERS)))
        .order_by(col(Turn.id).desc())
        .limit(limit * 2))
    if owners is not None:
        stmt = stmt.where(col(PracticeSession.user_id).in_(owners))
    rows = db.exec(stmt).all()
    out: list[FlaggedTurn] = []
    for turn, ps, user in rows:
        kinds = kinds_of(turn.changes)
        if not kinds:
            continue
        out.append(FlaggedTurn(
            session_id=ps.id or 0, turn_id=turn.id or 0, turn_index=turn.index,
            created_at=as_utc(turn.created_at) if turn.created_at else None,
            trainee=user.display_name, persona_title=ps.persona_title, kinds=kinds,
            notes=[FLAG_TEXT[k] for k in kinds], reply=excerpt(turn.trainee_text)))
        if len(out) >= limit:
            break
    return out
