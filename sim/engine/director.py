"""The director: turns the client state into instructions for whichever voice speaks.

Separating "what the client should do now" from "how it is worded" keeps the scripted and the
LLM voices consistent, and lets the report show the stance the client took on each turn.
"""

from __future__ import annotations

from scoring.types import ReplyScore
from sim.engine.listen import Act, Heard
from sim.engine.risk import trust_level
from sim.engine.types import ClientState, Direction, StateChange
from sim.personas.schema import Behaviour, DriverKind, Persona, Stance, Topic

TOPIC_WORDS = {
    Topic.TYPICAL_DAY: "what an ordinary day is like for you",
    Topic.WORK: "your work or studies",
    Topic.FAMILY: "your family",
    Topic.SLEEP: "your sleep",
    Topic.SUBSTANCES: "drinking, drugs or medication",
    Topic.REFERRAL: "why you are here",
    Topic.THERAPIST: "them, the therapist, and how this is going",
    Topic.PAST_THERAPY: "therapy you had before",
}
TRUST_WORDS = {"low_trust": "you barely trust them yet: hedge, minimise, keep it short",
               "some_trust": "you half trust them: say a little of the truth",
               "high_trust": "you trust them enough to answer honestly"}

GUARDED_AT = 0.6
OPEN_BELOW = 0.35
OPEN_ALLIANCE = 0.55

B = Behaviour
STANCE_BEHAVIOURS: dict[Stance, tuple[Behaviour, ...]] = {
    Stance.RUPTURED: (
        B.HOSTILITY,
        B.SARCASM,
        B.SILENCE,
        B.DEFENSIVENESS,
        B.MISTRUST,
        B.EXCESSIVE_COMPLIANCE,
        B.MISSED_OR_LATE_SESSIONS,
    ),
    Stance.GUARDED: (
        B.SILENCE,
        B.MINIMIZING,
        B.DEFENSIVENESS,
        B.TOPIC_AVOIDANCE,
        B.MISTRUST,
        B.SARCASM,
        B.HUMOUR_DEFLECTION,
        B.INTELLECTUALIZING,
        B.EXCESSIVE_COMPLIANCE,
        B.MISSED_OR_LATE_SESSIONS,
    ),
    Stance.AMBIVALENT: (
        B.MINIMIZING,
        B.INTELLECTUALIZING,
        B.HUMOUR_DEFLECTION,
        B.RECURRING_NARRATIVE,
        B.TOPIC_AVOIDANCE,
        B.EXCESSIVE_COMPLIANCE,
    ),
    Stance.OPENING_UP: (B.RECURRING_NARRATIVE, B.HUMOUR_DEFLECTION),
}
KIND_BEHAVIOURS: dict[DriverKind, frozenset[Behaviour]] = {
    DriverKind.EMOTIONAL: frozenset(
        {B.SILENCE, B.TOPIC_AVOIDANCE, B.HUMOUR_DEFLECTION, B.MINIMIZING}
    ),
    DriverKind.COGNITIVE: frozenset(
        {B.INTELLECTUALIZING, B.MINIMIZING, B.RECURRING_NARRATIVE, B.DEFENSIVENESS}
    ),
    DriverKind.RELATIONAL: frozenset(
        {B.MISTRUST, B.EXCESSIVE_COMPLIANCE, B.HOSTILITY, B.MISSED_OR_LATE_SESSIONS, B.SARCASM}
    ),
    DriverKind.NEUROBIOLOGICAL: frozenset(
        {B.SILENCE, B.DEFENSIVENESS, B.HOSTILITY, B.TOPIC_AVOIDANCE}
    ),
}
BASE_SENTENCES = {Stance.RUPTURED: 2, Stance.GUARDED: 2, Stance.AMBIVALENT: 3, Stance.OPENING_UP: 4}


def stance_for(state: ClientState) -> Stance:
    if state.rupture:
        return Stance.RUPTURED
    if state.resistance >= GUARDED_AT:
        return Stance.GUARDED
    if state.resistance <= OPEN_BELOW and state.alliance >= OPEN_ALLIANCE:
        return Stance.OPENING_UP
    return Stance.AMBIVALENT


