"""What the app runs turns with: the persona library, the scorer and the voices, built once in
the lifespan from settings (never at import) and shared by every request of this worker."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from sim.config import Settings
from sim.engine.types import ClientState, TurnEvent
from sim.personas import Persona, load_library
from sim.studio.personas.catalog import PersonaCatalog

log = logging.getLogger("sim.runtime")


class Runner(Protocol):
    """The engine seam (sim/engine/turn.py TurnRunner): opening line, then streamed turns."""

    def opening(self) -> tuple[ClientState, str]: ...

    def run(
        self, state: ClientState, history: list[tuple[str, str]], trainee_text: str
    ) -> AsyncIterator[TurnEvent]: ...


@dataclass
class Runtime:
    personas: dict[str, Persona]
    scorer: Any
    voice: Any
    fallback_voice: Any
    voice_name: str
    model: str | None
    scorer_settings: dict[str, Any] = field(default_factory=dict)
    confront_min_confidence: float = 0.7
    # the personas sessions run with, from the database by (id, version); `personas` above is
    # the YAML library the database is seeded from at start-up
    catalog: PersonaCatalog = field(default_factory=PersonaCatalog)

    def runner(self, persona: Persona) -> Runner:
        from sim.engine.register import therapist_register
        from sim.engine.turn import TurnRunner

        # a model's reply is also read by the scorer: one that rates as a therapist's move
        # (a reflection, advice, praise) is refused like any out-of-character reply
        judge = (therapist_register(self.scorer)
                 if self.voice_name != "scripted" and not isinstance(self.scorer, NeutralScorer)
                 else None)
        return TurnRunner(persona, self.scorer, self.voice, self.fallback_voice,
                          min_confidence=self.confront_min_confidence, judge=judge)

    @property
    def scorer_name(self) -> str:
        return str(getattr(self.scorer, "name", "unknown"))

    @property
    def scorer_version(self) -> str:
        return str(getattr(self.scorer, "version", "unknown"))


def build_runtime(settings: Settings) -> Runtime:
    """Loads personas, the scorer and the voices named by settings."""
    from sim import llm

    personas = load_library(settings.personas_dir)
    voice = llm.build_voice(settings)
    fallback = llm.build_fallback_voice() if settings.voice != "scripted" else None
    model = settings.openai_model if settings.voice == "openai" else None
    log.info("runtime ready", extra={"personas": len(personas), "voice": settings.voice})
    return Runtime(personas, load_scorer(settings), voice, fallback, settings.voice, model,
                   {"engine": settings.scorer, "judge_model": settings.judge_model},
                   settings.confront_min_confidence)


def load_scorer(settings: Settings) -> Any:
    """scoring.get_scorer for the configured engine; a neutral scorer (every reply unrated,
    with a warning in each score) only while the scoring package does not provide one."""
    try:
        from scoring import get_scorer
    except ImportError:
        log.warning("scoring.get_scorer is missing; replies will not be rated")
        return NeutralScorer()
    if settings.scorer == "llm":
        from sim.llm import build_chat_model

        judge = settings.model_copy(update={"openai_model": settings.judge_model
                                            or settings.openai_model})
        return get_scorer("llm", chat_model=build_chat_model(judge, streaming=False))
    try:
        return get_scorer(settings.scorer)
    except FileNotFoundError as exc:  # the offline model file has not been trained/installed
        log.error("scorer unavailable; replies will not be rated", extra={"error": str(exc)})
        return NeutralScorer()


class NeutralScorer:
    """Rates nothing; says so in every score's warnings. Only used without a real scorer."""

    name = "unavailable"
    version = "0"

    def score(self, reply: str, context: Any = None) -> Any:
        from scoring.types import DimensionScore, ReplyScore

        none = DimensionScore(present=False, probability=0.0, level="none",
                              reason="no scorer installed")
        return ReplyScore(reply=reply, validation=none, curiosity=none, confrontation=none,
                          process_comment=none, engine=self.name, engine_version=self.version,
                          warnings=["No scorer is installed; this reply was not rated."])

    def score_many(self, items: list[tuple[str, Any]]) -> list[Any]:
        return [self.score(r, c) for r, c in items]
