"""OIDC login initiation and launch validation on pylti1p3next, tightened where the library is
lenient: the state must be one this tool issued (kept server-side, so a browser that drops
third-party cookies still launches), the token's nonce must be the one issued with that state
and is single-use (prog_lti_nonce: a replayed launch is refused), the signature is checked with
the audience, exp and iat required (60 s leeway), and every failure is a `Refused` with a code
and a sentence a person can act on."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.session import SessionService
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from sim.programs.lti.adapters import (
    Cookies,
    DbStorage,
    DbToolConf,
    LtiRequest,
    UnknownPlatform,
    find_platform,
    http_session,
)
from sim.programs.lti_models import LtiNonce, Platform

log = logging.getLogger("sim.programs.lti")
LEEWAY_S = 60
STATE_TTL_S = 600
ALGORITHMS = ("RS256", "RS384", "RS512")


class Refused(Exception):
    """A login or launch this tool will not accept: `code` for the log and tests, `message`
    for the person in front of the LMS, `status` for the HTML page."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.issuer: str | None = None
        self.client_id: str | None = None


class UrlRedirect(Redirect[str]):
    def __init__(self, url: str) -> None:
        self.url = url

    def do_redirect(self) -> str:
        return self.url

    def do_js_redirect(self) -> str:
        return self.url

    def set_redirect_url(self, location: str) -> None:
        self.url = location

    def get_redirect_url(self) -> str:
        return self.url


class ToolLogin(OIDCLogin[LtiRequest, DbToolConf, SessionService, Cookies, str]):
    def get_redirect(self, url: str) -> Redirect[str]:
        return UrlRedirect(url)


def services(db: Session, request: LtiRequest) -> dict[str, Any]:
    session = SessionService(request)
    storage = DbStorage(db)
    storage.set_request(request)
    session.set_data_storage(storage)
    return {"session_service": session, "cookie_service": Cookies(request)}


def login_redirect(db: Session, request: LtiRequest, launch_url: str) -> tuple[str, Cookies]:
    """Step 1 of a launch: checks the platform's login request and answers with the redirect
    to its authorisation endpoint (state and nonce issued and remembered here)."""
    iss = request.get_param("iss")
    client_id = request.get_param("client_id") or None
    try:
        if not iss or not request.get_param("login_hint"):
            raise Refused("bad_login", "The login request must carry iss and login_hint (the "
                          "platform starts a launch with them).")
        platform = find_platform(db, iss, client_id)
        hint = request.get_param("lti_deployment_id")
        if hint and hint not in (platform.deployment_ids or []):
            raise Refused("unknown_deployment", f"Deployment {hint!r} is not registered for "
                          "this platform; an administrator adds it under LTI platforms.")
        kit = services(db, request)
        login = ToolLogin(request, DbToolConf(db), **kit)
        url = login.get_redirect_object(launch_url).get_redirect_url()
    except UnknownPlatform as exc:
        raise _tag(Refused(exc.code, str(exc)), iss, client_id) from None
    except OIDCException as exc:
        raise _tag(Refused("bad_login", f"The login request was refused: {exc}."),
                   iss, client_id) from None
    except Refused as exc:
        raise _tag(exc, iss, client_id) from None
    query = parse_qs(urlparse(url).query)
    state, nonce = query["state"][0], query["nonce"][0]
    DbStorage(db).set_value(f"issued-{state}", {"nonce": nonce, "platform_id": platform.id},
                            STATE_TTL_S)
    return url, kit["cookie_service"]


def _tag(exc: Refused, iss: str | None, client_id: str | None) -> Refused:
    exc.issuer, exc.client_id = iss or None, client_id
    return exc


