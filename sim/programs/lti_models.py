"""LTI 1.3 (tool side): registered platforms, the tool's signing keys (rotated by admins),
used nonces, launch state, resource links, platform users, and the launch log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field


class PlatformBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    issuer: str = Field(max_length=500, description="the platform's `iss`")
    client_id: str = Field(max_length=200, description="this tool's client id on the platform")
    auth_login_url: str = Field(max_length=1000, description="OIDC authorisation endpoint")
    auth_token_url: str = Field(max_length=1000, description="OAuth2 token endpoint (AGS/NRPS)")
    key_set_url: str = Field(max_length=1000, description="the platform's JWKS")
    deployment_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    program_id: int = Field(foreign_key="prog_program.id", index=True, ondelete="CASCADE",
                            description="launches from this platform land in this program")


class PlatformCreate(SQLModel):
    name: CleanStr = Field(min_length=1, max_length=200)
    issuer: CleanStr = Field(min_length=1, max_length=500)
    client_id: CleanStr = Field(min_length=1, max_length=200)
    auth_login_url: CleanStr = Field(min_length=8, max_length=1000)
    auth_token_url: CleanStr = Field(min_length=8, max_length=1000)
    key_set_url: CleanStr = Field(min_length=8, max_length=1000)
    deployment_ids: list[CleanStr] = Field(min_length=1, max_length=50)
    program_id: int = Field(ge=1, le=2**31 - 1)


class PlatformUpdate(SQLModel):
    name: CleanStr | None = Field(default=None, min_length=1, max_length=200)
    auth_login_url: CleanStr | None = Field(default=None, min_length=8, max_length=1000)
    auth_token_url: CleanStr | None = Field(default=None, min_length=8, max_length=1000)
    key_set_url: CleanStr | None = Field(default=None, min_length=8, max_length=1000)
    deployment_ids: list[CleanStr] | None = Field(default=None, min_length=1, max_length=50)


class Platform(PlatformBase, table=True):
    __tablename__ = "prog_lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_prog_lti_platform"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = timestamp_field()


class PlatformPublic(PlatformBase):
    id: int
    created_at: datetime


class ToolKey(SQLModel, table=True):
    """An RSA key pair of the tool. The active one signs; retired ones stay in the JWKS for a
    grace period so tokens signed just before a rotation still verify."""

    __tablename__ = "prog_lti_key"

    id: int | None = Field(default=None, primary_key=True)
    kid: str = Field(max_length=64, unique=True)
    private_pem: str
    public_jwk: dict[str, Any] = Field(sa_type=JSON)
    active: bool = True
    created_at: datetime = timestamp_field()
    retired_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ToolKeyPublic(SQLModel):
    kid: str
    active: bool
    created_at: datetime
    retired_at: datetime | None


class LtiNonce(SQLModel, table=True):
    """Every id_token nonce seen, so a replayed launch is refused."""

    __tablename__ = "prog_lti_nonce"

    nonce: str = Field(primary_key=True, max_length=255)
    issuer: str = Field(primary_key=True, max_length=500)
    used_at: datetime = timestamp_field(index=True)


class LtiCache(SQLModel, table=True):
    """pylti1p3's launch-data storage (OIDC state, nonces, launch data), shared by workers."""

    __tablename__ = "prog_lti_cache"

    key: str = Field(primary_key=True, max_length=255)
    value: Any = Field(sa_type=JSON)
    expires_at: float = Field(index=True, description="epoch seconds")


class ResourceLink(SQLModel, table=True):
    __tablename__ = "prog_lti_link"
    __table_args__ = (UniqueConstraint("platform_id", "resource_link_id",
                                       name="uq_prog_lti_link"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="prog_lti_platform.id", ondelete="CASCADE")
    deployment_id: str = Field(max_length=200)
    resource_link_id: str = Field(max_length=255)
    context_id: str | None = Field(default=None, max_length=255)
    assignment_id: int = Field(foreign_key="prog_assignment.id", ondelete="CASCADE")
    lineitem_url: str | None = Field(default=None, max_length=1000)
    ags: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    nrps_url: str | None = Field(default=None, max_length=1000)


class PlatformUser(SQLModel, table=True):
    __tablename__ = "prog_lti_user"

    platform_id: int = Field(foreign_key="prog_lti_platform.id", primary_key=True,
                             ondelete="CASCADE")
    sub: str = Field(primary_key=True, max_length=255)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")


class LaunchLog(SQLModel, table=True):
    """Every launch, accepted or refused, with the reason."""

    __tablename__ = "prog_lti_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    outcome: str = Field(max_length=10, description="accepted | refused")
    reason: str = Field(max_length=500)
    issuer: str | None = Field(default=None, max_length=500)
    client_id: str | None = Field(default=None, max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class LaunchLogPublic(SQLModel):
    id: int
    at: datetime
    outcome: str
    reason: str
    issuer: str | None
    client_id: str | None
