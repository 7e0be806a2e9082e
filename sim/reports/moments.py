"""Key moments: the few replies that changed the session most, each told in plain language
with a better alternative where the reply hurt.

A moment is chosen for what it did to the client (resistance moved, a rupture, a repair, a
disclosure, a stage change) or for a non-adherent move, not for its position in the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel

from scoring.suggest import alternatives_for_moment
from scoring.types import MI_NON_ADHERENT, Alternative
from sim.engine.types import StateChange
from sim.personas.schema import Persona
from sim.reports.inputs import SessionMeta
from sim.reports.resistance import EPSILON, Step, main_change, main_move
from sim.reports.wording import (
    driver_label,
    first_name,
    fmt,
    move_noun,
    subject_pronoun,
)

MAX_MOMENTS = 5
QUIET_WORDS = 3  # a client reply this short (or empty) reads as going quiet


class KeyMoment(BaseModel):
    turn_index: int
    kind: Literal["setback", "progress"]
    reply: str
    client_reply: str | None
    what_it_did: str
    alternative: str | None
    alternative_why: str | None = None


def _non_adherent(step: Step) -> bool:
    score = step.turn.score
    return score is not None and any(hit.code in MI_NON_ADHERENT for hit in score.codes)


def weight(step: Step) -> float:
    """How much a turn mattered; 0 means nothing worth a trainee's attention happened."""
    w = abs(step.resistance_delta)
    w += 0.5 * step.new_rupture + 0.4 * step.repaired
    w += 0.3 * bool(step.new_disclosures) + 0.2 * step.stage_changed
    w += 0.15 * _non_adherent(step)
    return w


def is_setback(step: Step) -> bool:
    if step.new_rupture:
        return True
    if step.repaired or step.new_disclosures:
        return False
    return step.resistance_delta > EPSILON or (_non_adherent(step) and
                                               step.resistance_delta >= -EPSILON)


def went_quiet(client_text: str | None) -> bool:
    words = [w for w in (client_text or "").split() if any(c.isalnum() for c in w)]
    return len(words) < QUIET_WORDS


def _driver_change(step: Step, rising: bool, move: str | None) -> StateChange | None:
    """The driver-naming resistance change behind the turn, preferring the main move's."""
    pool = [c for c in step.turn.changes if c.quantity == "resistance" and c.driver
            and (c.delta > 0 if rising else c.delta < 0)]
    same = [c for c in pool if c.move == move]
    return max(same or pool, key=lambda c: abs(c.delta), default=None)


def what_it_did(persona: Persona, step: Step) -> str:
    """E.g. "This confrontation hit Marcus's identity threat; resistance rose from 0.55 to
    0.71 and he went quiet." Built from the turn's own StateChange records."""
    name, subject = first_name(persona), subject_pronoun(persona)
    setback = is_setback(step)
    change = main_change(step, rising=setback)
    move = change.move if change is not None else main_move(step)
    opening = f"This {move_noun(move)}" if move else "This reply"
    hit = _driver_change(step, rising=setback, move=move)
    if hit is not None and hit.driver:
        verb = "hit" if hit.delta > 0 else "eased"
        opening += f" {verb} {name}'s {driver_label(hit.driver).lower()}"
    b, a = step.before, step.after
    delta = step.resistance_delta
    if delta > EPSILON:
        movement = f"resistance rose from {fmt(b.resistance)} to {fmt(a.resistance)}"
    elif delta < -EPSILON:
        movement = f"resistance fell from {fmt(b.resistance)} to {fmt(a.resistance)}"
    else:
        movement = f"resistance held at {fmt(a.resistance)}"
    effects: list[str] = []
    if abs(a.alliance - b.alliance) >= 0.05:
        way = "grew" if a.alliance > b.alliance else "weakened"
        effects.append(f"the alliance {way} ({fmt(b.alliance)} → {fmt(a.alliance)})")
    if step.new_rupture:
        effects.append("the working relationship ruptured")
    if step.repaired:
        effects.append("the rupture was repaired")
    facts = {d.id: d.fact for d in persona.disclosures}
    for disclosure in step.new_disclosures:
        effects.append(f"{subject} disclosed something new: {facts.get(disclosure, disclosure)}"
                       .rstrip("."))
    if step.stage_changed:
        effects.append(f"{subject} moved from {b.stage.value} to {a.stage.value}")
    if setback and went_quiet(step.turn.client_text):
        effects.append(f"{subject} went quiet")
    clauses = [movement, *effects]
    tail = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return f"{opening}; {tail}."


def alternative(step: Step, previous_client_line: str) -> Alternative | None:
    """The scorer's first suggestion if it gave one; for a setback without one, a reply from the
    supervisors' library for what the client had just done (owning the misstep when the reply
    ruptured the alliance). Replies that moved the session forward get none."""
    score = step.turn.score
    if score is not None and score.alternatives:
        return score.alternatives[0]
    if score is not None and score.suggestion:
        return Alternative(text=score.suggestion, why="")
    if not is_setback(step):
        return None
    move = str(main_move(step) or "")
    problem = ("rupture" if step.new_rupture else
               move if move in ("confront", "persuade") else "any")
    found = alternatives_for_moment(previous_client_line, problem, str(step.before.stage),
                                    step.turn.trainee_text, rupture=step.new_rupture)
    return found[0] if found else None


def key_moments(
    persona: Persona, meta: SessionMeta, chain: list[Step], flagged: Iterable[int] = ()
) -> list[KeyMoment]:
    """Up to MAX_MOMENTS turns that mattered most, in session order. `flagged` are turn indexes
    the scorer's own summary singled out; they are preferred among turns that mattered."""
    flagged_set = set(flagged)
    ranked = sorted(
        (s for s in chain if weight(s) > 0.02 or s.turn.index in flagged_set),
        key=lambda s: (-(weight(s) + 0.1 * (s.turn.index in flagged_set)), s.turn.index),
    )[:MAX_MOMENTS]
    previous: dict[int, str] = {}
    last_line = meta.opening_line
    for step in chain:
        previous[step.turn.index] = last_line
        last_line = step.turn.client_text or ""
    out = []
    for s in ranked:
        better = alternative(s, previous[s.turn.index])
        out.append(KeyMoment(
            turn_index=s.turn.index,
            kind="setback" if is_setback(s) else "progress",
            reply=s.turn.trainee_text,
            client_reply=s.turn.client_text,
            what_it_did=what_it_did(persona, s),
            alternative=better.text if better else None,
            alternative_why=(better.why or None) if better else None,
        ))
    return sorted(out, key=lambda m: m.turn_index)
