"""NRPS: the course's member list from the platform (OAuth2 token with the tool's signed
assertion, then the context memberships URL of the link's latest launch, every page); active
learners get their accounts by `sub` and are enrolled in the cohort of the link's assignment,
so they see it in "My assignments" before their first launch."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pylti1p3.names_roles import NamesRolesProvisioningService
from sqlmodel import Session

from sim.errors import AppError, Conflict
from sim.models import Role
from sim.programs.lti.adapters import Connector, http_session, registration_for
from sim.programs.lti.landing import CLAIM, enrol, is_staff, link_user
from sim.programs.lti.launch import Refused
from sim.programs.lti_models import Platform, ResourceLink
from sim.programs.models import Assignment


class PlatformError(AppError):
    status, code = 502, "platform_error"


class RosterResult(BaseModel):
    link_id: int
    cohort_id: int
    members: int
    enrolled: int
    already_enrolled: int
    skipped_staff: int
    skipped_inactive: int


def fetch_members(db: Session, platform: Platform, url: str) -> list[dict[str, Any]]:
    connector = Connector(registration_for(db, platform), http_session())
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": url})
    try:
        return [dict(m) for m in service.get_members()]
    except Exception as exc:
        raise PlatformError(f"The platform's roster service (NRPS) did not answer as expected: "
                            f"{type(exc).__name__}: {str(exc)[:300]}") from None


def sync_roster(db: Session, link: ResourceLink) -> RosterResult:
    if not link.nrps_url:
        raise Conflict("The platform sent no roster service (NRPS) with this link's launches; "
                       "enable 'names and roles' for the tool in the LMS and launch once.",
                       code="no_roster_service")
    platform = db.get(Platform, link.platform_id)
    assignment = db.get(Assignment, link.assignment_id)
    assert platform is not None and assignment is not None
    members = fetch_members(db, platform, link.nrps_url)
    from sim.programs.models import Enrolment

    counts = {"enrolled": 0, "already_enrolled": 0, "skipped_staff": 0, "skipped_inactive": 0}
    for member in members:
        body = {"sub": member.get("user_id"), "name": member.get("name"),
                "given_name": member.get("given_name"), "family_name": member.get("family_name"),
                "email": member.get("email"), CLAIM + "roles": member.get("roles") or []}
        if (member.get("status") or "Active") != "Active" or not body["sub"]:
            counts["skipped_inactive"] += 1
            continue
        if is_staff(body):
            counts["skipped_staff"] += 1
            continue
        try:
            user = link_user(db, platform, body)
        except Refused:
            counts["skipped_inactive"] += 1
            continue
        if user.role != Role.TRAINEE:
            counts["skipped_staff"] += 1
            continue
        if db.get(Enrolment, (assignment.cohort_id, user.id)) is not None:
            counts["already_enrolled"] += 1
            continue
        enrol(db, user, assignment.cohort_id)
        counts["enrolled"] += 1
    return RosterResult(link_id=link.id or 0, cohort_id=assignment.cohort_id,
                        members=len(members), **counts)
