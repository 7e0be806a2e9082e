"""Batch scoring on every core.

The offline engine is CPU-bound Python, so one process uses one core; a batch (a transcript
file through `sim score --jsonl`, a research corpus) is split into chunks scored by one worker
process per core. Results come back in input order. Small batches stay in-process, where
starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType

from scoring.types import ReplyScore, ScoringContext

Item = tuple[str, ScoringContext | None]
CHUNK = 256

_worker_scorer = None


def _init_worker() -> None:
    global _worker_scorer
    from scoring import get_scorer

    _worker_scorer = get_scorer("offline")


def _score_chunk(chunk: list[Item]) -> list[ReplyScore]:
    assert _worker_scorer is not None
    return _worker_scorer.score_many(chunk)


class BatchScorer:
    """Scores lists of replies with the offline engine on `workers` processes (default: one
    per core). Use as a context manager so the workers are started once for many calls."""

    def __init__(self, workers: int | None = None, chunk: int = CHUNK) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunk = chunk
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> BatchScorer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def score(self, items: Sequence[Item]) -> list[ReplyScore]:
        if self.workers == 1 or len(items) < 2 * self.chunk:
            from scoring import get_scorer

            return get_scorer("offline").score_many(list(items))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker)
        chunks = [list(items[i : i + self.chunk]) for i in range(0, len(items), self.chunk)]
        return [score for part in self._pool.map(_score_chunk, chunks) for score in part]
