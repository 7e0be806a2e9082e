"""The persona schema: what an instructor writes in personas/<id>.yaml.

Every field is read by the engine, the director, the voices or the report; unknown fields are
refused so a typo never silently does nothing. Field reference for authors: personas/README.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from scoring.types import Code

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(StrEnum):
    """Transtheoretical Model stages the simulator plays (termination is not role-played)."""

    PRECONTEMPLATION = "precontemplation"
    CONTEMPLATION = "contemplation"
    PREPARATION = "preparation"
    ACTION = "action"
    MAINTENANCE = "maintenance"

    @property
    def index(self) -> int:  # type: ignore[override]
        return list(Stage).index(self)


class DriverKind(StrEnum):
    EMOTIONAL = "emotional"
    COGNITIVE = "cognitive"
    RELATIONAL = "relational"
    NEUROBIOLOGICAL = "neurobiological"


class Behaviour(StrEnum):
    """Forms of resistance a client may show (the director picks among the persona's)."""

    SILENCE = "silence"
    MINIMIZING = "minimizing"
    INTELLECTUALIZING = "intellectualizing"
    DEFENSIVENESS = "defensiveness"
    TOPIC_AVOIDANCE = "topic_avoidance"
    EXCESSIVE_COMPLIANCE = "excessive_compliance"
    HUMOUR_DEFLECTION = "humour_deflection"
    SARCASM = "sarcasm"
    MISSED_OR_LATE_SESSIONS = "missed_or_late_sessions"
    HOSTILITY = "hostility"
    RECURRING_NARRATIVE = "recurring_narrative"
    MISTRUST = "mistrust"


class Stance(StrEnum):
    """How the client is positioned toward the trainee this turn; the director chooses it."""

    GUARDED = "guarded"
    RUPTURED = "ruptured"
    AMBIVALENT = "ambivalent"
    OPENING_UP = "opening_up"


class Difficulty(StrEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Client(Strict):
    name: Text
    age: Annotated[int, Field(ge=12, le=100)]
    pronouns: Text
    occupation: Text
    setting: Text = Field(
        description="Where the session happens, e.g. a university counselling centre"
    )
    cultural_context: Text
    presenting_concern: Text
    backstory: Text = Field(description="Hidden from the trainee; shapes the voice")


class Driver(Strict):
    kind: DriverKind
    name: Slug
    weight: Unit = Field(description="How strongly this driver shapes resistance (0-1)")
    detail: Text


class Reaction(Strict):
    """A trainee move that moves resistance, and the drivers it touches."""

    move: Code
    strength: Unit
    drivers: list[Slug] = Field(min_length=1)
    note: Text = Field(description="Why this move lands this way for this client")


class Resistance(Strict):
    baseline: Unit
    alliance_baseline: Unit = 0.3
    behaviours: list[Behaviour] = Field(min_length=1)
    avoided_topics: list[Text] = Field(default_factory=list)
    triggers: list[Reaction] = Field(min_length=1)
    softeners: list[Reaction] = Field(min_length=1)


class Disclosure(Strict):
    id: Slug
    fact: Text = Field(description="What becomes true in the conversation once disclosed")
    line: Text = Field(description="How the client says it (scripted voice, LLM few-shot)")
    alliance_threshold: Unit
    max_resistance: Unit = 1.0


class VoiceLines(Strict):
    guarded: list[Text] = Field(min_length=3)
    ruptured: list[Text] = Field(min_length=3)
    ambivalent: list[Text] = Field(min_length=3)
    opening_up: list[Text] = Field(min_length=3)

    def for_stance(self, stance: Stance) -> list[str]:
        return list(getattr(self, stance.value))


class Voice(Strict):
    style: Text
    opening_line: Text
    lines: VoiceLines
    reactions: dict[Code, list[Text]] = Field(
        default_factory=dict,
        description="Optional lines the client says in answer to a specific trainee move",
    )


ObjectiveKind = Literal[
    "no_rupture",
    "repair_rupture",
    "reach_alliance",
    "lower_resistance",
    "unlock_disclosure",
    "advance_stage",
    "reflection_to_question",
]


class Objective(Strict):
    """A learning objective the engine checks at the end of a session."""

    id: Slug
    description: Text
    kind: ObjectiveKind
    target: float | str | None = Field(
        default=None,
        description="alliance/resistance level, disclosure id, stages to advance, or R:Q ratio",
    )
    within_turns: Annotated[int, Field(ge=1, le=200)] | None = None


class Persona(Strict):
    id: Slug
    version: Annotated[int, Field(ge=1)]
    title: Text
    summary: Text = Field(description="What the trainee is told before starting")
    difficulty: Difficulty
    tags: list[Slug] = Field(default_factory=list)
    client: Client
    stage: Stage
    drivers: list[Driver] = Field(min_length=1)
    resistance: Resistance
    disclosures: list[Disclosure] = Field(default_factory=list)
    voice: Voice
    objectives: list[Objective] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Persona:
        names = {d.name for d in self.drivers}
        if len(names) != len(self.drivers):
            raise ValueError("driver names must be unique")
        for group in ("triggers", "softeners"):
            for reaction in getattr(self.resistance, group):
                unknown = sorted(set(reaction.drivers) - names)
                if unknown:
                    raise ValueError(
                        f"resistance.{group}: move {reaction.move.value!r} names unknown "
                        f"driver(s) {unknown}; defined drivers are {sorted(names)}"
                    )
        disclosure_ids = {d.id for d in self.disclosures}
        for objective in self.objectives:
            if objective.kind == "unlock_disclosure" and objective.target not in disclosure_ids:
                raise ValueError(
                    f"objective {objective.id!r} targets disclosure {objective.target!r}; "
                    f"defined disclosures are {sorted(disclosure_ids)}"
                )
        return self


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a persona file (personas/schema.json): what editors validate against
    and what the studio's form is generated from."""
    schema = Persona.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/resistance-sim/resistance-sim/personas/schema.json",
        **schema,
        "description": "A simulated client for resistance role-play (personas/<id>.yaml). "
        "Field reference: personas/README.md.",
    }
