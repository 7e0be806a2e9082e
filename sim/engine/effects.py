"""The building blocks of a turn's state change: each move's base effect, the persona's
triggers and softeners, closed-question streaks, and the tally that records every change.

Trust is slow to build and quick to lose: softening moves land at a fraction of their nominal
size and shrink near the persona's floor (a share of its baseline that one session does not
dissolve) and as alliance nears its ceiling; raising moves land in full (see `Tally.add`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.types import Code
from sim.engine.types import ClientState, StateChange
from sim.personas.schema import Persona, Reaction, Stage

# Base effect of each move on (resistance, alliance) for every persona.
BASE: dict[Code, tuple[float, float]] = {
    Code.CONFRONT: (0.08, -0.06),
    Code.PERSUADE: (0.05, -0.04),
    Code.GIVING_INFORMATION: (0.02, -0.01),
    Code.QUESTION_OPEN: (-0.03, 0.03),
    Code.REFLECTION_SIMPLE: (-0.02, 0.02),
    Code.REFLECTION_COMPLEX: (-0.05, 0.05),
    Code.AFFIRM: (-0.03, 0.04),
    Code.EMPHASIZING_AUTONOMY: (-0.05, 0.04),
    Code.SEEKING_COLLABORATION: (-0.03, 0.04),
    Code.PROCESS_COMMENT: (-0.04, 0.04),
}
ABUSE = (0.25, -0.2)  # contempt, insult or threat: lands in full, whatever else was said
# Advice with permission: backfires early, helps once the client is acting on change.
PERMISSION_BY_STAGE: dict[Stage, tuple[float, float]] = {
    Stage.PRECONTEMPLATION: (0.02, -0.01),
    Stage.CONTEMPLATION: (0.0, 0.01),
    Stage.PREPARATION: (-0.03, 0.03),
    Stage.ACTION: (-0.05, 0.04),
    Stage.MAINTENANCE: (-0.05, 0.04),
}
# Persuasion and confrontation backfire more the less ready the client is.
BACKFIRE: dict[Stage, float] = {
    Stage.PRECONTEMPLATION: 1.5,
    Stage.CONTEMPLATION: 1.2,
    Stage.PREPARATION: 1.0,
    Stage.ACTION: 0.9,
    Stage.MAINTENANCE: 0.9,
}
BACKFIRING = frozenset({Code.CONFRONT, Code.PERSUADE, Code.GIVING_INFORMATION})
EVOKING = frozenset(
    {
        Code.QUESTION_OPEN,
        Code.REFLECTION_SIMPLE,
        Code.REFLECTION_COMPLEX,
        Code.AFFIRM,
        Code.EMPHASIZING_AUTONOMY,
        Code.SEEKING_COLLABORATION,
    }
)
DRIVER_SCALE = 0.1  # strength 1 x weight 1 moves resistance by 0.1
RUPTURE_DAMPING = 0.3  # non-repair moves soften only this much while ruptured
REPAIR_BONUS = (-0.16, 0.16)  # lands at half rate like all softening: -0.08 / +0.08 nominal
SOFTEN_RATE = 0.5
FLOOR_SHARE = 0.35
ALLIANCE_CEILING = 0.92
EASE_ZONE = 0.25  # within this distance of the floor or ceiling, gains shrink linearly
REPAIR_MOVES = frozenset({"repair", "partial_repair", "attunement"})


@dataclass
class Tally:
    """Sums the turn's changes. Gains shrink near the bounds (diminishing returns): resistance
    that is already low, or alliance that is already high, moves less for the same move."""

    start_resistance: float = 0.5
    start_alliance: float = 0.5
    floor: float = 0.0
    changes: list[StateChange] = field(default_factory=list)
    resistance: float = 0.0
    alliance: float = 0.0
    touched: dict[str, float] = field(default_factory=dict)

    def add(self, quantity: str, delta: float, move: str, reason: str,
            driver: str | None = None, plain: str = "") -> None:
        if quantity == "resistance" and delta < 0:
            room = max(0.0, self.start_resistance - self.floor)
            delta *= SOFTEN_RATE * min(1.0, room / EASE_ZONE)
        elif quantity == "alliance" and delta > 0:
            room = max(0.0, ALLIANCE_CEILING - self.start_alliance)
            delta *= SOFTEN_RATE * min(1.0, room / EASE_ZONE)
        self.record(quantity, delta, move, reason, driver, plain)

    def record(self, quantity: str, delta: float, move: str, reason: str,
               driver: str | None = None, plain: str = "") -> None:
        """Adds a change as is (no easing): clamping corrections and markers."""
        delta = round(delta, 4)
        if abs(delta) < 1e-4:
            return
        sign = "+" if delta > 0 else ""
        numeric = quantity in ("resistance", "alliance", "stage_progress")
        text = f"{reason}: {sign}{delta:.2f} {quantity}" if numeric else reason
        self.changes.append(StateChange(quantity=quantity, delta=delta, move=move,  # type: ignore[arg-type]
                                        driver=driver, reason=text, plain=plain))
        if quantity == "resistance":
            self.resistance += delta
            if driver:
                self.touched[driver] = self.touched.get(driver, 0.0) + abs(delta)
        elif quantity == "alliance":
            self.alliance += delta

    def rises(self) -> float:
        return sum(c.delta for c in self.changes if c.quantity == "resistance" and c.delta > 0)


def base_effects(state: ClientState, moves: list[Code], tally: Tally) -> None:
    stage = state.stage
    permission = Code.SEEKING_COLLABORATION in moves or Code.PERSUADE_WITH_PERMISSION in moves
    for move in moves:
        if move == Code.PERSUADE_WITH_PERMISSION:
            res, ali = PERMISSION_BY_STAGE[stage]
            label = f"advice with permission ({stage.value})"
        elif move == Code.GIVING_INFORMATION and permission:
            res, ali = PERMISSION_BY_STAGE[stage]
            label = f"information with permission ({stage.value})"
        elif move in BASE:
            res, ali = BASE[move]
            label = move.value
            if move in BACKFIRING and BACKFIRE[stage] != 1.0:
                res *= BACKFIRE[stage]
                label = f"{move.value} in {stage.value} (x{BACKFIRE[stage]})"
        else:
            continue
        tally.add("resistance", res, move.value, label)
        tally.add("alliance", ali, move.value, label)


def driver_effects(
    persona: Persona, reactions: list[Reaction], sign: float, moves: list[Code], tally: Tally
) -> list[str]:
    """Adds the persona's triggers (sign +1) or softeners (-1); returns the drivers eased by a
    complex reflection (the trainee evidently read them: the coach may name them now)."""
    weights = {d.name: d for d in persona.drivers}
    verb = "hit" if sign > 0 else "eased"
    read: list[str] = []
    for reaction in reactions:
        if reaction.move not in moves:
            continue
        for name in reaction.drivers:
            driver = weights[name]
            delta = sign * reaction.strength * driver.weight * DRIVER_SCALE
            label = f"{reaction.move.value} {verb} '{name}' ({driver.kind.value})"
            tally.add("resistance", delta, reaction.move.value, label, driver=name)
            tally.add("alliance", -delta * 0.6, reaction.move.value, label, driver=name)
            if sign < 0 and reaction.move == Code.REFLECTION_COMPLEX:
                read.append(name)
    return read


def closed_streak(state: ClientState, moves: list[Code], tally: Tally) -> int:
    openers = {Code.QUESTION_OPEN, Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX}
    if Code.QUESTION_CLOSED not in moves or openers & set(moves):
        return 0
    streak = state.closed_streak + 1
    if streak >= 3:
        delta = min(0.06, 0.02 * (streak - 2))
        label = f"closed question #{streak} in a row"
        tally.add("resistance", delta, Code.QUESTION_CLOSED.value, label)
    return streak


def dampen_during_rupture(tally: Tally) -> None:
    """While ruptured, ordinary warmth barely lands (on resistance or alliance); only repair
    does."""
    for i, change in enumerate(tally.changes):
        easing = (change.quantity == "resistance" and change.delta < 0) or (
            change.quantity == "alliance" and change.delta > 0)
        if not easing or change.move in REPAIR_MOVES:
            continue
        damped = round(change.delta * RUPTURE_DAMPING, 4)
        if change.quantity == "resistance":
            tally.resistance += damped - change.delta
        else:
            tally.alliance += damped - change.delta
        reason = f"{change.reason} (x{RUPTURE_DAMPING} during rupture: {damped:+.2f})"
        tally.changes[i] = change.model_copy(update={"delta": damped, "reason": reason})


def drop_softening(tally: Tally) -> None:
    """Contempt earns nothing: whatever warmth came with it does not lower resistance or raise
    alliance (the client hears the contempt)."""
    kept = []
    for change in tally.changes:
        easing = (change.quantity == "resistance" and change.delta < 0) or (
            change.quantity == "alliance" and change.delta > 0)
        if easing:
            if change.quantity == "resistance":
                tally.resistance -= change.delta
            else:
                tally.alliance -= change.delta
            continue
        kept.append(change)
    tally.changes = kept
