"""The default offline engine (no network, no GPU, no PyTorch at run time)."""

from scoring.offline.scorer import OfflineScorer

__all__ = ["OfflineScorer"]
