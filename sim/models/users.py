"""Accounts: trainees practise, instructors review every attempt, admins manage accounts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"


class Role(StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class UserBase(SQLModel):
    email: str = Field(max_length=254, index=True, unique=True)
    display_name: str = Field(min_length=1, max_length=120)
    role: Role = Field(default=Role.TRAINEE, sa_type=String(20))


class UserCreate(SQLModel):
    email: CleanStr = Field(max_length=254, regex=EMAIL_PATTERN, description="name@domain.tld")
    display_name: CleanStr = Field(min_length=1, max_length=120)
    password: str = Field(min_length=8, max_length=256)
    role: Role = Role.TRAINEE


class UserUpdate(SQLModel):
    display_name: CleanStr | None = Field(default=None, min_length=1, max_length=120)
    password: str | None = Field(default=None, min_length=8, max_length=256)
    role: Role | None = None
    active: bool | None = Field(default=None, description="false: the account cannot sign in")


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = timestamp_field()


class UserPublic(SQLModel):
    id: int
    email: str
    display_name: str
    role: Role
