"""Account management (admins only)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import Session, col, select

from sim.deps import AdminUser, IdPath, SessionDep
from sim.errors import Conflict, NotFound, responses
from sim.models import User, UserCreate, UserPublic, UserUpdate
from sim.security.passwords import hash_password
from sim.security.sessions import end_all_sessions, find_user_by_email

router = APIRouter(prefix="/api/users", tags=["users"])


def create_user(db: Session, data: UserCreate) -> User:
    """Shared by the API, `sim create-admin` and `sim serve --seed-demo`."""
    email = data.email.strip().lower()
    if find_user_by_email(db, email) is not None:
        raise Conflict(f"An account for {email} already exists.", field="email", code="email_taken")
    user = User(email=email, display_name=data.display_name, role=data.role,
                password_hash=hash_password(data.password))
    db.add(user)
    db.flush()
    return user


@router.get("", response_model=list[UserPublic], responses=responses(401, 403))
def list_users(_: AdminUser, db: SessionDep) -> list[User]:
    return list(db.exec(select(User).order_by(col(User.id))))


@router.post("", status_code=201, response_model=UserPublic,
             responses=responses(401, 403, 409, 422))
def add_user(body: UserCreate, _: AdminUser, db: SessionDep) -> User:
    return create_user(db, body)


@router.patch("/{user_id}", response_model=UserPublic, responses=responses(401, 403, 404, 422))
def update_user(user_id: IdPath, body: UserUpdate, _: AdminUser, db: SessionDep) -> User:
    """Changing a password, role or active flag signs the user out everywhere."""
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    if body.display_name is not None:
        user.display_name = body.display_name
    if body.role is not None and body.role != user.role:
        user.role = body.role
        end_all_sessions(db, user_id)
    if body.active is not None and body.active != user.active:
        user.active = body.active
        end_all_sessions(db, user_id)
    if body.password is not None:
        user.password_hash = hash_password(body.password)
        end_all_sessions(db, user_id)
    db.add(user)
    return user
