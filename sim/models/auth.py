"""Server-side login sessions and the shared rate-limit counters (both live in the database,
so every worker sees the same logins and the same limits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from sim.models.common import timestamp_field


class AuthSession(SQLModel, table=True):
    """One login. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "auth_session"

    id: str = Field(primary_key=True, max_length=64, description="sha256 hex of the cookie token")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)


class RateLimit(SQLModel, table=True):
    """A fixed-window counter: key (e.g. 'turn:user:7') and the window's start (epoch minute)."""

    __tablename__ = "rate_limit"

    key: str = Field(primary_key=True, max_length=120)
    window_start: int = Field(primary_key=True, description="epoch seconds // window length")
    count: int = 0


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per key (account, account+address, address, account+trusted device):
    how many, the last one, and until when the key must wait (sim/security/throttle.py)."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=120)
    failures: int = 0
    last_failure: float = Field(default=0.0, description="epoch seconds")
    blocked_until: float = Field(default=0.0, description="epoch seconds")


class KnownDevice(SQLModel, table=True):
    """A browser that signed in to this account with the right password: it carries the
    `sim_device` cookie (only the token's SHA-256 is stored) and is not held back by a lockout
    that strangers' failed attempts put on the account."""

    __tablename__ = "known_device"

    id: str = Field(primary_key=True, max_length=64, description="sha256 hex of the cookie")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    last_used: datetime = timestamp_field()
