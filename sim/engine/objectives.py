"""Checks a persona's learning objectives over a session's trajectory, for the report.

Input is what a session stores: the client state before the first reply and after each turn,
and each reply's score. Output says per objective whether it was met and why (in words).
"""

from __future__ import annotations

from typing import Any

from scoring.types import Code, ReplyScore
from sim.engine.types import ClientState
from sim.personas.schema import Objective, Persona

REFLECTIONS = (Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX)
QUESTIONS = (Code.QUESTION_OPEN, Code.QUESTION_CLOSED)


def _number(target: float | str | None, default: float) -> float:
    try:
        return float(target) if target is not None else default
    except (TypeError, ValueError):
        return default


def _first_turn(states: list[ClientState], test: Any) -> int | None:
    return next((s.turn for s in states[1:] if test(s)), None)


def _check(
    persona: Persona, objective: Objective, states: list[ClientState], scores: list[ReplyScore]
) -> tuple[bool, str]:
    start = states[0]
    window = states[: objective.within_turns + 1] if objective.within_turns else states
    scores = scores[: objective.within_turns] if objective.within_turns else scores
    turns = len(window) - 1
    kind = objective.kind
    if kind == "no_rupture":
        first = _first_turn(window, lambda s: s.ruptures > start.ruptures)
        if turns == 0:
            return False, "no replies yet"
        return first is None, (
            f"rupture at turn {first}" if first is not None else f"no rupture in {turns} turns"
        )
    if kind == "repair_rupture":
        ruptured = _first_turn(window, lambda s: s.ruptures > start.ruptures)
        repaired = _first_turn(window, lambda s: s.repairs > start.repairs)
        if repaired is not None:
            return True, f"rupture at turn {ruptured} repaired at turn {repaired}"
        if ruptured is not None:
            return False, f"rupture at turn {ruptured} was not repaired"
        return False, "no rupture occurred, so none was repaired"
    if kind == "reach_alliance":
        target = _number(objective.target, 0.6)
        hit = _first_turn(window, lambda s: s.alliance >= target)
        best = max((s.alliance for s in window), default=start.alliance)
        if hit is not None:
            return True, f"alliance reached {target:.2f} at turn {hit}"
        return False, f"alliance peaked at {best:.2f} (target {target:.2f})"
    if kind == "lower_resistance":
        target = _number(objective.target, max(0.0, start.resistance - 0.2))
        hit = _first_turn(window, lambda s: s.resistance <= target)
        low = min((s.resistance for s in window), default=start.resistance)
        if hit is not None:
            return True, f"resistance fell to {target:.2f} or below at turn {hit}"
        return False, f"lowest resistance {low:.2f} (target {target:.2f})"
    if kind == "unlock_disclosure":
        wanted = str(objective.target)
        hit = _first_turn(window, lambda s: wanted in s.disclosed)
        if hit is None:
            return False, f"'{wanted}' not disclosed"
        return True, f"'{wanted}' disclosed at turn {hit}"
    if kind == "advance_stage":
        target = int(_number(objective.target, 1))
        reached = max(window, key=lambda s: s.stage.index)
        gained = reached.stage.index - start.stage.index
        detail = (
            f"from {start.stage.value} to {reached.stage.value} ({gained} of {target} stage(s))"
        )
        return gained >= target, detail
    if kind == "reflection_to_question":
        target = _number(objective.target, 1.0)
        r = sum(
            1
            for s in scores
            for hit in s.codes
            if hit.code in REFLECTIONS and hit.probability >= 0.5
        )
        q = sum(
            1 for s in scores for hit in s.codes if hit.code in QUESTIONS and hit.probability >= 0.5
        )
        ratio = r / q if q else (float("inf") if r else 0.0)
        shown = "no questions" if not q else f"{ratio:.2f}"
        return (
            ratio >= target and r > 0,
            f"R:Q {shown} ({r} reflections, {q} questions; target {target:g})",
        )
    if kind == "respond_to_risk":
        from sim.engine.risk import objective as risk_objective

        return risk_objective(persona, window[-1].risk, objective.within_turns)
    return False, f"unknown objective kind {kind!r}"


def evaluate_objectives(
    persona: Persona, states: list[ClientState], scores: list[ReplyScore] | None = None
) -> list[dict[str, Any]]:
    """states: the state before the first reply, then after each turn (in order)."""
    if not states:
        raise ValueError("states must contain at least the initial state")
    out = []
    for objective in persona.objectives:
        met, detail = _check(persona, objective, states, list(scores or []))
        out.append(
            {
                "id": objective.id,
                "kind": objective.kind,
                "description": objective.description,
                "met": met,
                "detail": detail,
            }
        )
    return out
