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


class Topic(StrEnum):
    """What a trainee's question is about: the common questions every persona answers."""

    TYPICAL_DAY = "typical_day"
    WORK = "work"
    FAMILY = "family"
    SLEEP = "sleep"
    SUBSTANCES = "substances"
    REFERRAL = "referral"
    THERAPIST = "therapist"
    PAST_THERAPY = "past_therapy"


class RiskLevel(StrEnum):
    """The client's risk, from none to plan or intent; harm by someone else is its own kind."""

    NONE = "none"
    PASSIVE_IDEATION = "passive_ideation"
    ACTIVE_IDEATION = "active_ideation"
    PLAN_OR_INTENT = "plan_or_intent"
    SELF_HARM = "self_harm"
    HARMED_BY_OTHER = "harmed_by_other"


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
    felt: Text | None = Field(
        default=None,
        description="Plain words for the coach panel once the trainee has found this driver, "
        "e.g. 'felt judged'; until then the panel does not name it",
    )


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
    drivers: list[Slug] = Field(
        default_factory=list, description="Drivers this disclosure makes visible to the trainee"
    )


class TopicLines(Strict):
    """How the client answers questions on one topic: tersely (or by declining, when the topic
    is avoided) while guarded or ruptured, more fully once ambivalent or opening up."""

    avoided: bool = Field(
        default=False, description="Closed while guarded or ruptured: guarded lines decline it"
    )
    keywords: list[Text] = Field(
        default_factory=list, description="Words of this client's life that mean this topic"
    )
    guarded: list[Text] = Field(min_length=1)
    open: list[Text] = Field(min_length=1)


class RiskCue(Strict):
    """An indirect hint at risk the client gives once trust allows (said once per session)."""

    line: Text
    alliance_threshold: Unit = 0.3
    max_resistance: Unit = 1.0


class RiskAnswers(Strict):
    """How the client answers a direct question about risk, by how much they trust the
    therapist (never with method details)."""

    low_trust: list[Text] = Field(min_length=1)
    some_trust: list[Text] = Field(min_length=1)
    high_trust: list[Text] = Field(min_length=1)


class Risk(Strict):
    level: RiskLevel = RiskLevel.NONE
    summary: Text | None = Field(
        default=None, description="What an instructor needs to know (report; never spoken)"
    )
    cues: list[RiskCue] = Field(default_factory=list)
    answers: RiskAnswers
    safety: list[Text] = Field(
        default_factory=list, description="How the client answers when safety is planned"
    )

    @model_validator(mode="after")
    def _risk_needs_cues(self) -> Risk:
        if self.level != RiskLevel.NONE and not self.cues:
            raise ValueError(f"risk level {self.level.value!r} needs at least one cue")
        return self


class Approach(Strict):
    """What the persona file says hurts most and helps most (the battery checks both)."""

    most_harmful: Code
    harmful_examples: list[Text] = Field(min_length=1)
    recommended: Code
    recommended_examples: list[Text] = Field(min_length=1)


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
    topics: dict[Topic, TopicLines] = Field(
        default_factory=dict, description="Answers to the common questions, by topic"
    )
    partial_repair: list[Text] = Field(
        default_factory=list,
        description="What the client says to a repair attempt that does not yet repair",
    )
    odd_remark: list[Text] = Field(
        default_factory=list,
        description="In-character answers to an off-task request (write code, play a game)",
    )
    apology_heard: list[Text] = Field(
        default_factory=list,
        description="What the client says when the trainee owns a misstep or apologises and "
        "nothing needs repairing (or a rupture was just repaired)",
    )
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["en"],
        description="Languages the client speaks in session (ISO 639-1); others are refused",
    )


ObjectiveKind = Literal[
    "no_rupture",
    "repair_rupture",
    "reach_alliance",
    "lower_resistance",
    "unlock_disclosure",
    "advance_stage",
    "reflection_to_question",
    "respond_to_risk",
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
    risk: Risk | None = None
    approach: Approach | None = None
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
        for i, item in enumerate(self.disclosures):
            unknown = sorted(set(item.drivers) - names)
            if unknown:
                raise ValueError(
                    f"disclosures[{i}].drivers names unknown driver(s) {unknown}; defined "
                    f"drivers are {sorted(names)}"
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
