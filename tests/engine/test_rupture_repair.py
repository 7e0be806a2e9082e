"""Ruptures and repairs as a clinician would recognise them (state rules, hand-built scores)."""

from __future__ import annotations

from scoring.types import Code
from sim.engine.listen import Act, listen
from sim.engine.state import apply_score, initial_state


def play(persona, scores, state=None):
    state = state or initial_state(persona)
    changes = []
    for score in scores:
        state, changes = apply_score(persona, state, score)
    return state, changes


def with_confidence(score, probability, level="high", unsure=False):
    conf = score.confrontation.model_copy(update={"probability": probability, "level": level,
                                                  "present": True})
    if "unsure" in type(conf).model_fields:
        conf = conf.model_copy(update={"unsure": unsure})
    return score.model_copy(update={"confrontation": conf})


def test_one_unsure_rating_never_ruptures(mechanic, kit):
    """A warm line the scorer half-misreads as a confrontation: no rupture, no backfire."""
    text = "It sounds like you've been really let down by people who were meant to help."
    misread = with_confidence(kit.make_score(text, (Code.REFLECTION_COMPLEX, Code.CONFRONT)),
                              0.62, level="medium")
    state, changes = apply_score(mechanic, initial_state(mechanic), misread)
    assert not state.rupture
    assert state.resistance < mechanic.resistance.baseline
    assert not any(c.move == "confront" for c in changes)


def test_a_confident_hard_confrontation_ruptures_with_a_severity(mechanic, kit):
    state, changes = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    assert state.rupture and state.ruptures == 1
    assert 0.7 <= state.rupture_severity <= 1.0  # hard blow, almost no alliance to cushion it
    assert state.rupture_text == kit.CONFRONT.reply
    assert any(c.quantity == "rupture" and c.reason.startswith("severe rupture") for c in changes)


def test_strain_builds_to_a_rupture_without_one_big_blow(mechanic, kit):
    """Unasked-for advice, turn after turn: no single turn ruptures; together they do."""
    advice = kit.make_score("You should try going to bed earlier.", (Code.GIVING_INFORMATION,))
    state = initial_state(mechanic)
    seen = []
    for _ in range(8):
        before = state.resistance
        state, _ = apply_score(mechanic, state, advice)
        seen.append((state.rupture, round(state.resistance - before, 3), state.strain))
        if state.rupture:
            break
    assert state.rupture, seen
    assert all(rise < 0.15 for _, rise, _ in seen), "no single turn was a big jump"
    hard, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    assert state.rupture_severity < hard.rupture_severity  # built up slowly: less severe


def test_strain_eases_when_the_trainee_softens(mechanic, kit):
    advice = kit.make_score("You should try going to bed earlier.", (Code.GIVING_INFORMATION,))
    strained, _ = play(mechanic, [advice, advice])
    eased, _ = apply_score(mechanic, strained, kit.COMPLEX)
    assert eased.strain < strained.strain


