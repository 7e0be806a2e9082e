"""The tool's signing keys. One key is active (it signs deep-linking responses and the client
assertions of AGS/NRPS token requests); a rotation makes a new one active and leaves the old one
in the JWKS for SIM_LTI_KEY_GRACE_HOURS, so a platform holding a cached JWKS or a token signed a
moment before still verifies, and then it is retired (out of the JWKS for good)."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlmodel import Session, col, select

from sim.models.common import as_utc, utcnow
from sim.programs.lti_models import ToolKey


def _new_key() -> ToolKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    kid = secrets.token_urlsafe(12)
    public = json.loads(JWK.from_pem(pem.encode()).export_public())
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return ToolKey(kid=kid, private_pem=pem, public_jwk=public, active=True)


def public_pem(key: ToolKey) -> str:
    return JWK(**key.public_jwk).export_to_pem().decode()


def active_key(db: Session) -> ToolKey:
    """The signing key; the first call makes one (so a fresh install needs no setup step)."""
    key = db.exec(select(ToolKey).where(col(ToolKey.active).is_(True))
                  .order_by(col(ToolKey.id).desc())).first()
    if key is None:
        key = _new_key()
        db.add(key)
        db.flush()
    return key


def rotate(db: Session) -> ToolKey:
    """A new active key; the previous ones leave signing now and the JWKS after the grace."""
    now = utcnow()
    for old in db.exec(select(ToolKey).where(col(ToolKey.active).is_(True))):
        old.active = False
        old.retired_at = now
        db.add(old)
    key = _new_key()
    db.add(key)
    db.flush()
    return key


def in_grace(key: ToolKey, grace_hours: float, now: datetime | None = None) -> bool:
    if key.active or key.retired_at is None:
        return key.active
    return as_utc(key.retired_at) + timedelta(hours=grace_hours) > (now or utcnow())


def state_of(key: ToolKey, grace_hours: float) -> str:
    if key.active:
        return "active"
    return "grace" if in_grace(key, grace_hours) else "retired"


def jwks(db: Session, grace_hours: float) -> dict[str, list[dict[str, Any]]]:
    """The active key and the keys still in their grace period (public parts only)."""
    active_key(db)
    keys = db.exec(select(ToolKey).order_by(col(ToolKey.id).desc())).all()
    return {"keys": [dict(k.public_jwk) for k in keys if in_grace(k, grace_hours)]}
