"""Completion records (read, correct), the evaluation, certificates (issue, PDF), the public
verification and the audit log. Every read of a record by someone and every export is audited."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlmodel import Session, col, select

from sim.deps import CurrentUser, IdPath, RuntimeDep, SessionDep
from sim.errors import Conflict, Forbidden, NotFound, responses
from sim.models import User
from sim.programs import certificate as pdf
from sim.programs.attempts import current_record
from sim.programs.audit import audit
from sim.programs.records import (
    AuditEvent,
    AuditPublic,
    Certificate,
    CertificatePublic,
    CompletionPublic,
    CompletionRecord,
    CorrectionCreate,
    Evaluation,
    EvaluationCreate,
)
from sim.programs.scope import can_manage_program, enrolled_assignment, require_admin
from sim.programs.status import status_of

router = APIRouter(tags=["records"])
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def record_public(db: Session, r: CompletionRecord) -> CompletionPublic:
    newer = db.exec(select(CompletionRecord.id).where(
        CompletionRecord.supersedes_id == r.id)).first()
    return CompletionPublic.model_validate(r, update={"id": r.id or 0, "superseded_by": newer})


def readable_record(db: Session, user: User, record_id: int) -> CompletionRecord:
    """Its trainee, an admin, or an instructor of its program; 404 for anyone else."""
    r = db.get(CompletionRecord, record_id)
    if r is None or (r.user_id != user.id and not can_manage_program(db, user, r.program_id)):
        raise NotFound(f"No completion record {record_id}.")
    return r


@router.get("/api/records/{record_id}", response_model=CompletionPublic,
            responses=responses(401, 404))
def get_record(record_id: IdPath, user: CurrentUser, db: SessionDep) -> CompletionPublic:
    r = readable_record(db, user, record_id)
    audit(db, user, "view", "completion_record", r.id, r.user_id)
    return record_public(db, r)


@router.get("/api/me/records", response_model=list[CompletionPublic], responses=responses(401))
def my_records(user: CurrentUser, db: SessionDep) -> list[CompletionPublic]:
    rows = db.exec(select(CompletionRecord).where(CompletionRecord.user_id == user.id)
                   .order_by(col(CompletionRecord.id)))
    return [record_public(db, r) for r in rows]


@router.post("/api/records/{record_id}/corrections", status_code=201,
             response_model=CompletionPublic, responses=responses(401, 403, 404, 409, 422))
def correct_record(record_id: IdPath, body: CorrectionCreate, user: CurrentUser,
                   db: SessionDep) -> CompletionPublic:
    """A correction is a new record pointing to the old one (which stays, unchanged)."""
    from sim.programs.attempts import correct

    r = readable_record(db, user, record_id)
    if not can_manage_program(db, user, r.program_id):
        raise Forbidden("Only the program's instructors and administrators correct records.")
    row = correct(db, r, user, body.passed, body.reason)
    db.flush()
    audit(db, user, "correct", "completion_record", r.id, r.user_id,
          {"new_record": row.id, "passed": body.passed})
    return record_public(db, row)


@router.post("/api/me/assignments/{assignment_id}/evaluation", status_code=201,
             responses=responses(401, 404, 409, 422))
def submit_evaluation(assignment_id: IdPath, body: EvaluationCreate, user: CurrentUser,
                      db: SessionDep, runtime: RuntimeDep) -> dict[str, int]:
    """The post-activity evaluation, once per assignment, after it was passed."""
    assignment, _, _ = enrolled_assignment(db, user, assignment_id)
    if status_of(db, runtime, assignment, user.id or 0).status != "passed":
        raise Conflict("The evaluation opens once you have passed this assignment.",
                       code="not_passed")
    if db.exec(select(Evaluation.id).where(Evaluation.assignment_id == assignment_id,
                                           Evaluation.user_id == user.id)).first():
        raise Conflict("You have already submitted the evaluation.", code="already_submitted")
    row = Evaluation(assignment_id=assignment_id, user_id=user.id or 0,
                     answers=body.model_dump(mode="json"))
    db.add(row)
    db.flush()
    return {"id": row.id or 0}


def verify_url(request: Request, code: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/#/verify/{code}"


def is_valid(db: Session, cert: Certificate) -> bool:
    """Valid while every record it rests on is still the one in force and still a pass."""
    for rid in cert.record_ids:
        r = db.get(CompletionRecord, rid)
        newest = current_record(db, r.attempt_id) if r else None
        if newest is None or not newest.passed:
            return False
    return True


def cert_public(db: Session, request: Request, c: Certificate) -> CertificatePublic:
    return CertificatePublic.model_validate(c, update={
        "id": c.id or 0, "valid": is_valid(db, c), "verify_url": verify_url(request, c.code)})


@router.post("/api/me/assignments/{assignment_id}/certificate", status_code=201,
             response_model=CertificatePublic, responses=responses(401, 404, 409))
def issue_certificate(assignment_id: IdPath, request: Request, user: CurrentUser,
                      db: SessionDep, runtime: RuntimeDep) -> CertificatePublic:
    """Issued once (later calls return the same certificate); needs a pass and the evaluation."""
    assignment, _, program = enrolled_assignment(db, user, assignment_id)
    existing = db.exec(select(Certificate).where(Certificate.assignment_id == assignment_id,
                                                 Certificate.user_id == user.id)).first()
    if existing is not None:
        return cert_public(db, request, existing)
    st = status_of(db, runtime, assignment, user.id or 0)
    if st.status != "passed" or st.completed_at is None:
        raise Conflict("A certificate is issued once you have passed this assignment.",
                       code="not_passed")
    if db.exec(select(Evaluation.id).where(Evaluation.assignment_id == assignment_id,
                                           Evaluation.user_id == user.id)).first() is None:
        raise Conflict("Fill in the evaluation first; CE sponsors require it before the "
                       "certificate.", code="evaluation_missing")
    code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    cert = Certificate(code=code, assignment_id=assignment_id, program_id=program.id or 0,
                       user_id=user.id or 0, record_ids=st.passed_record_ids,
                       trainee_name=user.display_name, activity=assignment.title,
                       program_title=program.title, hours=assignment.hours,
                       completed_on=st.completed_at,
                       approval_statement=program.approval_statement)
    db.add(cert)
    db.flush()
    audit(db, user, "issue", "certificate", cert.id, user.id)
    return cert_public(db, request, cert)


@router.get("/api/me/certificates", response_model=list[CertificatePublic],
            responses=responses(401))
def my_certificates(request: Request, user: CurrentUser, db: SessionDep
                    ) -> list[CertificatePublic]:
    rows = db.exec(select(Certificate).where(Certificate.user_id == user.id))
    return [cert_public(db, request, c) for c in rows]


@router.get("/api/certificates/{certificate_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "PDF"},
                       **responses(401, 404)})
def certificate_pdf(certificate_id: IdPath, request: Request, user: CurrentUser,
                    db: SessionDep) -> Response:
    """Its holder, an admin or an instructor of its program; the download is audited."""
    c = db.get(Certificate, certificate_id)
    if c is None or (c.user_id != user.id and not can_manage_program(db, user, c.program_id)):
        raise NotFound(f"No certificate {certificate_id}.")
    body = pdf.render(c, verify_url(request, c.code))
    audit(db, user, "export", "certificate_pdf", c.id, c.user_id)
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{c.code}.pdf"',
        "X-Content-Type-Options": "nosniff"})


class Verification(BaseModel):
    """All the public page shows: whether the code is valid, and the holder's name."""

    code: str
    valid: bool
    status: str
    name: str | None


