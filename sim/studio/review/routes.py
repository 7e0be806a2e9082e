"""Review, reading side: trainees in scope, their sessions with filters, one session with every
branch and everything reviewers added, and the feedback a trainee reads on their report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query
from sqlmodel import Field, SQLModel

from scoring.types import Code
from sim.deps import CurrentUser, IdPath, ReviewerUser, SessionDep
from sim.errors import Invalid, responses
from sim.models import SessionMode, SessionStatus, TurnStatus, User
from sim.models.common import as_utc
from sim.studio.review import listing
from sim.studio.review.models import (
    CommentPublic,
    FeedbackPublic,
    OverridePublic,
    TraineeFeedback,
)
from sim.studio.review.notes import feedback_session, review_session, session_notes
from sim.studio.review.records import branch_list, context_of, load_turns, path_ids

router = APIRouter(prefix="/api/review", tags=["review"])


class ReviewTurn(SQLModel):
    id: int
    index: int
    parent_id: int | None
    status: TurnStatus
    trainee_text: str
    client_text: str | None
    context: str = Field(description="the client line this reply answered")
    voice: str | None
    fallback_notice: str | None
    error: str | None
    created_at: datetime
    score: dict[str, Any] | None
    state: dict[str, Any] | None
    changes: list[dict[str, Any]]
    active: bool = Field(description="on the active branch (the trainee's last path)")


class ReviewBranch(SQLModel):
    head_turn_id: int
    turn_ids: list[int]
    active: bool
    label: str


class ReviewSessionDetail(SQLModel):
    id: int
    user_id: int
    trainee_name: str
    trainee_email: str
    persona_id: str
    persona_version: int
    persona_title: str
    mode: SessionMode
    status: SessionStatus
    voice: str
    model: str | None
    scorer: str
    scorer_version: str
    created_at: datetime
    ended_at: datetime | None
    opening_line: str
    opening_state: dict[str, Any]
    head_turn_id: int | None
    turns: list[ReviewTurn] = Field(description="every turn of every branch, oldest first")
    branches: list[ReviewBranch]
    comments: list[CommentPublic]
    overrides: list[OverridePublic]
    feedback: list[FeedbackPublic]
    codes: list[str] = Field(description="every behaviour code a rating may use")


@router.get("/trainees", response_model=list[listing.TraineeRow],
            responses=responses(401, 403, 422))
def trainees(viewer: ReviewerUser, db: SessionDep,
             q: str | None = Query(default=None, max_length=200,
                                   description="part of a name or email")
             ) -> list[listing.TraineeRow]:
    """The trainees you review, with their number of sessions and how many were reviewed."""
    return listing.list_trainees(db, viewer, q)


@router.get("/sessions", response_model=listing.SessionPage, responses=responses(401, 403, 422))
def sessions(viewer: ReviewerUser, db: SessionDep,
             user_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
             persona_id: str | None = Query(default=None, max_length=64),
             mode: SessionMode | None = None, status: SessionStatus | None = None,
             outcome: listing.Outcome | None = Query(default=None, description=(
                 "how the active branch left the client: rupture, improved (resistance down "
                 "by 0.05 or more), worsened (up by 0.05 or more), unchanged, no_replies")),
             since: date | None = Query(default=None, description="started on or after (UTC)"),
             until: date | None = Query(default=None, description="started on or before (UTC)"),
             limit: int = Query(default=50, ge=1, le=500),
             offset: int = Query(default=0, ge=0, le=2**31 - 1)) -> listing.SessionPage:
    """Sessions of the trainees you review, newest first, with filters and paging."""
    if since is not None and until is not None and since > until:
        raise Invalid(f"until ({until}) is before since ({since}); give a range that runs "
                      "forwards", field="until")
    return listing.list_sessions(db, viewer, user_id=user_id, persona_id=persona_id, mode=mode,
                                 status=status, outcome=outcome, since=since, until=until,
                                 limit=limit, offset=offset)


@router.get("/sessions/{session_id}", response_model=ReviewSessionDetail,
            responses=responses(401, 403, 404, 422))
def session_detail(session_id: IdPath, viewer: ReviewerUser, db: SessionDep
                   ) -> ReviewSessionDetail:
    """One session read-only: every branch, every score, and every reviewer's notes."""
    ps = review_session(db, viewer, session_id)
    turns = load_turns(db, session_id)
    active = set(path_ids(turns, ps.head_turn_id))
    comments, overrides, feedback = session_notes(
        db, session_id, {i: t.index for i, t in turns.items()}, shared_only=False)
    user = db.get(User, ps.user_id)
    return ReviewSessionDetail(
        id=ps.id or 0, user_id=ps.user_id, trainee_name=user.display_name if user else "?",
        trainee_email=user.email if user else "", persona_id=ps.persona_id,
        persona_version=ps.persona_version, persona_title=ps.persona_title, mode=ps.mode,
        status=ps.status, voice=ps.voice, model=ps.model, scorer=ps.scorer,
        scorer_version=ps.scorer_version, created_at=as_utc(ps.created_at),
        ended_at=as_utc(ps.ended_at) if ps.ended_at else None, opening_line=ps.opening_line,
        opening_state=ps.opening_state, head_turn_id=ps.head_turn_id,
        turns=[ReviewTurn(
            id=i, index=t.index, parent_id=t.parent_id, status=t.status,
            trainee_text=t.trainee_text, client_text=t.client_text,
            context=context_of(ps, turns, t), voice=t.voice, fallback_notice=t.fallback_notice,
            error=t.error, created_at=as_utc(t.created_at), score=t.score, state=t.state,
            changes=t.changes or [], active=i in active) for i, t in turns.items()],
        branches=[ReviewBranch(**b) for b in branch_list(turns, ps.head_turn_id)],
        comments=comments, overrides=overrides, feedback=feedback,
        codes=[c.value for c in Code])


@router.get("/sessions/{session_id}/feedback", response_model=TraineeFeedback,
            responses=responses(401, 404, 422))
def session_feedback(session_id: IdPath, viewer: CurrentUser, db: SessionDep
                     ) -> TraineeFeedback:
    """What the trainee reads on their report: the session feedback and the comments an
    instructor shared. The owner and the reviewers in scope may read it."""
    ps = feedback_session(db, viewer, session_id)
    indexes = {i: t.index for i, t in load_turns(db, ps.id or 0).items()}
    comments, _, feedback = session_notes(db, ps.id or 0, indexes, shared_only=True)
    return TraineeFeedback(feedback=feedback, comments=comments)
