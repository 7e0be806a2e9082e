"""Objectives evaluated over trajectories."""

from __future__ import annotations

from scoring.types import Code
from sim.engine.objectives import evaluate_objectives
from sim.engine.state import apply_score, initial_state
from sim.personas.schema import Objective


def trajectory(persona, scores):
    states = [initial_state(persona)]
    for score in scores:
        states.append(apply_score(persona, states[-1], score)[0])
    return states


def by_id(results):
    return {r["id"]: r for r in results}


def test_mi_session_meets_objectives(mechanic, kit):
    scores = [kit.COMPLEX, kit.AUTONOMY, kit.OPEN_Q] * 3
    results = by_id(evaluate_objectives(mechanic, trajectory(mechanic, scores), scores))
    assert results["stay_connected"]["met"] is True
    assert results["hear_the_near_miss"]["met"] is True
    assert results["lower_guard"]["met"] is True
    assert "turn" in results["lower_guard"]["detail"]


def test_confrontational_session_fails_them(mechanic, kit):
    scores = [kit.CONFRONT] * 4
    results = by_id(evaluate_objectives(mechanic, trajectory(mechanic, scores), scores))
    assert results["stay_connected"]["met"] is False
    assert results["stay_connected"]["detail"] == "rupture at turn 1"
    assert not results["hear_the_near_miss"]["met"] and not results["lower_guard"]["met"]


def test_all_kinds(mechanic, kit):
    objectives = [
        Objective(id="rep", description="d", kind="repair_rupture"),
        Objective(id="ali", description="d", kind="reach_alliance", target=0.5, within_turns=3),
        Objective(id="stg", description="d", kind="advance_stage", target=1),
        Objective(id="rq", description="d", kind="reflection_to_question", target=1.0),
    ]
    persona = mechanic.model_copy(update={"objectives": objectives})
    scores = [kit.CONFRONT, kit.PROCESS] + [kit.COMPLEX, kit.AUTONOMY, kit.OPEN_Q] * 14
    results = by_id(evaluate_objectives(persona, trajectory(persona, scores), scores))
    assert results["rep"]["met"] and "repaired at turn 2" in results["rep"]["detail"]
    assert not results["ali"]["met"], "alliance 0.5 is not reached within 3 turns"
    assert results["stg"]["met"]
    assert results["rq"]["met"] and "14 reflections, 14 questions" in results["rq"]["detail"]
    questions = [kit.make_score("q?", (Code.QUESTION_CLOSED,))] * 3
    results = by_id(evaluate_objectives(persona, trajectory(persona, questions), questions))
    assert not results["rq"]["met"] and not results["rep"]["met"]
