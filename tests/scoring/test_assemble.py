"""The codebook's decision rules, applied to head probabilities (no model involved)."""

from __future__ import annotations

from scoring.heads import HEADS
from scoring.offline import assemble
from scoring.types import Code

THRESHOLDS = {h: 0.5 for h in HEADS}


def probs(**on: float) -> dict[str, float]:
    return {h: 0.02 for h in HEADS} | on


def decide(p: dict[str, float]) -> tuple[set[Code], dict[str, bool]]:
    codes = assemble.decide_codes(p, THRESHOLDS)
    dims = assemble.decide_dimensions(p, THRESHOLDS, codes)
    return assemble.reconcile(codes, dims, p), dims


def test_a_risk_question_is_never_confrontation() -> None:
    codes, dims = decide(probs(question=0.9, risk_question=0.9, confront=0.6,
                               dim_confrontation=0.7))
    assert Code.RISK_QUESTION in codes and not dims["confrontation"]
    assert Code.CONFRONT not in codes


def test_a_mocking_risk_question_stays_confrontation() -> None:
    codes, dims = decide(probs(question=0.9, risk_question=0.9, hostility=0.9,
                               dim_confrontation=0.9))
    assert dims["confrontation"] and {Code.CONFRONT, Code.HOSTILITY} <= codes


def test_hostility_is_confrontation_even_if_the_dimension_head_missed_it() -> None:
    codes, dims = decide(probs(hostility=0.8, reflection=0.7, dim_validation=0.6))
    assert dims["confrontation"] and Code.CONFRONT in codes
    p = probs(hostility=0.8)
    score = assemble.dimension_score("confrontation", True, p, codes, "Grow up.",
                                     [(0, 8)], [])
    assert score.level == "high" and "contempt" in score.reason


def test_confident_contempt_makes_a_confident_confrontation_verdict() -> None:
    p = probs(hostility=0.92, confront=0.6, dim_confrontation=0.5)
    codes, dims = decide(p)
    score = assemble.dimension_score("confrontation", dims["confrontation"], p, codes,
                                     "So you're fine. Great. Next.", [(0, 28)], [])
    assert score.present and score.probability == 0.92 and not score.unsure


def test_contempt_is_never_validation_even_when_it_mirrors_the_client() -> None:
    codes, dims = decide(probs(hostility=0.8, reflection=0.9, affirm=0.7, dim_validation=0.9))
    assert dims["confrontation"] and not dims["validation"]
    assert Code.HOSTILITY in codes and not codes & (assemble.REFLECTIONS | {Code.AFFIRM})


def test_minimizing_alone_is_not_validation() -> None:
    _, dims = decide(probs(minimizing=0.9, dim_validation=0.6))
    assert not dims["validation"]
    _, dims = decide(probs(minimizing=0.9, reflection=0.8, dim_validation=0.8))
    assert not dims["validation"]  # "That's hard. But everyone feels that way."
    codes, dims = decide(probs(affirm=0.8, dim_validation=0.8))
    assert dims["validation"] and Code.AFFIRM in codes


def test_a_jab_dressed_as_a_reflection_is_confront_only() -> None:
    codes, dims = decide(probs(reflection=0.8, confront=0.9, dim_confrontation=0.9))
    assert dims["confrontation"] and not dims["validation"]
    assert not codes & assemble.REFLECTIONS


def test_codes_follow_the_dimension_verdict() -> None:
    codes, _ = decide(probs(confront=0.7, dim_confrontation=0.2))
    assert Code.CONFRONT not in codes
    codes, _ = decide(probs(persuade=0.4, confront=0.3, dim_confrontation=0.8))
    assert Code.PERSUADE in codes


def test_unsure_band() -> None:
    assert assemble.unsure(0.5) and not assemble.unsure(0.9) and not assemble.unsure(0.1)