class ToolLaunch(MessageLaunch[LtiRequest, DbToolConf, SessionService, Cookies]):
    """A launch (resource link or deep linking request), validated step by step; each step
    refuses with its own reason."""

    def __init__(self, db: Session, request: LtiRequest) -> None:
        kit = services(db, request)
        super().__init__(request, DbToolConf(db), requests_session=http_session(), **kit)
        self.db = db
        self.issued: dict[str, Any] | None = None

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)

    @property
    def platform(self) -> Platform:
        assert self._tool_config.platform is not None
        return self._tool_config.platform

    def validate(self) -> ToolLaunch:
        self._validated = True
        try:
            self.validate_state().validate_jwt_format().validate_nonce()
            self.validate_registration().validate_jwt_signature().validate_deployment()
            self.validate_message().use_nonce().save_launch_data()
        except Refused:
            self._validated = False
            raise
        return self

    def validate_state(self) -> ToolLaunch:
        state = self._get_request_param("state")
        if not state:
            raise Refused("missing_state", "The launch has no state; it must follow a login "
                          "this tool answered. Start again from the LMS.")
        self.issued = DbStorage(self.db).get_value(f"issued-{state}")
        if not self.issued:
            raise Refused("unknown_state", "This launch's state was not issued by this tool or "
                          f"is older than {STATE_TTL_S // 60} minutes. Start again from the LMS.")
        return self

    def validate_jwt_format(self) -> ToolLaunch:
        try:
            super().validate_jwt_format()
        except LtiException as exc:
            raise Refused("bad_token", f"The id_token is not a readable JWT ({exc}).") from None
        return self

    def validate_nonce(self) -> ToolLaunch:
        nonce = self._jwt.get("body", {}).get("nonce")
        if not nonce:
            raise Refused("missing_nonce", "The id_token has no nonce.")
        assert self.issued is not None
        if nonce != self.issued.get("nonce"):
            raise Refused("nonce_mismatch", "The id_token's nonce is not the one this tool "
                          "issued for this login: it belongs to another launch.")
        return self

    def validate_registration(self) -> ToolLaunch:
        body: dict[str, Any] = dict(self._jwt.get("body", {}))
        iss = body.get("iss")
        aud = body.get("aud")
        auds = aud if isinstance(aud, list) else [aud] if aud else []
        if not iss or not auds:
            raise Refused("bad_token", "The id_token must name its issuer (iss) and audience.")
        try:
            platform = find_platform(self.db, str(iss), str(auds[0]))
        except UnknownPlatform as exc:
            raise Refused(exc.code, str(exc)) from None
        if self.issued and self.issued.get("platform_id") != platform.id:
            raise Refused("wrong_platform", "The id_token comes from another platform than the "
                          "login it answers.")
        self._tool_config.platform = platform
        self._registration = self._tool_config.find_registration_by_params(
            str(iss), str(auds[0]))
        return self

    def validate_jwt_signature(self) -> ToolLaunch:
        try:
            public_key, alg = self.get_public_key()
        except LtiException as exc:
            raise Refused("unknown_key", f"The platform's key for this id_token could not be "
                          f"found in its JWKS ({exc}).") from None
        if alg not in ALGORITHMS:
            raise Refused("bad_signature", f"Algorithm {alg!r} is not accepted (RS256/384/512).")
        try:
            jwt.decode(self._get_id_token(), public_key, algorithms=[alg],
                       audience=self.platform.client_id, issuer=self.platform.issuer,
                       leeway=LEEWAY_S, options={"require": ["exp", "iat", "iss", "aud"]})
        except jwt.ExpiredSignatureError:
            raise Refused("expired", "The id_token has expired (exp is in the past); the "
                          "launch took too long or was replayed. Start again from the LMS.")\
                from None
        except jwt.ImmatureSignatureError:
            raise Refused("not_yet_valid", "The id_token is issued in the future (iat); the "
                          "platform's clock is wrong.") from None
        except jwt.InvalidAudienceError:
            raise Refused("wrong_audience", "The id_token is not addressed to this tool's "
                          "client id (aud).") from None
        except jwt.InvalidSignatureError:
            raise Refused("bad_signature", "The id_token's signature does not verify with the "
                          "platform's public key: it was not signed by the registered platform "
                          "or was altered.") from None
        except jwt.InvalidTokenError as exc:
            raise Refused("bad_token", f"The id_token is not valid: {exc}.") from None
        body: dict[str, Any] = dict(self._jwt.get("body", {}))
        aud = body.get("aud")
        if isinstance(aud, list) and len(aud) > 1 and body.get("azp") != self.platform.client_id:
            raise Refused("wrong_audience", "The id_token has several audiences and its azp is "
                          "not this tool's client id.")
        return self

    def validate_deployment(self) -> ToolLaunch:
        deployment = self._jwt.get("body", {}).get(
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id")
        if not deployment or deployment not in (self.platform.deployment_ids or []):
            raise Refused("unknown_deployment", f"Deployment {deployment!r} is not registered "
                          "for this platform; an administrator adds it under LTI platforms.")
        return self

    def validate_message(self) -> ToolLaunch:
        try:
            super().validate_message()
        except LtiException as exc:
            raise Refused("bad_message", f"The launch message is not one this tool accepts "
                          f"(a resource link or deep linking request): {exc}.") from None
        return self

    def use_nonce(self) -> ToolLaunch:
        """The nonce, once: a second launch with it (a replay) is refused."""
        nonce = str(self._jwt.get("body", {}).get("nonce"))[:255]
        try:
            with self.db.begin_nested():
                self.db.add(LtiNonce(nonce=nonce, issuer=self.platform.issuer[:500]))
        except IntegrityError:
            raise Refused("reused_nonce", "This launch was already used (its nonce was seen "
                          "before): a launch cannot be replayed. Start again from the LMS.")\
                from None
        return self

    def body(self) -> dict[str, Any]:
        return dict(self.get_launch_data())
