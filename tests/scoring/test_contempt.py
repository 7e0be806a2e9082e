"""Unmistakable contempt sets the hostility head (scoring/offline/contempt.py); reported,
reflected, negated or self-directed phrases do not."""

from __future__ import annotations

import pytest

from scoring.offline.contempt import contempt_in
from scoring.types import Code


@pytest.mark.parametrize("text", [
    "You're pathetic.",
    "ur such a loser lol",
    "Honestly, you're a complete muppet.",
    "Oh, you're such a joke.",
    "You're a waste of my time.",
    "What an idiotic thing to say.",
    "Boo hoo, poor you.",
    "Nobody cares.",
    "Stop whining and do the work.",
    "Honestly, grow up.",
    "Are you stupid or something?",
    "I'm sick of your excuses.",
    # idioms with swearing as the intensifier (an outside writer's abuse lines, session 8)
    "Honestly, you're a damn waste of oxygen.",
    "Honestly, you're too bloody thick to understand any of this.",
    "What a damn fool you are.",
    "Nobody gives a damn about you.",
    "Get stuffed.",
    "Shut up lah, you idiot.",
    "Useless fella. No wonder nobody wants to bother with you.",
    "Nobody with half a brain would put up with a sorry excuse like you.",
    "Look at you, what a damn mess.",
    "omg you're so fucking annoying",
])
def test_contempt_said_to_the_client(text):
    assert contempt_in(text)


@pytest.mark.parametrize("text", [
    "You're not pathetic.",
    "You feel like you're a failure.",
    "You're worried I'll tell you to grow up.",
    "He said you're useless?",
    "Nobody cares as much as you think.",
    "I'll shut up for a bit. What am I missing?",
    "That is a strong message to grow up with.",
    "You're spoiled for choice there.",
    "You've already made a big change for your baby.",
    'She called it "pathetic". That stung.',
    "You're too thick-skinned for that, surely.",
    "What a week you've had.",
    "What a fool I was to rush you.",
    "You're worried you're hopeless.",
    "You're too hard on yourself.",
    "Nobody would want you to suffer like that.",
    "No wonder you're tired.",
    "Did you call yourself an idiot?",
    "fair. ill shut up and listen",
    "Well, look at you, what a change!",
    "So you've got good reason to be wary of people telling you what's wrong with you.",
    "She lied to you for a year, so you are the fool? No. She is the one in the wrong.",
])
def test_reported_reflected_negated_or_self_directed_is_not_contempt(text):
    assert contempt_in(text) is None


def test_contempt_is_hostility_confrontation_and_never_validation(scorer):
    score = scorer.score("I hear you. Honestly though, you're a complete muppet.",
                         "I forgot the worksheet again.")
    assert score.has(Code.HOSTILITY) and score.confrontation.present
    assert score.confrontation.level == "high"
    assert not score.validation.present
