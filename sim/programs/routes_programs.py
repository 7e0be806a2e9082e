"""Programs, cohorts and enrolment (CSV import, invite link, account activation)."""

from __future__ import annotations

import secrets
from datetime import UTC

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from sim.deps import CurrentUser, IdPath, SessionDep
from sim.errors import Conflict, Forbidden, Invalid, NotFound, responses
from sim.models import Role, User, UserPublic
from sim.models.common import CleanStr, UnicodeStr
from sim.programs import csv_import
from sim.programs.attempts import now
from sim.programs.models import (
    Cohort,
    CohortCreate,
    CohortPublic,
    Enrolment,
    Program,
    ProgramCreate,
    ProgramInstructor,
    ProgramPublic,
    ProgramUpdate,
)
from sim.programs.models_extra import Activation
from sim.programs.scope import (
    managed_cohort,
    managed_program,
    program_ids_for_instructor,
    require_admin,
    require_staff,
)
from sim.security.passwords import hash_password
from sim.security.policy import check_password

router = APIRouter(prefix="/api/programs", tags=["programs"])


def program_public(db: Session, program: Program) -> ProgramPublic:
    pid = program.id or 0
    instructors = db.exec(select(ProgramInstructor.user_id)
                          .where(ProgramInstructor.program_id == pid))
    cohorts = db.exec(select(Cohort.id).where(Cohort.program_id == pid).order_by(col(Cohort.id)))
    return ProgramPublic.model_validate(program, update={
        "id": pid, "instructor_ids": sorted(instructors), "cohort_ids": list(cohorts)})


def _set_instructors(db: Session, program_id: int, ids: list[int]) -> None:
    for n, uid in enumerate(ids):
        user = db.get(User, uid)
        if user is None or user.role not in (Role.INSTRUCTOR, Role.ADMIN):
            raise Invalid(f"instructor_ids[{n}]: {uid} is not an instructor account.",
                          field=f"instructor_ids.{n}")
    for row in db.exec(select(ProgramInstructor).where(ProgramInstructor.program_id == program_id)):
        db.delete(row)
    db.flush()
    for uid in sorted(set(ids)):
        db.add(ProgramInstructor(program_id=program_id, user_id=uid))


@router.get("", response_model=list[ProgramPublic], responses=responses(401, 403))
def list_programs(user: CurrentUser, db: SessionDep) -> list[ProgramPublic]:
    """Admins see every program, instructors the ones they teach."""
    require_staff(user)
    stmt = select(Program).order_by(col(Program.id))
    if user.role != Role.ADMIN:
        stmt = stmt.where(col(Program.id).in_(program_ids_for_instructor(db, user.id or 0)))
    return [program_public(db, p) for p in db.exec(stmt)]


@router.post("", status_code=201, response_model=ProgramPublic,
             responses=responses(401, 403, 422))
def create_program(body: ProgramCreate, user: CurrentUser, db: SessionDep) -> ProgramPublic:
    require_admin(user)
    program = Program(**body.model_dump(exclude={"instructor_ids"}), created_by=user.id)
    db.add(program)
    db.flush()
    _set_instructors(db, program.id or 0, body.instructor_ids)
    db.flush()
    return program_public(db, program)


@router.get("/{program_id}", response_model=ProgramPublic, responses=responses(401, 403, 404))
def get_program(program_id: IdPath, user: CurrentUser, db: SessionDep) -> ProgramPublic:
    return program_public(db, managed_program(db, user, program_id))


@router.patch("/{program_id}", response_model=ProgramPublic,
              responses=responses(401, 403, 404, 422))
def update_program(program_id: IdPath, body: ProgramUpdate, user: CurrentUser,
                   db: SessionDep) -> ProgramPublic:
    """Admins only; record retention is fixed at creation (records already rest on it)."""
    require_admin(user)
    program = managed_program(db, user, program_id)
    for key, value in body.model_dump(exclude_unset=True, exclude={"instructor_ids"}).items():
        if value is not None or key == "transcript_retention_days":
            setattr(program, key, value)
    if body.instructor_ids is not None:
        _set_instructors(db, program_id, body.instructor_ids)
    db.add(program)
    db.flush()
    return program_public(db, program)


def cohort_public(db: Session, cohort: Cohort) -> CohortPublic:
    count = db.exec(select(func.count()).select_from(Enrolment)
                    .where(Enrolment.cohort_id == cohort.id)).one()
    return CohortPublic(id=cohort.id or 0, program_id=cohort.program_id, name=cohort.name,
                        created_at=cohort.created_at, trainees=int(count),
                        invite_open=cohort.invite_hash is not None)


@router.get("/{program_id}/cohorts", response_model=list[CohortPublic],
            responses=responses(401, 403, 404))
def list_cohorts(program_id: IdPath, user: CurrentUser, db: SessionDep) -> list[CohortPublic]:
    managed_program(db, user, program_id)
    rows = db.exec(select(Cohort).where(Cohort.program_id == program_id).order_by(col(Cohort.id)))
    return [cohort_public(db, c) for c in rows]


