"""Topics as semantic fields (sim/engine/topic_words.py): new words of each field name it."""

from __future__ import annotations

import pytest

from sim.engine.listen import topic_of
from sim.engine.topic_words import self_references
from sim.personas.schema import Topic


@pytest.mark.parametrize("text,topic", [
    ("What are Saturdays like for you?", Topic.TYPICAL_DAY),
    ("How do you kill the time between appointments?", Topic.TYPICAL_DAY),
    ("What do you do when you're off work?", Topic.TYPICAL_DAY),
    ("How's the apprenticeship?", Topic.WORK),
    ("Of course, what's the firm like?", Topic.WORK),
    ("How are things with your stepdad?", Topic.FAMILY),
    ("Do you doze off in front of the telly?", Topic.SLEEP),
    ("How many fags a day, roughly?", Topic.SUBSTANCES),
    ("Are you taking the antidepressants?", Topic.SUBSTANCES),
    ("What was the last straw?", Topic.REFERRAL),
    ("What are you wanting to take away from this?", Topic.REFERRAL),
    ("Have you had CBT at any point?", Topic.PAST_THERAPY),
    ("Did I come on too strong just then?", Topic.THERAPIST),
    ("Does it bother you that I write things down?", Topic.THERAPIST),
    ("How are we doing now?", Topic.THERAPIST),  # a check-in after a repair
    ("Are we okay?", Topic.THERAPIST),
    ("How are we doing for time?", None),
])
def test_new_words_of_each_field(text, topic):
    assert topic_of(text) == topic


def test_stock_openers_are_not_about_the_therapist():
    assert self_references("Tell me, I'm curious: can I ask what you do at weekends?") == 0
    assert self_references("Have I said something that upset you?") == 1
    assert topic_of("Can I ask what you'd like to talk about?") is None
