"""Account links: invitations (the invitee sets their own password) and password resets. Both
are one-time links: the token is shown once, only its SHA-256 is stored, it expires, and
using or revoking it ends it. The project sends no e-mail: the administrator passes links on."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import DateTime, String
from sqlmodel import Field, SQLModel

from sim.models import Role
from sim.models.common import CleanStr, UnicodeStr, timestamp_field
from sim.models.users import Email
from sim.security.policy import MAX_PASSWORD

LinkStatus = Literal["pending", "used", "expired", "revoked"]
HOURS_MAX = 30 * 24


class LinkBase(SQLModel):
    token_hash: str = Field(max_length=64, unique=True, index=True,
                            description="sha256 hex of the token in the link")
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


# --- invitations ---------------------------------------------------------------------------

class InviteCreate(SQLModel):
    email: Email = Field(description="name@domain.tld (stored lower-case)")
    display_name: CleanStr = Field(min_length=1, max_length=120)
    role: Role = Role.TRAINEE
    expires_in_hours: int = Field(default=7 * 24, ge=1, le=HOURS_MAX)


class Invite(LinkBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    display_name: str = Field(max_length=120)
    role: Role = Field(default=Role.TRAINEE, sa_type=String(20))
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL",
                                description="the account made when the link was used")


class InvitePublic(SQLModel):
    id: int
    email: str
    display_name: str
    role: Role
    status: LinkStatus
    created_at: datetime
    expires_at: datetime
    created_by_name: str | None


class InviteLink(SQLModel):
    """Shown once, to the administrator who made it: the token is not stored in clear."""

    invite: InvitePublic
    link: str = Field(description="path of the one-time link, e.g. /#/invite/<token>")


# --- password resets -----------------------------------------------------------------------

class ResetCreate(SQLModel):
    expires_in_hours: int = Field(default=24, ge=1, le=7 * 24)


class PasswordReset(LinkBase, table=True):
    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")


class ResetLink(SQLModel):
    user_id: int
    email: str
    expires_at: datetime
    link: str = Field(description="path of the one-time link, e.g. /#/reset/<token>")


# --- using a link, and changing one's own password -------------------------------------------

class LinkCheck(SQLModel):
    token: CleanStr = Field(min_length=16, max_length=200)


class LinkRedeem(LinkCheck):
    password: UnicodeStr = Field(max_length=MAX_PASSWORD, description=(
        "10-256 characters, at least 5 different ones, not a common password or the email"))


class LinkInfo(SQLModel):
    kind: Literal["invite", "reset"]
    email: str
    display_name: str
    expires_at: datetime


class PasswordChange(SQLModel):
    current_password: UnicodeStr = Field(min_length=1, max_length=MAX_PASSWORD)
    new_password: UnicodeStr = Field(max_length=MAX_PASSWORD)
