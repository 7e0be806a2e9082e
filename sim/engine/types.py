"""Plain data the engine passes around: client state, the reasons it moved, the director's
instructions to the voice, and the events of one streamed turn.

No FastAPI here: the CLI, the API and the tests all drive the engine through these types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from scoring.types import ReplyScore
from sim.personas.schema import Behaviour, Stage, Stance


class ClientState(BaseModel):
    """Everything the engine knows about the client after a turn (persisted per turn)."""

    turn: int = 0
    resistance: float = Field(ge=0.0, le=1.0)
    alliance: float = Field(ge=0.0, le=1.0)
    stage: Stage
    stage_progress: float = Field(default=0.0, ge=0.0, le=1.0)
    rupture: bool = False
    ruptures: int = 0
    repairs: int = 0
    disclosed: list[str] = Field(default_factory=list)
    active_drivers: list[str] = Field(default_factory=list)
    used_lines: list[str] = Field(
        default_factory=list, description="Hashes of scripted lines already spoken"
    )
    closed_streak: int = Field(
        default=0, ge=0, description="Closed questions in a row (a streak raises resistance)"
    )


class StateChange(BaseModel):
    """One reason the state moved: which trainee move hit which driver, and by how much."""

    quantity: Literal["resistance", "alliance", "stage_progress", "stage", "rupture", "disclosure"]
    delta: float
    move: str = Field(description="The scoring code or dimension that caused it")
    driver: str | None = None
    reason: str


class Direction(BaseModel):
    """The director's instructions to the voice for this turn."""

    stance: Stance
    behaviours: list[Behaviour]
    disclose: list[str] = Field(default_factory=list, description="Disclosure ids to reveal now")
    max_sentences: int = Field(ge=1, le=8)
    notes: list[str] = Field(default_factory=list, description="Plain-language guidance")


class TurnResult(BaseModel):
    """What one trainee turn produced, for persistence and the coach panel."""

    score: ReplyScore
    state: ClientState
    changes: list[StateChange]
    direction: Direction
    reply: str
    voice: str
    fallback_notice: str | None = None


class TokenEvent(BaseModel):
    type: Literal["token"] = "token"
    text: str


class NoticeEvent(BaseModel):
    type: Literal["notice"] = "notice"
    message: str


class ResultEvent(BaseModel):
    type: Literal["result"] = "result"
    result: TurnResult


TurnEvent = TokenEvent | NoticeEvent | ResultEvent
