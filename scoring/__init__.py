"""Scores a trainee's reply for validation, curiosity, confrontation and process comments.

`score_reply` is the one-call entry point (cached offline engine); `get_scorer` picks an engine
by name; `summarize_session` turns a list of reply scores into a MITI-style session summary.
This package never imports `sim`: the application passes settings and chat models in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from scoring.summary import SessionSummary, summarize_session
from scoring.types import (
    DIMENSIONS,
    Code,
    CodeHit,
    DimensionScore,
    Evidence,
    ReplyScore,
    Scorer,
    ScoringContext,
    Turn,
)

__all__ = [
    "DIMENSIONS", "Code", "CodeHit", "DimensionScore", "Evidence", "ReplyScore", "Scorer",
    "ScoringContext", "SessionSummary", "Turn", "get_scorer", "score_reply", "summarize_session",
]


def get_scorer(name: str = "offline", **opts: Any) -> Scorer:
    """An engine by name: "offline" (default; opts: model_dir, variant, threads) or "llm"
    (opts: chat_model)."""
    if name == "offline":
        from scoring.offline import OfflineScorer

        return OfflineScorer(**opts)
    if name == "llm":
        from scoring.judge import LLMJudgeScorer

        return LLMJudgeScorer(**opts)
    raise ValueError(f"unknown scorer engine {name!r}; allowed: 'offline', 'llm'")


@lru_cache(maxsize=1)
def _default_scorer() -> Scorer:
    return get_scorer("offline")


def score_reply(reply: str, context: ScoringContext | str | None = None) -> ReplyScore:
    """Scores one reply with the cached default offline engine (context: client's last line)."""
    ctx = ScoringContext(client_last=context) if isinstance(context, str) else context
    return _default_scorer().score(reply, ctx)
