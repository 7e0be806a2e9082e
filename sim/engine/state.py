"""The client state engine: how one scored trainee reply moves resistance, alliance and stage.

Pure and deterministic (same persona, state and score -> same result), and every movement is
recorded as a StateChange with a plain reason, so the report can say *why* the client resisted.
Rules follow MI practice: confrontation and unasked-for persuasion raise resistance (more so
in precontemplation); reflections, affirmations, autonomy support and open questions lower it;
the persona's triggers and softeners add their strength times the weight of the drivers named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.types import Code, ReplyScore
from sim.engine.moves import (
    CONFRONT_MIN_CONFIDENCE,
    OWNING_MISSTEP,
    moves_of,
    owns_misstep,
    strong_confrontation,
)
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
DRIVER_SCALE = 0.1  # strength 1 x weight 1 moves resistance by 0.12
RUPTURE_JUMP = 0.15  # a rise this large in one turn is a rupture
RUPTURE_ALLIANCE = 0.3  # a strong confrontation below this alliance is a rupture
RUPTURE_DAMPING = 0.3  # non-repair moves soften only this much while ruptured
REPAIR_BONUS = (-0.16, 0.16)  # lands at half rate like all softening: -0.08 / +0.08 nominal
PROGRESS_MAX_RESISTANCE = 0.45
PROGRESS_MIN_ALLIANCE = 0.5
# Trust is slow to build and quick to lose: softening moves land at this fraction of their
# nominal size, shrink as resistance nears the persona's floor (a share of its baseline that
# one session does not dissolve) and as alliance nears its ceiling. Raising moves land in full.
SOFTEN_RATE = 0.5
FLOOR_SHARE = 0.35
ALLIANCE_CEILING = 0.92
EASE_ZONE = 0.25  # within this distance of the floor or ceiling, gains shrink linearly
PROGRESS_RATE = 0.045  # per evoking move; ~12 good turns per stage, slower after each advance


def initial_state(persona: Persona) -> ClientState:
    """The client before the first reply: the persona's baselines and stage."""
    ordered = sorted(persona.drivers, key=lambda d: -d.weight)
    return ClientState(
        resistance=persona.resistance.baseline,
        alliance=persona.resistance.alliance_baseline,
        stage=persona.stage,
        active_drivers=[d.name for d in ordered[:2]],
    )


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


@dataclass
class _Tally:
    """Sums the turn's changes. Gains shrink near the bounds (diminishing returns): resistance
    that is already low, or alliance that is already high, moves less for the same move."""

    start_resistance: float = 0.5
    start_alliance: float = 0.5
    floor: float = 0.0
    changes: list[StateChange] = field(default_factory=list)
    resistance: float = 0.0
    alliance: float = 0.0
    touched: dict[str, float] = field(default_factory=dict)

    def add(self, quantity: str, delta: float, move: str, reason: str, driver: str | None = None):
        if quantity == "resistance" and delta < 0:
            room = max(0.0, self.start_resistance - self.floor)
            delta *= SOFTEN_RATE * min(1.0, room / EASE_ZONE)
        elif quantity == "alliance" and delta > 0:
            room = max(0.0, ALLIANCE_CEILING - self.start_alliance)
            delta *= SOFTEN_RATE * min(1.0, room / EASE_ZONE)
        delta = round(delta, 4)
        if abs(delta) < 1e-4:
            return
        sign = "+" if delta > 0 else ""
        numeric = quantity in ("resistance", "alliance", "stage_progress")
        text = f"{reason}: {sign}{delta:.2f} {quantity}" if numeric else reason
        self.changes.append(
            StateChange(quantity=quantity, delta=delta, move=move, driver=driver, reason=text)  # type: ignore[arg-type]
        )
        if quantity == "resistance":
            self.resistance += delta
            if driver:
                self.touched[driver] = self.touched.get(driver, 0.0) + abs(delta)
        elif quantity == "alliance":
            self.alliance += delta


