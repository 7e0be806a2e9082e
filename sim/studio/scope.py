"""Whose sessions a reviewer may see, in one place.

An instructor reviews trainees, never administrators' or other instructors' sessions. Until the
CE-programs wing lands, "their trainees" means every trainee; that wing narrows
`visible_trainees` to the trainees in the instructor's own programs and cohorts, and every
review route, the session list and the session pages follow, because they all ask here.
Administrators see every session. A reviewer always sees their own sessions.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from sim.models import Role, User


def visible_trainees(db: Session, instructor: User) -> SelectOfScalar[Any]:
    """The ids of the trainees this instructor may review, as a statement usable in `IN (...)`.

    The rule for now: every trainee account (active or not: a deactivated trainee's sessions
    stay reviewable). The programs wing replaces the body with the instructor's cohorts."""
    del db, instructor  # not needed until programs and cohorts exist
    return select(User.id).where(col(User.role) == Role.TRAINEE)


def is_reviewer(user: User) -> bool:
    return user.role in (Role.INSTRUCTOR, Role.ADMIN)


def reviewable_owners(db: Session, viewer: User) -> SelectOfScalar[Any] | None:
    """Owner ids whose sessions `viewer` may review: None means everyone (administrators);
    an empty result means nobody (trainees review no one)."""
    if viewer.role == Role.ADMIN:
        return None
    if viewer.role == Role.INSTRUCTOR:
        return visible_trainees(db, viewer)
    return select(User.id).where(col(User.id) == -1)


def may_review(db: Session, viewer: User, owner_id: int) -> bool:
    """True when `viewer` may read (never act in) sessions owned by `owner_id`: their own, or
    in their review scope."""
    return owner_id == viewer.id or in_scope(db, viewer, owner_id)


def in_scope(db: Session, viewer: User, owner_id: int) -> bool:
    """True when `viewer` reviews `owner_id`'s sessions (comments, ratings, feedback)."""
    owners = reviewable_owners(db, viewer)
    if owners is None:
        return True
    if not is_reviewer(viewer):
        return False
    found = db.exec(select(User.id).where(col(User.id) == owner_id,
                                          col(User.id).in_(owners))).first()
    return found is not None
