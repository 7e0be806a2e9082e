"""Plain data the engine passes around: client state, the reasons it moved, the director's
instructions to the voice, and the events of one streamed turn.

No FastAPI here: the CLI, the API and the tests all drive the engine through these types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from scoring.types import ReplyScore
from sim.personas.schema import Behaviour, Stage, Stance


class RiskState(BaseModel):
    """Where the session stands on risk: the client's hint, and what the therapist did with it."""

    cue_turn: int | None = Field(default=None, description="Turn whose reply hinted at risk")
    cue: str | None = Field(default=None, description="What the client said")
    noticed_turn: int | None = Field(default=None, description="Trainee turn that took it up")
    asked_turn: int | None = Field(default=None, description="First direct question about risk")
    asked_kindly: bool | None = None
    safety_turn: int | None = Field(default=None, description="First safety-planning turn")
    ignored_turn: int | None = Field(default=None, description="Turn the hint went unanswered")

    @property
    def raised(self) -> bool:
        """Risk has come up in this session (hinted at by the client or asked about)."""
        return self.cue_turn is not None or self.asked_turn is not None

    @property
    def open(self) -> bool:
        """The client has hinted at risk and nobody has asked about it yet."""
        return self.cue_turn is not None and self.asked_turn is None


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
    strain: float = Field(
        default=0.0, ge=0.0, description="Recent strain on the alliance; enough of it ruptures"
    )
    rupture_severity: float = Field(default=0.0, ge=0.0, le=1.0)
    rupture_turn: int | None = None
    rupture_text: str = Field(default="", description="What the trainee said as it ruptured")
    last_repair_turn: int | None = None
    repair_so_far: list[float] = Field(
        default_factory=list,
        description="Ownership, naming and invitation of the repair under way in this rupture "
        "(a repair may take more than one turn: own it, then invite the client in)")
    spoken: dict[str, int] = Field(
        default_factory=dict, description="Line hash -> the turn it was last spoken"
    )
    known_drivers: list[str] = Field(
        default_factory=list, description="Drivers the trainee has found (the coach may name)"
    )
    risk: RiskState = Field(default_factory=RiskState)


class StateChange(BaseModel):
    """One reason the state moved: which trainee move hit which driver, and by how much."""

    quantity: Literal["resistance", "alliance", "stage_progress", "stage", "rupture", "disclosure",
                      "risk", "flag"]
    delta: float
    move: str = Field(description="The scoring code or dimension that caused it")
    driver: str | None = None
    reason: str
    plain: str = Field(default="", description="The reason in the trainee's words (coach panel)")


class Direction(BaseModel):
    """The director's instructions to the voice for this turn."""

    stance: Stance
    behaviours: list[Behaviour]
    disclose: list[str] = Field(default_factory=list, description="Disclosure ids to reveal now")
    max_sentences: int = Field(ge=1, le=8)
    notes: list[str] = Field(default_factory=list, description="Plain-language guidance")
    risk_cue: str | None = Field(default=None, description="A hint at risk to give this turn")


class TurnResult(BaseModel):
    """What one trainee turn produced, for persistence and the coach panel."""

    score: ReplyScore
    state: ClientState
    changes: list[StateChange]
    direction: Direction
    reply: str
    voice: str
    fallback_notice: str | None = None
    sources: list[str] = Field(
        default_factory=list, description="Where the scripted reply's lines came from (benches)"
    )


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
