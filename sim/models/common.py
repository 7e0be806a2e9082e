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


def _encodable(value: str) -> str:
    """JSON may carry a lone UTF-16 surrogate ("\\ud800"); Python then holds a str that no
    database, hash or response can encode (a 500 at commit). Refused here, with its place."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains an unpaired UTF-16 surrogate (U+{ord(value[exc.start]):04X}) "
                         f"at character {exc.start + 1}; send valid Unicode text") from None
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return _encodable(value)


# Text that will be stored: PostgreSQL refuses NUL in text, so refuse it at the edge (422).
CleanStr = Annotated[str, AfterValidator(_no_nul)]
# Text that is hashed or compared but never stored as typed (passwords): valid Unicode only.
UnicodeStr = Annotated[str, AfterValidator(_encodable)]
