"""DB-backed login sessions: the cookie carries a random token, the table its SHA-256, the user,
the CSRF token and the expiry. Logout and expiry delete the row, so any worker agrees."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from sim.errors import CsrfFailed, Unauthorized
from sim.models import AuthSession, User
from sim.models.common import as_utc, utcnow

COOKIE_NAME = "sim_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: User, ttl_minutes: int) -> tuple[str, AuthSession]:
    """Creates a login; returns the cookie token (never stored in clear) and the row."""
    token = secrets.token_urlsafe(32)
    row = AuthSession(
        id=_digest(token),
        user_id=user.id or 0,
        csrf_token=secrets.token_urlsafe(24),
        expires_at=utcnow() + timedelta(minutes=ttl_minutes),
    )
    db.add(row)
    # Opportunistic clean-up of expired logins keeps the table small without a cron job.
    db.exec(delete(AuthSession).where(col(AuthSession.expires_at) < utcnow()))
    return token, row


def load_session(db: Session, token: str | None) -> tuple[User, AuthSession]:
    """The user behind a cookie token; 401 when missing, unknown, expired or deactivated."""
    if not token or len(token) > 200:
        raise Unauthorized("Sign in first.")
    # one round trip for the login and its user: every authenticated request starts here
    found = db.exec(select(AuthSession, User).join(User, col(User.id) == AuthSession.user_id)
                    .where(col(AuthSession.id) == _digest(token))).first()
    if found is None:
        raise Unauthorized("Your session is not valid; sign in again.")
    row, user = found
    if as_utc(row.expires_at) <= utcnow():
        db.delete(row)
        raise Unauthorized("Your session expired; sign in again.")
    if not user.active:
        raise Unauthorized("This account is not active.")
    return user, row


def end_session(db: Session, row: AuthSession) -> None:
    db.delete(row)


def end_all_sessions(db: Session, user_id: int) -> None:
    """Used when a password or role changes: every existing login must sign in again."""
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))


def check_csrf(method: str, header_value: str | None, row: AuthSession) -> None:
    """State-changing requests must echo the session's CSRF token in X-CSRF-Token."""
    if method.upper() in SAFE_METHODS:
        return
    if not header_value or not hmac.compare_digest(header_value, row.csrf_token):
        raise CsrfFailed(f"Missing or wrong {CSRF_HEADER} header; use the csrf_token from login.")


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email.strip().lower())).first()