@router.post("/{program_id}/cohorts", status_code=201, response_model=CohortPublic,
             responses=responses(401, 403, 404, 422))
def create_cohort(program_id: IdPath, body: CohortCreate, user: CurrentUser,
                  db: SessionDep) -> CohortPublic:
    managed_program(db, user, program_id)
    cohort = Cohort(program_id=program_id, name=body.name)
    db.add(cohort)
    db.flush()
    return cohort_public(db, cohort)


@router.get("/cohorts/{cohort_id}/trainees", response_model=list[UserPublic],
            responses=responses(401, 403, 404))
def cohort_trainees(cohort_id: IdPath, user: CurrentUser, db: SessionDep) -> list[User]:
    managed_cohort(db, user, cohort_id)
    return list(db.exec(select(User).join(Enrolment, col(Enrolment.user_id) == col(User.id))
                        .where(Enrolment.cohort_id == cohort_id).order_by(col(User.email))))


class CsvBody(BaseModel):
    csv: CleanStr = Field(max_length=2_000_000, description="text/csv: email,display_name")


class ImportResult(BaseModel):
    rows: int
    enrolled: int
    already_enrolled: int
    accounts_created: list[dict[str, object]]


@router.post("/cohorts/{cohort_id}/import", response_model=ImportResult,
             responses=responses(401, 403, 404, 413, 422))
def import_csv(cohort_id: IdPath, body: CsvBody, user: CurrentUser,
               db: SessionDep) -> ImportResult:
    """All rows or none: any bad row is a 422 naming the row and field, and nothing is written.
    New accounts get an activation link (14 days) to choose their password."""
    managed_cohort(db, user, cohort_id)
    rows = csv_import.parse(body.csv)
    return ImportResult.model_validate(csv_import.enrol_rows(db, cohort_id, rows))


class InviteLink(BaseModel):
    code: str
    path: str


@router.post("/cohorts/{cohort_id}/invite", response_model=InviteLink,
             responses=responses(401, 403, 404))
def open_invite(cohort_id: IdPath, user: CurrentUser, db: SessionDep) -> InviteLink:
    """A new invite link (any earlier one stops working). Only its hash is stored."""
    cohort, _ = managed_cohort(db, user, cohort_id)
    code = secrets.token_urlsafe(18)
    cohort.invite_hash = csv_import.token_hash(code)
    db.add(cohort)
    return InviteLink(code=code, path=f"/#/join/{code}")


@router.delete("/cohorts/{cohort_id}/invite", status_code=204, response_class=Response,
               responses=responses(401, 403, 404))
def close_invite(cohort_id: IdPath, user: CurrentUser, db: SessionDep) -> Response:
    cohort, _ = managed_cohort(db, user, cohort_id)
    cohort.invite_hash = None
    db.add(cohort)
    return Response(status_code=204)


class Joined(BaseModel):
    cohort_id: int
    cohort: str
    program: str
    already: bool


@router.post("/join/{invite_code}", response_model=Joined, responses=responses(401, 403, 404))
def join(invite_code: str, user: CurrentUser, db: SessionDep) -> Joined:
    """A signed-in trainee enrols through a cohort's invite link."""
    if user.role != Role.TRAINEE:
        raise Forbidden("Invite links enrol trainees; staff accounts are added to programs as "
                        "instructors instead.")
    wanted = csv_import.token_hash(invite_code[:200])
    cohort = db.exec(select(Cohort).where(Cohort.invite_hash == wanted)).first()
    if cohort is None:
        raise NotFound("This invite link is not valid (it may have been replaced or closed).")
    program = db.get(Program, cohort.program_id)
    already = db.get(Enrolment, (cohort.id, user.id)) is not None
    if not already:
        db.add(Enrolment(cohort_id=cohort.id or 0, user_id=user.id or 0, via="invite"))
    return Joined(cohort_id=cohort.id or 0, cohort=cohort.name,
                  program=program.title if program else "", already=already)


class ActivateBody(BaseModel):
    token: CleanStr = Field(min_length=10, max_length=200)
    password: UnicodeStr = Field(max_length=256)


@router.post("/activate", status_code=204, response_class=Response,
             responses=responses(404, 409, 422))
def activate(body: ActivateBody, db: SessionDep) -> Response:
    """An account made by a CSV import gets its password (once, within 14 days)."""
    row = db.get(Activation, csv_import.token_hash(body.token))
    if row is None:
        raise NotFound("This activation link is not valid.")
    if row.used_at is not None:
        raise Conflict("This activation link was already used; sign in.", code="used")
    if row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) < now():
        raise Conflict("This activation link has expired; ask your program administrator.",
                       code="expired")
    user = db.get(User, row.user_id)
    if user is None:
        raise NotFound("This activation link is not valid.")
    try:
        check_password(body.password, user.email)
    except ValueError as exc:
        raise Invalid(f"password: {exc}", field="password") from None
    user.password_hash = hash_password(body.password)
    row.used_at = now()
    db.add(user)
    db.add(row)
    return Response(status_code=204)