def test_a_vague_apology_does_not_repair_a_severe_rupture_but_a_specific_one_does(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    vague = kit.make_score("Sorry if you felt that way.")
    after, _ = apply_score(mechanic, ruptured, vague)
    assert after.rupture and after.repairs == 0
    specific = kit.make_score(
        "I'm sorry. When I said you have an anger problem and need to admit it, I was labelling "
        "you, and that was unfair of me. Can we talk about how that landed?")
    repaired, changes = apply_score(mechanic, ruptured, specific)
    assert not repaired.rupture and repaired.repairs == 1
    assert repaired.last_repair_turn == repaired.turn
    assert any("ownership" in c.reason and "needing" in c.reason for c in changes)


def test_a_rupture_from_strain_is_repaired_by_owning_it_and_naming_its_effect(mechanic, kit):
    advice = kit.make_score("You should try going to bed earlier.", (Code.GIVING_INFORMATION,))
    state = initial_state(mechanic)
    while not state.rupture:
        state, _ = apply_score(mechanic, state, advice)
    plain = kit.make_score("Okay, let's move on.")
    assert apply_score(mechanic, state, plain)[0].rupture
    owning = kit.make_score("I'm sorry. I've been pushing advice at you and you've gone quiet. "
                            "That's on me.")
    repaired, _ = apply_score(mechanic, state, owning)
    assert not repaired.rupture and repaired.repairs == 1


def test_blame_phrased_as_a_question_never_repairs(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    blame = kit.make_score("You only say that because you think it's what I want to hear, right?",
                           (Code.PROCESS_COMMENT, Code.QUESTION_CLOSED), process_comment="high")
    after, changes = apply_score(mechanic, ruptured, blame)
    assert after.rupture and after.repairs == 0
    assert after.rupture_severity >= ruptured.rupture_severity
    assert after.resistance >= ruptured.resistance
    assert not any(c.move == "repair" for c in changes)


def test_a_partial_repair_lowers_the_severity_so_a_second_attempt_can_land(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    first = kit.make_score("I think I pushed too hard there.")
    partly, _ = apply_score(mechanic, ruptured, first)
    assert partly.rupture and partly.rupture_severity < ruptured.rupture_severity
    second = kit.make_score("I'm sorry, I got ahead of you just now, and you went quiet.")
    repaired, _ = apply_score(mechanic, partly, second)
    assert not repaired.rupture


def test_confronting_soon_after_a_repair_costs_more(mechanic, kit):
    calm = initial_state(mechanic).model_copy(update={"alliance": 0.5, "resistance": 0.5})
    mild = kit.make_score("You're not being straight with me.", (Code.CONFRONT,),
                          confrontation="medium")
    fresh, _ = apply_score(mechanic, calm, mild)
    repaired_recently = calm.model_copy(update={"last_repair_turn": calm.turn})
    after_repair, changes = apply_score(mechanic, repaired_recently, mild)
    assert after_repair.resistance - calm.resistance > fresh.resistance - calm.resistance
    assert any(c.move == "after_repair" for c in changes)
    long_ago = calm.model_copy(update={"last_repair_turn": -10})
    later, _ = apply_score(mechanic, long_ago, mild)
    assert later.resistance == fresh.resistance


def test_warmth_barely_lands_while_ruptured_and_alliance_is_damped_too(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    calm = initial_state(mechanic).model_copy(update={"resistance": ruptured.resistance,
                                                      "alliance": ruptured.alliance})
    r_after, _ = apply_score(mechanic, ruptured, kit.AUTONOMY)
    c_after, _ = apply_score(mechanic, calm, kit.AUTONOMY)
    assert r_after.alliance - ruptured.alliance < (c_after.alliance - calm.alliance) / 2


def test_sustained_attunement_eases_a_rupture_slowly(mechanic, kit):
    ruptured, _ = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    state, turns = ruptured, 0
    while state.rupture and turns < 30:
        state, _ = apply_score(mechanic, state, kit.COMPLEX)
        turns += 1
    assert not state.rupture and state.repairs == 1
    assert turns >= 6  # a severe rupture is not undone by one kind word


def test_abuse_ruptures_and_earns_nothing(mechanic, kit):
    start = initial_state(mechanic).model_copy(update={"alliance": 0.6, "resistance": 0.4})
    text = "I hear you, but honestly you're pathetic."
    state, changes = apply_score(mechanic, start,
                                 kit.make_score(text, (Code.REFLECTION_SIMPLE,), validation="high"))
    assert state.rupture and state.rupture_severity >= 0.6
    assert state.resistance - start.resistance >= 0.25
    assert state.alliance < start.alliance
    assert not any(c.quantity == "alliance" and c.delta > 0 for c in changes)
    assert any(c.quantity == "flag" and c.move == "abuse" for c in changes)


def test_the_reasons_always_sum_to_the_meter(mechanic, kit):
    """Even when the state hits its bound (resistance clamped at 1)."""
    state = initial_state(mechanic).model_copy(update={"resistance": 0.97})
    for score in (kit.CONFRONT, kit.COMPLEX, kit.PROCESS, kit.AUTONOMY, kit.CLOSED_Q):
        after, changes = apply_score(mechanic, state, score)
        for quantity in ("resistance", "alliance"):
            summed = sum(c.delta for c in changes if c.quantity == quantity)
            moved = getattr(after, quantity) - getattr(state, quantity)
            assert abs(summed - moved) < 1e-3, (score.reply, quantity, summed, moved)
        state = after


def _severely_ruptured(mechanic, kit):
    state, _ = play(mechanic, [kit.CONFRONT, kit.CONFRONT])
    assert state.rupture and state.rupture_severity >= 0.9
    return state


def test_a_repair_can_take_two_turns_own_and_name_it_then_invite(mechanic, kit):
    """Outside writers split a repair: 'I labelled you, that wasn't fair, I'm sorry.' then
    'How did that land?'. Together they are a full repair; neither alone is enough."""
    state = _severely_ruptured(mechanic, kit)
    owning = kit.make_score("Hang on. I've just labelled you and lectured you, and that wasn't "
                            "fair. I'm sorry.")
    invite = kit.make_score("I'd like to hear how that came across from your side.")
    partly, _ = apply_score(mechanic, state, owning)
    assert partly.rupture and partly.repair_so_far[0] == 1.0 and partly.repair_so_far[1] > 0
    repaired, changes = apply_score(mechanic, partly, invite)
    assert not repaired.rupture and repaired.repairs == 1 and repaired.repair_so_far == []
    assert any(c.move == "repair" for c in changes)
    invite_alone, _ = apply_score(mechanic, state, invite)
    assert invite_alone.rupture


def test_the_same_apology_twice_is_not_a_two_turn_repair(mechanic, kit):
    state = _severely_ruptured(mechanic, kit)
    sorry = kit.make_score("I was wrong, I'm sorry.")
    once, _ = apply_score(mechanic, state, sorry)
    twice, _ = apply_score(mechanic, once, sorry)
    assert twice.rupture and twice.repairs == 0


def test_a_fresh_confrontation_cancels_the_repair_under_way(mechanic, kit):
    state = _severely_ruptured(mechanic, kit)
    owning = kit.make_score("I judged you, I'm sorry.")
    partly, _ = apply_score(mechanic, state, owning)
    assert partly.repair_so_far
    jab, _ = apply_score(mechanic, partly, kit.CONFRONT)
    assert jab.rupture and jab.repair_so_far == []
    invite = kit.make_score("How did that land for you?")
    after, _ = apply_score(mechanic, jab, invite)
    assert after.rupture


def test_an_apology_that_names_its_own_harsh_words_is_not_a_new_confrontation(mechanic, kit):
    """The scorer may read "I just called what you said excuses" as confrontation; the listener
    hears the therapist describing their own act, unless another sentence jabs again."""
    said = "Okay, honestly? You're just making excuses."
    owning = kit.make_score("Wow, I'm sorry. I just called what you said excuses without really "
                            "listening, and that's not okay.", (Code.CONFRONT,),
                            confrontation="high")
    heard = listen(owning.reply, owning, mechanic, rupture_text=said)
    assert heard.act == Act.REPAIR and heard.overruled
    jab = kit.make_score("I'm sorry I lectured you. You are still making excuses though.",
                         (Code.CONFRONT,), confrontation="high")
    assert listen(jab.reply, jab, mechanic, rupture_text=said).act == Act.CONFRONT


def test_the_clients_view_said_back_is_not_a_confrontation(mechanic, kit):
    reflect = kit.make_score("So part of you thinks this is pointless, and part of you maybe "
                             "wants things to get better.", (Code.REFLECTION_COMPLEX,),
                             validation="high")
    assert listen(reflect.reply, reflect, mechanic).act != Act.CONFRONT
    yes_but = kit.make_score("You say you want to change, but this is pointless.")
    assert listen(yes_but.reply, yes_but, mechanic).act == Act.CONFRONT
