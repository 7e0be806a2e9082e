"""The n-gram + cue linear model over the shared heads, without source-artefact features.

Features that describe the item rather than the reply (whether a client line is present, its
length, the reply's length and sentence count) let a model learn which data set an item came
from; they are left out of the vocabulary, so they carry no weight at run time either.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.heads import HEADS
from scoring.offline.model import LinearModel
from scoring.training.corpus import Example
from scoring.training.fit import _fit_head, build_vocab, featurize, matrix

ARTEFACTS = ("CTX:none", "CTX:yes", "CTX:clen", "LEN:", "NSENT:")
C_DEFAULT = 0.5
C_BY_HEAD = {"reflection": 0.2, "question": 1.0, "question_open": 0.5}
SOURCE_WEIGHT = {"annomi": 0.7}


def fit_linear(examples: Sequence[Example], heads: Sequence[str] = HEADS,
               meta: dict[str, object] | None = None) -> LinearModel:
    """One logistic-regression head per rating on the examples that label it."""
    feats = [{f for f in fs if not f.startswith(ARTEFACTS)}
             for fs in featurize(examples)]  # type: ignore[arg-type]
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
        clf = _fit_head(x_all[rows], y, w, C_BY_HEAD.get(head, C_DEFAULT))
        weights[:, h] = clf.coef_[0]
        bias[h] = clf.intercept_[0]
    return LinearModel(vocab, weights, bias, list(heads), np.full(len(heads), 0.5,
                                                                  dtype=np.float32),
                       dict(meta or {}))


def linear_logits(model: LinearModel, replies: Sequence[str], contexts: Sequence[str]
                  ) -> np.ndarray:
    """Whole-reply logits (n x heads) of a linear model."""
    from scoring.offline.features import extract

    out = np.zeros((len(replies), len(model.heads)), dtype=np.float32)
    for i, (r, c) in enumerate(zip(replies, contexts, strict=True)):
        out[i] = model.logits(model.indices(f[0] for f in extract(r, c)))
    return out
