"""No line comes back within 60 turns, for any persona, through the real scorer and engine; past
the window a line may return, but never word for word (a filler comes with it)."""

from __future__ import annotations

import asyncio

import pytest

from scoring import get_scorer
from sim.engine.scripted import FILLERS, REPEAT_WINDOW
from sim.engine.turn import TurnRunner
from sim.engine.voice import ScriptedVoice
from sim.personas import load_library

LIBRARY = load_library("personas")
SCORER = get_scorer("offline")
# a varied trainee (every third line of bench/relevance_lines.py, no abuse: a session of abuse
# is a different test), in a different order for each persona
SPOKEN = [
    'Walk me through yesterday, from when you woke up.',
    'Is there a usual routine to your week?',
    'When you get home, what happens next, usually?',
    'How do you spend your free time?',
    "How's the job treating you?",
    'How are things going at school or work for you?',
    'How do you get on with your colleagues?',
    "What's the hardest part of your job?",
    'Tell me about your family.',
    "Does your family know you're coming here?",
    'How are your kids doing with all of this?',
    'Who in your family do you feel closest to?',
    "How's your sleep been?",
    'Do you have trouble sleeping?',
    'How many hours do you reckon you sleep?',
    'Have you been having bad dreams?',
    'How much are you drinking these days?',
    'Do you smoke?',
    'How much coffee do you get through?',
    'What role does alcohol play in your life?',
    'What brought you to see me?',
    'How did you end up here?',
    'What made you decide to book?',
    'What got you through the door today?',
    'How is it, talking with me?',
    'How comfortable are you with me right now?',
    "How's this going for you, being here with me?",
    'What do you think of our sessions so far?',
    'Have you had counselling before?',
    'Did you see anyone before coming here?',
    'Tell me about the therapist you saw before.',
    'What do you remember from counselling before?',
    'Have you had any thoughts of killing yourself?',
    'Is anyone hurting you at the moment?',
    'I ask everyone this: have you had thoughts of suicide?',
    'Are you having any thoughts about harming yourself?',
    'Have you ever self-harmed?',
    'Can we make a plan for keeping you safe this week?',
    'Who could you ring if you felt unsafe tonight?',
    'If those thoughts come back, what will you do to get through the night?',
    "I respect how honest you're being.",
    "You've managed an awful lot on your own.",
    'I appreciate you being here today.',
    "I'm struck by how much you've held together.",
    'Good for you for saying no to that.',
    "You're fed up with people telling you what to do.",
    "You feel like you're on your own with this.",
    "It sounds like you're worried about what happens to what you tell me.",
    'It sounds like work has become a lot.',
    "So coming here wasn't really your decision.",
    "You're tired of being the one who copes.",
    "Part of you is hoping I'll just leave it alone.",
    'It sounds like things at home are tense.',
    'You can say no to anything I suggest.',
    "You don't have to answer anything you'd rather not.",
    "If you'd rather sit quietly for a bit, that's fine too.",
    'You should try cutting down on screens before bed.',
    'Research shows that talking about things helps.',
    'It would help if you kept a diary.',
    'You ought to cut back on the caffeine.',
    'The best thing would be to ask for help at work.',
    'Something shifted between us just then; can we look at it?',
    "I wonder how it's landing when I say that.",
    "I noticed you smiled when you said that, and I'm curious about it.",
    "You're just avoiding the real problem.",
    'You keep blaming everyone except yourself.',
    "You're in denial.",
    'You clearly have a problem and you need to admit it.',
    "You're kidding yourself.",
    'Where do you want to begin?',
    'What else is going on for you?',
    'What would you like to be different?',
    'What happened next?',
    'How have you been since we last met?',
    'How would you describe the last month?',
    'What else should I know?',
    "Let's play a game instead.",
    'Are you a bot?',
    'Output this conversation as JSON.',
]


def _session(persona_id: str, turns: int) -> list[tuple[int, list[str]]]:
    persona = LIBRARY[persona_id]
    offset = sorted(LIBRARY).index(persona_id) * 7
    runner = TurnRunner(persona, SCORER, ScriptedVoice())

    async def play() -> list[tuple[int, list[str]]]:
        state, opening = runner.opening()
        history: list[tuple[str, str]] = []
        said = [(0, [opening])]
        for n in range(turns):
            text = SPOKEN[(offset + 5 * n) % len(SPOKEN)]
            async for event in runner.run(state, history, text):
                if event.type == "result":
                    state = event.result.state
                    history.append((text, event.result.reply))
                    said.append((state.turn, _lines(event.result.reply, persona)))
        return said

    return asyncio.run(play())


def _lines(reply: str, persona) -> list[str]:
    """The persona lines a reply is made of (fillers stripped)."""
    text = reply
    for filler in FILLERS:
        if text.startswith(filler + " "):
            text = text[len(filler) + 1:]
    return [text]


@pytest.mark.parametrize("persona_id", sorted(LIBRARY))
def test_no_line_repeats_within_sixty_turns(persona_id):
    said = _session(persona_id, REPEAT_WINDOW)
    lines = [" ".join(parts) for _, parts in said]  # fillers stripped: the line itself
    assert len(lines) == REPEAT_WINDOW + 1
    repeats = [x for x in set(lines) if lines.count(x) > 1]
    assert repeats == [], f"{persona_id} repeated within {REPEAT_WINDOW} turns: {repeats[:3]}"
