"""SQLModel tables and their API shapes, one family per entity (Base/Create/Update/table/Public).

Importing this package registers every table on SQLModel.metadata, which Alembic compares
against the migrations (tests/api/test_migrations.py checks there is no drift).
"""

from sim.models.auth import AuthSession, KnownDevice, LoginThrottle, RateLimit
from sim.models.common import utcnow
from sim.models.sessions import (
    PracticeSession,
    SessionCreate,
    SessionMode,
    SessionPublic,
    SessionStatus,
)
from sim.models.turns import Turn, TurnCreate, TurnPublic, TurnStatus
from sim.models.users import Role, User, UserBase, UserCreate, UserPublic, UserUpdate

__all__ = [
    "AuthSession",
    "KnownDevice",
    "LoginThrottle",
    "PracticeSession",
    "RateLimit",
    "Role",
    "SessionCreate",
    "SessionMode",
    "SessionPublic",
    "SessionStatus",
    "Turn",
    "TurnCreate",
    "TurnPublic",
    "TurnStatus",
    "User",
    "UserBase",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "utcnow",
]
