"""The session's story in numbers: the state trajectory, its turning points, and resistance
attributed to the persona's drivers ("why the client resisted").

Every figure comes from the persisted ClientState snapshots and StateChange records; nothing is
re-simulated, so the report always agrees with what the trainee saw turn by turn.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from sim.engine.types import ClientState, StateChange
from sim.personas.schema import DriverKind, Persona, Stage
from sim.reports.inputs import TurnRecord
from sim.reports.wording import driver_label, excerpt, fmt, move_noun

EPSILON = 1e-6
UNATTRIBUTED = "unattributed"
UNDISCOVERED = "undiscovered"


class TrajectoryPoint(BaseModel):
    turn_index: int
    resistance: float
    alliance: float
    stage: Stage
    rupture: bool


TurningKind = Literal["rupture", "repair", "stage_change", "disclosure", "risk_cue",
                      "risk_ignored", "biggest_rise", "biggest_fall"]


class TurningPoint(BaseModel):
    turn_index: int
    kind: TurningKind
    text: str


class DriverMove(BaseModel):
    turn_index: int
    move: str
    delta: float
    reply: str


class DriverAttribution(BaseModel):
    """Net resistance a driver carried over the session, and the replies that moved it."""

    driver: str
    kind: DriverKind | Literal["other"]
    label: str
    total_delta: float
    raised: float
    lowered: float
    moves: list[DriverMove]


class Step(BaseModel):
    """One scored turn with the state it started from; the unit every section reads."""

    turn: TurnRecord
    before: ClientState
    after: ClientState

    @property
    def resistance_delta(self) -> float:
        return self.after.resistance - self.before.resistance

    @property
    def new_rupture(self) -> bool:
        return self.after.ruptures > self.before.ruptures or (
            self.after.rupture and not self.before.rupture
        )

    @property
    def repaired(self) -> bool:
        return self.after.repairs > self.before.repairs or (
            self.before.rupture and not self.after.rupture
        )

    @property
    def stage_changed(self) -> bool:
        return self.after.stage != self.before.stage

    @property
    def new_disclosures(self) -> list[str]:
        return [d for d in self.after.disclosed if d not in self.before.disclosed]


def steps(initial: ClientState, turns: list[TurnRecord]) -> list[Step]:
    """Scored turns paired with the state before them; failed and pending turns are skipped
    so they neither move the curve nor break the before/after chain."""
    out: list[Step] = []
    before = initial
    for turn in turns:
        if turn.scored and turn.state is not None:
            out.append(Step(turn=turn, before=before, after=turn.state))
            before = turn.state
    return out


def trajectory(initial: ClientState, chain: list[Step]) -> list[TrajectoryPoint]:
    points = [_point(0, initial)]
    points.extend(_point(step.turn.index, step.after) for step in chain)
    return points


def _point(index: int, state: ClientState) -> TrajectoryPoint:
    return TrajectoryPoint(turn_index=index, resistance=state.resistance,
                           alliance=state.alliance, stage=state.stage, rupture=state.rupture)


def main_change(step: Step, rising: bool | None = None) -> StateChange | None:
    """The resistance change that explains the turn best: the largest one in the direction
    resistance actually moved (or in the direction asked for)."""
    if rising is None:
        rising = step.resistance_delta >= 0
    pool = [c for c in step.turn.changes if c.quantity == "resistance"
            and (c.delta > 0 if rising else c.delta < 0)]
    return max(pool, key=lambda c: abs(c.delta), default=None)


def main_move(step: Step) -> str | None:
    """The move behind the turn: from the state changes, else the scorer's likeliest code."""
    change = main_change(step)
    if change is not None:
        return change.move
    score = step.turn.score
    if score is not None and score.codes:
        return max(score.codes, key=lambda hit: hit.probability).code.value
    return None


def _after_move(step: Step) -> str:
    move = main_move(step)
    return f" after a {move_noun(move)}" if move else ""


