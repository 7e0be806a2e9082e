"""Cohen's kappa and its interval: textbook values, the undefined cases, and the analytic
standard error against a bootstrap of the same ratings (the two must agree on a large sample)."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from sim.studio.review.agreement import Table, kappa, row, tabulate


def test_kappa_of_a_worked_table():
    # 20 both present, 5 AI only, 10 instructor only, 15 neither: po = .70, pe = .50, k = .40
    k, se, po, pe = kappa(Table(both=20, ai_only=5, instructor_only=10, neither=15))
    assert (round(po, 4), round(pe, 4), round(k, 4)) == (0.7, 0.5, 0.4)
    assert se == pytest.approx(0.127, abs=0.001)


def test_kappa_is_symmetric_in_the_two_raters():
    a = kappa(Table(both=30, ai_only=4, instructor_only=11, neither=55))
    b = kappa(Table(both=30, ai_only=11, instructor_only=4, neither=55))
    assert a[0] == pytest.approx(b[0]) and a[1] == pytest.approx(b[1])


def test_perfect_and_chance_agreement():
    assert kappa(Table(both=10, neither=10))[0] == pytest.approx(1.0)
    # independent raters, each half present: kappa 0
    assert kappa(Table(both=25, ai_only=25, instructor_only=25, neither=25))[0] == \
        pytest.approx(0.0)
    # systematic disagreement: negative kappa
    assert kappa(Table(ai_only=10, instructor_only=10))[0] == pytest.approx(-1.0)


def test_undefined_kappa_is_none_with_a_reason():
    assert row("x", []).kappa is None and row("x", []).note == "no ratings yet"
    absent = row("process_comment", [(False, False)] * 7)
    assert absent.kappa is None and absent.n == 7 and absent.observed == 1.0
    assert absent.note == "both always said 'absent': kappa is undefined"
    present = row("curiosity", [(True, True)] * 3)
    assert present.note == "both always said 'present': kappa is undefined"


def test_interval_contains_kappa_is_clipped_and_flags_small_samples():
    small = row("validation", [(True, True), (True, False), (False, False), (False, False)])
    assert small.ci_low <= small.kappa <= small.ci_high
    assert small.ci_low >= -1.0 and small.ci_high <= 1.0
    assert "only 4 ratings" in small.note
    big = row("validation", [(True, True)] * 40 + [(False, False)] * 40 + [(True, False)] * 5)
    assert big.note is None and big.ci_high - big.ci_low < 0.2


def test_analytic_standard_error_matches_a_bootstrap():
    rng = random.Random(7)
    pairs = []
    for _ in range(500):
        ai = rng.random() < 0.35
        inst = ai if rng.random() < 0.8 else rng.random() < 0.5
        pairs.append((ai, inst))
    k, se, _, _ = kappa(tabulate(pairs))
    boot = [kappa(tabulate([rng.choice(pairs) for _ in pairs]))[0] for _ in range(1500)]
    assert 0.5 < k < 0.9
    assert math.isclose(se, statistics.stdev(boot), rel_tol=0.12)


def test_no_interval_without_disagreement_or_when_one_side_never_varies():
    perfect = row("curiosity", [(True, True), (False, False), (True, True)])
    assert perfect.kappa == 1.0 and perfect.ci_low is None and perfect.ci_high is None
    assert perfect.note.startswith("full agreement")
    flat = row("confrontation", [(True, False), (False, False), (False, False), (False, False)])
    assert flat.kappa == 0.0 and flat.ci_low is None
    assert flat.note.startswith("the instructors gave the same answer every time")
    flat_ai = row("confrontation", [(False, True), (False, False), (False, False)])
    assert flat_ai.note.startswith("the AI gave the same answer every time")
