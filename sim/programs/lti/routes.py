"""The endpoints a platform and the LMS's browser reach: the tool's JWKS, OIDC login
initiation (GET or POST), the launch (resource link or deep linking request), the deep-linking
choice, and the one-time sign-in of the new window. Every refusal is an HTML page saying what
was wrong, a row in the launch log and an audit event."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from sqlmodel import Session

from sim.deps import RuntimeDep, SessionDep, SettingsDep
from sim.models import User
from sim.models.sessions import SessionMode
from sim.programs.audit import audit
from sim.programs.config import ProgramSettings
from sim.programs.criteria import PassCriteria
from sim.programs.lti import pages
from sim.programs.lti.adapters import DbStorage, LtiRequest
from sim.programs.lti.keys import jwks
from sim.programs.lti.landing import (
    CLAIM,
    context_cohort,
    is_staff,
    issue_code,
    land,
    link_user,
    make_instructor,
    redeem_code,
)
from sim.programs.lti.launch import Refused, ToolLaunch, login_redirect
from sim.programs.lti.worker import lti_lifespan
from sim.programs.lti_models import LaunchLog, Platform
from sim.programs.models import Assignment
from sim.security.sessions import COOKIE_NAME, start_session

router = APIRouter(prefix="/lti", tags=["lti"], lifespan=lti_lifespan)
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
HTML = {"content": {"text/html": {}}, "description": "An HTML page"}


def base_url(request: Request) -> str:
    return (ProgramSettings().public_url or str(request.base_url)).rstrip("/")


async def lti_request(request: Request) -> LtiRequest:
    params: dict[str, str] = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return LtiRequest(params, dict(request.cookies), request.url.scheme == "https")


def frames_of(platform: Platform | None) -> list[str | None]:
    if platform is None:
        return []
    return [pages.origin(u) for u in (platform.issuer, platform.auth_login_url)]


def refuse(db: Session, exc: Refused, detail: dict[str, Any] | None = None) -> HTMLResponse:
    row = LaunchLog(outcome="refused", reason=f"{exc.code}: {exc.message}"[:500],
                    issuer=(exc.issuer or None) and exc.issuer[:500],
                    client_id=(exc.client_id or None) and exc.client_id[:200],
                    detail=detail or {})
    db.add(row)
    db.flush()
    audit(db, None, "lti_refused", "lti_launch", row.id, detail={"code": exc.code})
    return pages.refused_page(exc.code, exc.message, row.id, exc.status)


def accepted(db: Session, user: User, platform: Platform, kind: str, detail: dict[str, Any]
             ) -> None:
    db.add(LaunchLog(outcome="accepted", reason=kind, issuer=platform.issuer[:500],
                     client_id=platform.client_id[:200], detail=detail))
    audit(db, user, "lti_launch", kind, detail.get("object_id", ""), subject_user_id=user.id,
          detail=detail)


@router.get("/jwks", summary="The tool's public keys (JWKS)")
def tool_jwks(db: SessionDep) -> JSONResponse:
    """The active key and keys rotated out less than SIM_LTI_KEY_GRACE_HOURS ago."""
    return JSONResponse(jwks(db, ProgramSettings().lti_key_grace_hours),
                        headers={"Cache-Control": "max-age=300"})


async def _login(request: Request, db: Session) -> Response:
    req = await lti_request(request)
    try:
        url, cookies = login_redirect(db, req, f"{base_url(request)}/lti/launch")
    except Refused as exc:
        return refuse(db, exc, {"step": "login"})
    response = RedirectResponse(url, status_code=302)
    cookies.apply(response)
    return response


@router.get("/login", response_class=Response, summary="OIDC login initiation (GET)",
            responses={302: {"description": "To the platform's authorisation endpoint"},
                       400: HTML})
async def login_get(request: Request, db: SessionDep) -> Response:
    return await _login(request, db)


@router.post("/login", response_class=Response, summary="OIDC login initiation (POST)",
             responses={302: {"description": "To the platform's authorisation endpoint"},
                        400: HTML})
async def login_post(request: Request, db: SessionDep) -> Response:
    return await _login(request, db)


@router.post("/launch", response_class=HTMLResponse, responses={400: HTML, 403: HTML, 404: HTML},
             summary="LTI launch (id_token and state, form-posted by the platform)")
async def launch(request: Request, db: SessionDep, runtime: RuntimeDep) -> Response:
    req = await lti_request(request)
    tool = ToolLaunch(db, req)
    try:
        with db.begin_nested():
            tool.validate()
            body = tool.body()
            platform = tool.platform
            if tool.is_deep_link_launch():
                return _picker(db, runtime, tool, platform, body)
            landing = land(db, platform, body)
            code = issue_code(db, landing.user, landing.next_path)
            accepted(db, landing.user, platform, "resource_link", {
                "object_id": landing.next_path, "sub": str(body.get("sub"))[:255]})
    except Refused as exc:
        jwt_body: dict[str, Any] = dict(tool._jwt.get("body", {}))
        aud = jwt_body.get("aud")
        exc.issuer = str(jwt_body.get("iss") or "") or None
        exc.client_id = str(aud[0] if isinstance(aud, list) and aud else aud or "") or None
        return refuse(db, exc, {"step": "launch"})
    staff = landing.user.role != "trainee"
    return pages.launch_page(landing.title, f"/lti/enter?code={code}", staff, frames_of(platform))


def scenarios(db: Session, runtime: RuntimeDep) -> list[tuple[str, str, str]]:
    """The published scenarios (drafts stay in the studio)."""
    return [(p.id, p.title, getattr(p, "summary", "") or "")
            for p in runtime.catalog.published(db)]


def _picker(db: Session, runtime: RuntimeDep, tool: ToolLaunch, platform: Platform,
            body: dict[str, Any]) -> Response:
    if not is_staff(body):
        raise Refused("not_instructor", "Only the course's instructors can choose a scenario "
                      "(this was a deep linking request from a learner).", status=403)
    user = link_user(db, platform, body)
    make_instructor(db, user, platform.program_id)
    cohort = context_cohort(db, platform, body)
    accepted(db, user, platform, "deep_link_request", {"object_id": cohort.id})
    return pages.picker_page(tool.get_launch_id(), cohort.name, scenarios(db, runtime),
                             frames_of(platform))


@router.post("/deep-link", response_class=HTMLResponse,
             responses={400: HTML, 403: HTML, 404: HTML, 422: HTML},
             summary="The instructor's choice: an assignment and a signed LtiDeepLinkingResponse")
async def deep_link(request: Request, db: SessionDep, runtime: RuntimeDep) -> Response:
    req = await lti_request(request)
    launch_id = req.get_param("launch_id")
    data = DbStorage(db).get_value(launch_id) if launch_id.startswith("lti1p3-launch-") else None
    if (not data or data.get(CLAIM + "message_type") != "LtiDeepLinkingRequest"
            or not is_staff(data)):
        return refuse(db, Refused("unknown_launch", "This choice does not belong to a deep "
                                  "linking launch that is still open (each can be used once, "
                                  "within a day). Open the content picker again from the LMS."),
                      {"step": "deep_link"})
    tool = ToolLaunch(db, req)
    tool.set_launch_id(launch_id).set_auto_validation(False).set_jwt({"body": data})
    tool.set_restored().validate_registration()
    platform = tool.platform
    choice = _choice(db, req, runtime)
    if isinstance(choice, str):
        cohort = context_cohort(db, platform, data)
        response = pages.picker_page(launch_id, cohort.name, scenarios(db, runtime),
                                     frames_of(platform), error=choice)
        response.status_code = 422
        return response
    persona_id, title, mode, attempts = choice
    cohort = context_cohort(db, platform, data)
    assignment = Assignment(title=title, persona_ids=[persona_id], mode=mode,
                            attempts_allowed=attempts, cohort_id=cohort.id or 0,
                            criteria=PassCriteria().model_dump(mode="json"))
    db.add(assignment)
    db.flush()
    DbStorage(db).pop(launch_id)  # once
    resource = (DeepLinkResource().set_url(f"{base_url(request)}/lti/launch").set_title(title)
                .set_custom_params({"assignment_id": str(assignment.id)})
                .set_lineitem(LineItem().set_score_maximum(100).set_label(title)
                              .set_resource_id(f"assignment-{assignment.id}")
                              .set_tag("resistance-sim")))
    token = tool.get_deep_link().get_response_jwt([resource])
    user = link_user(db, platform, data)
    accepted(db, user, platform, "deep_link_response", {"object_id": assignment.id,
                                                        "persona_id": persona_id})
    return_url = str(data[DL_SETTINGS]["deep_link_return_url"])
    return pages.return_page(return_url, token, title, frames_of(platform))


def _choice(db: Session, req: LtiRequest,
            runtime: RuntimeDep) -> tuple[str, str, SessionMode, int] | str:
    """The picker's form, checked; a string says what is wrong (shown above the form)."""
    persona_id = req.get_param("persona_id")
    persona = runtime.catalog.current(db, persona_id)
    if persona is None:
        return f"Choose one of the scenarios listed (got {persona_id[:64]!r})."
    title = " ".join(req.get_param("title").split())[:200] or persona.title[:200]
    try:
        mode = SessionMode(req.get_param("mode") or "exam")
    except ValueError:
        return "Mode must be exam or coach."
    raw = req.get_param("attempts_allowed") or "3"
    if not raw.isdigit() or not 1 <= int(raw) <= 50:
        return f"Attempts allowed must be a whole number from 1 to 50 (got {raw[:10]!r})."
    return persona_id, title, mode, int(raw)


@router.get("/enter", response_class=HTMLResponse, responses={400: HTML},
            summary="Signs the new window in with a launch's one-time code")
def enter(db: SessionDep, settings: SettingsDep, code: str = "") -> Response:
    found = redeem_code(db, code)
    if found is None:
        return refuse(db, Refused("bad_code", "This sign-in link was already used or is older "
                                  "than two minutes. Launch again from the LMS."),
                      {"step": "enter"})
    user, next_path = found
    token, _ = start_session(db, user, settings.session_ttl_minutes)
    audit(db, user, "lti_sign_in", "user", user.id, subject_user_id=user.id)
    response = pages.enter_page(next_path)
    response.set_cookie(COOKIE_NAME, token, max_age=settings.session_ttl_minutes * 60,
                        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")
    return response
