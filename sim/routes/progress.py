"""A trainee's own progress: their sessions, ended first, newest first (studio test-drives are
not practice and never count)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from sim.deps import CurrentUser, RuntimeDep, SessionDep
from sim.errors import responses
from sim.models import PracticeSession
from sim.routes.summary import SessionSummary, session_summary

router = APIRouter(prefix="/api/me", tags=["progress"])


@router.get("/progress", response_model=list[SessionSummary], responses=responses(401))
def my_progress(user: CurrentUser, db: SessionDep, runtime: RuntimeDep) -> list[SessionSummary]:
    rows = db.exec(select(PracticeSession).where(PracticeSession.user_id == user.id,
                                                 col(PracticeSession.test_drive).is_(False))
                   .order_by(col(PracticeSession.id).desc()))
    items = []
    for ps in rows:
        persona = runtime.catalog.pinned(db, ps.persona_id, ps.persona_version)
        items.append(session_summary(db, ps, persona))
    items.sort(key=lambda s: s.status != "ended")  # stable: keeps newest-first within groups
    return items
