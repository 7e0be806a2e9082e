"""Platt scaling, reliability and ECE: checked on data whose true probabilities are known."""

from __future__ import annotations

import numpy as np

from scoring.calibration import (
    apply_platt,
    best_threshold,
    expected_calibration_error,
    fit_platt,
    reliability,
)


def test_platt_recovers_a_known_logistic_relation() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 20_000)
    y = (rng.random(z.size) < 1 / (1 + np.exp(-(0.5 * z - 1.0)))).astype(int)
    coef = fit_platt(z[:, None], y)
    assert abs(coef[0] - 0.5) < 0.05 and abs(coef[1] + 1.0) < 0.08
    assert expected_calibration_error(apply_platt(z[:, None], coef), y) < 0.02


def test_an_overconfident_model_has_a_large_ece_and_platt_fixes_it() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(0, 1, 20_000)
    y = (rng.random(z.size) < 1 / (1 + np.exp(-z))).astype(int)
    overconfident = 1 / (1 + np.exp(-4 * z))
    assert expected_calibration_error(overconfident, y) > 0.1
    coef = fit_platt((4 * z)[:, None], y)
    assert expected_calibration_error(apply_platt((4 * z)[:, None], coef), y) < 0.02


def test_reliability_bins_count_every_item() -> None:
    p = np.array([0.05, 0.15, 0.15, 0.95])
    y = np.array([0, 0, 1, 1])
    rows = reliability(p, y)
    assert sum(r["n"] for r in rows) == 4
    assert rows[1]["observed"] == 0.5


def test_threshold_follows_the_data() -> None:
    rng = np.random.default_rng(2)
    p = rng.random(4000)
    y = (p > 0.7).astype(int)
    assert abs(best_threshold(p, y, "kappa") - 0.7) <= 0.05