def _is_repair(move: str, moves: set[str]) -> bool:
    if move in (Code.PROCESS_COMMENT, OWNING_MISSTEP):
        return True
    both = {Code.REFLECTION_COMPLEX, Code.EMPHASIZING_AUTONOMY} <= moves
    return both and move in (Code.REFLECTION_COMPLEX, Code.EMPHASIZING_AUTONOMY)


def _base_effects(persona: Persona, state: ClientState, moves: list[Code], tally: _Tally) -> None:
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


def _driver_effects(
    persona: Persona, reactions: list[Reaction], sign: float, moves: list[Code], tally: _Tally
) -> None:
    weights = {d.name: d for d in persona.drivers}
    verb = "hit" if sign > 0 else "eased"
    for reaction in reactions:
        if reaction.move not in moves:
            continue
        for name in reaction.drivers:
            driver = weights[name]
            delta = sign * reaction.strength * driver.weight * DRIVER_SCALE
            label = f"{reaction.move.value} {verb} '{name}' ({driver.kind.value})"
            tally.add("resistance", delta, reaction.move.value, label, driver=name)
            tally.add("alliance", -delta * 0.6, reaction.move.value, label, driver=name)


def _closed_streak(state: ClientState, moves: list[Code], tally: _Tally) -> int:
    openers = {Code.QUESTION_OPEN, Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX}
    if Code.QUESTION_CLOSED not in moves or openers & set(moves):
        return 0
    streak = state.closed_streak + 1
    if streak >= 3:
        delta = min(0.06, 0.02 * (streak - 2))
        label = f"closed question #{streak} in a row"
        tally.add("resistance", delta, Code.QUESTION_CLOSED.value, label)
    return streak


def _dampen_during_rupture(tally: _Tally, moves: set[str]) -> None:
    """While ruptured, ordinary warmth barely lands; only repair moves lower resistance."""
    for i, change in enumerate(tally.changes):
        if change.quantity != "resistance" or change.delta >= 0 or _is_repair(change.move, moves):
            continue
        damped = round(change.delta * RUPTURE_DAMPING, 4)
        tally.resistance += damped - change.delta
        reason = f"{change.reason} (x{RUPTURE_DAMPING} during rupture: {damped:+.2f})"
        tally.changes[i] = change.model_copy(update={"delta": damped, "reason": reason})


def apply_score(
    persona: Persona, state: ClientState, score: ReplyScore,
    min_confidence: float = CONFRONT_MIN_CONFIDENCE,
) -> tuple[ClientState, list[StateChange]]:
    """Moves the client state for one scored reply; returns the new state and the reasons.
    Confrontation moves the client only when rated with at least `min_confidence`."""
    moves = moves_of(score, min_confidence)
    tally = _Tally(
        start_resistance=state.resistance,
        start_alliance=state.alliance,
        floor=round(FLOOR_SHARE * persona.resistance.baseline, 4),
    )
    _base_effects(persona, state, moves, tally)
    _driver_effects(persona, persona.resistance.triggers, 1.0, moves, tally)
    _driver_effects(persona, persona.resistance.softeners, -1.0, moves, tally)
    streak = _closed_streak(state, moves, tally)
    misstep = owns_misstep(score)
    move_set: set[str] = {m.value for m in moves} | ({OWNING_MISSTEP} if misstep else set())

    rupture, ruptures, repairs = state.rupture, state.ruptures, state.repairs
    if rupture:
        _dampen_during_rupture(tally, move_set)
        repair_move = next(
            (m for m in (Code.PROCESS_COMMENT.value, OWNING_MISSTEP) if m in move_set), None
        )
        if repair_move:
            label = "process comment" if repair_move == Code.PROCESS_COMMENT else "owning a misstep"
            tally.add("resistance", REPAIR_BONUS[0], repair_move, f"{label} repaired the rupture")
            tally.add("alliance", REPAIR_BONUS[1], repair_move, f"{label} repaired the rupture")
            tally.add("rupture", -1.0, repair_move, f"{label} repaired the rupture")
            rupture, repairs = False, repairs + 1
    resistance = _clamp(state.resistance + tally.resistance)
    alliance = _clamp(state.alliance + tally.alliance)

    if not state.rupture:
        jump = tally.resistance >= RUPTURE_JUMP
        harsh = strong_confrontation(score, min_confidence) and alliance < RUPTURE_ALLIANCE
        if jump or harsh:
            why = (
                f"resistance jumped {tally.resistance:+.2f} in one turn"
                if jump
                else f"strong confrontation with alliance at {alliance:.2f}"
            )
            cause = moves[0].value if moves else "confrontation"
            tally.add("rupture", 1.0, cause, f"rupture: {why}")
            rupture, ruptures = True, ruptures + 1

    stage, progress = _progress(
        persona.stage, state, moves, resistance, alliance, rupture, tally
    )
    disclosed = _disclose(persona, state, resistance, alliance, tally)
    ordered = sorted(tally.touched.items(), key=lambda kv: (-kv[1], kv[0]))
    active = [name for name, _ in ordered] or initial_state(persona).active_drivers
    new_state = state.model_copy(
        update={
            "turn": state.turn + 1,
            "resistance": resistance,
            "alliance": alliance,
            "stage": stage,
            "stage_progress": progress,
            "rupture": rupture,
            "ruptures": ruptures,
            "repairs": repairs,
            "disclosed": disclosed,
            "active_drivers": active,
            "used_lines": list(state.used_lines),
            "closed_streak": streak,
        }
    )
    return new_state, tally.changes


