"""Clear cases of every behaviour code and every dimension, written for these tests (they are
not in scoring/data/labelled.jsonl: test_not_in_training_data checks that)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.offline.scorer import OfflineScorer
from scoring.types import Code

LABELLED = Path(__file__).resolve().parents[2] / "scoring" / "data" / "labelled.jsonl"

# (code, client's last line, reply)
CLEAR_CODES = [
    (Code.QUESTION_OPEN, "I keep arguing with my brother.",
     "What do the arguments with your brother usually start over?"),
    (Code.QUESTION_CLOSED, "I went to the doctor yesterday.",
     "Did the doctor give you any results?"),
    (Code.REFLECTION_SIMPLE, "I've been really tired at work lately.",
     "You've been tired at work."),
    (Code.REFLECTION_COMPLEX, "My mum phones me five times a day and I just let it ring.",
     "It sounds like you love her and you also need some space to breathe."),
    (Code.AFFIRM, "I made it to the gym twice this week even with the night shifts.",
     "Twice in a week of night shifts. That shows real determination."),
    (Code.SEEKING_COLLABORATION, "I'm not sure what to work on first.",
     "Let's figure out together where you'd like to begin."),
    (Code.EMPHASIZING_AUTONOMY, "I haven't decided whether to go back to college.",
     "Whether you go back is entirely your choice."),
    (Code.GIVING_INFORMATION, "How long does it take to feel the benefit of exercise?",
     "On average, people notice better mood within a few weeks of regular exercise."),
    (Code.PERSUADE, "I eat takeaway most nights.",
     "You should cook at home more and cut out the takeaways."),
    (Code.PERSUADE_WITH_PERMISSION, "I don't know how to cut down on screen time.",
     "Would it be okay if I shared a couple of ideas that have worked for others?"),
    (Code.CONFRONT, "I'm not the one with the problem, my husband is.",
     "You're in denial. You're clearly the one with the problem here."),
    (Code.PROCESS_COMMENT, "Fine. Whatever you say.",
     "I notice that every time I ask about your father, we end up somewhere else."),
]


@pytest.mark.parametrize(("code", "context", "reply"), CLEAR_CODES,
                         ids=[c.value for c, _, _ in CLEAR_CODES])
def test_clear_case_has_its_code(scorer: OfflineScorer, code: Code, context: str,
                                 reply: str) -> None:
    score = scorer.score(reply, context)
    assert score.has(code), f"{code} missing; got {[h.code.value for h in score.codes]}"
    hit = next(h for h in score.codes if h.code == code)
    assert hit.evidence is not None
    assert score.reply[hit.evidence.start:hit.evidence.end] == hit.evidence.text


def test_every_code_has_a_clear_case() -> None:
    assert {c for c, _, _ in CLEAR_CODES} == set(Code)


def test_clear_cases_not_in_training_data() -> None:
    replies = {json.loads(line)["reply"].lower() for line in LABELLED.read_text().splitlines()
               if line.strip()}
    for _, _, reply in CLEAR_CODES:
        assert reply.lower() not in replies


# (dimension, client's last line, reply)
CLEAR_DIMENSIONS = [
    ("validation", "I've been looking after my dad on my own for a year.",
     "You've carried a lot on your own, and it's worn you out."),
    ("curiosity", "Things at home have been tense.",
     "What does a tense evening at home look like?"),
    ("confrontation", "I only smoke at parties.",
     "Come on, that's just an excuse. You have to quit."),
    ("process_comment", "Yeah, sure, okay.",
     "I wonder how this conversation is going for you so far."),
]


@pytest.mark.parametrize(("dim", "context", "reply"), CLEAR_DIMENSIONS,
                         ids=[d for d, _, _ in CLEAR_DIMENSIONS])
def test_clear_dimension_present_and_others_absent(scorer: OfflineScorer, dim: str,
                                                   context: str, reply: str) -> None:
    score = scorer.score(reply, context)
    ds = score.dimension(dim)  # type: ignore[arg-type]
    assert ds.present and ds.level != "none" and ds.probability >= 0.5
    assert ds.evidence is not None and ds.reason
    for other in ("validation", "curiosity", "confrontation", "process_comment"):
        if other != dim:
            assert not score.dimension(other).present, other  # type: ignore[arg-type]
            assert score.dimension(other).level == "none"  # type: ignore[arg-type]


def test_hard_negative_form_fact_is_not_confrontation(scorer: OfflineScorer) -> None:
    neutral = scorer.score("I see on your intake form you wrote about 25 units a week. "
                           "How do you feel about that number?", "I don't drink much.")
    gotcha = scorer.score("Your intake form says 25 units a week, which is way over the limit, "
                          "so obviously you drink too much.", "I don't drink much.")
    assert not neutral.confrontation.present
    assert gotcha.confrontation.present
    assert gotcha.confrontation.probability > neutral.confrontation.probability


def test_noticing_life_is_not_a_process_comment(scorer: OfflineScorer) -> None:
    life = scorer.score("I notice you've been sleeping much better since the new job.",
                        "The new job is less stressful.")
    room = scorer.score("I notice you go quiet each time I bring up the new job.",
                        "...")
    assert room.process_comment.present
    assert not life.process_comment.present
