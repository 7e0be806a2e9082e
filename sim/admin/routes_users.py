"""Administrators: the user list with search and filters, and password-reset links."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query
from sqlalchemy import func
from sqlmodel import Field, SQLModel, col, or_, select

from sim.admin.links import expiry, new_token, revoke_resets
from sim.admin.models import PasswordReset, ResetCreate, ResetLink
from sim.deps import AdminUser, IdPath, SessionDep
from sim.errors import NotFound, responses
from sim.models import PracticeSession, Role, User
from sim.models.common import as_utc

router = APIRouter(prefix="/api/admin", tags=["admin"])


class AdminUserRow(SQLModel):
    id: int
    email: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    sessions: int = Field(description="practice sessions this account started")


class UserPage(SQLModel):
    total: int
    items: list[AdminUserRow]


@router.get("/users", response_model=UserPage, responses=responses(401, 403, 422))
def users(_: AdminUser, db: SessionDep,
          q: str | None = Query(default=None, max_length=200,
                                description="part of a name or email, any case"),
          role: Role | None = None, active: bool | None = None,
          limit: int = Query(default=50, ge=1, le=500),
          offset: int = Query(default=0, ge=0, le=2**31 - 1)) -> UserPage:
    """Accounts sorted by name, with search, role and active filters, and paging."""
    where = []
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        where.append(or_(func.lower(User.display_name).like(pattern),
                         func.lower(User.email).like(pattern)))
    if role is not None:
        where.append(col(User.role) == role)
    if active is not None:
        where.append(col(User.active) == active)
    total = db.exec(select(func.count()).select_from(User).where(*where)).one()
    rows = list(db.exec(select(User).where(*where)
                        .order_by(func.lower(User.display_name), col(User.id))
                        .limit(limit).offset(offset)))
    ids = [u.id for u in rows]
    counts = dict(db.exec(select(PracticeSession.user_id, func.count())
                          .where(col(PracticeSession.user_id).in_(ids))
                          .group_by(col(PracticeSession.user_id))).all()) if ids else {}
    return UserPage(total=int(total), items=[AdminUserRow(
        id=u.id or 0, email=u.email, display_name=u.display_name, role=u.role, active=u.active,
        created_at=as_utc(u.created_at), sessions=int(counts.get(u.id or 0, 0))) for u in rows])


@router.post("/users/{user_id}/reset-link", status_code=201, response_model=ResetLink,
             responses=responses(401, 403, 404, 422))
def reset_link(user_id: IdPath, body: ResetCreate, admin: AdminUser, db: SessionDep
               ) -> ResetLink:
    """A one-time link with which the user sets a new password (earlier unused links of this
    user stop working). The project sends no e-mail: give the link to the person yourself."""
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    revoke_resets(db, user_id)
    token, hashed = new_token()
    row = PasswordReset(user_id=user_id, token_hash=hashed, created_by=admin.id,
                        expires_at=expiry(body.expires_in_hours))
    db.add(row)
    db.flush()
    return ResetLink(user_id=user_id, email=user.email, expires_at=as_utc(row.expires_at),
                     link=f"/#/reset/{token}")
