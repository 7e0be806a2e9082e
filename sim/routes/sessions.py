"""Practice sessions: start with a persona, list, reopen (with branches), end."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import update
from sqlmodel import Session, col, select

from sim.deps import CurrentUser, IdPath, RuntimeDep, SessionDep, SettingsDep, SharedDep
from sim.errors import Conflict, NotFound, responses
from sim.models import (
    PracticeSession,
    SessionCreate,
    SessionPublic,
    SessionStatus,
    Turn,
    TurnPublic,
    TurnStatus,
    User,
    utcnow,
)
from sim.records import hidden, path_to, session_turns
from sim.recovery import recover, stale
from sim.routes.access import (
    branches,
    can_review,
    owned_session,
    readable_session,
    session_public,
    turn_public,
)
from sim.routes.summary import SessionSummary, session_summaries
from sim.studio.scope import reviewable_owners

router = APIRouter(prefix="/api/sessions", tags=["sessions"])


class Branch(BaseModel):
    head_turn_id: int
    turn_ids: list[int]
    label: str


class SessionDetail(SessionPublic):
    turns: list[TurnPublic]
    branches: list[Branch]
    branch_turns: list[TurnPublic] = Field(
        default_factory=list,
        description="Turns that are not on the active branch (earlier branches of a rewind and "
        "failed attempts), oldest first, so a client can show branches side by side.")


@router.post("", status_code=201, response_model=SessionPublic,
             responses=responses(401, 403, 404, 422, 429))
def start_session(body: SessionCreate, user: CurrentUser, db: SessionDep, runtime: RuntimeDep,
                  settings: SettingsDep, shared: SharedDep) -> SessionPublic:
    """Records the persona id+version, voice, model and scorer so the attempt is reproducible."""
    persona = runtime.catalog.current(db, body.persona_id)  # the published version
    if persona is None:
        raise NotFound(f"No published persona {body.persona_id!r}; GET /api/personas lists them.",
                       field="persona_id")
    shared.limits.hit(db, f"session:user:{user.id}", settings.rate_limit_per_minute)
    state, line = runtime.runner(persona).opening()
    ps = PracticeSession(
        user_id=user.id or 0, persona_id=persona.id, persona_version=persona.version,
        # bounded columns: a very long title or model name is cut, never a database error
        persona_title=persona.title[:200], mode=body.mode, voice=runtime.voice_name[:40],
        model=runtime.model[:120] if runtime.model else None,
        scorer=runtime.scorer_name[:40], scorer_version=runtime.scorer_version[:40],
        scorer_settings=runtime.scorer_settings, opening_line=line,
        opening_state=state.model_dump(mode="json"),
    )
    db.add(ps)
    db.flush()
    return session_public(ps, {})


def visible_sessions(db: Session, user: User, user_id: int | None, limit: int = 100,
                     offset: int = 0) -> list[PracticeSession]:
    stmt = (select(PracticeSession).where(col(PracticeSession.test_drive).is_(False))
            .order_by(col(PracticeSession.id).desc()).limit(limit).offset(offset))
    if not can_review(user):
        stmt = stmt.where(PracticeSession.user_id == user.id)
    else:
        owners = reviewable_owners(db, user)  # the reviewer's scope (sim/studio/scope.py)
        if owners is not None:
            stmt = stmt.where(col(PracticeSession.user_id).in_(owners)
                              | (col(PracticeSession.user_id) == user.id))
        if user_id is not None:
            stmt = stmt.where(PracticeSession.user_id == user_id)
    return list(db.exec(stmt))


@router.get("", response_model=list[SessionSummary], responses=responses(401, 422))
def list_sessions(user: CurrentUser, db: SessionDep, runtime: RuntimeDep, shared: SharedDep,
                  user_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
                  limit: int = Query(default=100, ge=1, le=500),
                  offset: int = Query(default=0, ge=0, le=2**31 - 1)) -> list[SessionSummary]:
    """Own sessions; instructors also their trainees' and admins everyone's (optionally one
    user's). Newest first, paged with limit/offset. Studio test-drives are not listed."""
    return session_summaries(db, visible_sessions(db, user, user_id, limit, offset),
                             runtime.catalog, shared.cache)


def recovered_turns(db: Session, ps: PracticeSession) -> dict[int, Turn]:
    """The session's turns, after failing any orphan of a dead worker (sim/recovery.py): a
    pending turn whose lock is stale or gone shows as failed and retryable, never as `…`."""
    turns = session_turns(db, ps.id or 0)
    orphans = any(t.status == TurnStatus.PENDING for t in turns.values()) and (
        ps.lock_token is None or stale(ps.lock_token, ps.lock_until))
    if orphans or stale(ps.lock_token, ps.lock_until):
        recover(db.connection(), [ps.id or 0])
        db.commit()
        db.expire_all()  # the rows changed under the ORM (Core UPDATEs)
        turns = session_turns(db, ps.id or 0)
    return turns


def detail(db: Session, ps: PracticeSession) -> SessionDetail:
    turns = recovered_turns(db, ps)
    hide = hidden(ps)
    base: dict[str, Any] = session_public(ps, turns).model_dump()
    active = path_to(turns, ps.head_turn_id)
    on_path = {t.id for t in active}
    return SessionDetail(
        **base,
        turns=[turn_public(t, hide) for t in active],
        branches=[Branch(**b) for b in branches(turns)],
        branch_turns=[turn_public(t, hide) for t in turns.values() if t.id not in on_path],
    )


@router.get("/{session_id}", response_model=SessionDetail, responses=responses(401, 404))
def get_session(session_id: IdPath, user: CurrentUser, db: SessionDep) -> SessionDetail:
    return detail(db, readable_session(db, user, session_id))


@router.post("/{session_id}/end", response_model=SessionPublic,
             responses=responses(401, 403, 404, 409))
def end_practice(session_id: IdPath, user: CurrentUser, db: SessionDep) -> SessionPublic:
    """Ends the session (exam feedback becomes visible); refused while a turn is running (a live
    lock), not after its worker died (a stale one: that turn is failed first, text kept)."""
    ps = owned_session(db, user, session_id)
    if ps.status == SessionStatus.ENDED:
        raise Conflict("This session has already ended.", code="session_ended")
    if ps.lock_token is not None and not stale(ps.lock_token, ps.lock_until):
        raise Conflict("A turn is still in progress; wait for it to finish.",
                       code="turn_in_progress")
    turns = recovered_turns(db, ps)
    ended = update(PracticeSession).where(
        col(PracticeSession.id) == ps.id, col(PracticeSession.status) == SessionStatus.ACTIVE,
        col(PracticeSession.lock_token).is_(None)).values(
        status=SessionStatus.ENDED, ended_at=utcnow())
    if db.connection().execute(ended).rowcount != 1:  # a turn started in between
        raise Conflict("A turn is still in progress; wait for it to finish.",
                       code="turn_in_progress")
    db.commit()
    db.refresh(ps)
    return session_public(ps, turns)
