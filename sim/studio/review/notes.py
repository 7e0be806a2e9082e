"""Finding what a reviewer may touch, saving comments, rating overrides and feedback, and their
public shapes. Out of scope answers 404, exactly like an id that does not exist."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scoring.types import DIMENSIONS
from sim.errors import Conflict, Forbidden, NotFound
from sim.models import PracticeSession, Role, Turn, TurnStatus, User, utcnow
from sim.models.common import as_utc
from sim.studio.review.models import (
    AiRating,
    CommentCreate,
    CommentPublic,
    FeedbackPublic,
    OverrideCreate,
    OverridePublic,
    RatingOverride,
    ReviewComment,
    SessionFeedback,
)
from sim.studio.review.records import ai_rating, names
from sim.studio.scope import in_scope


def review_session(db: Session, viewer: User, session_id: int) -> PracticeSession:
    """A session the reviewer may review (its owner is in their scope); 404 otherwise."""
    ps = db.get(PracticeSession, session_id)
    if ps is None or not in_scope(db, viewer, ps.user_id):
        raise NotFound(f"No practice session {session_id} among the sessions you review.")
    return ps


def review_turn(db: Session, viewer: User, turn_id: int) -> tuple[Turn, PracticeSession]:
    turn = db.get(Turn, turn_id)
    ps = db.get(PracticeSession, turn.session_id) if turn is not None else None
    if turn is None or ps is None or not in_scope(db, viewer, ps.user_id):
        raise NotFound(f"No turn {turn_id} among the sessions you review.")
    return turn, ps


def feedback_session(db: Session, viewer: User, session_id: int) -> PracticeSession:
    """The owner reads the feedback on their session; so do the reviewers in scope."""
    ps = db.get(PracticeSession, session_id)
    if ps is None or (ps.user_id != viewer.id and not in_scope(db, viewer, ps.user_id)):
        raise NotFound(f"No practice session {session_id}.")
    return ps


def own_or_admin(viewer: User, author_id: int, what: str) -> None:
    if author_id != viewer.id and viewer.role != Role.ADMIN:
        raise Forbidden(f"Only the instructor who wrote this {what} (or an administrator) can "
                        "delete it.")


def add_comment(db: Session, viewer: User, turn: Turn, body: CommentCreate) -> ReviewComment:
    row = ReviewComment(turn_id=turn.id or 0, session_id=turn.session_id,
                        author_id=viewer.id or 0, text=body.text, shared=body.shared)
    db.add(row)
    db.flush()
    return row


def save_override(db: Session, viewer: User, turn: Turn, ps: PracticeSession,
                  body: OverrideCreate) -> RatingOverride:
    """The reviewer's verdict on one turn's AI rating (one per reviewer and turn; saving
    again replaces it). The AI's rating is copied in as it stands now."""
    if turn.status != TurnStatus.COMPLETE or not turn.score:
        raise Conflict(f"Turn {turn.index} has no AI rating to agree or disagree with (it "
                       f"{'failed' if turn.status == TurnStatus.FAILED else 'is still running'}).",
                       code="not_scored")
    ai_dims, ai_codes = ai_rating(turn.score)
    verdicts = body.dimensions.model_dump()
    final = {d: ai_dims[d]["present"] if verdicts[d] == "agree" else verdicts[d] == "present"
             for d in DIMENSIONS}
    values: dict[str, Any] = {"ai_dimensions": ai_dims, "ai_codes": ai_codes, "dimensions": final,
              "codes": [c.value for c in body.codes], "note": body.note,
              "scorer_version": f"{ps.scorer} {ps.scorer_version}"[:80], "updated_at": utcnow()}
    for attempt in (1, 2):
        row = db.exec(select(RatingOverride).where(RatingOverride.turn_id == turn.id,
                                                   RatingOverride.reviewer_id == viewer.id)
                      ).first()
        try:
            with db.begin_nested():
                if row is None:
                    row = RatingOverride(turn_id=turn.id or 0, session_id=ps.id or 0,
                                         reviewer_id=viewer.id or 0, **values)
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
                db.add(row)
            return row
        except IntegrityError:  # the same reviewer saved twice at once: update the winner
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def add_feedback(db: Session, viewer: User, ps: PracticeSession, text: str) -> SessionFeedback:
    row = SessionFeedback(session_id=ps.id or 0, author_id=viewer.id or 0, text=text)
    db.add(row)
    db.flush()
    return row


def comment_public(row: ReviewComment, index: int, author: str) -> CommentPublic:
    return CommentPublic(id=row.id or 0, turn_id=row.turn_id, turn_index=index,
                         author_id=row.author_id, author_name=author, text=row.text,
                         shared=row.shared, created_at=as_utc(row.created_at))


def override_public(row: RatingOverride, index: int, reviewer: str) -> OverridePublic:
    ai_codes, codes = set(row.ai_codes), set(row.codes)
    return OverridePublic(
        id=row.id or 0, turn_id=row.turn_id, turn_index=index, reviewer_id=row.reviewer_id,
        reviewer_name=reviewer, ai=AiRating(dimensions=row.ai_dimensions, codes=row.ai_codes),
        dimensions=row.dimensions, codes=row.codes,
        agreed_dimensions={d: bool(row.ai_dimensions.get(d, {}).get("present"))
                           == bool(row.dimensions.get(d)) for d in DIMENSIONS},
        agreed_codes={c: (c in ai_codes) == (c in codes) for c in sorted(ai_codes | codes)},
        changed=changed(row), note=row.note, updated_at=as_utc(row.updated_at))


def changed(row: RatingOverride) -> bool:
    """True when the instructor's view differs from the AI's anywhere."""
    return set(row.ai_codes) != set(row.codes) or any(
        bool(row.ai_dimensions.get(d, {}).get("present")) != bool(row.dimensions.get(d))
        for d in DIMENSIONS)


def feedback_public(row: SessionFeedback, author: str) -> FeedbackPublic:
    return FeedbackPublic(id=row.id or 0, author_id=row.author_id, author_name=author,
                          text=row.text, created_at=as_utc(row.created_at))


def session_notes(db: Session, session_id: int, indexes: dict[int, int], shared_only: bool
                  ) -> tuple[list[CommentPublic], list[OverridePublic], list[FeedbackPublic]]:
    """Comments, overrides and feedback of one session (the trainee's view: shared comments and
    feedback only, no overrides)."""
    stmt = select(ReviewComment).where(ReviewComment.session_id == session_id)
    if shared_only:
        stmt = stmt.where(col(ReviewComment.shared))
    comments = list(db.exec(stmt.order_by(col(ReviewComment.id))))
    overrides = [] if shared_only else list(db.exec(
        select(RatingOverride).where(RatingOverride.session_id == session_id)
        .order_by(col(RatingOverride.id))))
    feedback = list(db.exec(select(SessionFeedback).where(SessionFeedback.session_id ==
                                                          session_id)
                            .order_by(col(SessionFeedback.id))))
    who = names(db, {c.author_id for c in comments} | {o.reviewer_id for o in overrides}
                | {f.author_id for f in feedback})
    return ([comment_public(c, indexes.get(c.turn_id, 0), who.get(c.author_id, "?"))
             for c in comments],
            [override_public(o, indexes.get(o.turn_id, 0), who.get(o.reviewer_id, "?"))
             for o in overrides],
            [feedback_public(f, who.get(f.author_id, "?")) for f in feedback])
