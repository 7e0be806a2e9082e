"""The exported linear model: a feature vocabulary, one weight column per head, thresholds.

Inference is a sum of weight rows and a logistic function in numpy: no scikit-learn, no network,
and loading is a single small .npz read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "model" / "offline.npz"


class LinearModel:
    """Logistic-regression heads over a shared sparse binary feature space."""

    def __init__(self, vocab: list[str], weights: np.ndarray, bias: np.ndarray,
                 heads: list[str], thresholds: np.ndarray, meta: dict[str, object]) -> None:
        self.vocab = vocab
        self.index = {name: i for i, name in enumerate(vocab)}
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.heads = list(heads)
        self.head_index = {h: i for i, h in enumerate(self.heads)}
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.meta = meta

    def indices(self, names: Iterable[str]) -> list[int]:
        """Vocabulary indices of the known features (each counted once)."""
        get = self.index.get
        return sorted({i for i in map(get, names) if i is not None})

    def logits(self, idx: list[int]) -> np.ndarray:
        if not idx:
            return self.bias.copy()
        return self.weights[idx].sum(axis=0) + self.bias

    def predict(self, names: Iterable[str]) -> np.ndarray:
        """Probability per head."""
        return self.predict_indices(self.indices(names))

    def predict_indices(self, idx: list[int]) -> np.ndarray:
        """Probability per head from distinct vocabulary indices."""
        z = self.logits(idx)
        return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -30.0), 30.0)))

    def weight(self, name: str, head: str) -> float:
        i = self.index.get(name)
        return 0.0 if i is None else float(self.weights[i, self.head_index[head]])

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, vocab=np.array(self.vocab), weights=self.weights.astype(np.float16),
            bias=self.bias, heads=np.array(self.heads), thresholds=self.thresholds,
            meta=np.array(json.dumps(self.meta)),
        )

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> LinearModel:
        if not path.is_file():
            raise FileNotFoundError(
                f"offline scoring model not found at {path}; train it with "
                "`make train-scorer` (python -m scoring.training.build)")
        with np.load(path, allow_pickle=False) as z:
            return cls(z["vocab"].tolist(), z["weights"], z["bias"], z["heads"].tolist(),
                       z["thresholds"], json.loads(str(z["meta"])))
