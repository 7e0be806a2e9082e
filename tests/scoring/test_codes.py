"""Clear cases of every code, every dimension and every hard negative of the codebook, written
for these tests in our own words (not in any training or test file: a test checks that)."""

from __future__ import annotations

import pytest

from scoring.offline.scorer import OfflineScorer
from scoring.training.corpus import load_first_set, load_testset, load_voices
from scoring.types import Code

# Clear cases the shipped model (offline-6) still gets wrong. Each stays a strict xfail: it
# fails the suite the day the model gets it right, so the mark is removed, never forgotten.
# Their test-set counterparts are in scoring/MODEL_CARD.md (rows marked NOT MET).
KNOWN_MISSES = {
    "Work's been leaving you really tired.": "simple vs complex reflection (kappa 0.43-0.50 "
                                            "even between humans)",
    "How do you expect to keep your licence if you keep doing that?":
        "confrontation in question form is missed",
}


def cases(rows: list[tuple[str, ...]]) -> list[object]:
    """Rows as pytest params, the model's known misses marked as strict xfails."""
    return [pytest.param(*row, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[row[-1]]))
            if row[-1] in KNOWN_MISSES else row for row in rows]

# (code, client's last line, reply)
CLEAR_CODES = [
    (Code.QUESTION_OPEN, "I keep arguing with my brother.",
     "What do the arguments with your brother usually start over?"),
    (Code.QUESTION_CLOSED, "I went to the doctor yesterday.",
     "Did the doctor give you any results?"),
    (Code.REFLECTION_SIMPLE, "I've been really tired at work lately.",
     "Work's been leaving you really tired."),
    (Code.REFLECTION_COMPLEX, "My mum phones me five times a day and I just let it ring.",
     "You love her, and you also need some room to breathe."),
    (Code.AFFIRM, "I made it to the gym twice this week even with the night shifts.",
     "Twice in a week of night shifts. That took real determination."),
    (Code.SEEKING_COLLABORATION, "I'm not sure what to work on first.",
     "Let's work out together where you'd like to begin."),
    (Code.EMPHASIZING_AUTONOMY, "I haven't decided whether to go back to college.",
     "Whether you go back is entirely your call."),
    (Code.GIVING_INFORMATION, "How long does it take to feel the benefit of exercise?",
     "Most people notice their mood lifting within a few weeks of regular exercise."),
    (Code.PERSUADE, "I eat takeaway most nights.",
     "You really ought to cook at home more and cut the takeaways out."),
    (Code.PERSUADE_WITH_PERMISSION, "I don't know how to cut down on screen time.",
     "Would it be alright if I shared a couple of ideas that have helped other people?"),
    (Code.CONFRONT, "I'm not the one with the problem, my husband is.",
     "You're in denial. You're obviously the one with the problem here."),
    (Code.PROCESS_COMMENT, "Fine. Whatever you say.",
     "I notice that every time I ask about your father, we end up somewhere else."),
    (Code.RISK_QUESTION, "Some nights I think everyone would be better off if I wasn't around.",
     "When you say that, are you having thoughts of killing yourself?"),
    (Code.MINIMIZING, "Since the divorce I can barely get out of bed.",
     "Look on the bright side, at least you've still got your health and your kids."),
    (Code.HOSTILITY, "I don't want to be here.",
     "Honestly, you're pathetic. No wonder nobody can stand being around you."),
    (Code.UNKEEPABLE_PROMISE, "If I tell you something, will you tell my parents?",
     "Whatever you tell me, I swear I will never tell a single soul."),
]