@router.get("/api/verify/{certificate_code}", response_model=Verification,
            responses=responses(422))
def verify(certificate_code: str, db: SessionDep) -> Verification:
    """Public (no sign-in): validity and the name only; every look-up is audited."""
    clean = certificate_code.strip().upper()[:32]
    c = db.exec(select(Certificate).where(Certificate.code == clean)).first()
    audit(db, None, "verify", "certificate", clean, c.user_id if c else None,
          {"found": c is not None})
    if c is None:
        return Verification(code=clean, valid=False, status="unknown", name=None)
    ok = is_valid(db, c)
    return Verification(code=clean, valid=ok, status="valid" if ok else "revoked",
                        name=c.trainee_name)


@router.get("/api/audit", response_model=list[AuditPublic], responses=responses(401, 403, 422))
def audit_log(user: CurrentUser, db: SessionDep,
              subject_user_id: int | None = Query(default=None, ge=1, le=2**31 - 1),
              limit: int = Query(default=200, ge=1, le=1000)) -> list[AuditEvent]:
    """Admins: who viewed or exported which record, newest first."""
    require_admin(user)
    stmt = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
    if subject_user_id is not None:
        stmt = stmt.where(AuditEvent.subject_user_id == subject_user_id)
    return list(db.exec(stmt))


