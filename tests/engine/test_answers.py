"""Lines that open by echoing a question answer that question only, and a risk answer fits the
kind of risk asked about (own safety or harm from someone else)."""

from __future__ import annotations

import asyncio

import pytest

from scoring import get_scorer
from sim.engine import lexicon as lx
from sim.engine.answers import echoed_question, fits
from sim.engine.turn import TurnRunner
from sim.engine.voice import ScriptedVoice
from sim.personas import load_library

LIBRARY = load_library("personas")
SCORER = get_scorer("offline")


@pytest.mark.parametrize(("line", "echo"), [
    ("What would help? Honestly, knowing where this goes.", {"help"}),
    ("A good day? I get six hours and nobody startles me.", {"good", "day"}),
    ("What gets in the way... the moment I start, my body says stop.", {"gets", "way"}),
    ("Honestly? I don't know. Nobody asks like that.", None),
    ("(Laughs, then stops.) Yeah. You caught that.", None),
    ("...That's a large question. Give me a moment with it.", None),
    ("Like what?", None),
])
def test_echoed_question_reads_the_opening_echo(line, echo):
    assert echoed_question(line) == echo


def test_an_echo_fits_only_a_question_that_shares_its_words():
    line = "What would help? Honestly, knowing where this goes."
    assert fits(line, "What do you think would help you most right now?")
    assert fits(line, "What helps, when it gets like this?")  # same stem
    assert not fits(line, "So what are you going to do about it?")
    assert not fits(line, "")  # never to a reflection or a statement
    assert fits("Honestly? I don't know.", "So what are you going to do about it?")


def _open_answers(persona_id: str, questions: list[str]) -> list[tuple[str, str, str]]:
    persona = LIBRARY[persona_id]
    runner = TurnRunner(persona, SCORER, ScriptedVoice())

    async def play() -> list[tuple[str, str, str]]:
        state, _ = runner.opening()
        history: list[tuple[str, str]] = []
        out = []
        for text in questions:
            async for event in runner.run(state, history, text):
                if event.type == "result":
                    state = event.result.state
                    history.append((text, event.result.reply))
                    out.append((text, event.result.sources[0] if event.result.sources else "",
                                event.result.reply))
        return out

    return asyncio.run(play())


OFF_TOPIC_OPEN = [
    "So what are you going to do about it?",
    "Can you tell me more about that?",
    "And how was that for you?",
    "What do you make of that?",
    "Where does that leave you?",
    "What went through your mind?",
]


@pytest.mark.parametrize("persona_id", sorted(LIBRARY))
def test_no_echo_of_a_question_that_was_not_asked(persona_id):
    """Asked something its lines do not echo, the client answers with a line that fits any
    question, never 'What would help? ...' to 'What went through your mind?'."""
    answers = _open_answers(persona_id, OFF_TOPIC_OPEN)
    assert len(answers) == len(OFF_TOPIC_OPEN)
    for asked, source, reply in answers:
        if source in ("reaction:question_open", "reaction:question_closed"):
            line = next(x for x in LIBRARY[persona_id].voice.reactions[
                source.split(":")[1]] if reply.startswith(x) or x in reply)
            assert fits(line, asked), f"{persona_id}: {asked!r} got {reply!r}"


@pytest.mark.parametrize("persona_id", sorted(LIBRARY))
def test_every_persona_has_open_answers_that_fit_any_question(persona_id):
    lines = LIBRARY[persona_id].voice.reactions.get("question_open", [])
    generic = [x for x in lines if echoed_question(x) is None]
    assert len(generic) >= 1, f"{persona_id}: every question_open line echoes a question"


@pytest.mark.parametrize("persona_id", ["compliant-nurse", "grieving-professor",
                                        "silent-adolescent"])
def test_risk_answer_fits_the_kind_of_risk_asked(persona_id):
    own = "Sometimes people feel it would be easier not to be here. Is that something you've felt?"
    others = "Is anyone at home hurting you or making you feel unsafe?"
    (_, own_source, own_reply), (_, other_source, other_reply) = _open_answers(
        persona_id, [own, others])
    assert own_source.startswith("risk:"), (own_source, own_reply)
    assert not lx.ABOUT_OTHERS_HARM.search(own_reply), own_reply
    assert other_source.startswith("risk:"), (other_source, other_reply)


@pytest.mark.parametrize("persona_id", sorted(LIBRARY))
def test_an_apology_with_nothing_to_repair_is_answered_as_an_apology(persona_id):
    """'I came on too strong just now, I'm sorry' gets 'No harm done', not 'You caught that'."""
    (_, _, _), (_, source, reply) = _open_answers(persona_id, [
        "What's been on your mind this week?",
        "I think I came on too strong just now. I'm sorry about that."])
    assert source == "apology_heard", (source, reply)
    assert any(reply.startswith(x) for x in LIBRARY[persona_id].voice.apology_heard)


@pytest.mark.parametrize("line,said,ok", [
    ("Denial. Right. Heard that one before.", "You need to take this seriously.", False),
    ("Denial. Right. Heard that one before.", "Honestly, this sounds like denial.", True),
    ("Sabotaging? I... okay.", "I think that's an excuse.", False),
    ("The log? Yeah. Every single day.", "That takes persistence.", False),
    ("The log? Yeah. Every single day.", "How's the sleep log going?", True),
    ("Can we not do the lateness thing? I know. I know.", "Tell me about your week.", True),
    ("Fine. Whatever you say.", "You need to take this seriously.", True),
])
def test_a_line_that_says_a_word_back_needs_the_trainee_to_have_said_it(line, said, ok):
    """An outside supervisor found clients echoing words nobody said ("Hiding something?")."""
    from sim.engine.answers import says_back

    assert says_back(line, said) is ok
