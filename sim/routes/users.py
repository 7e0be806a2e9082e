"""Account management (admins only)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import update
from sqlmodel import Session, col, select

from sim.deps import AdminUser, IdPath, SessionDep, ThrottleDep
from sim.errors import Conflict, Invalid, NotFound, responses
from sim.models import Role, User, UserCreate, UserPublic, UserUpdate
from sim.security import devices, throttle
from sim.security.passwords import hash_password
from sim.security.policy import check_password
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


def keep_an_admin(db: Session, user: User, body: UserUpdate) -> None:
    """409 `last_admin` when the change would leave no active administrator (nobody could
    manage accounts any more, short of `sim create-admin` on the server)."""
    demoted = body.role is not None and body.role != Role.ADMIN
    deactivated = body.active is False
    if user.role != Role.ADMIN or not user.active or not (demoted or deactivated):
        return
    # write-lock every active administrator's row before counting them (a no-op UPDATE: row
    # locks on PostgreSQL, the database's write lock on SQLite): two admins demoting each
    # other at the same moment would otherwise each still see the other and leave none
    db.execute(update(User).where(col(User.role) == Role.ADMIN, col(User.active))
               .values(role=User.role).execution_options(synchronize_session=False))
    others = db.exec(select(User.id).where(User.role == Role.ADMIN, col(User.active),
                                           User.id != user.id).limit(1)).first()
    if others is None:
        what = "demoted" if demoted else "deactivated"
        raise Conflict(f"{user.email} is the last active administrator and cannot be {what}; "
                       "make another account an administrator first.",
                       field="role" if demoted else "active", code="last_admin")


@router.patch("/{user_id}", response_model=UserPublic,
              responses=responses(401, 403, 404, 409, 422))
def update_user(user_id: IdPath, body: UserUpdate, _: AdminUser, db: SessionDep,
                store: ThrottleDep) -> User:
    """Changing a password, role or active flag signs the user out everywhere; the last active
    administrator cannot be demoted or deactivated (409 `last_admin`)."""
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    keep_an_admin(db, user, body)
    if body.display_name is not None:
        user.display_name = body.display_name
    if body.role is not None and body.role != user.role:
        user.role = body.role
        end_all_sessions(db, user_id)
    if body.active is not None and body.active != user.active:
        user.active = body.active
        end_all_sessions(db, user_id)
    if body.password is not None:
        try:
            check_password(body.password, user.email)
        except ValueError as exc:
            raise Invalid(f"password: {exc}", field="password") from None
        user.password_hash = hash_password(body.password)
        end_all_sessions(db, user_id)
        devices.forget_all(db, user_id)
        throttle.clear_after_commit(db, store, throttle.account_keys(user.email))
    db.add(user)
    return user