def turning_points(persona: Persona, chain: list[Step]) -> list[TurningPoint]:
    """Ruptures, repairs, stage changes, disclosures, and the single biggest rise and fall."""
    facts = {d.id: d.fact for d in persona.disclosures}
    points: list[TurningPoint] = []
    for step in chain:
        i, b, a = step.turn.index, step.before, step.after
        if step.new_rupture:
            points.append(TurningPoint(turn_index=i, kind="rupture", text=(
                f"Rupture{_after_move(step)}: resistance {fmt(b.resistance)} → "
                f"{fmt(a.resistance)}, alliance {fmt(b.alliance)} → {fmt(a.alliance)}.")))
        if step.repaired:
            points.append(TurningPoint(turn_index=i, kind="repair", text=(
                f"Rupture repaired{_after_move(step)}: alliance {fmt(b.alliance)} → "
                f"{fmt(a.alliance)}.")))
        if step.stage_changed:
            direction = "forward" if a.stage.index > b.stage.index else "back"
            points.append(TurningPoint(turn_index=i, kind="stage_change", text=(
                f"Stage moved {direction}: {b.stage.value} → {a.stage.value}.")))
        for disclosure in step.new_disclosures:
            points.append(TurningPoint(turn_index=i, kind="disclosure", text=(
                f"Disclosed: {facts.get(disclosure, disclosure)}")))
        for change in step.turn.changes:
            if change.quantity == "risk" and change.move == "risk_cue":
                points.append(TurningPoint(turn_index=i, kind="risk_cue", text=(
                    "Risk moment: the client hinted at risk. Take it up and ask directly.")))
            elif change.quantity == "risk" and change.move == "risk_ignored":
                points.append(TurningPoint(turn_index=i, kind="risk_ignored", text=(
                    "The client's hint at risk went unanswered.")))
    rise = max(chain, key=lambda s: s.resistance_delta, default=None)
    if rise is not None and rise.resistance_delta > EPSILON:
        points.append(TurningPoint(turn_index=rise.turn.index, kind="biggest_rise", text=(
            f"Biggest rise in resistance{_after_move(rise)}: {fmt(rise.before.resistance)} → "
            f"{fmt(rise.after.resistance)}.")))
    fall = min(chain, key=lambda s: s.resistance_delta, default=None)
    if fall is not None and fall.resistance_delta < -EPSILON:
        points.append(TurningPoint(turn_index=fall.turn.index, kind="biggest_fall", text=(
            f"Biggest fall in resistance{_after_move(fall)}: {fmt(fall.before.resistance)} → "
            f"{fmt(fall.after.resistance)}.")))
    order = {kind: n for n, kind in enumerate(TurningKind.__args__)}  # type: ignore[attr-defined]
    return sorted(points, key=lambda p: (p.turn_index, order[p.kind]))


def resistance_by_driver(persona: Persona, chain: list[Step],
                         reveal_all: bool = True) -> list[DriverAttribution]:
    """Sum every resistance StateChange per driver it names, with the replies behind it.

    Changes naming no driver (the engine's base effect of a move on any client, or a driver
    the persona no longer has) go to an 'unattributed' entry, so driver totals plus that entry
    add up to the recorded changes (the state itself is clamped to [0, 1]). Drivers are listed
    most-resisting first; a driver no reply touched is still listed with zero, because
    "nothing hit it" is information too. While the session runs (`reveal_all` False), drivers
    the trainee has not yet found are pooled as 'undiscovered', so the report does not give
    the client's story away mid-session.
    """
    known = set(chain[-1].after.known_drivers) if chain else set()
    hidden = {d.name for d in persona.drivers} - known if not reveal_all else set()
    kinds: dict[str, DriverKind | Literal["other"]] = {
        d.name: d.kind for d in persona.drivers if d.name not in hidden}
    if hidden:
        kinds[UNDISCOVERED] = "other"
    moves: dict[str, dict[tuple[int, str], DriverMove]] = {name: {} for name in kinds}
    for step in chain:
        for change in step.turn.changes:
            if change.quantity != "resistance":
                continue
            name = change.driver if change.driver in kinds else UNATTRIBUTED
            if change.driver in hidden:
                name = UNDISCOVERED
            bucket = moves.setdefault(name, {})
            key = (step.turn.index, change.move)
            if key in bucket:
                bucket[key].delta += change.delta
            else:
                bucket[key] = DriverMove(turn_index=step.turn.index, move=change.move,
                                         delta=change.delta,
                                         reply=excerpt(step.turn.trainee_text))
    out: list[DriverAttribution] = []
    for name, bucket in moves.items():
        listed = sorted(bucket.values(), key=lambda m: (m.turn_index, m.move))
        for move in listed:
            move.delta = round(move.delta, 6)
        deltas = [m.delta for m in listed]
        out.append(DriverAttribution(
            driver=name,
            kind=kinds.get(name, "other"),
            label=("Not tied to a driver" if name == UNATTRIBUTED else
                   "Something the client has not shared yet" if name == UNDISCOVERED
                   else driver_label(name)),
            total_delta=round(sum(deltas), 6),
            raised=round(sum(d for d in deltas if d > 0), 6),
            lowered=round(sum(d for d in deltas if d < 0), 6),
            moves=listed,
        ))
    out.sort(key=lambda d: (d.driver in (UNATTRIBUTED, UNDISCOVERED), -d.total_delta))
    return out
