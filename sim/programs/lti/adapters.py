"""pylti1p3next's seams filled for this app: the request (form or query already read), cookies
(set on the response we return), launch data kept in the database (prog_lti_cache, so every
worker sees the state and nonce a login issued), the registered platforms as its tool config,
and an HTTP session whose calls cannot hang (requests has no default timeout)."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config import ToolConfAbstract
from sqlmodel import Session, col, select

from sim.programs.lti.keys import active_key, public_pem
from sim.programs.lti_models import LtiCache, Platform

HTTP_TIMEOUT_S = 10.0


class LtiRequest(Request):
    """The parameters of a login or launch (query for GET, form for POST) and its cookies."""

    def __init__(self, params: dict[str, str], cookies: dict[str, str], secure: bool) -> None:
        self.params = params
        self.cookies = cookies
        self.secure = secure

    @property
    def session(self) -> dict[str, Any]:
        return {}

    def is_secure(self) -> bool:
        return self.secure

    def get_param(self, key: str) -> str:
        return self.params.get(key) or ""


class Cookies(CookieService):
    """pylti1p3's cookie service: reads the request's, collects the ones to set."""

    prefix = "lti1p3-"

    def __init__(self, request: LtiRequest) -> None:
        self.request = request
        self.to_set: list[tuple[str, str, int | None]] = []

    def get_cookie(self, name: str) -> str | None:
        return self.request.cookies.get(self.prefix + name)

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self.to_set.append((self.prefix + name, str(value), exp))

    def apply(self, response: Any) -> None:
        # SameSite=None (with Secure) is what lets the browser send the state cookie with the
        # platform's cross-site form post; without HTTPS it could not be set, so Lax.
        secure = self.request.secure
        for name, value, exp in self.to_set:
            response.set_cookie(name, value, max_age=exp, httponly=True, path="/lti/",
                                secure=secure, samesite="none" if secure else "lax")


class DbStorage(LaunchDataStorage[Any]):
    """Launch data, issued nonces and OIDC states in prog_lti_cache, with an expiry. Keys are
    random (state-<uuid>, nonce-<hex>, launch-<uuid>), so no browser session id is mixed in:
    the flow must survive browsers that drop third-party cookies."""

    def __init__(self, db: Session) -> None:
        super().__init__()
        self.db = db

    def get_session_cookie_name(self) -> None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = self.db.get(LtiCache, self._prepare_key(key)[:255])
        if row is None or row.expires_at < time.time():
            return None
        return row.value

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        self.db.merge(LtiCache(key=self._prepare_key(key)[:255], value=value,
                               expires_at=time.time() + (exp or 86400)))
        self.db.flush()

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def pop(self, key: str) -> Any:
        """The value, removed: for what may be used once (login codes, deep-link choices)."""
        row = self.db.get(LtiCache, self._prepare_key(key)[:255])
        if row is None:
            return None
        self.db.delete(row)
        self.db.flush()
        return row.value if row.expires_at >= time.time() else None


class ToolRegistration(Registration):
    """A registered platform with the tool's active key; the key id is ours, not a thumbprint."""

    def __init__(self, platform: Platform, kid: str) -> None:
        self.platform = platform
        self._kid = kid

    def get_kid(self) -> str:
        return self._kid


def registration_for(db: Session, platform: Platform) -> ToolRegistration:
    key = active_key(db)
    reg = ToolRegistration(platform, key.kid)
    reg.set_issuer(platform.issuer).set_client_id(platform.client_id)
    reg.set_key_set_url(platform.key_set_url).set_auth_token_url(platform.auth_token_url)
    reg.set_auth_login_url(platform.auth_login_url).set_tool_private_key(key.private_pem)
    reg.set_tool_public_key(public_pem(key))
    return reg


class UnknownPlatform(Exception):
    """No registration for this issuer (and client id); `wrong_audience` when the issuer is
    known but the client id (the token's aud) is not one registered for it."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def find_platform(db: Session, iss: str, client_id: str | None) -> Platform:
    rows = list(db.exec(select(Platform).where(Platform.issuer == iss)
                        .order_by(col(Platform.id))))
    if not rows:
        raise UnknownPlatform(f"No platform is registered with issuer {iss!r}.", "unknown_issuer")
    if client_id:
        for row in rows:
            if row.client_id == client_id:
                return row
        raise UnknownPlatform(f"The client id (aud) {client_id!r} is not this tool's client id "
                              f"on the platform {iss!r}.", "wrong_audience")
    if len(rows) > 1:
        raise UnknownPlatform(f"Issuer {iss!r} has several registrations; the request must name "
                              "its client_id.", "unknown_issuer")
    return rows[0]


class DbToolConf(ToolConfAbstract[LtiRequest]):
    """The registered platforms as pylti1p3's tool config (an issuer may hold several client
    ids, so every lookup goes by issuer and client id)."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.platform: Platform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        return self.find_registration_by_params(iss, "", *args, **kwargs)

    def find_registration_by_params(self, iss: str, client_id: str | None, *args: Any,
                                    **kwargs: Any) -> Registration:
        self.platform = find_platform(self.db, iss, client_id or None)
        return registration_for(self.db, self.platform)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str,
                                  *args: Any, **kwargs: Any) -> Deployment | None:
        platform = find_platform(self.db, iss, client_id or None)
        if deployment_id in (platform.deployment_ids or []):
            return Deployment().set_deployment_id(deployment_id)
        return None


class TimeoutSession(requests.Session):
    """Every call to a platform gives up after HTTP_TIMEOUT_S (requests waits forever)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    session = TimeoutSession()
    session.headers["User-Agent"] = "resistance-sim-lti/1 (pylti1p3next)"
    return session


_TOKENS: dict[str, tuple[str, float]] = {}
_TOKENS_LOCK = threading.Lock()


class Connector(ServiceConnector):
    """AGS/NRPS calls: access tokens (OAuth2 client credentials with a JWT assertion signed by
    the tool key) are kept in this process until a minute before they expire."""

    def _key(self, scope_key: str) -> str:
        return f"{self._registration.get_client_id()}|{self._registration.get_kid()}|{scope_key}"

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        with _TOKENS_LOCK:
            found = _TOKENS.get(self._key(scope_key))
        return found[0] if found and found[1] > time.time() else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        with _TOKENS_LOCK:
            _TOKENS[self._key(scope_key)] = (access_token,
                                             time.time() + max(0.0, float(expires_in) - 60))
