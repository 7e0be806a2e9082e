"""Privacy for every user: download all your data (JSON), ask for deletion."""

from __future__ import annotations

import json

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlmodel import col, select

from sim.deps import CurrentUser, SessionDep
from sim.errors import Conflict, Invalid, responses
from sim.models import Role, User
from sim.models.common import CleanStr
from sim.programs.audit import audit
from sim.programs.privacy import delete_user_data, export_user

router = APIRouter(prefix="/api/me", tags=["privacy"])


@router.get("/export", response_class=Response,
            responses={200: {"content": {"application/json": {}}, "description": "JSON file"},
                       **responses(401)})
def export_my_data(user: CurrentUser, db: SessionDep) -> Response:
    body = json.dumps(export_user(db, user), indent=2, ensure_ascii=False)
    audit(db, user, "export", "user_data", user.id, user.id)
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="my-data-{user.id}.json"',
        "X-Content-Type-Options": "nosniff"})


class DeletionRequest(BaseModel):
    confirm_email: CleanStr = Field(max_length=254, description="your email, to confirm")


class DeletionResult(BaseModel):
    sessions_deleted: int
    attempt_sessions_kept: int
    message: str


@router.post("/deletion", response_model=DeletionResult, responses=responses(401, 409, 422))
def request_deletion(body: DeletionRequest, user: CurrentUser, db: SessionDep
                     ) -> DeletionResult:
    """Deletes your personal data now and signs you out everywhere; program records (attempt
    transcripts, completion records, certificates) stay until their retention ends."""
    if body.confirm_email.strip().lower() != user.email:
        raise Invalid("confirm_email: type your account's email address to confirm.",
                      field="confirm_email")
    if user.role == Role.ADMIN and db.exec(select(User.id).where(
            User.role == Role.ADMIN, col(User.active), User.id != user.id)).first() is None:
        raise Conflict("You are the last active administrator; make another account an "
                       "administrator first.", code="last_admin")
    audit(db, user, "delete", "user_data", user.id, user.id)
    done = delete_user_data(db, user)
    return DeletionResult(**done, message=(
        "Your account is closed and your practice data deleted. Program records are kept as "
        "each program's retention rule requires, then purged."))
