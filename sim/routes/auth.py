"""Password login with a DB-backed cookie session and a CSRF token; logout; who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from sim.deps import LoginDep, SessionDep, SettingsDep, ThrottleDep
from sim.errors import Unauthorized, responses
from sim.models import UserPublic
from sim.models.common import CleanStr, UnicodeStr
from sim.security import devices, throttle
from sim.security.passwords import verify_password
from sim.security.sessions import COOKIE_NAME, end_session, find_user_by_email, start_session

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginIn(BaseModel):
    email: CleanStr = Field(min_length=3, max_length=254)
    password: UnicodeStr = Field(min_length=1, max_length=256)


class LoginOut(BaseModel):
    user: UserPublic
    csrf_token: str


@router.post("/login", response_model=LoginOut, responses=responses(401, 422, 429))
def login(body: LoginIn, request: Request, response: Response, db: SessionDep,
          settings: SettingsDep, store: ThrottleDep) -> LoginOut:
    """Checks the password (argon2) and sets the HttpOnly `sim_session` cookie. Failed attempts
    are throttled per account and address with a growing wait (429 `login_throttled`); a
    browser that signed in to the account before is not held back by strangers' failures."""
    email = body.email.strip().lower()
    address = request.client.host if request.client else "unknown"
    user = find_user_by_email(db, email)
    device_token = request.cookies.get(devices.DEVICE_COOKIE)
    device = devices.known(db, user.id or 0, device_token) if user else None
    keyed = throttle.keys_for(email, address, device)
    throttle.check(store, keyed)
    if not verify_password(user.password_hash if user else None, body.password) or user is None \
            or not user.active:
        store.failed(keyed, throttle.clock())
        raise Unauthorized("Wrong email or password.", code="bad_credentials")
    store.clear([k for k, rule in keyed if rule in (throttle.PAIR, throttle.DEVICE)])
    token, row = start_session(db, user, settings.session_ttl_minutes)
    response.set_cookie(COOKIE_NAME, token, max_age=settings.session_ttl_minutes * 60,
                        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")
    known = devices.remember(db, user.id or 0, device_token)
    response.set_cookie(devices.DEVICE_COOKIE, known, max_age=devices.DEVICE_DAYS * 86400,
                        httponly=True, samesite="lax", secure=settings.cookie_secure,
                        path="/api/auth/login")
    return LoginOut(user=UserPublic.model_validate(user), csrf_token=row.csrf_token)


@router.post("/logout", status_code=204, responses=responses(401, 403))
def logout(login: LoginDep, db: SessionDep, settings: SettingsDep) -> Response:
    """Deletes the login row (so the cookie is dead on every worker) and clears the cookie."""
    end_session(db, login[1])
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=settings.cookie_secure)
    return response


@router.get("/me", response_model=LoginOut, responses=responses(401))
def me(login: LoginDep) -> LoginOut:
    user, row = login
    return LoginOut(user=UserPublic.model_validate(user), csrf_token=row.csrf_token)
