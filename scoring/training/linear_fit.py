"""The n-gram + cue linear model over the shared heads, without source-artefact features.

Features that describe the item rather than the reply (whether a client line is present, its
length, the reply's length and sentence count) let a model learn which data set an item came
from; they are left out of the vocabulary, so they carry no weight at run time either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from scoring.heads import HEADS
from scoring.offline.features import extract
from scoring.offline.model import LinearModel
from scoring.training.corpus import Example

ARTEFACTS = ("CTX:none", "CTX:yes", "CTX:clen", "LEN:", "NSENT:")
C_DEFAULT = 0.5
C_BY_HEAD = {"reflection": 0.2, "question": 1.0, "question_open": 0.5}
SOURCE_WEIGHT = {"annomi": 0.7}


def featurize(examples: Sequence[Example]) -> list[set[str]]:
    """Feature names of each example, source artefacts left out."""
    return [{f[0] for f in extract(ex.reply, ex.context) if not f[0].startswith(ARTEFACTS)}
            for ex in examples]


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


def fit_linear(examples: Sequence[Example], heads: Sequence[str] = HEADS,
               meta: dict[str, object] | None = None) -> LinearModel:
    """One logistic-regression head per rating on the examples that label it."""
    feats = featurize(examples)
    vocab = build_vocab(feats)
    index = {n: i for i, n in enumerate(vocab)}
    x_all = matrix(feats, index)
    weights = np.zeros((len(vocab), len(heads)), dtype=np.float32)
    bias = np.zeros(len(heads), dtype=np.float32)
    for h, head in enumerate(heads):
        rows = [i for i, ex in enumerate(examples) if ex.labels.get(head) is not None]
        y = np.array([examples[i].labels[head] for i in rows], dtype=int)
        if len(set(y)) < 2:
            bias[h] = -6.0 if not len(y) or y.max() == 0 else 6.0
            continue
        w = np.array([SOURCE_WEIGHT.get(examples[i].source, 1.0) for i in rows])
        clf = LogisticRegression(C=C_BY_HEAD.get(head, C_DEFAULT), class_weight="balanced",
                                 max_iter=2000, solver="liblinear")
        clf.fit(x_all[rows], y, sample_weight=w)
        weights[:, h] = clf.coef_[0]
        bias[h] = clf.intercept_[0]
    return LinearModel(vocab, weights, bias, list(heads), np.full(len(heads), 0.5,
                                                                  dtype=np.float32),
                       dict(meta or {}))


def linear_logits(model: LinearModel, replies: Sequence[str], contexts: Sequence[str]
                  ) -> np.ndarray:
    """Whole-reply logits (n x heads) of a linear model."""
    out = np.zeros((len(replies), len(model.heads)), dtype=np.float32)
    for i, (r, c) in enumerate(zip(replies, contexts, strict=True)):
        out[i] = model.logits(model.indices(f[0] for f in extract(r, c)))
    return out
