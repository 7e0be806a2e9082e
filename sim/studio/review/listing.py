"""The reviewer's lists: trainees in scope with their activity, and sessions with filters
(trainee, persona, mode, status, date, outcome). Scope comes from sim/studio/scope.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import case, func
from sqlmodel import Field, Session, SQLModel, col, or_, select

from sim.models import PracticeSession, Role, SessionMode, SessionStatus, Turn, User
from sim.models.common import as_utc
from sim.studio.review.models import RatingOverride, ReviewComment, SessionFeedback
from sim.studio.review.records import load_turns, path_ids
from sim.studio.scope import reviewable_owners

Outcome = Literal["no_replies", "improved", "unchanged", "worsened", "rupture"]
MOVED = 0.05  # resistance change that counts as improved or worsened


class TraineeRow(SQLModel):
    id: int
    display_name: str
    email: str
    role: Role
    active: bool
    sessions: int
    ended: int
    reviewed: int = Field(description="sessions with a comment, rating or feedback")
    last_session_at: datetime | None


class ReviewSessionRow(SQLModel):
    id: int
    user_id: int
    trainee_name: str
    trainee_email: str
    persona_id: str
    persona_version: int
    persona_title: str
    mode: SessionMode
    status: SessionStatus
    created_at: datetime
    ended_at: datetime | None
    turns: int = Field(description="turns on the active branch")
    branches: int
    opening_resistance: float | None
    final_resistance: float | None
    final_alliance: float | None
    outcome: Outcome
    ratings: int = Field(description="rating overrides on this session, every reviewer")
    comments: int
    feedback: int


class SessionPage(SQLModel):
    total: int
    items: list[ReviewSessionRow]


def outcome_of(opening: dict[str, Any], final: dict[str, Any] | None) -> Outcome:
    """How the active branch left the client: ended in a rupture, resistance down, up, or flat."""
    if final is None:
        return "no_replies"
    if final.get("rupture"):
        return "rupture"
    delta = float(final.get("resistance", 0.0)) - float(opening.get("resistance", 0.0))
    if delta <= -MOVED:
        return "improved"
    if delta >= MOVED:
        return "worsened"
    return "unchanged"


def _final_state(db: Session, ps: PracticeSession, head_state: Mapping[str, Any] | None
                 ) -> tuple[dict[str, Any] | None, int]:
    """State after the last complete turn of the active branch, and that branch's length.
    A complete head answers (its state counts the turns of its branch); a failed head walks
    the tree."""
    if head_state is not None:
        return dict(head_state), int(head_state.get("turn") or 0)
    if ps.head_turn_id is None:
        return None, 0
    turns = load_turns(db, ps.id or 0)
    path = [turns[i] for i in path_ids(turns, ps.head_turn_id)]
    done = [t for t in path if t.status == "complete" and t.state is not None]
    return (done[-1].state if done else None), len(done)


def list_sessions(db: Session, viewer: User, *, user_id: int | None = None,
                  persona_id: str | None = None, mode: SessionMode | None = None,
                  status: SessionStatus | None = None, outcome: Outcome | None = None,
                  since: date | None = None, until: date | None = None,
                  limit: int = 50, offset: int = 0) -> SessionPage:
    """Sessions of the trainees in the viewer's scope, newest first, filtered and paged."""
    stmt = (select(PracticeSession, User.display_name, User.email, Turn.state)
            .join(User, col(User.id) == PracticeSession.user_id)
            .outerjoin(Turn, col(Turn.id) == PracticeSession.head_turn_id)
            .where(col(PracticeSession.user_id) != viewer.id)
            .order_by(col(PracticeSession.id).desc()))
    owners = reviewable_owners(db, viewer)
    if owners is not None:
        stmt = stmt.where(col(PracticeSession.user_id).in_(owners))
    if user_id is not None:
        stmt = stmt.where(PracticeSession.user_id == user_id)
    if persona_id:
        stmt = stmt.where(PracticeSession.persona_id == persona_id)
    if mode is not None:
        stmt = stmt.where(PracticeSession.mode == mode)
    if status is not None:
        stmt = stmt.where(PracticeSession.status == status)
    if since is not None:
        stmt = stmt.where(col(PracticeSession.created_at) >= _day(since))
    if until is not None:
        stmt = stmt.where(col(PracticeSession.created_at) < _day(until + timedelta(days=1)))
    rows: list[ReviewSessionRow] = []
    for ps, name, email, head_state in db.exec(stmt):
        final, turns = _final_state(db, ps, head_state)
        found = outcome_of(ps.opening_state, final)
        if outcome is not None and found != outcome:
            continue
        rows.append(ReviewSessionRow(
            id=ps.id or 0, user_id=ps.user_id, trainee_name=name, trainee_email=email,
            persona_id=ps.persona_id, persona_version=ps.persona_version,
            persona_title=ps.persona_title, mode=ps.mode, status=ps.status,
            created_at=as_utc(ps.created_at),
            ended_at=as_utc(ps.ended_at) if ps.ended_at else None, turns=turns,
            branches=0, opening_resistance=ps.opening_state.get("resistance"),
            final_resistance=final.get("resistance") if final else None,
            final_alliance=final.get("alliance") if final else None, outcome=found,
            ratings=0, comments=0, feedback=0))
    page = rows[offset:offset + limit]
    _count_notes(db, page)
    return SessionPage(total=len(rows), items=page)


