"""Calibrated confidence: Platt scaling per head, reliability tables and expected calibration
error. Fitted on out-of-fold predictions of the training data; measured on the independent set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

UNSURE_BAND = (0.35, 0.65)
"""Calibrated probabilities inside this band are shown as "unsure" instead of a verdict."""


def sigmoid(z: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return result


def fit_platt(features: np.ndarray, y: np.ndarray, iters: int = 500, l2: float = 1e-3
              ) -> np.ndarray:
    """Logistic regression of y on a few features (plus a bias) by Newton's method.

    features: n x k (k=1 for one model's logit, 2 for a combination of two models' logits).
    Returns k+1 coefficients (weights..., bias). Plain numpy, so run time needs no sklearn.
    """
    x = np.hstack([features, np.ones((len(features), 1))]).astype(np.float64)
    w = np.zeros(x.shape[1])
    yy = y.astype(np.float64)
    reg = l2 * np.eye(x.shape[1])
    reg[-1, -1] = 0.0

    def loss(v: np.ndarray) -> float:
        z = x @ v
        return float(np.sum(np.logaddexp(0.0, z) - yy * z) + 0.5 * v @ reg @ v)

    current = loss(w)
    for _ in range(iters):
        p = sigmoid(x @ w)
        grad = x.T @ (p - yy) + reg @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + reg + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-6 and loss(w - t * step) > current:  # backtracking keeps Newton stable
            t *= 0.5
        w = w - t * step
        new = loss(w)
        if current - new < 1e-10:
            break
        current = new
    return w


def apply_platt(features: np.ndarray, coef: Sequence[float]) -> np.ndarray:
    c = np.asarray(coef, dtype=np.float64)
    return sigmoid(features @ c[:-1] + c[-1])


def reliability(probs: np.ndarray, y: np.ndarray, bins: int = 10
                ) -> list[dict[str, float | int]]:
    """Per probability bin: count, mean predicted probability, observed rate."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows: list[dict[str, float | int]] = []
    which = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    for b in range(bins):
        sel = which == b
        if sel.any():
            rows.append({"lo": float(edges[b]), "hi": float(edges[b + 1]), "n": int(sel.sum()),
                         "predicted": float(probs[sel].mean()), "observed": float(y[sel].mean())})
    return rows


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Bin-count-weighted mean |predicted - observed| over equal-width bins."""
    rows = reliability(probs, y, bins)
    n = sum(int(r["n"]) for r in rows)
    return float(sum(int(r["n"]) * abs(float(r["predicted"]) - float(r["observed"]))
                     for r in rows) / max(n, 1))


def best_threshold(probs: np.ndarray, y: np.ndarray, metric: str = "f1") -> float:
    """Decision threshold maximising kappa or F1 on out-of-fold probabilities, smoothed over
    neighbouring thresholds so that a lucky spike does not set it."""
    from sklearn.metrics import cohen_kappa_score, f1_score

    if y.sum() < 5 or y.sum() == len(y):
        return 0.5
    grid = np.arange(0.2, 0.81, 0.025)
    if metric == "kappa":
        scores = [cohen_kappa_score(y, probs >= t) for t in grid]
    else:
        scores = [f1_score(y, probs >= t, zero_division=0) for t in grid]
    smooth = np.convolve(scores, np.ones(3) / 3, mode="same")
    return float(grid[int(np.argmax(smooth))])
