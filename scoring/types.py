"""Result types shared by every scoring engine.

The simulator (sim/) reacts to exactly these fields, so they are the contract between the
scorer and the client state engine. Keep them stable; add fields rather than rename them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

Dimension = Literal["validation", "curiosity", "confrontation", "process_comment"]
DIMENSIONS: tuple[Dimension, ...] = ("validation", "curiosity", "confrontation", "process_comment")

Level = Literal["none", "low", "medium", "high"]


class Code(StrEnum):
    """MITI 4.2.1-style behaviour codes, plus process comment and the teaching flags (not MI
    codes; see scoring/CODEBOOK.md)."""

    QUESTION_OPEN = "question_open"
    QUESTION_CLOSED = "question_closed"
    REFLECTION_SIMPLE = "reflection_simple"
    REFLECTION_COMPLEX = "reflection_complex"
    AFFIRM = "affirm"
    SEEKING_COLLABORATION = "seeking_collaboration"
    EMPHASIZING_AUTONOMY = "emphasizing_autonomy"
    GIVING_INFORMATION = "giving_information"
    PERSUADE = "persuade"
    PERSUADE_WITH_PERMISSION = "persuade_with_permission"
    CONFRONT = "confront"
    PROCESS_COMMENT = "process_comment"
    RISK_QUESTION = "risk_question"
    MINIMIZING = "minimizing"
    HOSTILITY = "hostility"
    UNKEEPABLE_PROMISE = "unkeepable_promise"


MI_ADHERENT: frozenset[Code] = frozenset(
    {Code.AFFIRM, Code.SEEKING_COLLABORATION, Code.EMPHASIZING_AUTONOMY}
)
MI_NON_ADHERENT: frozenset[Code] = frozenset({Code.CONFRONT, Code.PERSUADE})
# codes MITI 4.2.1 does not have: shown as the project's own teaching flags
NON_MITI: frozenset[Code] = frozenset(
    {Code.PROCESS_COMMENT, Code.RISK_QUESTION, Code.MINIMIZING, Code.HOSTILITY,
     Code.UNKEEPABLE_PROMISE}
)


class Evidence(BaseModel):
    """A span of the reply that shows a rating; offsets index into the reply string."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class DimensionScore(BaseModel):
    present: bool
    probability: float = Field(ge=0.0, le=1.0, description="calibrated probability of present")
    level: Level
    evidence: Evidence | None = None
    reason: str
    unsure: bool = Field(
        default=False,
        description="the calibrated probability is in the middle band: show 'unsure', not a "
                    "verdict, and do not move the client on it")


class CodeHit(BaseModel):
    code: Code
    probability: float = Field(ge=0.0, le=1.0)
    evidence: Evidence | None = None


class Turn(BaseModel):
    speaker: Literal["client", "therapist"]
    text: str


class ScoringContext(BaseModel):
    """What the reply answers: the client's last line, optionally earlier turns, and what the
    simulator knows about the moment (it shapes the suggested alternatives, not the ratings)."""

    client_last: str = ""
    history: list[Turn] = Field(default_factory=list)
    rupture: bool = Field(default=False, description="the alliance is ruptured right now")
    risk_disclosed: bool = Field(
        default=False, description="the client has disclosed risk and it is not yet asked about")
    stage: str | None = Field(default=None, description="the client's stage of change")


class Alternative(BaseModel):
    """A better reply a supervisor would suggest here, and one line on why it works."""

    text: str
    why: str


class ReplyScore(BaseModel):
    reply: str
    validation: DimensionScore
    curiosity: DimensionScore
    confrontation: DimensionScore
    process_comment: DimensionScore
    codes: list[CodeHit] = Field(default_factory=list)
    suggestion: str | None = Field(
        default=None, description="A better reply, offered where this one confronted or hurt "
                                  "(the first of `alternatives`)."
    )
    alternatives: list[Alternative] = Field(
        default_factory=list, description="Two better replies with why each works.")
    engine: str
    engine_version: str
    warnings: list[str] = Field(default_factory=list)

    def dimension(self, name: Dimension) -> DimensionScore:
        score: DimensionScore = getattr(self, name)
        return score

    def has(self, code: Code) -> bool:
        return any(hit.code == code for hit in self.codes)


@runtime_checkable
class Scorer(Protocol):
    """One interface for every engine (offline model, LLM judge)."""

    name: str
    version: str

    def score(self, reply: str, context: ScoringContext | None = None) -> ReplyScore: ...

    def score_many(
        self, items: list[tuple[str, ScoringContext | None]]
    ) -> list[ReplyScore]: ...
