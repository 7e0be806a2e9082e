"""Whose sessions a reviewer may see, in one place.

An instructor reviews the trainees in the cohorts of the programs they teach (sim/programs/),
never administrators' or other instructors' sessions; every review route, the flagged moments,
the session list and the session pages follow, because they all ask here.
Administrators see every session. A reviewer always sees their own sessions.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from sim.models import Role, User


def visible_trainees(db: Session, instructor: User) -> SelectOfScalar[Any]:
    """The ids of the trainees this instructor may review, as a statement usable in `IN (...)`:
    the trainees enrolled in a cohort of a program the instructor teaches (active or not: a
    deactivated trainee's sessions stay reviewable). An instructor on no program reviews
    nobody until an administrator lists them on one (Programs)."""
    del db  # a statement, run inside the caller's query
    from sim.programs.models import Cohort, Enrolment, ProgramInstructor

    return (select(Enrolment.user_id)
            .join(Cohort, col(Cohort.id) == col(Enrolment.cohort_id))
            .join(ProgramInstructor, col(ProgramInstructor.program_id) == col(Cohort.program_id))
            .join(User, col(User.id) == col(Enrolment.user_id))
            .where(col(ProgramInstructor.user_id) == instructor.id,
                   col(User.role) == Role.TRAINEE))


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
