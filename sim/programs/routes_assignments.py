"""Assignments: create and list (staff), My assignments and attempts (trainees), and the
per-cohort dashboard with its CSV export (staff)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from sim.deps import CurrentUser, IdPath, RuntimeDep, SessionDep
from sim.errors import Invalid, responses
from sim.models import User
from sim.models.common import CleanStr
from sim.programs.attempts import start_attempt
from sim.programs.audit import audit
from sim.programs.criteria import describe
from sim.programs.models import (
    Assignment,
    AssignmentCreate,
    AssignmentPublic,
    Cohort,
    Enrolment,
    Program,
)
from sim.programs.scope import enrolled_assignment, managed_cohort
from sim.programs.status import AssignmentStatus, status_of
from sim.reports.transcript import csv_cell

router = APIRouter(tags=["assignments"])


def assignment_public(a: Assignment, program_id: int) -> AssignmentPublic:
    return AssignmentPublic.model_validate(a, update={"id": a.id or 0, "program_id": program_id})


@router.post("/api/programs/cohorts/{cohort_id}/assignments", status_code=201,
             response_model=AssignmentPublic, responses=responses(401, 403, 404, 422))
def create_assignment(cohort_id: IdPath, body: AssignmentCreate, user: CurrentUser,
                      db: SessionDep, runtime: RuntimeDep) -> AssignmentPublic:
    _, program = managed_cohort(db, user, cohort_id)
    published = {p.id: p for p in runtime.catalog.published(db)}
    for n, pid in enumerate(body.persona_ids):
        if pid not in published:
            raise Invalid(f"persona_ids[{n}]: no scenario {pid!r}; GET /api/personas lists them.",
                          field=f"persona_ids.{n}")
    if len(set(body.persona_ids)) != len(body.persona_ids):
        raise Invalid("persona_ids: a scenario is listed twice.", field="persona_ids")
    known = {o.id for pid in body.persona_ids for o in published[pid].objectives}
    for n, oid in enumerate(body.criteria.objectives or []):
        if oid not in known:
            raise Invalid(f"criteria.objectives[{n}]: {oid!r} is not an objective of these "
                          f"scenarios (allowed: {', '.join(sorted(known))}).",
                          field=f"criteria.objectives.{n}")
    row = Assignment(**body.model_dump(exclude={"criteria"}),
                     criteria=body.criteria.model_dump(mode="json"), cohort_id=cohort_id)
    db.add(row)
    db.flush()
    return assignment_public(row, program.id or 0)


@router.get("/api/programs/cohorts/{cohort_id}/assignments",
            response_model=list[AssignmentPublic], responses=responses(401, 403, 404))
def list_assignments(cohort_id: IdPath, user: CurrentUser, db: SessionDep
                     ) -> list[AssignmentPublic]:
    _, program = managed_cohort(db, user, cohort_id)
    rows = db.exec(select(Assignment).where(Assignment.cohort_id == cohort_id)
                   .order_by(col(Assignment.id)))
    return [assignment_public(a, program.id or 0) for a in rows]


class MyAssignment(BaseModel):
    assignment: AssignmentPublic
    program: str
    cohort: str
    criteria_text: list[str]
    status: AssignmentStatus
    evaluation_done: bool
    certificate_id: int | None


@router.get("/api/me/assignments", response_model=list[MyAssignment], responses=responses(401))
def my_assignments(user: CurrentUser, db: SessionDep, runtime: RuntimeDep) -> list[MyAssignment]:
    """The signed-in user's assignments in every cohort they are enrolled in, with status."""
    from sim.programs.criteria import PassCriteria
    from sim.programs.records import Certificate, Evaluation

    rows = db.exec(select(Assignment, Cohort, Program)
                   .join(Cohort, col(Cohort.id) == col(Assignment.cohort_id))
                   .join(Program, col(Program.id) == col(Cohort.program_id))
                   .join(Enrolment, col(Enrolment.cohort_id) == col(Cohort.id))
                   .where(Enrolment.user_id == user.id).order_by(col(Assignment.id)))
    out = []
    for a, c, p in rows:
        cert = db.exec(select(Certificate.id).where(Certificate.assignment_id == a.id,
                                                    Certificate.user_id == user.id)).first()
        done = db.exec(select(Evaluation.id).where(Evaluation.assignment_id == a.id,
                                                   Evaluation.user_id == user.id)).first()
        out.append(MyAssignment(
            assignment=assignment_public(a, p.id or 0), program=p.title, cohort=c.name,
            criteria_text=describe(PassCriteria.model_validate(a.criteria or {})),
            status=status_of(db, runtime, a, user.id or 0), evaluation_done=done is not None,
            certificate_id=cert))
    return out


