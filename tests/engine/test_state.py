"""State rules on clear cases: what raises and lowers resistance, ruptures, repair, stages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.types import Code
from sim.engine.state import apply_score, initial_state
from sim.personas.schema import Stage


def run(persona, scores, state=None):
    state = state or initial_state(persona)
    all_changes = []
    for score in scores:
        state, changes = apply_score(persona, state, score)
        all_changes.append(changes)
    return state, all_changes


def test_initial_state_uses_baselines(mechanic):
    state = initial_state(mechanic)
    assert state.resistance == mechanic.resistance.baseline
    assert state.alliance == mechanic.resistance.alliance_baseline
    assert state.stage == Stage.PRECONTEMPLATION and state.turn == 0
    assert state.active_drivers[0] == "identity_threat"  # the heaviest driver


def test_confront_raises_resistance_with_driver_reasons(mechanic, kit):
    start = initial_state(mechanic)
    state, changes = apply_score(mechanic, start, kit.CONFRONT)
    assert state.resistance > start.resistance and state.alliance < start.alliance
    reasons = [c.reason for c in changes if c.quantity == "resistance"]
    assert any(r.startswith("confront hit 'identity_threat' (cognitive): +") for r in reasons)
    assert any("mistrust_of_authority" in r for r in reasons)
    driver_changes = [c for c in changes if c.driver == "identity_threat"]
    assert driver_changes and driver_changes[0].move == "confront"
    assert state.active_drivers[0] == "identity_threat"


def test_softeners_lower_resistance_and_raise_alliance(mechanic, kit):
    start = initial_state(mechanic)
    for score in (kit.COMPLEX, kit.AUTONOMY, kit.OPEN_Q):
        state, changes = apply_score(mechanic, start, score)
        assert state.resistance < start.resistance, score.reply
        assert state.alliance > start.alliance, score.reply
    _, changes = apply_score(mechanic, start, kit.AUTONOMY)
    assert any("eased 'mistrust_of_authority'" in c.reason for c in changes)


def test_confrontation_backfires_more_in_precontemplation(mechanic, kit):
    action = mechanic.model_copy(update={"stage": Stage.ACTION})
    early, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    late, _ = apply_score(action, initial_state(action), kit.CONFRONT)
    assert (
        early.resistance - mechanic.resistance.baseline
        > late.resistance - action.resistance.baseline
    )


def test_advice_with_permission_depends_on_stage(mechanic, kit):
    advice = kit.make_score("May I share an idea?", (Code.PERSUADE_WITH_PERMISSION,))
    action = mechanic.model_copy(update={"stage": Stage.ACTION})
    pre, _ = apply_score(mechanic, initial_state(mechanic), advice)
    act, _ = apply_score(action, initial_state(action), advice)
    assert pre.resistance > mechanic.resistance.baseline
    assert act.resistance < action.resistance.baseline


def test_strong_confrontation_causes_rupture(mechanic, kit):
    state, changes = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    assert state.rupture and state.ruptures == 1
    assert any(c.quantity == "rupture" and c.delta == 1.0 for c in changes)


def test_mild_move_does_not_rupture(mechanic, kit):
    info = kit.make_score("Anger often comes with stress.", (Code.GIVING_INFORMATION,))
    state, _ = apply_score(mechanic, initial_state(mechanic), info)
    assert not state.rupture


def test_during_rupture_only_repair_moves_help(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    assert ruptured.rupture
    calm = initial_state(mechanic).model_copy(update={"resistance": ruptured.resistance})
    after_q_rupt, _ = apply_score(mechanic, ruptured, kit.OPEN_Q)
    after_q_calm, _ = apply_score(mechanic, calm, kit.OPEN_Q)
    drop_rupt = ruptured.resistance - after_q_rupt.resistance
    drop_calm = calm.resistance - after_q_calm.resistance
    assert 0 <= drop_rupt < drop_calm / 2
    assert after_q_rupt.rupture, "an open question does not repair a rupture"


def test_process_comment_repairs_rupture(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    repaired, changes = apply_score(mechanic, ruptured, kit.PROCESS)
    assert not repaired.rupture and repaired.repairs == 1 and repaired.ruptures == 1
    assert repaired.resistance < ruptured.resistance
    assert any(c.quantity == "rupture" and c.delta == -1.0 for c in changes)
    assert any("rupture repaired" in c.reason for c in changes)


def test_owning_a_misstep_specifically_repairs_a_severe_rupture(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    assert ruptured.rupture_severity >= 0.7  # a hard confrontation with almost no alliance
    vague = kit.make_score("I think I pushed too hard there, and that's on me.")
    partly, changes = apply_score(mechanic, ruptured, vague)
    assert partly.rupture and partly.rupture_severity < ruptured.rupture_severity
    assert any(c.move == "partial_repair" for c in changes)
    sorry = kit.make_score("I'm sorry. When I said you have an anger problem, I was judging "
                           "you, and that was unfair of me.")
    repaired, _ = apply_score(mechanic, ruptured, sorry)
    assert not repaired.rupture and repaired.repairs == 1


def test_closed_question_streak_raises_resistance(mechanic, kit):
    state, changes = run(mechanic, [kit.CLOSED_Q] * 3)
    assert state.closed_streak == 3
    assert any("closed question #3 in a row" in c.reason for c in changes[2])
    assert not any(c.quantity == "resistance" for c in changes[0])
    reset, _ = apply_score(mechanic, state, kit.OPEN_Q)
    assert reset.closed_streak == 0


def test_stage_advances_only_when_earned_and_one_at_a_time(mechanic, kit):
    state, changes = run(mechanic, [kit.CONFRONT] * 5)
    assert state.stage == Stage.PRECONTEMPLATION and state.stage_progress == 0.0
    state = initial_state(mechanic)
    seen = [state.stage]
    for _ in range(40):
        state, changes = apply_score(mechanic, state, kit.COMPLEX)
        if state.stage != seen[-1]:
            assert state.stage.index == seen[-1].index + 1, "stages are never skipped"
            assert any(c.quantity == "stage" for c in changes)
            seen.append(state.stage)
    assert len(seen) >= 2
    assert state.stage_progress <= 1.0


def test_pushing_lowers_stage_progress(mechanic, kit):
    start = initial_state(mechanic).model_copy(update={"stage_progress": 0.5})
    push = kit.make_score("You should stop.", (Code.PERSUADE,), confrontation="high")
    state, _ = apply_score(mechanic, start, push)
    assert state.stage_progress < 0.5


def test_disclosures_unlock_by_threshold_one_per_turn(mechanic, kit):
    start = initial_state(mechanic).model_copy(update={"alliance": 0.9, "resistance": 0.1})
    first, changes = apply_score(mechanic, start, kit.COMPLEX)
    assert first.disclosed == ["near_miss"]
    assert any(c.quantity == "disclosure" and "near_miss" in c.reason for c in changes)
    second, _ = apply_score(mechanic, first, kit.COMPLEX)
    assert second.disclosed == ["near_miss", "father"]
    guarded = initial_state(mechanic).model_copy(update={"alliance": 0.9, "resistance": 0.9})
    still, _ = apply_score(mechanic, guarded, kit.CLOSED_Q)
    assert still.disclosed == [], "max_resistance gates the disclosure"


def test_active_drivers_fall_back_to_top_weighted(mechanic, kit):
    state, _ = apply_score(mechanic, initial_state(mechanic), kit.CLOSED_Q)
    assert state.active_drivers == ["identity_threat", "mistrust_of_authority"]


def test_apply_score_is_pure_and_deterministic(mechanic, kit):
    start = initial_state(mechanic)
    snapshot = start.model_dump()
    a = apply_score(mechanic, start, kit.CONFRONT)
    b = apply_score(mechanic, start, kit.CONFRONT)
    assert a[0] == b[0] and a[1] == b[1]
    assert start.model_dump() == snapshot


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(list(Code)), max_size=4), min_size=1, max_size=25))
def test_state_stays_in_bounds(mechanic_persona, sequence):
    from sim.engine.moves import HIT_THRESHOLD  # noqa: F401 - documents the hit rule

    state = initial_state(mechanic_persona)
    for codes in sequence:
        score = _score(codes)
        state, changes = apply_score(mechanic_persona, state, score)
        assert 0.0 <= state.resistance <= 1.0 and 0.0 <= state.alliance <= 1.0
        assert 0.0 <= state.stage_progress <= 1.0
        assert state.repairs <= state.ruptures
        assert all(c.reason for c in changes)


def _score(codes):
    from scoring.types import CodeHit, DimensionScore, ReplyScore

    none = DimensionScore(present=False, probability=0.0, level="none", reason="")
    return ReplyScore(
        reply="r",
        validation=none,
        curiosity=none,
        confrontation=none,
        process_comment=none,
        codes=[CodeHit(code=c, probability=0.9) for c in codes],
        engine="t",
        engine_version="0",
    )
