"""What the report and transcript builders read: one session's metadata and its turns.

These are plain pydantic models so the API can fill them from database rows and the CLI or the
tests can build them by hand; nothing here knows about FastAPI or SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from scoring.types import ReplyScore
from sim.engine.types import ClientState, StateChange

TurnStatus = Literal["pending", "complete", "failed"]


def _utc(value: datetime) -> datetime:
    """Stored timestamps are UTC; SQLite hands them back without a zone, so say so (a report
    without one is read as local time by browsers, and breaks the schema's date-time)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


class TurnRecord(BaseModel):
    """One trainee turn on the session's active branch, as persisted."""

    index: int = Field(ge=1, description="1-based position on the branch; 0 is the opening line")
    id: int
    parent_id: int | None = None
    status: TurnStatus
    trainee_text: str
    client_text: str | None = None
    voice: str | None = None
    fallback_notice: str | None = None
    error: str | None = None
    created_at: UtcDatetime | None = None
    score: ReplyScore | None = None
    state: ClientState | None = None
    changes: list[StateChange] = Field(default_factory=list)

    @property
    def scored(self) -> bool:
        """Only complete turns with a score and a state count toward the report's figures."""
        return self.status == "complete" and self.score is not None and self.state is not None


class SessionMeta(BaseModel):
    """The session header: which persona, voice and scorer ran, for whom, and when."""

    id: int
    persona_id: str
    persona_version: int
    persona_title: str
    mode: Literal["coach", "exam"]
    voice: str
    model: str | None = None
    scorer: str
    scorer_version: str
    trainee: str = Field(description="The trainee's display name")
    created_at: UtcDatetime
    ended_at: UtcDatetime | None = None
    opening_line: str
    initial_state: ClientState


def sort_turns(turns: list[TurnRecord]) -> list[TurnRecord]:
    """Turns in branch order; refuses duplicate indexes, which would make the trajectory lie."""
    ordered = sorted(turns, key=lambda t: t.index)
    seen: set[int] = set()
    for turn in ordered:
        if turn.index in seen:
            raise ValueError(
                f"turn index {turn.index} appears twice; pass one branch (the path from the "
                "opening line to the head turn), not every branch of the session"
            )
        seen.add(turn.index)
    return ordered
