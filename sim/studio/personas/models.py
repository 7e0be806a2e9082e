"""Personas in the database: one `persona` row per client (mutable pointers: the newest version
and the published one) and an append-only `persona_version` table holding every text ever saved.

A version row is never updated or deleted: saving, publishing and restoring each append one. So
(persona_id, version) names one fixed document forever, which is what a session pins.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator
from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from sim.models.common import CleanStr, timestamp_field

MAX_YAML_CHARS = 60_000
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} is not a valid persona id (allowed: 2-64 lowercase letters, "
                         "digits, - and _, starting with a letter or digit)")
    return value


# Checked by a function: SQLModel ignores Field(regex=...) on models that are not tables.
Slug = Annotated[CleanStr, AfterValidator(_slug)]


class VersionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class StudioPersonaBase(SQLModel):
    title: str = Field(max_length=200, description="The newest valid version's title")


class StudioPersona(StudioPersonaBase, table=True):
    __tablename__ = "persona"

    id: str = Field(primary_key=True, max_length=64, description="The persona's slug (its YAML id)")
    created_by: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL",
        description="The instructor who created it; null: the seed library")
    created_at: datetime = timestamp_field()
    head_version: int = Field(description="The newest version number")
    published_version: int | None = Field(default=None, description="What trainees get; null: none")


class StudioPersonaCreate(SQLModel):
    id: Slug = Field(max_length=64, description=(
        "The new persona's id: lowercase letters, digits, - and _ (2-64 characters)"))
    source: Literal["blank", "copy"] = "blank"
    copy_of: CleanStr | None = Field(default=None, max_length=64,
                                     description="With source=copy: the persona to copy")
    copy_version: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                     description="With source=copy: its version (default newest)")


class StudioPersonaPublic(StudioPersonaBase):
    id: str
    created_by: int | None
    author_name: str | None
    created_at: datetime
    head_version: int
    head_state: VersionState
    head_valid: bool
    published_version: int | None
    can_edit: bool = Field(description="Whether you may save, publish and restore it")


class PersonaVersion(SQLModel, table=True):
    __tablename__ = "persona_version"
    __table_args__ = (UniqueConstraint("persona_id", "version", name="uq_persona_version"),)

    id: int | None = Field(default=None, primary_key=True)
    persona_id: str = Field(foreign_key="persona.id", index=True, max_length=64,
                            ondelete="CASCADE")
    version: int
    state: VersionState = Field(sa_type=String(12))
    yaml_text: str = Field(sa_column=Column(Text, nullable=False))
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON,
                                        description="The validated persona; null when invalid")
    issues: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    note: str = Field(default="", max_length=500)
    based_on: int | None = Field(default=None, description="The version this one started from")


class PersonaVersionCreate(SQLModel):
    yaml: CleanStr = Field(max_length=MAX_YAML_CHARS, description="The persona as YAML text")
    note: CleanStr = Field(default="", max_length=500, description="What changed, for the history")
    base_version: int | None = Field(default=None, ge=1, le=2**31 - 1, description=(
        "The version the editor started from; 409 if a newer one was saved meanwhile"))


class PublishRequest(SQLModel):
    version: int = Field(ge=1, le=2**31 - 1, description="The valid draft to publish")
    note: CleanStr = Field(default="", max_length=500)


class RestoreRequest(SQLModel):
    version: int = Field(ge=1, le=2**31 - 1, description="The old version to copy into a new draft")


class ValidateRequest(SQLModel):
    yaml: CleanStr = Field(max_length=MAX_YAML_CHARS)
    persona_id: CleanStr | None = Field(default=None, max_length=64, description=(
        "The persona being edited: its id must match the YAML's"))


class Issue(SQLModel):
    file: str
    line: int
    column: int
    field: str
    message: str
    text: str = Field(description="file:line:column: field: message, exactly as the CLI prints it")


class ValidationResult(SQLModel):
    valid: bool
    issues: list[Issue]


class PersonaVersionSummary(SQLModel):
    persona_id: str
    version: int
    state: VersionState
    valid: bool
    issue_count: int
    author_id: int | None
    author_name: str | None
    created_at: datetime
    note: str
    based_on: int | None


class PersonaVersionPublic(PersonaVersionSummary):
    yaml: str
    issues: list[Issue]
    data: dict[str, Any] | None


class PersonaDetail(StudioPersonaPublic):
    versions: list[PersonaVersionSummary] = Field(description="Newest first")
