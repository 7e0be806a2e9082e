"""Agreement between the AI and the instructors (Cohen's kappa per dimension and per code) and
the export of the overrides as training items for the scorer (docs/REVIEW.md)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from sqlmodel import Field, Session, SQLModel, col, select

from scoring.types import DIMENSIONS, Code
from sim.deps import ReviewerUser, SessionDep
from sim.errors import responses
from sim.models import PracticeSession, Turn, User
from sim.studio.review.agreement import KappaRow, row
from sim.studio.review.export import jsonl, training_record
from sim.studio.review.models import RatingOverride
from sim.studio.review.notes import changed
from sim.studio.scope import reviewable_owners

router = APIRouter(prefix="/api/review", tags=["review"])

METHOD = ("Cohen's kappa between the AI (present/absent) and the instructor's final verdict, "
          "one pair per rated turn; 95% interval = kappa +/- 1.96 x the large-sample standard "
          "error of Fleiss, Cohen and Everitt (1969).")


class Agreement(SQLModel):
    overrides: int = Field(description="rated turns (one per reviewer and turn)")
    changed: int = Field(description="of which the instructor changed something")
    reviewers: int
    method: str
    dimensions: list[KappaRow]
    codes: list[KappaRow] = Field(description="every code the AI or an instructor used")


def scoped_overrides(db: Session, viewer: User, reviewer_id: int | None
                     ) -> list[RatingOverride]:
    """Overrides on sessions of the trainees in the viewer's scope, oldest first."""
    stmt = (select(RatingOverride)
            .join(PracticeSession, col(PracticeSession.id) == RatingOverride.session_id)
            .order_by(col(RatingOverride.id)))
    owners = reviewable_owners(db, viewer)
    if owners is not None:
        stmt = stmt.where(col(PracticeSession.user_id).in_(owners))
    if reviewer_id is not None:
        stmt = stmt.where(RatingOverride.reviewer_id == reviewer_id)
    return list(db.exec(stmt))


ReviewerFilter = Query(default=None, ge=1, le=2**31 - 1,
                       description="only this reviewer's overrides")


@router.get("/agreement", response_model=Agreement, responses=responses(401, 403, 422))
def agreement(viewer: ReviewerUser, db: SessionDep, reviewer_id: int | None = ReviewerFilter
              ) -> Agreement:
    """Kappa, counts and 95% intervals per dimension and per code, over the rated turns of the
    trainees you review."""
    rows = scoped_overrides(db, viewer, reviewer_id)
    dims = [row(d, [(bool(o.ai_dimensions.get(d, {}).get("present")), bool(o.dimensions.get(d)))
                    for o in rows]) for d in DIMENSIONS]
    used = {c for o in rows for c in (*o.ai_codes, *o.codes)}
    codes = [row(c.value, [(c.value in o.ai_codes, c.value in o.codes) for o in rows])
             for c in Code if c.value in used]
    return Agreement(overrides=len(rows), changed=sum(changed(o) for o in rows),
                     reviewers=len({o.reviewer_id for o in rows}), method=METHOD,
                     dimensions=dims, codes=codes)


@router.get("/overrides.jsonl", response_class=Response,
            responses={200: {"description": "JSON lines, one training item per override",
                             "content": {"application/x-ndjson": {}}},
                       **responses(401, 403, 422)})
def export_overrides(viewer: ReviewerUser, db: SessionDep,
                     reviewer_id: int | None = ReviewerFilter,
                     changed_only: bool = Query(default=False, description=(
                         "only overrides where the instructor changed the AI's rating"))
                     ) -> Response:
    """The overrides as the scorer's training items (`python -m scoring.training.build
    --extra FILE.jsonl`): {id, context, reply, codes, validation..process_comment 0-3,
    source, note}."""
    rows = [o for o in scoped_overrides(db, viewer, reviewer_id) if changed(o) or not changed_only]
    turns = _turns(db, {o.turn_id for o in rows})
    parents = _turns(db, {t.parent_id for t in turns.values() if t.parent_id})
    sessions = {ps.id or 0: ps for ps in db.exec(select(PracticeSession).where(
        col(PracticeSession.id).in_({o.session_id for o in rows})))} if rows else {}
    records = []
    for o in rows:
        turn = turns[o.turn_id]
        parent = parents.get(turn.parent_id or 0)
        context = (parent.client_text or "") if parent else sessions[o.session_id].opening_line
        records.append(training_record(o.id or 0, context, turn.trainee_text, o.ai_dimensions,
                                       o.dimensions, o.codes, o.note))
    return Response(jsonl(records), media_type="application/x-ndjson; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="overrides.jsonl"',
        "X-Content-Type-Options": "nosniff"})


def _turns(db: Session, ids: set[int]) -> dict[int, Turn]:
    if not ids:
        return {}
    return {t.id or 0: t for t in db.exec(select(Turn).where(col(Turn.id).in_(ids)))}