@pytest.mark.parametrize(("code", "context", "reply"), cases(CLEAR_CODES),  # type: ignore[arg-type]
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


# (dimension, client's last line, reply)
CLEAR_DIMENSIONS = [
    ("validation", "I've been looking after my dad on my own for a year.",
     "You've carried a lot on your own, and it's worn you right down."),
    ("curiosity", "Things at home have been tense.",
     "What does a tense evening at home look like for you?"),
    ("confrontation", "I only smoke at parties.",
     "Come on, that's just an excuse. You have to quit, full stop."),
    ("process_comment", "Yeah, sure, okay.",
     "I'm wondering how this conversation is going for you so far."),
]


@pytest.mark.parametrize(("dim", "context", "reply"), CLEAR_DIMENSIONS,
                         ids=[d for d, _, _ in CLEAR_DIMENSIONS])
def test_clear_dimension_present(scorer: OfflineScorer, dim: str, context: str,
                                 reply: str) -> None:
    score = scorer.score(reply, context)
    ds = score.dimension(dim)  # type: ignore[arg-type]
    assert ds.present and ds.level != "none" and ds.probability >= 0.5
    assert ds.evidence is not None and ds.reason
    if dim != "confrontation":
        assert not score.confrontation.present


# the codebook's hard negatives: (what it must not be, client line, reply)
WARM = [
    ("Same rubbish, every single week.", "That sounds like it's been grinding you down for "
                                          "months."),
    ("...", "Take all the time you need. There's no hurry."),
    ("My wife made me come.", "Coming here today, when you didn't want to, says something "
                              "about you."),
    ("I just don't see the point of any of this.", "I can hear how tired you are of it all."),
    ("I used to love football.", "Football really mattered to you."),
    ("Nothing helps.", "It sounds like you've tried a lot and you're worn out."),
]


@pytest.mark.parametrize(("context", "reply"), cases(WARM))
def test_plain_warmth_is_never_confrontation(scorer: OfflineScorer, context: str,
                                             reply: str) -> None:
    score = scorer.score(reply, context)
    assert not score.confrontation.present, score.confrontation.reason
    assert not score.has(Code.CONFRONT) and not score.has(Code.HOSTILITY)


HOSTILE = [
    ("I don't want to talk.", "Shut up and listen for once, you idiot."),
    ("Everyone is against me.", "Oh poor you, the whole world's out to get you, is it?"),
    ("I relapsed again.", "Of course you did. You always do, and it's getting boring."),
    ("I'm trying my best.", "Your best is a joke, mate."),
]


@pytest.mark.parametrize(("context", "reply"), cases(HOSTILE))
def test_contempt_and_abuse_are_confrontation_and_never_validation(
        scorer: OfflineScorer, context: str, reply: str) -> None:
    score = scorer.score(reply, context)
    assert score.confrontation.present and score.has(Code.CONFRONT)
    assert not score.validation.present
    assert not score.has(Code.REFLECTION_COMPLEX) and not score.has(Code.REFLECTION_SIMPLE)


def test_abusive_language_is_confrontation_at_the_highest_level(scorer: OfflineScorer) -> None:
    score = scorer.score("Shut up and listen for once, you idiot.", "I don't want to talk.")
    assert score.has(Code.HOSTILITY) and score.confrontation.level == "high"


MINIMIZING = [
    ("My dog died last week.", "Everyone loses a pet at some point, you'll get over it."),
    ("I can't sleep, I'm so anxious about the exam.", "Don't worry, I'm sure it'll all be "
                                                       "fine in the end."),
    ("I lost my job.", "At least you've got savings to fall back on."),
]


@pytest.mark.parametrize(("context", "reply"), cases(MINIMIZING))
def test_minimizing_and_false_reassurance_are_not_validation(
        scorer: OfflineScorer, context: str, reply: str) -> None:
    score = scorer.score(reply, context)
    assert not score.validation.present


QUESTION_CONFRONTS = [
    ("I'm not doing the homework.", "Why are you being so stubborn about this?"),
    ("I drove home after a few drinks.", "How do you expect to keep your licence if you "
                                        "keep doing that?"),
    ("I missed another session.", "Do you even want to get better?"),
]


@pytest.mark.parametrize(("context", "reply"), cases(QUESTION_CONFRONTS))
def test_confrontation_as_a_question_is_not_curiosity(scorer: OfflineScorer, context: str,
                                                     reply: str) -> None:
    score = scorer.score(reply, context)
    assert score.confrontation.present and not score.curiosity.present


ADVICE_AS_QUESTION = [
    ("I'm on my phone till 2am.", "Have you considered just switching your phone off at nine?"),
    ("My sister and I don't speak.", "Don't you think you should call her and apologise?"),
]


@pytest.mark.parametrize(("context", "reply"), cases(ADVICE_AS_QUESTION))
def test_advice_dressed_as_a_question_is_persuade_not_curiosity(
        scorer: OfflineScorer, context: str, reply: str) -> None:
    score = scorer.score(reply, context)
    assert score.has(Code.PERSUADE) or score.has(Code.CONFRONT)
    assert not score.curiosity.present


RISK = [
    ("Some days I wish I could just disappear.", "Have you been having thoughts of suicide?"),
    ("I've got marks on my arms again.", "Are you hurting yourself at the moment?"),
    ("He gets angry when he drinks.", "Is anybody at home hurting you?"),
    ("What's the point of anything.", "Are you having thoughts about ending your life at the "
                                      "moment?"),
]


@pytest.mark.parametrize(("context", "reply"), cases(RISK))
def test_a_caring_risk_question_is_never_confrontation(scorer: OfflineScorer, context: str,
                                                       reply: str) -> None:
    score = scorer.score(reply, context)
    assert score.has(Code.RISK_QUESTION)
    assert not score.confrontation.present and not score.has(Code.CONFRONT)


def test_blame_about_the_session_is_not_a_process_comment(scorer: OfflineScorer) -> None:
    score = scorer.score("You only say that because you think it's what I want to hear, "
                         "right?", "I'll try the exercise this week.")
    assert not score.process_comment.present


def test_cultural_humility_is_a_process_comment_or_collaboration(scorer: OfflineScorer) -> None:
    score = scorer.score("I might be missing how things work in your community. Could you "
                         "help me understand?", "In my family we don't talk about this.")
    assert score.process_comment.present or score.has(Code.SEEKING_COLLABORATION)
    assert not score.confrontation.present


def test_noticing_life_is_not_a_process_comment(scorer: OfflineScorer) -> None:
    life = scorer.score("I notice you've been sleeping much better since the new job.",
                        "The new job is less stressful.")
    room = scorer.score("I notice you go quiet each time I bring up the new job.", "...")
    assert room.process_comment.present
    assert not life.process_comment.present


def test_logistics_are_neither_confrontation_nor_process(scorer: OfflineScorer) -> None:
    score = scorer.score("We've got about ten minutes left today.", "Okay.")
    assert not score.confrontation.present and not score.process_comment.present


def test_cases_are_not_in_any_training_or_test_file() -> None:
    known = {ex.reply.lower().strip() for ex in
             [*load_first_set(), *load_voices(), *load_testset()]}
    ours = [r for _, _, r in CLEAR_CODES] + [r for _, _, r in CLEAR_DIMENSIONS] + [
        r for group in (WARM, HOSTILE, MINIMIZING, QUESTION_CONFRONTS, ADVICE_AS_QUESTION, RISK)
        for _, r in group]
    assert not [r for r in ours if r.lower().strip() in known]