def _progress(
    persona_stage: Stage,
    state: ClientState,
    moves: list[Code],
    resistance: float,
    alliance: float,
    rupture: bool,
    tally: _Tally,
) -> tuple[Stage, float]:
    """Stage progress is earned: sustained low resistance, good alliance, change-evoking moves."""
    stage, progress = state.stage, state.stage_progress
    evoking = [m for m in moves if m in EVOKING]
    if stage.index >= Stage.PREPARATION.index and Code.PERSUADE_WITH_PERMISSION in moves:
        evoking.append(Code.PERSUADE_WITH_PERMISSION)
    delta = 0.0
    if Code.CONFRONT in moves or Code.PERSUADE in moves:
        delta = -0.1
        label = "pushing for change"
    elif (
        not rupture
        and evoking
        and resistance <= PROGRESS_MAX_RESISTANCE
        and alliance >= PROGRESS_MIN_ALLIANCE
    ):
        advanced = max(0, stage.index - persona_stage.index)
        rate = PROGRESS_RATE / (1 + 2 * advanced)
        delta = rate * min(len(evoking), 2) * (0.5 + alliance - resistance)
        label = f"{evoking[0].value} with low resistance and good alliance"
    if delta:
        new = min(1.0, max(0.0, progress + delta))
        cause = (moves[0] if delta < 0 else evoking[0]).value
        tally.add("stage_progress", new - progress, cause, label)
        progress = new
    stages = list(Stage)
    if progress >= 1.0 and stage.index < len(stages) - 1:
        nxt = stages[stage.index + 1]
        cause = evoking[0].value if evoking else "progress"
        tally.add("stage", 1.0, cause, f"moved to {nxt.value}")
        return nxt, 0.0
    return stage, progress


def _disclose(
    persona: Persona, state: ClientState, resistance: float, alliance: float, tally: _Tally
) -> list[str]:
    """At most one new disclosure per turn, once alliance and resistance allow it."""
    disclosed = list(state.disclosed)
    for item in persona.disclosures:
        if item.id in disclosed:
            continue
        if alliance >= item.alliance_threshold and resistance <= item.max_resistance:
            disclosed.append(item.id)
            reason = f"disclosed '{item.id}' (alliance {alliance:.2f} >= {item.alliance_threshold})"
            tally.add("disclosure", 1.0, "alliance", reason)
            break
    return disclosed