def _day(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _count_notes(db: Session, page: list[ReviewSessionRow]) -> None:
    ids = [r.id for r in page]
    if not ids:
        return
    for model, attr in ((RatingOverride, "ratings"), (ReviewComment, "comments"),
                        (SessionFeedback, "feedback")):
        sid = col(model.session_id)
        counts = dict(db.exec(select(sid, func.count()).where(sid.in_(ids)).group_by(sid)).all())
        for r in page:
            setattr(r, attr, int(counts.get(r.id, 0)))
    # a branch per leaf: every turn is a leaf unless some turn names it as parent (one
    # aggregate, no correlated subquery: turn.parent_id has no index)
    per_session = db.exec(
        select(Turn.session_id, func.count(), func.count(func.distinct(Turn.parent_id)))
        .where(col(Turn.session_id).in_(ids)).group_by(col(Turn.session_id))).all()
    leaves = {sid: n - parents for sid, n, parents in per_session}
    for r in page:
        r.branches = int(leaves.get(r.id, 0))


def list_trainees(db: Session, viewer: User, q: str | None = None) -> list[TraineeRow]:
    """The trainees whose sessions the viewer reviews (administrators: every account with
    sessions, and every trainee), with their activity."""
    stmt = select(User).where(col(User.id) != viewer.id).order_by(col(User.display_name))
    owners = reviewable_owners(db, viewer)
    if owners is not None:
        stmt = stmt.where(col(User.id).in_(owners))
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.display_name).like(pattern),
                              func.lower(User.email).like(pattern)))
    users = list(db.exec(stmt))
    ids = [u.id for u in users]
    ps = PracticeSession
    stats = {uid: (n, ended, last) for uid, n, ended, last in db.exec(
        select(ps.user_id, func.count(),
               func.sum(case((col(ps.status) == SessionStatus.ENDED, 1), else_=0)),
               func.max(ps.created_at))
        .where(col(ps.user_id).in_(ids)).group_by(col(ps.user_id)))} if ids else {}
    reviewed: dict[int, set[int]] = {}
    for model in (RatingOverride, ReviewComment, SessionFeedback):
        sid = col(model.session_id)
        for owner, session_id in db.exec(select(ps.user_id, sid).join(ps, col(ps.id) == sid)
                                         .where(col(ps.user_id).in_(ids)).distinct()):
            reviewed.setdefault(owner, set()).add(session_id)
    out = []
    for u in users:
        n, ended, last = stats.get(u.id or 0, (0, 0, None))
        if u.role != Role.TRAINEE and not n:
            continue
        out.append(TraineeRow(id=u.id or 0, display_name=u.display_name, email=u.email,
                              role=u.role, active=u.active, sessions=int(n),
                              ended=int(ended or 0), reviewed=len(reviewed.get(u.id or 0, ())),
                              last_session_at=as_utc(last) if last else None))
    return out
