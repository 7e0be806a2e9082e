"""Odd replies get a defined result: documented warnings, never a crash (policy in
scoring/text.py and the model card)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import score_reply
from scoring.offline.scorer import OfflineScorer
from scoring.text import MAX_CHARS, prepare
from scoring.types import DIMENSIONS


@pytest.mark.parametrize("reply", ["", "   ", "\n\t  \n"])
def test_empty_and_whitespace_are_all_zero_with_warning(scorer: OfflineScorer,
                                                        reply: str) -> None:
    score = scorer.score(reply)
    assert all(not score.dimension(d).present for d in DIMENSIONS)
    assert all(score.dimension(d).probability == 0.0 for d in DIMENSIONS)
    assert score.codes == []
    assert any("empty reply" in w for w in score.warnings)


def test_very_long_reply_is_truncated_with_warning(scorer: OfflineScorer) -> None:
    reply = ("You should stop. " * 1200)[:20_000]
    score = scorer.score(reply)
    assert len(score.reply) == MAX_CHARS
    assert any("20000 characters" in w and str(MAX_CHARS) in w for w in score.warnings)
    for hit in score.codes:
        assert hit.evidence is not None and hit.evidence.end <= MAX_CHARS


def test_emoji_is_scored_without_crash(scorer: OfflineScorer) -> None:
    score = scorer.score("That sounds really hard 😔 What happened next? 🙏")
    assert score.curiosity.present
    only = scorer.score("👍👍")
    assert any("no words" in w for w in only.warnings)
    assert not any(only.dimension(d).present for d in DIMENSIONS)


def test_other_language_warns(scorer: OfflineScorer) -> None:
    score = scorer.score("Wie geht es Ihnen heute mit dieser Entscheidung?")
    assert any("English" in w for w in score.warnings)
    cyrillic = scorer.score("Как вы себя чувствуете сегодня?")
    assert any("English" in w for w in cyrillic.warnings)
    english = scorer.score("How are you feeling about that decision today?")
    assert not english.warnings


def test_control_characters_are_stripped_with_warning(scorer: OfflineScorer) -> None:
    score = scorer.score("What would\x00 you like\x1b to change\x07?")
    assert score.reply == "What would you like to change?"
    assert any("control character" in w for w in score.warnings)
    assert score.curiosity.present


def test_newlines_and_tabs_are_kept_as_text() -> None:
    text, warnings = prepare("You said it was hard.\nAnd\tthen it got easier?")
    assert text == "You said it was hard.\nAnd then it got easier?" and warnings == []


def test_non_string_reply_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="reply must be a string"):
        prepare(42)  # type: ignore[arg-type]


def test_score_reply_convenience_accepts_a_string_context() -> None:
    score = score_reply("You feel let down by everyone.", "Nobody ever shows up for me.")
    assert score.engine == "offline" and score.validation.present


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reply=st.text(max_size=300), context=st.text(max_size=120))
def test_any_text_gets_a_consistent_score(scorer: OfflineScorer, reply: str, context: str) -> None:
    score = scorer.score(reply, context)
    for d in DIMENSIONS:
        ds = score.dimension(d)
        assert 0.0 <= ds.probability <= 1.0
        assert (ds.level == "none") == (not ds.present)
        if ds.evidence is not None:
            assert score.reply[ds.evidence.start:ds.evidence.end] == ds.evidence.text
    for hit in score.codes:
        assert hit.evidence is None or \
            score.reply[hit.evidence.start:hit.evidence.end] == hit.evidence.text
    assert (score.suggestion is not None) == bool(score.alternatives)
    if score.confrontation.present:
        assert score.alternatives
