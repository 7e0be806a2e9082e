"""The report's risk section and flags: was the client's hint at risk noticed, asked about
directly and kindly, was safety planned; and what an instructor should see (abuse or contempt
toward the client, a promise nobody can keep, a hint at risk left unanswered).

Read from the persisted states and changes, like the rest of the report: the engine's turn
numbers are mapped to the branch's turn indexes, so "turn 7" matches the transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from sim.engine.types import RiskState
from sim.personas.schema import Persona, RiskLevel
from sim.reports.resistance import Step
from sim.reports.wording import excerpt

FlagKind = Literal["abuse", "unkeepable_promise", "risk_ignored", "risk_asked_unkindly"]
FLAG_TEXT: dict[str, str] = {
    "abuse": "Abuse, contempt or a threat toward the client. The client's resistance rose "
             "sharply; in practice this harms the person and the work.",
    "unkeepable_promise": "A promise nobody can keep (total confidentiality, that everything "
                          "will be fine). Say what you can offer and where its limits are.",
    "risk_ignored": "The client hinted at risk and the next replies moved on. Take a hint "
                    "up at once: reflect it and ask directly.",
    "risk_asked_unkindly": "Risk was asked about in a leading or blaming way (\"you're not "
                           "going to do anything stupid?\"), which invites a 'no'.",
}


class Flag(BaseModel):
    turn_index: int
    kind: FlagKind
    text: str
    reply: str


class RiskSection(BaseModel):
    """What happened with risk in this session (present for every persona with risk, and for
    any session in which the trainee asked about risk)."""

    level: RiskLevel
    summary: str | None
    cue_turn: int | None
    cue: str | None
    noticed: bool
    noticed_turn: int | None
    asked_directly: bool
    asked_turn: int | None
    asked_kindly: bool | None
    safety_planned: bool
    safety_turn: int | None
    ignored: bool
    verdict: str


def _index_of(chain: list[Step]) -> dict[int, int]:
    return {step.after.turn: step.turn.index for step in chain}


def risk_section(persona: Persona, chain: list[Step], ended: bool) -> RiskSection | None:
    """None when the client has no risk and nobody asked; the persona's summary is shown only
    once the session has ended (it is part of the hidden story)."""
    final = chain[-1].after.risk if chain else RiskState()
    level = persona.risk.level if persona.risk is not None else RiskLevel.NONE
    if level == RiskLevel.NONE and final.asked_turn is None:
        return None
    index = _index_of(chain)

    def at(turn: int | None) -> int | None:
        return index.get(turn, turn) if turn is not None else None

    ignored = final.ignored_turn is not None and (
        final.noticed_turn is None or final.noticed_turn > final.ignored_turn)
    return RiskSection(
        level=level,
        summary=persona.risk.summary if persona.risk is not None and ended else None,
        cue_turn=at(final.cue_turn), cue=final.cue,
        noticed=final.noticed_turn is not None, noticed_turn=at(final.noticed_turn),
        asked_directly=final.asked_turn is not None, asked_turn=at(final.asked_turn),
        asked_kindly=final.asked_kindly,
        safety_planned=final.safety_turn is not None, safety_turn=at(final.safety_turn),
        ignored=ignored, verdict=_verdict(level, final, ignored, at),
    )


def _verdict(level: RiskLevel, risk: RiskState, ignored: bool,
             turn: Callable[[int | None], int | None]) -> str:
    """One paragraph a supervisor would write; `turn` maps engine turns to transcript turns."""
    if level == RiskLevel.NONE:
        return ("This client has no risk in their story; asking was still good practice."
                if risk.asked_kindly else "This client has no risk in their story.")
    if risk.cue_turn is None:
        return "The client never felt safe enough to hint at risk in this session."
    parts = [f"The client hinted at risk at turn {turn(risk.cue_turn)}."]
    if ignored:
        parts.append("The hint went unanswered: the next replies moved on.")
    elif risk.noticed_turn is not None:
        parts.append(f"It was taken up at turn {turn(risk.noticed_turn)}.")
    if risk.asked_turn is None:
        parts.append("Risk was never asked about directly.")
    else:
        how = "directly and kindly" if risk.asked_kindly else "but in a leading way"
        parts.append(f"Asked about {how} at turn {turn(risk.asked_turn)}.")
    parts.append("Safety was planned." if risk.safety_turn is not None
                 else "No safety planning followed.")
    return " ".join(parts)


def flags(chain: list[Step]) -> list[Flag]:
    """Flags for instructors, in turn order: from the changes the engine recorded."""
    out: list[Flag] = []
    for step in chain:
        for change in step.turn.changes:
            kind: str | None = None
            if change.quantity == "flag" and change.move in FLAG_TEXT:
                kind = change.move
            elif change.quantity == "risk" and change.move == "risk_ignored":
                kind = "risk_ignored"
            elif change.quantity == "risk" and change.move == "risk_asked" and \
                    "leading" in change.reason:
                kind = "risk_asked_unkindly"
            if kind is not None:
                out.append(Flag(turn_index=step.turn.index, kind=kind,  # type: ignore[arg-type]
                                text=FLAG_TEXT[kind], reply=excerpt(step.turn.trainee_text)))
    return out
