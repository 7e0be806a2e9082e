"""Who may see and manage what in a program. Admins: everything. An instructor: the programs
they are listed on (their cohorts, assignments, dashboards and records); any other program is
a 404, as for an id that does not exist. Trainees: their own enrolments and records."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sim.errors import Forbidden, NotFound
from sim.models import Role, User
from sim.programs.models import Assignment, Cohort, Enrolment, Program, ProgramInstructor


def trainee_ids_for_instructor(session: Session, instructor_id: int) -> set[int]:
    """Every trainee enrolled in a cohort of a program this instructor teaches (the lead wires
    this into sim/studio/scope.py `visible_trainees` at merge)."""
    rows = session.exec(
        select(Enrolment.user_id)
        .join(Cohort, col(Cohort.id) == col(Enrolment.cohort_id))
        .join(ProgramInstructor, col(ProgramInstructor.program_id) == col(Cohort.program_id))
        .where(ProgramInstructor.user_id == instructor_id))
    return set(rows)


def program_ids_for_instructor(session: Session, instructor_id: int) -> set[int]:
    rows = session.exec(select(ProgramInstructor.program_id)
                        .where(ProgramInstructor.user_id == instructor_id))
    return set(rows)


def require_staff(user: User) -> None:
    """Trainees never manage programs: 403 (role), before any object is looked up."""
    if user.role not in (Role.INSTRUCTOR, Role.ADMIN):
        raise Forbidden("Only instructors and administrators manage programs.")


def require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise Forbidden("Only administrators can do this.")


def managed_program(db: Session, user: User, program_id: int) -> Program:
    """The program if this admin or listed instructor may manage it; 403 for trainees, 404
    for anyone else (the same answer as a missing id)."""
    require_staff(user)
    program = db.get(Program, program_id)
    if program is None or (user.role != Role.ADMIN and program_id not in
                           program_ids_for_instructor(db, user.id or 0)):
        raise NotFound(f"No program {program_id}.")
    return program


def managed_cohort(db: Session, user: User, cohort_id: int) -> tuple[Cohort, Program]:
    require_staff(user)
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(f"No cohort {cohort_id}.")
    try:
        return cohort, managed_program(db, user, cohort.program_id)
    except NotFound:
        raise NotFound(f"No cohort {cohort_id}.") from None


def managed_assignment(db: Session, user: User, assignment_id: int
                       ) -> tuple[Assignment, Cohort, Program]:
    require_staff(user)
    assignment = db.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id}.")
    try:
        cohort, program = managed_cohort(db, user, assignment.cohort_id)
    except NotFound:
        raise NotFound(f"No assignment {assignment_id}.") from None
    return assignment, cohort, program


def can_manage_program(db: Session, user: User, program_id: int) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.INSTRUCTOR and program_id in program_ids_for_instructor(
        db, user.id or 0)


def enrolled_assignment(db: Session, user: User, assignment_id: int
                        ) -> tuple[Assignment, Cohort, Program]:
    """An assignment of a cohort this user is enrolled in; 404 otherwise."""
    assignment = db.get(Assignment, assignment_id)
    cohort = db.get(Cohort, assignment.cohort_id) if assignment else None
    if assignment is None or cohort is None or db.get(
            Enrolment, (cohort.id, user.id)) is None:
        raise NotFound(f"No assignment {assignment_id} for you.")
    program = db.get(Program, cohort.program_id)
    assert program is not None
    return assignment, cohort, program
