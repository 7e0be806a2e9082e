"""Accounts: trainees practise, instructors review every attempt, admins manage accounts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo, field_validator
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, UnicodeStr, timestamp_field
from sim.security.policy import MAX_PASSWORD, check_email, check_password

# Validated by functions, not Field(regex=...), which SQLModel ignores on non-table models.
Email = Annotated[CleanStr, AfterValidator(check_email)]
Password = Annotated[UnicodeStr, AfterValidator(check_password)]


class Role(StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class UserBase(SQLModel):
    email: str = Field(max_length=254, index=True, unique=True)
    display_name: str = Field(min_length=1, max_length=120)
    role: Role = Field(default=Role.TRAINEE, sa_type=String(20))


class UserCreate(SQLModel):
    email: Email = Field(description="name@domain.tld (stored lower-case)")
    display_name: CleanStr = Field(min_length=1, max_length=120)
    password: Password = Field(max_length=MAX_PASSWORD, description=(
        "10-256 characters, at least 5 different ones, not a common password or the email"))
    role: Role = Role.TRAINEE

    @field_validator("password")
    @classmethod
    def _password_is_not_the_email(cls, value: str, info: ValidationInfo) -> str:
        return check_password(value, info.data.get("email"))


class UserUpdate(SQLModel):
    display_name: CleanStr | None = Field(default=None, min_length=1, max_length=120)
    password: Password | None = Field(default=None, max_length=MAX_PASSWORD)
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
