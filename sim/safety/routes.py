"""GET /api/flags: flagged turns across every session, for instructors and administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sim.deps import ReviewerUser, SessionDep
from sim.errors import responses
from sim.safety.service import FlaggedTurn, flagged_turns
from sim.studio.scope import reviewable_owners

router = APIRouter(prefix="/api/flags", tags=["safety"])


@router.get("", response_model=list[FlaggedTurn], responses=responses(401, 403, 422))
def list_flags(user: ReviewerUser, db: SessionDep,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[FlaggedTurn]:
    """Turns flagged for review (abuse or contempt toward the client, a promise nobody can
    keep, a hint at risk left unanswered, risk asked about in a leading way), newest first;
    an instructor sees only the trainees they review (sim/studio/scope.py)."""
    return flagged_turns(db, limit, reviewable_owners(db, user))
