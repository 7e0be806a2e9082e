"""The LLM voice's register check (sim/engine/register.py) with the real offline scorer: a
model reply that the scorer reads as a therapist's move is refused; the clients' own lines,
which talk about themselves, mostly pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import get_scorer
from sim.engine.prompts import spoken_lines
from sim.engine.register import therapist_register
from sim.personas import load_persona

PERSONAS = Path(__file__).resolve().parents[2] / "personas"


@pytest.fixture(scope="module")
def judge():
    return therapist_register(get_scorer("offline"))


@pytest.mark.parametrize("reply", [
    "That sounds exhausting.",  # SmolLM2 as a silent adolescent, 2026-11-30
    "It sounds like you feel nobody listens.",
    "You should sleep more.",
    "That must be really hard for you.",
])
def test_a_therapists_move_from_the_model_is_refused(judge, reply):
    why = judge(reply)
    assert why is not None and why.startswith("spoke like the therapist")


@pytest.mark.parametrize("reply", [
    "I dunno. School is fine I guess.",
    "Why does that even matter to you?",
    "My mum made me come. I didn't want to.",
    "Not much to say.",
])
def test_a_clients_own_words_pass(judge, reply):
    assert judge(reply) is None


def test_few_of_the_personas_own_lines_would_be_refused(judge):
    lines = [line for f in sorted(PERSONAS.glob("*.yaml"))
             for line in spoken_lines(load_persona(f))]
    refused = [line for line in lines if judge(line)]
    assert len(lines) > 500
    # offline-4 flags 3.1% (offline-3: 1.7%); a flagged line only costs a scripted reply
    assert len(refused) / len(lines) <= 0.035, refused


def test_the_runtime_judges_a_models_replies_not_the_scripted_voices():
    from sim.config import Settings
    from sim.runtime import build_runtime

    persona = load_persona(PERSONAS / "silent-adolescent.yaml")
    scripted = build_runtime(Settings(voice="scripted", database_url="sqlite://"))
    assert scripted.runner(persona).judge is None
    llm = build_runtime(Settings(voice="openai", openai_base_url="http://127.0.0.1:9/v1",
                                 openai_model="m", database_url="sqlite://"))
    judge = llm.runner(persona).judge
    assert judge is not None and judge("That sounds exhausting.") is not None


def test_a_sentence_is_scored_once_per_reply():
    """The voice judges the first words, then the whole reply: a sentence already judged is
    not sent through the scorer again."""
    from types import SimpleNamespace

    calls: list[str] = []

    class Counting:
        def score(self, text):
            calls.append(text)
            return SimpleNamespace(codes=[])

    judge = therapist_register(Counting())
    assert judge("That sounds hard.") is None
    assert judge("That sounds hard. Weekends are long.") is None
    assert calls == ["That sounds hard.", "Weekends are long."]
