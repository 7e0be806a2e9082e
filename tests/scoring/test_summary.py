"""Session summary arithmetic on hand-built score lists (no model involved)."""

from __future__ import annotations

import pytest

from scoring import summarize_session
from scoring.summary import band
from scoring.types import Code, CodeHit, DimensionScore, Evidence, ReplyScore

OFF = DimensionScore(present=False, probability=0.1, level="none", reason="-")


def on(p: float = 0.9) -> DimensionScore:
    return DimensionScore(present=True, probability=p, level="high", reason="-",
                          evidence=Evidence(start=0, end=3, text="abc"))


def reply(*codes: Code, conf: bool = False, proc: bool = False, p: float = 0.9,
          suggestion: str | None = None) -> ReplyScore:
    refl = any(c in (Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX, Code.AFFIRM) for c in codes)
    return ReplyScore(
        reply="abc", engine="test", engine_version="0",
        validation=on(p) if refl else OFF,
        curiosity=on(p) if Code.QUESTION_OPEN in codes else OFF,
        confrontation=on(p) if conf else OFF,
        process_comment=on(p) if proc else OFF,
        codes=[CodeHit(code=c, probability=p) for c in codes], suggestion=suggestion)


def test_counts_ratios_and_bands() -> None:
    scores = [
        reply(Code.REFLECTION_COMPLEX), reply(Code.REFLECTION_COMPLEX),
        reply(Code.REFLECTION_SIMPLE), reply(Code.REFLECTION_SIMPLE),
        reply(Code.QUESTION_OPEN), reply(Code.QUESTION_CLOSED),
        reply(Code.AFFIRM, Code.EMPHASIZING_AUTONOMY),
        reply(Code.CONFRONT, conf=True, suggestion="try this"),
        reply(Code.PERSUADE, conf=True), reply(Code.SEEKING_COLLABORATION),
    ]
    s = summarize_session(scores)
    assert s.n_replies == 10
    assert (s.reflections, s.complex_reflections, s.questions) == (4, 2, 2)
    assert s.rq_ratio == 2.0 and s.rq_band == "good"
    assert s.pct_complex_reflections == 50.0 and s.pct_complex_band == "good"
    assert s.mi_adherent == 3  # affirm, autonomy, seeking collaboration
    assert s.mi_non_adherent == 2  # confront, persuade
    assert s.code_counts["question_open"] == 1 and s.code_counts["process_comment"] == 0
    assert s.dimension_counts == {"validation": 5, "curiosity": 1, "confrontation": 2,
                                  "process_comment": 0}
    assert s.trajectories["confrontation"] == [0.1] * 7 + [0.9, 0.9, 0.1]
    assert "global scores" in s.note and "not" in s.note


def test_fair_and_below_fair_bands() -> None:
    # 3 reflections (1 complex) and 2 questions: R:Q 1.5 (fair), %CR 33.3 (below fair)
    scores = [reply(Code.REFLECTION_COMPLEX), reply(Code.REFLECTION_SIMPLE),
              reply(Code.REFLECTION_SIMPLE), reply(Code.QUESTION_OPEN), reply(Code.QUESTION_OPEN)]
    s = summarize_session(scores)
    assert s.rq_ratio == 1.5 and s.rq_band == "fair"
    assert s.pct_complex_reflections == pytest.approx(33.3) and s.pct_complex_band == "below fair"
    low = summarize_session([reply(Code.REFLECTION_SIMPLE), reply(Code.QUESTION_OPEN),
                             reply(Code.QUESTION_CLOSED)])
    assert low.rq_ratio == 0.5 and low.rq_band == "below fair"


def test_edges_no_questions_no_reflections_empty() -> None:
    only_refl = summarize_session([reply(Code.REFLECTION_COMPLEX)])
    assert only_refl.rq_ratio is None and only_refl.rq_band == "good"
    only_q = summarize_session([reply(Code.QUESTION_CLOSED)])
    assert only_q.rq_ratio == 0.0 and only_q.pct_complex_reflections is None
    assert only_q.pct_complex_band == "n/a"
    empty = summarize_session([])
    assert empty.n_replies == 0 and empty.rq_band == "n/a" and empty.key_moments == []


@pytest.mark.parametrize(("value", "expected"), [(None, "n/a"), (0.99, "below fair"),
                                                 (1.0, "fair"), (1.99, "fair"), (2.0, "good")])
def test_band_boundaries(value: float | None, expected: str) -> None:
    assert band(value, 1.0, 2.0) == expected


def test_key_moments_prioritise_confrontations_and_keep_turn_order() -> None:
    scores = [reply(Code.REFLECTION_COMPLEX, p=0.95), reply(Code.QUESTION_OPEN),
              reply(Code.PROCESS_COMMENT, proc=True, p=0.8),
              reply(Code.CONFRONT, conf=True, suggestion="kinder", p=0.7),
              reply(Code.REFLECTION_COMPLEX, p=0.5)]
    moments = summarize_session(scores, max_moments=2).key_moments
    assert [(m.turn, m.kind) for m in moments] == [(2, "process_comment"), (3, "confrontation")]
    assert moments[1].suggestion == "kinder"
    allm = summarize_session(scores).key_moments
    assert [(m.turn, m.kind) for m in allm] == [(0, "complex_reflection"),
                                                (2, "process_comment"), (3, "confrontation")]
