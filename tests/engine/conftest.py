"""Hand-built ReplyScores and fixture personas for engine tests (independent of the scorer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.types import Code, CodeHit, DimensionScore, ReplyScore, ScoringContext
from sim.personas import Persona, load_persona

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "personas"


def dim(level: str = "none") -> DimensionScore:
    present = level != "none"
    prob = {"none": 0.05, "low": 0.4, "medium": 0.7, "high": 0.95}[level]
    return DimensionScore(present=present, probability=prob, level=level, reason="test")  # type: ignore[arg-type]


def make_score(
    reply: str = "reply",
    codes: tuple[Code, ...] = (),
    confrontation: str = "none",
    process_comment: str = "none",
    validation: str = "none",
    curiosity: str = "none",
) -> ReplyScore:
    return ReplyScore(
        reply=reply,
        validation=dim(validation),
        curiosity=dim(curiosity),
        confrontation=dim(confrontation),
        process_comment=dim(process_comment),
        codes=[CodeHit(code=c, probability=0.9) for c in codes],
        engine="test",
        engine_version="0",
    )


class TableScorer:
    """A scorer that looks replies up in a table (unknown replies score as a simple reflection)."""

    name = "table"
    version = "0"

    def __init__(self, table: dict[str, ReplyScore] | None = None) -> None:
        self.table = table or {}
        self.contexts: list[ScoringContext | None] = []

    def score(self, reply: str, context: ScoringContext | None = None) -> ReplyScore:
        self.contexts.append(context)
        if reply in self.table:
            return self.table[reply].model_copy(update={"reply": reply})
        return make_score(reply, (Code.REFLECTION_SIMPLE,))

    def score_many(self, items):  # type: ignore[no-untyped-def]
        return [self.score(r, c) for r, c in items]


@pytest.fixture
def mechanic() -> Persona:
    return load_persona(FIXTURES / "valid" / "fixture-quiet-mechanic.yaml")


CONFRONT = make_score(
    "You clearly have an anger problem and you need to admit it.",
    (Code.CONFRONT,),
    confrontation="high",
)
COMPLEX = make_score(
    "Part of you is shaken by what happened, and part of you wants everyone to back off.",
    (Code.REFLECTION_COMPLEX,),
    validation="high",
)
AUTONOMY = make_score(
    "It's entirely your call what we talk about here.", (Code.EMPHASIZING_AUTONOMY,)
)
PROCESS = make_score(
    "I notice I pushed just now, and you went quiet. Can we look at what happened between us?",
    (Code.PROCESS_COMMENT,),
    process_comment="high",
)
OPEN_Q = make_score("What would you like to get out of today?", (Code.QUESTION_OPEN,))
CLOSED_Q = make_score("Do you sleep well?", (Code.QUESTION_CLOSED,))
