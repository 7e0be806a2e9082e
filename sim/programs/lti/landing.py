"""What a validated launch does here: the platform's user (by its `sub`, never by an email the
platform asserts) becomes or finds an account, the LMS course becomes a cohort of the
platform's program, the resource link is tied to its assignment (with the AGS line item and the
NRPS roster URL of the latest launch), the trainee is enrolled, and a one-time login code lets
a new top-level window sign in (no third-party cookie needed)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from pylti1p3.roles import StaffRole, TeacherRole
from sqlmodel import Session, select

from sim.models import Role, User
from sim.programs.lti.adapters import DbStorage
from sim.programs.lti.launch import Refused
from sim.programs.lti.models import LtiContext
from sim.programs.lti_models import Platform, PlatformUser, ResourceLink
from sim.programs.models import Assignment, Cohort, Enrolment, ProgramInstructor

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
CODE_TTL_S = 120


def is_staff(body: dict[str, Any]) -> bool:
    """Instructors, teaching staff and administrators of the course (pylti1p3's role rules:
    context roles win over institution roles, as Canvas sends both)."""
    return bool(TeacherRole(body).check() or StaffRole(body).check())


def _display_name(body: dict[str, Any]) -> str:
    name = body.get("name") or " ".join(
        str(p) for p in (body.get("given_name"), body.get("family_name")) if p)
    return (str(name).strip() or "LMS user")[:120]


def link_user(db: Session, platform: Platform, body: dict[str, Any]) -> User:
    """The account for (platform, sub): made on first launch (no password: it signs in through
    the LMS), named after the LMS's name claim; an LMS instructor gets an instructor account."""
    sub = str(body.get("sub") or "")[:255]
    if not sub:
        raise Refused("no_user", "The launch names no user (sub); anonymous launches are not "
                      "supported.")
    known = db.get(PlatformUser, (platform.id, sub))
    if known is not None:
        user = db.get(User, known.user_id)
        if user is None or not user.active:
            raise Refused("account_disabled", "Your account here is disabled; ask the "
                          "program's administrator.", status=403)
        return user
    email = str(body.get("email") or "").strip().lower()[:254]
    taken = bool(email) and db.exec(select(User.id).where(User.email == email)).first()
    if not email or "@" not in email or taken:
        digest = hashlib.sha256(f"{platform.id}:{sub}".encode()).hexdigest()[:20]
        email = f"lti-{platform.id}-{digest}@lti.invalid"
    user = User(email=email, display_name=_display_name(body), password_hash="!lti",
                role=Role.INSTRUCTOR if is_staff(body) else Role.TRAINEE)
    db.add(user)
    db.flush()
    db.add(PlatformUser(platform_id=platform.id or 0, sub=sub, user_id=user.id or 0))
    db.flush()
    return user


def context_cohort(db: Session, platform: Platform, body: dict[str, Any]) -> Cohort:
    """The cohort an LMS course fills (made on its first launch, in the platform's program)."""
    context = body.get(CLAIM + "context") or {}
    context_id = str(context.get("id") or f"deployment:{body.get(CLAIM + 'deployment_id')}")
    row = db.get(LtiContext, (platform.id, context_id[:255]))
    if row is not None:
        cohort = db.get(Cohort, row.cohort_id)
        if cohort is not None:
            return cohort
    title = str(context.get("title") or context.get("label") or context_id)[:150]
    cohort = Cohort(program_id=platform.program_id, name=f"{title} ({platform.name})"[:200])
    db.add(cohort)
    db.flush()
    db.merge(LtiContext(platform_id=platform.id or 0, context_id=context_id[:255],
                        cohort_id=cohort.id or 0, title=title))
    db.flush()
    return cohort


def enrol(db: Session, user: User, cohort_id: int) -> None:
    if db.get(Enrolment, (cohort_id, user.id)) is None:
        db.add(Enrolment(cohort_id=cohort_id, user_id=user.id or 0, via="lti"))
        db.flush()


def make_instructor(db: Session, user: User, program_id: int) -> None:
    if user.role == Role.TRAINEE:
        return  # an account made as a trainee stays one (a platform cannot promote it)
    if db.get(ProgramInstructor, (program_id, user.id)) is None:
        db.add(ProgramInstructor(program_id=program_id, user_id=user.id or 0))
        db.flush()


def _assignment_of(db: Session, platform: Platform, body: dict[str, Any]) -> Assignment:
    custom = body.get(CLAIM + "custom") or {}
    raw = str(custom.get("assignment_id") or "")
    assignment = db.get(Assignment, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    cohort = db.get(Cohort, assignment.cohort_id) if assignment else None
    if assignment is None or cohort is None or cohort.program_id != platform.program_id:
        raise Refused("unknown_assignment", "This link is not tied to an assignment of the "
                      "program this platform launches into. An instructor sets the link up "
                      "again through the LMS's content picker (deep linking).", status=404)
    return assignment


def resource_link(db: Session, platform: Platform, body: dict[str, Any]) -> ResourceLink:
    """The link for this launch (tied to its assignment on first launch through the custom
    parameter deep linking set), its AGS line item and roster URL refreshed."""
    rl_id = str((body.get(CLAIM + "resource_link") or {}).get("id") or "")[:255]
    link = db.exec(select(ResourceLink).where(ResourceLink.platform_id == platform.id,
                                              ResourceLink.resource_link_id == rl_id)).first()
    if link is None:
        assignment = _assignment_of(db, platform, body)
        link = ResourceLink(platform_id=platform.id or 0, resource_link_id=rl_id,
                            assignment_id=assignment.id or 0,
                            deployment_id=str(body.get(CLAIM + "deployment_id"))[:200])
    ags = body.get(AGS_CLAIM) or {}
    nrps = body.get(NRPS_CLAIM) or {}
    link.context_id = str((body.get(CLAIM + "context") or {}).get("id") or "")[:255] or None
    link.ags = {k: ags[k] for k in ("scope", "lineitem", "lineitems") if k in ags}
    link.lineitem_url = str(ags["lineitem"])[:1000] if ags.get("lineitem") else None
    link.nrps_url = (str(nrps["context_memberships_url"])[:1000]
                     if nrps.get("context_memberships_url") else None)
    db.add(link)
    db.flush()
    return link


@dataclass
class Landing:
    user: User
    next_path: str
    title: str


def land(db: Session, platform: Platform, body: dict[str, Any]) -> Landing:
    """A resource-link launch: trainees land on the assignment, staff on its cohort."""
    user = link_user(db, platform, body)
    link = resource_link(db, platform, body)
    assignment = db.get(Assignment, link.assignment_id)
    assert assignment is not None
    if user.role == Role.TRAINEE:
        enrol(db, user, assignment.cohort_id)
        return Landing(user, f"/#/assignments/{assignment.id}", assignment.title)
    make_instructor(db, user, platform.program_id)
    return Landing(user, f"/#/cohort/{assignment.cohort_id}", assignment.title)


def code_key(code: str) -> str:
    return "code-" + hashlib.sha256(code.encode()).hexdigest()


def issue_code(db: Session, user: User, next_path: str) -> str:
    """A one-time login code (two minutes; only its hash is stored)."""
    code = secrets.token_urlsafe(32)
    DbStorage(db).set_value(code_key(code), {"user_id": user.id, "next": next_path}, CODE_TTL_S)
    return code


def redeem_code(db: Session, code: str) -> tuple[User, str] | None:
    if not code or len(code) > 100:
        return None
    found = DbStorage(db).pop(code_key(code))
    user = db.get(User, found["user_id"]) if found else None
    if user is None or not user.active or found is None:
        return None
    return user, str(found["next"])
