"""FastAPI dependencies as `Annotated` aliases, so routes read `db: SessionDep, user: CurrentUser`.

The DB session dependency owns the transaction: commit when the route returns, roll back when
it raises. Tests swap the engine or the runtime with app.dependency_overrides.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sim.config import Settings
from sim.db import session_scope
from sim.errors import Forbidden
from sim.models import AuthSession, Role, User
from sim.runtime import Runtime
from sim.security.sessions import COOKIE_NAME, CSRF_HEADER, check_csrf, load_session
from sim.security.throttle import ThrottleStore
from sim.shared import Shared


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_shared(request: Request) -> Shared:
    return request.app.state.shared


def get_throttle(request: Request) -> ThrottleStore:
    return request.app.state.shared.throttle


MAX_ID = 2**31 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive database id")]

SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ThrottleDep = Annotated[ThrottleStore, Depends(get_throttle)]
SharedDep = Annotated[Shared, Depends(get_shared)]


def get_db(engine: EngineDep) -> Iterator[Session]:
    """One transaction per request: committed on success, rolled back on any error."""
    with session_scope(engine) as session:
        yield session


# scope="function": the transaction ends (and the connection returns to the pool) when the
# route returns, before the response is sent, so a streamed turn does not hold a connection.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_login(request: Request, db: SessionDep) -> tuple[User, AuthSession]:
    """The signed-in user and login row; checks CSRF on state-changing methods."""
    user, row = load_session(db, request.cookies.get(COOKIE_NAME))
    check_csrf(request.method, request.headers.get(CSRF_HEADER), row)
    return user, row


LoginDep = Annotated[tuple[User, AuthSession], Depends(get_login)]


class Credentials:
    """The cookie token and CSRF header of a request, checked later inside a unit of work
    (the turn routes authenticate in the same transaction that takes the turn lock)."""

    def __init__(self, request: Request) -> None:
        self.method = request.method
        self.token = request.cookies.get(COOKIE_NAME)
        self.csrf = request.headers.get(CSRF_HEADER)

    def user(self, db: Session) -> User:
        user, row = load_session(db, self.token)
        check_csrf(self.method, self.csrf, row)
        return user


CredentialsDep = Annotated[Credentials, Depends(Credentials)]


def get_current_user(login: LoginDep) -> User:
    return login[0]


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != Role.ADMIN:
        raise Forbidden("Only administrators can manage accounts.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]


def require_reviewer(user: CurrentUser) -> User:
    """Instructors and administrators review sessions; which ones is sim/studio/scope.py."""
    if user.role not in (Role.INSTRUCTOR, Role.ADMIN):
        raise Forbidden("Only instructors and administrators review sessions.")
    return user


ReviewerUser = Annotated[User, Depends(require_reviewer)]


def require_staff(user: CurrentUser) -> User:
    """Instructors and admins: the persona studio and review are theirs."""
    if user.role not in (Role.INSTRUCTOR, Role.ADMIN):
        raise Forbidden("The persona studio is for instructors and administrators.")
    return user


StaffUser = Annotated[User, Depends(require_staff)]
