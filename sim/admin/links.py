"""One-time account links: make one (the token is returned once, its hash stored), find one by
its token, and say why it no longer works (used, expired, revoked) in words a person can act on.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from sim.admin.models import Invite, InvitePublic, LinkBase, LinkStatus, PasswordReset
from sim.errors import Conflict, NotFound
from sim.models import User, utcnow
from sim.models.common import as_utc


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A random token for the link (256 bits) and the hash that is stored."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def expiry(hours: int) -> datetime:
    return utcnow() + timedelta(hours=hours)


def status(link: LinkBase) -> LinkStatus:
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "revoked"
    if as_utc(link.expires_at) <= utcnow():
        return "expired"
    return "pending"


def find(db: Session, token: str) -> Invite | PasswordReset:
    """The invitation or reset behind a token, if it can still be used; else 404 or 409 with
    what happened and what to do."""
    hashed = digest(token.strip())
    link: Invite | PasswordReset | None = db.exec(
        select(Invite).where(Invite.token_hash == hashed)).first()
    if link is None:
        link = db.exec(select(PasswordReset).where(PasswordReset.token_hash == hashed)).first()
    if link is None:
        raise NotFound("This link is not valid: check that it was copied whole, or ask an "
                       "administrator for a new one.", field="token", code="link_invalid")
    state = status(link)
    what = "invitation" if isinstance(link, Invite) else "password reset link"
    if state == "used":
        raise Conflict(f"This {what} has already been used; sign in, or ask an administrator "
                       "for a new link.", field="token", code="link_used")
    if state == "revoked":
        raise Conflict(f"This {what} was withdrawn by an administrator; ask for a new one.",
                       field="token", code="link_revoked")
    if state == "expired":
        raise Conflict(f"This {what} expired on {as_utc(link.expires_at):%Y-%m-%d %H:%M} UTC; "
                       "ask an administrator for a new one.", field="token", code="link_expired")
    return link


def pending_invite(db: Session, email: str) -> Invite | None:
    now = utcnow()
    for row in db.exec(select(Invite).where(Invite.email == email,
                                            col(Invite.used_at).is_(None),
                                            col(Invite.revoked_at).is_(None))):
        if as_utc(row.expires_at) > now:
            return row
    return None


def invite_public(row: Invite, names: dict[int, str]) -> InvitePublic:
    return InvitePublic(id=row.id or 0, email=row.email, display_name=row.display_name,
                        role=row.role, status=status(row), created_at=as_utc(row.created_at),
                        expires_at=as_utc(row.expires_at),
                        created_by_name=names.get(row.created_by or 0))


def revoke_resets(db: Session, user_id: int) -> None:
    """Earlier unused reset links of this user stop working (only the newest one counts)."""
    for row in db.exec(select(PasswordReset).where(PasswordReset.user_id == user_id,
                                                   col(PasswordReset.used_at).is_(None),
                                                   col(PasswordReset.revoked_at).is_(None))):
        row.revoked_at = utcnow()
        db.add(row)


def user_names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id or 0: u.display_name for u in db.exec(select(User).where(col(User.id).in_(ids)))}
