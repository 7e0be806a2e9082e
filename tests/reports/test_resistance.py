"""Trajectory, turning points and driver attribution on the hand-built session (conftest)."""

from __future__ import annotations

import pytest

from sim.engine.types import StateChange
from sim.personas.schema import Stage
from sim.reports.inputs import sort_turns
from sim.reports.resistance import resistance_by_driver, steps, trajectory, turning_points


def test_trajectory_starts_at_opening_and_skips_failed_turn(meta, turns):
    chain = steps(meta.initial_state, turns)
    points = trajectory(meta.initial_state, chain)
    assert [p.turn_index for p in points] == [0, 1, 3, 4, 5]
    assert [p.resistance for p in points] == [0.55, 0.71, 0.60, 0.46, 0.41]
    assert [p.alliance for p in points] == [0.30, 0.22, 0.38, 0.52, 0.58]
    assert [p.rupture for p in points] == [False, True, False, False, False]
    assert points[-1].stage is Stage.CONTEMPLATION and points[0].stage is Stage.PRECONTEMPLATION


def test_failed_turn_does_not_break_before_after_chain(meta, turns):
    chain = steps(meta.initial_state, turns)
    turn3 = next(s for s in chain if s.turn.index == 3)
    assert turn3.before.resistance == 0.71  # the state after turn 1, not the failed turn 2
    assert turn3.resistance_delta == pytest.approx(-0.11)


def test_turning_points(persona, meta, turns):
    points = turning_points(persona, steps(meta.initial_state, turns))
    assert [(p.turn_index, p.kind) for p in points] == [
        (1, "rupture"), (1, "biggest_rise"), (3, "repair"), (4, "disclosure"),
        (4, "biggest_fall"), (5, "stage_change")]
    text = {p.kind: p.text for p in points}
    assert text["rupture"] == ("Rupture after a confrontation: resistance 0.55 → 0.71, "
                               "alliance 0.30 → 0.22.")
    assert "process comment" in text["repair"] and "0.22 → 0.38" in text["repair"]
    assert text["disclosure"] == "Disclosed: He lost his job after a panic attack."
    assert text["stage_change"] == "Stage moved forward: precontemplation → contemplation."
    assert "0.60 → 0.46" in text["biggest_fall"]


def test_no_rise_no_biggest_rise(persona, meta, turns):
    chain = [s for s in steps(meta.initial_state, turns) if s.turn.index != 1]
    kinds = {p.kind for p in turning_points(persona, chain)}
    assert "biggest_rise" not in kinds and "rupture" not in kinds


def test_driver_attribution_sums(persona, meta, turns):
    chain = steps(meta.initial_state, turns)
    drivers = resistance_by_driver(persona, chain)
    by_name = {d.driver: d for d in drivers}
    assert [d.driver for d in drivers] == [
        "identity-threat", "fear-of-feeling", "authority-mistrust", "unattributed"]
    ident = by_name["identity-threat"]
    assert ident.kind == "cognitive" and ident.label == "Identity threat"
    assert ident.total_delta == pytest.approx(0.0)
    assert ident.raised == pytest.approx(0.04) and ident.lowered == pytest.approx(-0.04)
    assert [(m.turn_index, m.move, m.delta) for m in ident.moves] == [
        (1, "confront", 0.04), (4, "reflection_complex", -0.04)]
    assert ident.moves[0].reply == "You need to admit you have a drinking problem."
    assert by_name["authority-mistrust"].total_delta == pytest.approx(-0.03)
    assert by_name["fear-of-feeling"].total_delta == pytest.approx(-0.02)
    assert by_name["unattributed"].kind == "other"
    assert by_name["unattributed"].total_delta == pytest.approx(0.12 - 0.08 - 0.05 - 0.05 - 0.03)
    # every recorded resistance change lands in exactly one bucket: totals equal the movement
    total = sum(d.total_delta for d in drivers)
    assert total == pytest.approx(0.41 - 0.55)
    assert all("Secret" not in d.label for d in drivers)  # driver detail stays hidden


def test_same_move_twice_in_a_turn_is_merged(persona, meta, turns):
    extra = StateChange(quantity="resistance", delta=0.02, move="confront",
                        driver="identity-threat", reason="second trigger")
    turns[0] = turns[0].model_copy(update={"changes": [*turns[0].changes, extra]})
    ident = next(d for d in resistance_by_driver(persona, steps(meta.initial_state, turns))
                 if d.driver == "identity-threat")
    assert [(m.turn_index, m.delta) for m in ident.moves] == [(1, 0.06), (4, -0.04)]
    assert ident.total_delta == pytest.approx(0.02)


def test_unknown_driver_goes_to_unattributed(persona, meta, turns):
    stray = StateChange(quantity="resistance", delta=0.05, move="confront",
                        driver="removed-driver", reason="old persona version")
    turns[0] = turns[0].model_copy(update={"changes": [stray]})
    drivers = resistance_by_driver(persona, steps(meta.initial_state, turns))
    other = next(d for d in drivers if d.driver == "unattributed")
    assert (1, "confront", 0.05) in [(m.turn_index, m.move, m.delta) for m in other.moves]


def test_driver_untouched_is_listed_with_zero(persona, meta):
    drivers = resistance_by_driver(persona, [])
    assert [d.driver for d in drivers] == ["identity-threat", "authority-mistrust",
                                           "fear-of-feeling"]
    assert all(d.total_delta == 0 and d.moves == [] for d in drivers)


def test_duplicate_index_refused(turns):
    with pytest.raises(ValueError, match="turn index 3 appears twice"):
        sort_turns([*turns, turns[2]])
