"""Review, writing side: per-turn comments, per-turn rating overrides (agree with each AI rating
and code, or give the right one, with a note) and feedback for the trainee."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlmodel import Session, select

from sim.deps import IdPath, ReviewerUser, SessionDep
from sim.errors import NotFound, responses
from sim.models import PracticeSession, User
from sim.studio.review.models import (
    CommentCreate,
    CommentPublic,
    FeedbackCreate,
    FeedbackPublic,
    OverrideCreate,
    OverridePublic,
    RatingOverride,
    ReviewComment,
    SessionFeedback,
)
from sim.studio.review.notes import (
    add_comment,
    add_feedback,
    comment_public,
    feedback_public,
    override_public,
    own_or_admin,
    review_session,
    review_turn,
    save_override,
)
from sim.studio.scope import in_scope

router = APIRouter(prefix="/api/review", tags=["review"])


@router.post("/turns/{turn_id}/comments", status_code=201, response_model=CommentPublic,
             responses=responses(401, 403, 404, 422))
def comment(turn_id: IdPath, body: CommentCreate, viewer: ReviewerUser, db: SessionDep
            ) -> CommentPublic:
    """A comment on one turn; `shared: true` shows it to the trainee on their report."""
    turn, _ = review_turn(db, viewer, turn_id)
    return comment_public(add_comment(db, viewer, turn, body), turn.index, viewer.display_name)


@router.delete("/comments/{comment_id}", status_code=204,
               responses=responses(401, 403, 404, 422))
def delete_comment(comment_id: IdPath, viewer: ReviewerUser, db: SessionDep) -> Response:
    row = db.get(ReviewComment, comment_id)
    if row is None or not _visible(db, viewer, row.session_id):
        raise NotFound(f"No comment {comment_id}.")
    own_or_admin(viewer, row.author_id, "comment")
    db.delete(row)
    return Response(status_code=204)


@router.put("/turns/{turn_id}/rating", response_model=OverridePublic,
            responses=responses(401, 403, 404, 409, 422))
def rate(turn_id: IdPath, body: OverrideCreate, viewer: ReviewerUser, db: SessionDep
         ) -> OverridePublic:
    """Your verdict on the AI's rating of this turn: for each dimension agree, present or
    absent; the codes the reply really shows; a note. Saving again replaces your verdict.
    409 `not_scored` for a turn that failed or is still running."""
    turn, ps = review_turn(db, viewer, turn_id)
    row = save_override(db, viewer, turn, ps, body)
    return override_public(row, turn.index, viewer.display_name)


@router.delete("/turns/{turn_id}/rating", status_code=204,
               responses=responses(401, 403, 404, 422))
def unrate(turn_id: IdPath, viewer: ReviewerUser, db: SessionDep) -> Response:
    """Withdraws your verdict on this turn (404 when you gave none)."""
    review_turn(db, viewer, turn_id)
    row = db.exec(select(RatingOverride).where(RatingOverride.turn_id == turn_id,
                                               RatingOverride.reviewer_id == viewer.id)).first()
    if row is None:
        raise NotFound(f"You have not rated turn {turn_id}.")
    db.delete(row)
    return Response(status_code=204)


@router.post("/sessions/{session_id}/feedback", status_code=201, response_model=FeedbackPublic,
             responses=responses(401, 403, 404, 422))
def feedback(session_id: IdPath, body: FeedbackCreate, viewer: ReviewerUser, db: SessionDep
             ) -> FeedbackPublic:
    """Feedback on the whole session; the trainee reads it on their report."""
    ps = review_session(db, viewer, session_id)
    return feedback_public(add_feedback(db, viewer, ps, body.text), viewer.display_name)


@router.delete("/feedback/{feedback_id}", status_code=204,
               responses=responses(401, 403, 404, 422))
def delete_feedback(feedback_id: IdPath, viewer: ReviewerUser, db: SessionDep) -> Response:
    row = db.get(SessionFeedback, feedback_id)
    if row is None or not _visible(db, viewer, row.session_id):
        raise NotFound(f"No feedback {feedback_id}.")
    own_or_admin(viewer, row.author_id, "feedback")
    db.delete(row)
    return Response(status_code=204)


def _visible(db: Session, viewer: User, session_id: int) -> bool:
    """Out of scope is a 404, like an id that does not exist."""
    ps = db.get(PracticeSession, session_id)
    return ps is not None and in_scope(db, viewer, ps.user_id)
