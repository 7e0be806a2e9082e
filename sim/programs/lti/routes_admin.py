"""LTI administration (JSON): platform registrations, the tool's keys and their rotation, the
launch log and the score outbox (admins), and per cohort its LMS links with a roster sync
(the cohort's instructors and admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from sim.deps import CurrentUser, IdPath, SessionDep
from sim.errors import Conflict, ErrorBody, Invalid, NotFound, responses
from sim.programs.audit import audit
from sim.programs.config import ProgramSettings
from sim.programs.lti import keys
from sim.programs.lti.models import ScoreSend, ScoreSendPublic
from sim.programs.lti.roster import RosterResult, sync_roster
from sim.programs.lti.routes import base_url
from sim.programs.lti_models import (
    LaunchLog,
    LaunchLogPublic,
    Platform,
    PlatformCreate,
    PlatformPublic,
    PlatformUpdate,
    ResourceLink,
    ToolKey,
)
from sim.programs.models import Assignment, Program
from sim.programs.scope import managed_assignment, managed_cohort, require_admin

router = APIRouter(prefix="/api", tags=["lti"])
URL_FIELDS = ("auth_login_url", "auth_token_url", "key_set_url")


class ToolInfo(BaseModel):
    """What an LMS administrator enters when registering this tool."""

    login_url: str
    launch_url: str
    deep_linking_url: str
    jwks_url: str
    redirect_uris: list[str]


class KeyPublic(BaseModel):
    kid: str
    state: str
    created_at: datetime
    retired_at: datetime | None
    in_jwks: bool


class LinkPublic(BaseModel):
    id: int
    platform: str
    resource_link_id: str
    context_id: str | None
    assignment_id: int
    assignment: str
    grades: bool
    roster: bool


def _check_urls(data: dict[str, Any]) -> None:
    for name in URL_FIELDS:
        value = data.get(name)
        if value is not None and not value.startswith(("https://", "http://")):
            raise Invalid(f"{name}: must be an http(s) URL (got {value[:60]!r}).", field=name)


@router.get("/lti/tool", response_model=ToolInfo, responses=responses(401, 403))
def tool_info(request: Request, user: CurrentUser) -> ToolInfo:
    require_admin(user)
    base = base_url(request)
    return ToolInfo(login_url=f"{base}/lti/login", launch_url=f"{base}/lti/launch",
                    deep_linking_url=f"{base}/lti/launch", jwks_url=f"{base}/lti/jwks",
                    redirect_uris=[f"{base}/lti/launch"])


@router.get("/lti/platforms", response_model=list[PlatformPublic], responses=responses(401, 403))
def list_platforms(user: CurrentUser, db: SessionDep) -> list[Platform]:
    require_admin(user)
    return list(db.exec(select(Platform).order_by(col(Platform.id))))


@router.post("/lti/platforms", status_code=201, response_model=PlatformPublic,
             responses=responses(401, 403, 409, 422))
def create_platform(body: PlatformCreate, user: CurrentUser, db: SessionDep) -> Platform:
    """Registers an LMS: its issuer, this tool's client id there, its deployment ids, login
    (authorisation), token and JWKS URLs, and the program its launches land in."""
    require_admin(user)
    _check_urls(body.model_dump())
    if db.get(Program, body.program_id) is None:
        raise Invalid(f"program_id: no program {body.program_id}.", field="program_id")
    if len(set(body.deployment_ids)) != len(body.deployment_ids):
        raise Invalid("deployment_ids: an id is listed twice.", field="deployment_ids")
    row = Platform(**body.model_dump())
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:
        raise Conflict(f"Issuer {body.issuer!r} with client id {body.client_id!r} is already "
                       "registered.", code="platform_exists", field="client_id") from None
    audit(db, user, "create", "lti_platform", row.id, detail={"issuer": row.issuer})
    return row


def _platform(db: SessionDep, platform_id: int) -> Platform:
    row = db.get(Platform, platform_id)
    if row is None:
        raise NotFound(f"No LTI platform {platform_id}.")
    return row


@router.patch("/lti/platforms/{platform_id}", response_model=PlatformPublic,
              responses=responses(401, 403, 404, 422))
def update_platform(platform_id: IdPath, body: PlatformUpdate, user: CurrentUser,
                    db: SessionDep) -> Platform:
    require_admin(user)
    row = _platform(db, platform_id)
    data = body.model_dump(exclude_unset=True, exclude_none=True)
    _check_urls(data)
    for name, value in data.items():
        setattr(row, name, value)
    db.add(row)
    audit(db, user, "update", "lti_platform", row.id, detail={"fields": sorted(data)})
    return row


@router.delete("/lti/platforms/{platform_id}", status_code=204, response_class=Response,
               responses=responses(401, 403, 404))
def delete_platform(platform_id: IdPath, user: CurrentUser, db: SessionDep) -> Response:
    """Launches from it stop; its links and account links go, accounts and records stay."""
    require_admin(user)
    row = _platform(db, platform_id)
    audit(db, user, "delete", "lti_platform", row.id, detail={"issuer": row.issuer})
    db.delete(row)
    return Response(status_code=204)


def _key_public(key: ToolKey, grace: float) -> KeyPublic:
    return KeyPublic(kid=key.kid, state=keys.state_of(key, grace), created_at=key.created_at,
                     retired_at=key.retired_at, in_jwks=keys.in_grace(key, grace))


@router.get("/lti/keys", response_model=list[KeyPublic], responses=responses(401, 403))
def list_keys(user: CurrentUser, db: SessionDep) -> list[KeyPublic]:
    require_admin(user)
    keys.active_key(db)
    grace = ProgramSettings().lti_key_grace_hours
    return [_key_public(k, grace) for k in db.exec(select(ToolKey).order_by(col(ToolKey.id)
                                                                            .desc()))]


@router.post("/lti/keys/rotate", status_code=201, response_model=KeyPublic,
             responses=responses(401, 403))
def rotate_key(user: CurrentUser, db: SessionDep) -> KeyPublic:
    """A new signing key; the previous one stays in the JWKS for SIM_LTI_KEY_GRACE_HOURS."""
    require_admin(user)
    keys.active_key(db)
    key = keys.rotate(db)
    audit(db, user, "rotate", "lti_key", key.kid)
    return _key_public(key, ProgramSettings().lti_key_grace_hours)


@router.get("/lti/log", response_model=list[LaunchLogPublic], responses=responses(401, 403))
def launch_log(user: CurrentUser, db: SessionDep,
               limit: int = Query(100, ge=1, le=1000)) -> list[LaunchLog]:
    require_admin(user)
    return list(db.exec(select(LaunchLog).order_by(col(LaunchLog.id).desc()).limit(limit)))


@router.get("/lti/scores", response_model=list[ScoreSendPublic], responses=responses(401, 403))
def scores(user: CurrentUser, db: SessionDep,
           limit: int = Query(100, ge=1, le=1000)) -> list[ScoreSend]:
    require_admin(user)
    return list(db.exec(select(ScoreSend).order_by(col(ScoreSend.id).desc()).limit(limit)))


@router.get("/programs/cohorts/{cohort_id}/lti-links", response_model=list[LinkPublic],
            responses=responses(401, 403, 404))
def cohort_links(cohort_id: IdPath, user: CurrentUser, db: SessionDep) -> list[LinkPublic]:
    managed_cohort(db, user, cohort_id)
    rows = db.exec(select(ResourceLink, Assignment, Platform)
                   .join(Assignment, col(Assignment.id) == col(ResourceLink.assignment_id))
                   .join(Platform, col(Platform.id) == col(ResourceLink.platform_id))
                   .where(Assignment.cohort_id == cohort_id).order_by(col(ResourceLink.id)))
    return [LinkPublic(id=link.id or 0, platform=p.name, resource_link_id=link.resource_link_id,
                       context_id=link.context_id, assignment_id=a.id or 0, assignment=a.title,
                       grades=bool(link.ags), roster=bool(link.nrps_url))
            for link, a, p in rows]


@router.post("/lti/links/{link_id}/roster", response_model=RosterResult,
             responses={**responses(401, 403, 404, 409),
                        502: {"model": ErrorBody,
                              "description": "The platform's roster service failed"}})
def roster(link_id: IdPath, user: CurrentUser, db: SessionDep) -> RosterResult:
    """Enrols the course's active learners (NRPS) in the cohort of the link's assignment."""
    link = db.get(ResourceLink, link_id)
    if link is None:
        raise NotFound(f"No LTI link {link_id}.")
    try:
        managed_assignment(db, user, link.assignment_id)
    except NotFound:
        raise NotFound(f"No LTI link {link_id}.") from None
    result = sync_roster(db, link)
    audit(db, user, "roster_sync", "lti_link", link.id, detail=result.model_dump())
    return result
