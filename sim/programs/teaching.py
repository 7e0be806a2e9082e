"""Puts trainees in an instructor's review scope the way a program does: a program the
instructor teaches with a cohort that holds the trainees. Used by the demo accounts of
`sim serve --seed-demo`, so the demo instructor reviews the demo trainee out of the box."""

from __future__ import annotations

from sqlmodel import Session, col, select

from sim.programs.models import Cohort, Enrolment, Program, ProgramInstructor


def teach(db: Session, instructor_id: int, trainee_ids: list[int], title: str,
          cohort_name: str = "Cohort") -> Program:
    """The program titled `title` (made if missing) taught by `instructor_id`, with a cohort
    `cohort_name` holding every trainee in `trainee_ids`. Idempotent."""
    program = db.exec(select(Program).where(Program.title == title)).first()
    if program is None:
        program = Program(title=title, created_by=instructor_id)
        db.add(program)
        db.flush()
    pid = program.id or 0
    if db.get(ProgramInstructor, (pid, instructor_id)) is None:
        db.add(ProgramInstructor(program_id=pid, user_id=instructor_id))
    cohort = db.exec(select(Cohort).where(Cohort.program_id == pid,
                                          Cohort.name == cohort_name)).first()
    if cohort is None:
        cohort = Cohort(program_id=pid, name=cohort_name)
        db.add(cohort)
        db.flush()
    enrolled = set(db.exec(select(Enrolment.user_id).where(
        Enrolment.cohort_id == cohort.id, col(Enrolment.user_id).in_(trainee_ids))))
    for uid in trainee_ids:
        if uid not in enrolled:
            db.add(Enrolment(cohort_id=cohort.id or 0, user_id=uid, via="csv"))
    db.flush()
    return program
