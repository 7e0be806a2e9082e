"""Column helpers shared by the tables: timezone-aware UTC timestamps on every database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    """Aware UTC now; stored as timestamptz on PostgreSQL and ISO text on SQLite."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands timestamps back naive; they were written as UTC, so say so."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def timestamp_field(**kwargs: Any) -> Any:
    """A non-null timestamptz column defaulting to now."""
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


# Text that will be stored: PostgreSQL refuses NUL in text, so refuse it at the edge (422).
CleanStr = Annotated[str, AfterValidator(_no_nul)]
