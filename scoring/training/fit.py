"""Fitting the heads with scikit-learn and choosing thresholds inside the training data only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold

from scoring.offline.features import extract
from scoring.offline.model import LinearModel
from scoring.training.data import HEADS, Item

C_BY_HEAD = {h: 0.5 for h in HEADS} | {"reflection": 0.1} | {
    h: 1.0 for h in ("confront", "confrontation", "persuade", "persuade_with_permission", "affirm",
                     "seeking_collaboration", "emphasizing_autonomy", "process_comment")}
# AnnoMI only supplies (noisy) negatives for these heads, so it must not drown the own set
ANNOMI_NEGATIVE_WEIGHT = {"confront": 0.2, "persuade": 0.2, "confrontation": 0.2,
                          "process_comment": 0.2}
# Heads learnt mostly from the project's own set: context-length features there partly mark the
# data source (authored lines vs AnnoMI transcripts) rather than the behaviour, so they are
# shrunk (scaled down in training, which regularises them harder; weights rescaled on export).
SOURCE_ARTIFACTS = ("CTX:clen", "CTX:yes", "CTX:none", "LEN:", "NSENT:")
ARTIFACT_SCALE = 0.3
MASKED_HEADS = frozenset({"confront", "persuade", "confrontation", "process_comment", "affirm",
                          "seeking_collaboration", "emphasizing_autonomy",
                          "persuade_with_permission"})
KAPPA_HEADS = ("reflection", "reflection_complex", "question", "question_open")


def featurize(items: Sequence[Item]) -> list[set[str]]:
    return [{f[0] for f in extract(it.reply, it.context)} for it in items]


def build_vocab(feats: Sequence[set[str]], min_df: int = 2) -> list[str]:
    df = Counter(name for fs in feats for name in fs)
    return sorted(name for name, n in df.items() if n >= min_df or name.startswith("CUE:"))


def matrix(feats: Sequence[set[str]], index: dict[str, int]) -> csr_matrix:
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for name in fs:
            j = index.get(name)
            if j is not None:
                rows.append(r)
                cols.append(j)
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(feats), len(index)))


def _fit_head(x: csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
    clf.fit(x, y, sample_weight=w)
    return clf


def _metric(head: str) -> Callable[[np.ndarray, np.ndarray], float]:
    if head in KAPPA_HEADS:
        return lambda y, p: float(cohen_kappa_score(y, p))
    return lambda y, p: float(f1_score(y, p, zero_division=0))


def _threshold(head: str, x: csr_matrix, y: np.ndarray, w: np.ndarray,
               groups: np.ndarray, c: float) -> float:
    """Threshold maximising kappa/F1 on inner out-of-fold predictions (training data only)."""
    n_groups = len(set(groups))
    if n_groups < 3 or y.sum() < 6:
        return 0.5
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=min(4, n_groups)).split(x, y, groups):
        if len(set(y[tr])) < 2:
            return 0.5
        oof[te] = _fit_head(x[tr], y[tr], w[tr], c).predict_proba(x[te])[:, 1]
    grid = np.arange(0.2, 0.81, 0.025)
    score = _metric(head)
    scores = [score(y, (oof >= t).astype(int)) for t in grid]
    # smooth over neighbours so a lucky spike does not set the threshold
    smooth = np.convolve(scores, np.ones(3) / 3, mode="same")
    return float(grid[int(np.argmax(smooth))])


def fit_model(items: Sequence[Item], tune_thresholds: bool = True,
              meta: dict[str, object] | None = None) -> LinearModel:
    """Train every head on the items that label it; returns an exportable model."""
    feats = featurize(items)
    vocab = build_vocab(feats)
    index = {n: i for i, n in enumerate(vocab)}
    x_all = matrix(feats, index)
    weights = np.zeros((len(vocab), len(HEADS)), dtype=np.float32)
    bias = np.zeros(len(HEADS), dtype=np.float32)
    thresholds = np.full(len(HEADS), 0.5, dtype=np.float32)
    groups_all = np.array([it.group for it in items])
    keep = np.array([ARTIFACT_SCALE if n.startswith(SOURCE_ARTIFACTS) else 1.0 for n in vocab])
    x_masked = x_all @ diags(keep)
    for h, head in enumerate(HEADS):
        rows = [i for i, it in enumerate(items) if it.labels.get(head) is not None]
        if not rows:
            continue
        y = np.array([items[i].labels[head] for i in rows], dtype=int)
        if len(set(y)) < 2:
            continue
        scale = ANNOMI_NEGATIVE_WEIGHT.get(head, 1.0)
        w = np.array([items[i].weight * (scale if items[i].source == "annomi" else 1.0)
                      for i in rows], dtype=float)
        x = (x_masked if head in MASKED_HEADS else x_all)[rows]
        clf = _fit_head(x, y, w, C_BY_HEAD[head])
        weights[:, h] = clf.coef_[0] * (keep if head in MASKED_HEADS else 1.0)
        bias[h] = clf.intercept_[0]
        if tune_thresholds and head in KAPPA_HEADS:
            thresholds[h] = _threshold(head, x, y, w, groups_all[rows], C_BY_HEAD[head])
    return LinearModel(vocab, weights, bias, list(HEADS), thresholds, dict(meta or {}))
