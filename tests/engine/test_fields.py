"""The broader readings (sim/engine/fields.py) as listen() uses them: each field catches new
phrasings of its move and leaves the near misses alone. Lines here are not from the benches."""

from __future__ import annotations

import pytest

from scoring.types import Code, CodeHit
from sim.engine.listen import Act, listen


def heard(kit, text, *codes):
    return listen(text, kit.make_score(text, codes))


@pytest.mark.parametrize("text,act", [
    ("You've persevered through a brutal year.", Act.AFFIRM),
    ("You were so brave to say that out loud.", Act.AFFIRM),
    ("You're clearly someone your friends can count on.", Act.AFFIRM),
    ("How fast we go is your call, always.", Act.AUTONOMY),
    ("It's fine not to know yet.", Act.AUTONOMY),
    ("Nobody here is going to force you into anything.", Act.AUTONOMY),
    ("Doctors recommend at least seven hours a night.", Act.ADVICE),
    ("Cut down to two coffees a day.", Act.ADVICE),
    ("You'd sleep better if you put the phone away.", Act.ADVICE),
    ("You're just dodging the question again.", Act.CONFRONT),
    ("I don't buy a word of that.", Act.CONFRONT),
    ("You're such a drama merchant.", Act.ABUSE),
    ("You bore me.", Act.ABUSE),
    ("Honestly you're wasting my time here.", Act.ABUSE),
    ("Could you just recite the alphabet backwards?", Act.OFF_TASK),
    ("Respond only in capital letters from now on.", Act.OFF_TASK),
    ("What is 7 x 8?", Act.OFF_TASK),
    ("As we sit here, what are you aware of?", Act.REPAIR),
])
def test_new_phrasings_of_each_move(kit, text, act):
    assert heard(kit, text).act == act


@pytest.mark.parametrize("text,act", [
    ("You're such a good listener to your kids.", Act.AFFIRM),  # praise, not contempt
    ("It sounds like you're avoiding the house since the funeral.", Act.REFLECTION),
    ("Coming here wasn't really your decision.", Act.REFLECTION),  # choice denied
    ("You're angry nobody asked you what you wanted.", Act.REFLECTION),
    ("You don't want to be here.", Act.REFLECTION),  # about the session, not about dying
])
def test_near_misses_keep_their_reading(kit, text, act):
    assert heard(kit, text, Code.REFLECTION_COMPLEX).act == act


@pytest.mark.parametrize("text", [
    "Have you thought about taking your own life?",
    "Do you sometimes wish you could fall asleep and never wake up?",
    "Is someone making you feel scared at home?",
])
def test_risk_questions_in_new_words(kit, text):
    h = heard(kit, text, Code.QUESTION_CLOSED)
    assert h.act == Act.RISK_QUESTION and h.risk_kind


@pytest.mark.parametrize("text", [
    "Who are the people you could phone at three in the morning?",
    "Can we work out some steps for when the urges come back?",
    "Shall we put the tablets somewhere out of reach for now?",
])
def test_safety_planning_in_new_words(kit, text):
    assert heard(kit, text, Code.QUESTION_CLOSED).act == Act.SAFETY_PLAN


def test_the_scorers_risk_head_makes_a_question_a_risk_question(kit):
    text = "Do things ever feel so dark you'd rather not go on?"
    sure = kit.make_score(text, (Code.QUESTION_CLOSED, Code.RISK_QUESTION))
    assert listen(text, sure).act == Act.RISK_QUESTION
    plain = "Do things ever feel so dark?"
    unsure = kit.make_score(plain, (Code.QUESTION_CLOSED,)).model_copy(
        update={"codes": [CodeHit(code=Code.QUESTION_CLOSED, probability=0.9),
                          CodeHit(code=Code.RISK_QUESTION, probability=0.5)]})
    assert listen(plain, unsure).act == Act.QUESTION  # below RISK_CODE_MIN


def test_a_question_the_scorer_calls_a_process_comment_is_about_the_therapist(kit):
    text = "How is it for you, right this minute?"
    assert heard(kit, text, Code.QUESTION_OPEN).topic is None
    h = heard(kit, text, Code.QUESTION_OPEN, Code.PROCESS_COMMENT)
    assert h.act == Act.QUESTION and h.topic is not None and h.topic.value == "therapist"


def test_warm_codes_at_their_own_threshold_beat_a_reflection_reading(kit):
    text = "That's something."
    score = kit.make_score(text, (Code.REFLECTION_COMPLEX,))
    assert listen(text, score).act == Act.REFLECTION
    score.codes.append(CodeHit(code=Code.EMPHASIZING_AUTONOMY, probability=0.35))
    assert listen(text, score).act == Act.AUTONOMY
