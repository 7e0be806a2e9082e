"""Texting shorthand is spelled out before the listening rules read a reply
(sim/engine/texting.py), so a trainee who types like they text is heard like anyone else."""

from __future__ import annotations

import pytest

from scoring.types import Code
from sim.engine.listen import Act, listen
from sim.engine.texting import plain


def test_shorthand_is_spelled_out_and_ordinary_words_are_left_alone():
    assert plain("r u thinking of hurting urself") == "are you thinking of hurting yourself"
    assert plain("wat do u do 4 work n how r ur nites") == (
        "what do you do 4 work and how are your nites")
    assert plain("Run, turn, burn, urn; Ur is a city.") == "Run, turn, burn, urn; your is a city."
    assert plain("I'm fine, you're kind") == "I'm fine, you're kind"


@pytest.mark.parametrize("reply", [
    "r u thinking of hurting urself",
    "do u ever think about not waking up",
])
def test_a_texted_risk_question_is_a_risk_question(kit, reply):
    heard = listen(reply, kit.make_score(reply, codes=(Code.QUESTION_CLOSED,)))
    assert heard.risk_direct and heard.act == Act.RISK_QUESTION


@pytest.mark.parametrize("reply", [
    "Waste my time like this again and I'll make sure you regret it.",
    "What a stupid thing to say. Are you thick or something?",
    "I'm sick to death of listening to your crap.",
    "Keep crying, it won't make you any less worthless.",
])
def test_threats_insults_and_contempt_are_abuse(kit, reply):
    assert listen(reply, kit.make_score()).abuse


@pytest.mark.parametrize("reply", [
    "You feel like you're a failure, and that's been weighing on you.",
    "Part of you believes you're worthless, and part of you came here anyway.",
])
def test_reflecting_how_the_client_sees_itself_is_not_abuse(kit, reply):
    assert not listen(reply, kit.make_score()).abuse