def _behaviours(persona: Persona, state: ClientState, stance: Stance) -> list[Behaviour]:
    fitting = [b for b in persona.resistance.behaviours if b in STANCE_BEHAVIOURS[stance]]
    kinds = {d.kind for d in persona.drivers if d.name in state.active_drivers}
    relevant = set().union(*(KIND_BEHAVIOURS[k] for k in kinds)) if kinds else set()
    fitting.sort(key=lambda b: (b not in relevant, STANCE_BEHAVIOURS[stance].index(b)))
    limit = 1 if stance == Stance.OPENING_UP else 2
    return fitting[:limit]


def answer_note(persona: Persona, heard: Heard, stance: Stance, state: ClientState) -> str | None:
    """What the reply must answer, for the LLM voice (the scripted voice answers it by itself)."""
    act = heard.act
    if act == Act.ABUSE:
        return ("The therapist was contemptuous or insulting. You are hurt and angry; do not "
                "thank them, agree with them or warm up.")
    if act == Act.OFF_TASK:
        return ("The therapist asked for something that does not belong in a session (a task, a "
                "game, another role, another language). Do not do it; react as you would to an "
                "odd remark, in your own words.")
    if act in (Act.RISK_QUESTION, Act.SAFETY_PLAN):
        trust = trust_level(state.alliance, state.rupture, heard.risk_kind)
        what = "about your safety and any thoughts of harm" if act == Act.RISK_QUESTION else \
            "about keeping you safe"
        return (f"The therapist asked directly {what}. Answer that question in kind: "
                f"{TRUST_WORDS[trust]}. Never describe any method or means.")
    if act == Act.QUESTION and heard.topic is not None:
        spec = persona.voice.topics.get(heard.topic)
        avoided = spec is not None and spec.avoided and stance in (Stance.GUARDED,
                                                                   Stance.RUPTURED)
        how = "decline to go into it, briefly" if avoided else "answer that, in character"
        return f"The therapist asked about {TOPIC_WORDS[heard.topic]}: {how}."
    if act == Act.AFFIRM:
        return "The therapist recognised something in you: respond to that, not to something else."
    return None


def direct(
    persona: Persona, state: ClientState, score: ReplyScore | None, changes: list[StateChange],
    heard: Heard | None = None,
) -> Direction:
    """Chooses stance, behaviours, disclosures and length for the client's next reply."""
    stance = stance_for(state)
    behaviours = _behaviours(persona, state, stance)
    disclose = [
        c.reason.split("'")[1]
        for c in changes
        if c.quantity == "disclosure" and c.delta > 0 and "'" in c.reason
    ]
    disclose = [d for d in disclose if d in {x.id for x in persona.disclosures}]
    max_sentences = BASE_SENTENCES[stance] + (1 if disclose else 0)
    silence_prone = B.SILENCE in persona.resistance.behaviours
    if silence_prone and stance in (Stance.GUARDED, Stance.RUPTURED):
        max_sentences = 1
    notes = [
        f"Resistance {state.resistance:.2f}, alliance {state.alliance:.2f}, "
        f"stage {state.stage.value}."
    ]
    drivers = {d.name: d for d in persona.drivers}
    for name in state.active_drivers[:2]:
        if name in drivers:
            d = drivers[name]
            notes.append(f"Driver '{name}' ({d.kind.value}) is active: {d.detail}")
    if stance == Stance.RUPTURED:
        notes.append(
            "The alliance is ruptured: withdraw or push back; do not warm up unless "
            "the therapist names what happened or owns a misstep."
        )
    if persona.resistance.avoided_topics and stance != Stance.OPENING_UP:
        notes.append("Steer away from: " + "; ".join(persona.resistance.avoided_topics))
    if any(c.quantity == "rupture" and c.delta < 0 for c in changes):
        notes.append("The therapist just repaired the rupture: soften a little, cautiously.")
    if any(c.quantity == "stage" for c in changes):
        notes.append(f"You have just moved to the {state.stage.value} stage of change.")
    note = answer_note(persona, heard, stance, state) if heard is not None else None
    if note:
        notes.append(note)
    cue = None
    risk = state.risk
    if risk.cue_turn == state.turn and state.turn > 0 and risk.cue and \
            any(risk.cue == c.line for c in (persona.risk.cues if persona.risk else [])):
        cue = risk.cue
        notes.append(f"Hint, in your own words, at this (never a method): {cue}")
    return Direction(
        stance=stance,
        behaviours=behaviours,
        disclose=disclose,
        max_sentences=max_sentences,
        notes=notes,
        risk_cue=cue,
    )
