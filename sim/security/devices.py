"""Browsers known to an account: after a successful sign-in the browser gets a random
`sim_device` cookie (HttpOnly, 90 days) and the account keeps the token's SHA-256. A sign-in
from a known browser is throttled on its own key, not on the account's (sim/security/throttle.py),
so strangers guessing the password cannot lock the owner out."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete

from sim.models import KnownDevice
from sim.models.common import utcnow

DEVICE_COOKIE = "sim_device"
DEVICE_DAYS = 90


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def known(db: Session, user_id: int, token: str | None) -> str | None:
    """The device's digest when this browser signed in to this account within DEVICE_DAYS."""
    if not token or len(token) > 100:
        return None
    digest = _digest(token)
    row = db.get(KnownDevice, digest)
    if row is None or row.user_id != user_id:
        return None
    last = row.last_used if row.last_used.tzinfo else row.last_used.replace(tzinfo=utcnow().tzinfo)
    if last < utcnow() - timedelta(days=DEVICE_DAYS):
        return None
    return digest


def remember(db: Session, user_id: int, token: str | None) -> str:
    """Marks this browser as known to the account (a new token unless it already is one);
    returns the token for the cookie."""
    if token and known(db, user_id, token):
        row = db.get(KnownDevice, _digest(token))
        if row is not None:
            row.last_used = utcnow()
            db.add(row)
            return token
    token = secrets.token_urlsafe(32)
    db.add(KnownDevice(id=_digest(token), user_id=user_id))
    db.exec(delete(KnownDevice).where(
        col(KnownDevice.last_used) < utcnow() - timedelta(days=DEVICE_DAYS)))
    return token


def forget_all(db: Session, user_id: int) -> None:
    """A password change: browsers that knew the old password are strangers again."""
    db.exec(delete(KnownDevice).where(col(KnownDevice.user_id) == user_id))