class AttemptCreate(BaseModel):
    persona_id: CleanStr = Field(min_length=1, max_length=64)


class AttemptStarted(BaseModel):
    attempt_id: int
    number: int
    session_id: int
    mode: str


@router.post("/api/me/assignments/{assignment_id}/attempts", status_code=201,
             response_model=AttemptStarted, responses=responses(401, 404, 409, 422))
def new_attempt(assignment_id: IdPath, body: AttemptCreate, user: CurrentUser, db: SessionDep,
                runtime: RuntimeDep) -> AttemptStarted:
    """Starts an attempt: a practice session in the assignment's mode (open it at
    #/session/ID; the trainee's chat runs it). 409 when none is left or one is still open."""
    assignment, _, _ = enrolled_assignment(db, user, assignment_id)
    attempt, ps = start_attempt(db, runtime, user, assignment, body.persona_id)
    return AttemptStarted(attempt_id=attempt.id or 0, number=attempt.number,
                          session_id=ps.id or 0, mode=str(ps.mode))


class DashboardRow(BaseModel):
    user_id: int
    email: str
    display_name: str
    assignments: list[AssignmentStatus]


class Counts(BaseModel):
    assignment_id: int
    title: str
    due_at: datetime | None
    trainees: int
    done: int = Field(description="finished every scenario at least once")
    in_progress: int
    overdue: int
    passed: int


class Dashboard(BaseModel):
    cohort_id: int
    cohort: str
    program: str
    counts: list[Counts]
    trainees: list[DashboardRow]


def dashboard_data(db: Session, runtime: RuntimeDep, cohort: Cohort, program: Program
                   ) -> Dashboard:
    assignments = list(db.exec(select(Assignment).where(Assignment.cohort_id == cohort.id)
                               .order_by(col(Assignment.id))))
    people = list(db.exec(select(User).join(Enrolment, col(Enrolment.user_id) == col(User.id))
                          .where(Enrolment.cohort_id == cohort.id).order_by(col(User.email))))
    rows = [DashboardRow(user_id=u.id or 0, email=u.email, display_name=u.display_name,
                         assignments=[status_of(db, runtime, a, u.id or 0) for a in assignments])
            for u in people]
    counts = []
    for n, a in enumerate(assignments):
        st = [r.assignments[n] for r in rows]
        counts.append(Counts(
            assignment_id=a.id or 0, title=a.title, due_at=st[0].due_at if st else a.due_at,
            trainees=len(st),
            done=sum(all(s.attempts_used and not s.open_session_id for s in x.scenarios)
                     for x in st),
            in_progress=sum(x.status == "in_progress" for x in st),
            overdue=sum(x.overdue for x in st), passed=sum(x.status == "passed" for x in st)))
    return Dashboard(cohort_id=cohort.id or 0, cohort=cohort.name, program=program.title,
                     counts=counts, trainees=rows)


@router.get("/api/programs/cohorts/{cohort_id}/dashboard", response_model=Dashboard,
            responses=responses(401, 403, 404))
def dashboard(cohort_id: IdPath, user: CurrentUser, db: SessionDep,
              runtime: RuntimeDep) -> Dashboard:
    cohort, program = managed_cohort(db, user, cohort_id)
    data = dashboard_data(db, runtime, cohort, program)
    audit(db, user, "view", "cohort_dashboard", cohort.id)
    return data


CSV_COLUMNS = ("email", "display_name", "assignment_id", "assignment", "due_at", "status",
               "overdue", "passed", "completed_at", "attempts", "record_ids")


@router.get("/api/programs/cohorts/{cohort_id}/export", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "CSV"},
                       **responses(401, 403, 404)})
def export_cohort(cohort_id: IdPath, user: CurrentUser, db: SessionDep,
                  runtime: RuntimeDep) -> Response:
    """One row per trainee and assignment (spreadsheet-safe cells); the export is audited."""
    cohort, program = managed_cohort(db, user, cohort_id)
    data = dashboard_data(db, runtime, cohort, program)
    titles = {c.assignment_id: c.title for c in data.counts}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.trainees:
        for st in row.assignments:
            writer.writerow([csv_cell(v) for v in (
                row.email, row.display_name, st.assignment_id, titles[st.assignment_id],
                st.due_at.isoformat() if st.due_at else "", st.status, st.overdue,
                st.status == "passed", st.completed_at.isoformat() if st.completed_at else "",
                sum(s.attempts_used for s in st.scenarios),
                ";".join(str(i) for s in st.scenarios for i in s.record_ids))])
    audit(db, user, "export", "cohort_csv", cohort.id, detail={"rows": len(data.trainees)})
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="cohort-{cohort.id}.csv"',
        "X-Content-Type-Options": "nosniff"})
