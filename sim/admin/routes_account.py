"""Everyone's own account: use a one-time link (accept an invitation or reset a password; no
sign-in needed, the link is the credential) and change one's own password (signed in, current
password required)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, delete

from sim.admin.links import find, revoke_resets
from sim.admin.models import Invite, LinkCheck, LinkInfo, LinkRedeem, PasswordChange
from sim.deps import LoginDep, SessionDep, SettingsDep, SharedDep
from sim.errors import Conflict, Invalid, responses
from sim.models import AuthSession, User, UserCreate, UserPublic, utcnow
from sim.models.common import as_utc
from sim.routes.users import create_user
from sim.security import devices, throttle
from sim.security.passwords import hash_password, verify_password
from sim.security.policy import check_password
from sim.security.sessions import end_all_sessions, find_user_by_email
from sim.shared import Shared

router = APIRouter(prefix="/api/account", tags=["account"])


def _limit(db: Session, shared: Shared, request: Request, limit: int) -> None:
    """Links carry 256 random bits, so guessing is hopeless; the limit keeps it that way."""
    client = request.client.host if request.client else "unknown"
    shared.limits.hit(db, f"link-ip:{client}", max(30, limit))


def _password(value: str, email: str, field: str = "password") -> str:
    try:
        return check_password(value, email)
    except ValueError as exc:
        raise Invalid(f"{field}: {exc}", field=field) from None


@router.post("/links/check", response_model=LinkInfo, responses=responses(404, 409, 422, 429))
def check_link(body: LinkCheck, request: Request, db: SessionDep, settings: SettingsDep,
               shared: SharedDep) -> LinkInfo:
    """Who a link is for, so the page can greet them; 404 `link_invalid`, 409 `link_used`,
    `link_expired` or `link_revoked` say why it no longer works."""
    _limit(db, shared, request, settings.rate_limit_per_minute)
    link = find(db, body.token)
    if isinstance(link, Invite):
        return LinkInfo(kind="invite", email=link.email, display_name=link.display_name,
                        expires_at=as_utc(link.expires_at))
    user = db.get(User, link.user_id)
    assert user is not None  # the reset row is deleted with its user
    return LinkInfo(kind="reset", email=user.email, display_name=user.display_name,
                    expires_at=as_utc(link.expires_at))


@router.post("/links/redeem", response_model=UserPublic,
             responses=responses(404, 409, 422, 429))
def redeem_link(body: LinkRedeem, request: Request, db: SessionDep, settings: SettingsDep,
                shared: SharedDep) -> User:
    """Sets the password: an invitation makes the account; a reset replaces the password,
    signs the user out everywhere and clears their login throttling (as an administrator's
    password change does). Either way the link is used up; then sign in."""
    _limit(db, shared, request, settings.rate_limit_per_minute)
    link = find(db, body.token)
    if isinstance(link, Invite):
        _password(body.password, link.email)
        if find_user_by_email(db, link.email) is not None:
            raise Conflict(f"An account for {link.email} already exists; sign in, or ask an "
                           "administrator for a password reset link.", code="email_taken")
        user = create_user(db, UserCreate(email=link.email, display_name=link.display_name,
                                          password=body.password, role=link.role))
        link.user_id = user.id
    else:
        found = db.get(User, link.user_id)
        assert found is not None
        user = found
        _password(body.password, user.email)
        user.password_hash = hash_password(body.password)
        end_all_sessions(db, user.id or 0)
        devices.forget_all(db, user.id or 0)
        throttle.clear_after_commit(db, shared.throttle, throttle.account_keys(user.email))
        revoke_resets(db, user.id or 0)
        db.add(user)
    link.used_at = utcnow()
    link.revoked_at = None
    db.add(link)
    return user


@router.post("/password", status_code=204, responses=responses(401, 403, 422, 429))
def change_password(body: PasswordChange, login: LoginDep, db: SessionDep, shared: SharedDep
                    ) -> Response:
    """Your own new password; your other sign-ins end, this one stays. A wrong current password
    is a 422 on `current_password` (10 tries a minute)."""
    user, row = login
    shared.limits.hit(db, f"password-change:{user.id}", 10)
    if not verify_password(user.password_hash, body.current_password):
        raise Invalid("current_password: is not your current password", field="current_password")
    if body.new_password == body.current_password:
        raise Invalid("new_password: is the same as your current password; choose a new one",
                      field="new_password")
    _password(body.new_password, user.email, "new_password")
    user.password_hash = hash_password(body.new_password)
    db.add(user)
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user.id,
                                      col(AuthSession.id) != row.id))
    return Response(status_code=204)
