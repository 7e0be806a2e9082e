"""A trainee's own progress: their sessions, ended first, newest first (studio test-drives are
not practice and never count)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from sim.deps import CurrentUser, RuntimeDep, SessionDep, SharedDep
from sim.errors import responses
from sim.models import PracticeSession
from sim.routes.summary import SessionSummary, session_summaries

router = APIRouter(prefix="/api/me", tags=["progress"])


@router.get("/progress", response_model=list[SessionSummary], responses=responses(401))
def my_progress(user: CurrentUser, db: SessionDep, runtime: RuntimeDep,
                shared: SharedDep) -> list[SessionSummary]:
    rows = list(db.exec(select(PracticeSession).where(PracticeSession.user_id == user.id,
                                                      col(PracticeSession.test_drive).is_(False))
                        .order_by(col(PracticeSession.id).desc())))
    items = session_summaries(db, rows, runtime.catalog, shared.cache)
    items.sort(key=lambda s: s.status != "ended")  # stable: keeps newest-first within groups
    return items
