"""The client's voices behind one LangChain seam: scripted (offline) and any chat model (LLM).

Both wrap a BaseChatModel and stream text. The LLM voice adds what a network model needs: an
overall timeout, ONE retry layer (the SDK's own retries are off), and the in-character guard.
A voice that cannot produce a clean reply raises VoiceError; the TurnRunner then falls back to
the scripted voice with a visible notice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from langchain_core.language_models.chat_models import BaseChatModel

from scoring.types import Code
from sim.engine import guard
from sim.engine.listen import Heard
from sim.engine.prompts import HISTORY_EXCHANGES, build_messages, private_text, spoken_lines
from sim.engine.scripted import ScriptedChatModel, ScriptPlan
from sim.engine.types import ClientState, Direction
from sim.personas.schema import Persona

log = logging.getLogger("sim.voice")
GuardInputs = tuple[guard.Said, guard.Shingles, tuple[guard.Said, ...], bool, tuple[str, ...]]

TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "sir"}
PREFIX_WINDOW = 32  # characters held back until the guard has seen how the reply starts
# after the start, the guard re-reads the reply once this many new characters have come (or a
# sentence has ended) rather than on every chunk: it reads the whole text each time, so checking
# per token made a reply cost O(n^2) guard work, the largest share of a worker's CPU per turn
CHECK_EVERY = 12
CHARS_PER_SENTENCE = 180


def client_names(persona: Persona) -> list[str]:
    """How the client may be named: full name, first name, a quoted nickname ('Darek')."""
    full = persona.client.name
    plain = re.sub(r'["\u201c][^"\u201d]+["\u201d]\s*', "", full)
    parts = [w.strip(".") for w in plain.split()]
    parts = [w for w in parts if w.lower() not in TITLES and len(w) > 1]
    names = [full, *parts, *re.findall(r'["\u201c]([^"\u201d]+)["\u201d]', full)]
    return [n for n in dict.fromkeys(names) if n]


class VoiceError(RuntimeError):
    """The voice could not produce an in-character reply. `partial`: tokens were streamed."""

    def __init__(self, message: str, partial: bool = False) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class VoiceRequest:
    """One reply to speak. The voice appends hashes of scripted lines it used to `used_out`."""

    persona: Persona
    state: ClientState
    direction: Direction
    history: list[tuple[str, str]]
    trainee_text: str
    move: Code | None = None
    used_out: list[str] = field(default_factory=list)
    heard: Heard | None = None
    trust: str = "low_trust"
    repair: str | None = None  # "repaired" | "partial" this turn
    sources_out: list[str] = field(default_factory=list)
    # why a model's reply reads as the therapist's (sim/engine/register.py), or None; run on
    # the first words before any is shown, and on the whole reply
    judge: Callable[[str], str | None] | None = None


class ClientVoice(Protocol):
    name: str
    model_name: str

    def stream(self, request: VoiceRequest) -> AsyncIterator[str]: ...


class ScriptedVoice:
    """Offline, deterministic voice; the embedded default and the fallback of the LLM voice."""

    name = "scripted"
    model_name = "scripted"

    def __init__(self) -> None:
        self._models: dict[tuple[str, int], ScriptedChatModel] = {}

    def _model(self, persona: Persona) -> ScriptedChatModel:
        key = (persona.id, persona.version)
        if key not in self._models:
            self._models[key] = ScriptedChatModel(persona=persona)
        return self._models[key]

    async def stream(self, request: VoiceRequest) -> AsyncIterator[str]:
        plan = ScriptPlan(
            direction=request.direction,
            used=frozenset(request.state.used_lines),
            move=request.move,
            turn=request.state.turn,
            spoken=request.state.spoken,
            heard=request.heard,
            trust=request.trust,
            repair=request.repair,
        )
        model = self._model(request.persona)
        async for chunk in model.astream([], plan=plan):
            request.used_out.extend(chunk.response_metadata.get("used_lines", []))
            request.sources_out.extend(chunk.response_metadata.get("sources", []))
            if chunk.content:
                yield str(chunk.content)


class LLMVoice:
    """Any LangChain chat model (ChatOpenAI against OpenAI, vLLM, Ollama...), kept in character."""

    name = "openai"

    def __init__(
        self,
        model: BaseChatModel,
        timeout_s: float = 30.0,
        retries: int = 1,
        model_name: str = "",
        history_exchanges: int = HISTORY_EXCHANGES,
    ) -> None:
        self.model = model
        self.history_exchanges = history_exchanges
        self.timeout_s = timeout_s
        self.retries = retries
        self.model_name = model_name or getattr(model, "model_name", "") or "llm"

    async def stream(self, request: VoiceRequest) -> AsyncIterator[str]:
        messages = build_messages(
            request.persona, request.direction, request.history, request.trainee_text,
            disclosed=request.state.disclosed, keep=self.history_exchanges,
        )
        names = client_names(request.persona)

        @cache
        def seen() -> GuardInputs:
            """What the guard compares the reply with, built at its first check (while the
            LLM is already answering), not before the request is sent."""
            off_task = request.heard is not None and request.heard.off_task
            return (guard.Said(request.trainee_text),
                    guard.prompt_shingles(str(messages[0].content),
                                          spoken_lines(request.persona),
                                          private_text(request.persona)),
                    tuple(guard.Said(client) for _, client in request.history[-10:]),
                    off_task, tuple(request.persona.voice.languages))

        max_chars = CHARS_PER_SENTENCE * request.direction.max_sentences
        errors: list[str] = []
        for attempt in range(1 + self.retries):
            emitted: list[str] = []
            try:
                async for piece in self._attempt(
                    messages, names, request, max_chars, emitted, seen
                ):
                    yield piece
                if emitted:
                    return
                errors.append(f"attempt {attempt + 1}: empty reply")
            except VoiceError:
                raise
            except Exception as exc:  # network, HTTP status, parsing, guard, timeout
                # the provider's own text stays in the log: it reaches no trainee or export
                log.warning("LLM attempt failed", extra={"attempt": attempt + 1,
                                                         "error": repr(exc)[:500]})
                errors.append(f"attempt {attempt + 1}: {_describe(exc)}")
                if emitted:
                    raise VoiceError("; ".join(errors), partial=True) from exc
        raise VoiceError("; ".join(errors))

    async def _next(self, stream: AsyncIterator[Any], deadline: float) -> Any:
        """The next chunk, or None at the end; TimeoutError if no text arrives by `deadline`
        (timeout_s after the request or after the last chunk that carried text: empty chunks
        are not progress, so a server streaming nothing for ever still times out). A slow but
        steady stream is fine: the length cap, not a wall-clock deadline, bounds the reply."""
        try:
            # asyncio.timeout_at, not wait_for: no extra task per chunk (a large share of the
            # per-token CPU cost under load); same TimeoutError when the server stays silent
            async with asyncio.timeout_at(deadline):
                return await anext(stream)
        except StopAsyncIteration:
            return None

    async def _attempt(
        self,
        messages: list,
        names: list[str],
        request: VoiceRequest,
        max_chars: int,
        emitted: list[str],
        seen: Callable[[], GuardInputs],
    ) -> AsyncIterator[str]:
        """One streamed call: hold back the start until the guard approves, then stream."""
        text = ""
        sent = 0
        checked = 0
        judged = ""
        verdict = guard.GuardResult(True, "")
        stream = self.model.astream(messages)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        try:
            while True:
                chunk = await self._next(stream, deadline)
                if chunk is None:
                    break
                if not chunk.content:
                    continue  # keep-alive or role-only chunk: no progress, deadline unchanged
                deadline = loop.time() + self.timeout_s
                text += str(chunk.content)
                if len(text) < PREFIX_WINDOW:
                    continue  # nothing can be shown yet: judged once there is enough, or at the end
                if (sent and len(text) - checked < CHECK_EVERY
                        and not _SENTENCE_END.search(str(chunk.content) + " ")):
                    continue  # not shown until checked: the guard re-reads every few words
                checked = len(text)
                verdict = guard.check(text, names, *seen())
                if not verdict.ok:
                    raise _GuardRejected(verdict.reason)
                clean = verdict.text
                done = guard.cap_reached(clean, request.direction.max_sentences, max_chars)
                if len(clean) < PREFIX_WINDOW and not done:
                    continue
                clean = _trim(clean, request.direction.max_sentences, max_chars)
                clean = clean[: guard.held_back_from(clean)]
                if not sent and clean and request.judge is not None:
                    why = await asyncio.to_thread(request.judge, clean)
                    if why:
                        raise _GuardRejected(why)
                    judged = clean
                if len(clean) > sent:
                    piece = clean[sent:]
                    sent = len(clean)
                    emitted.append(piece)
                    yield piece
                if done:
                    break
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
        if text != verdict.raw:
            verdict = guard.check(text, names, *seen())
        if not verdict.ok:
            raise _GuardRejected(verdict.reason)
        final = _trim(verdict.text, request.direction.max_sentences, max_chars).rstrip()
        if request.judge is not None and final and final != judged:
            why = await asyncio.to_thread(request.judge, final)
            if why:
                raise _GuardRejected(why)
        if len(final) > sent:
            emitted.append(final[sent:])
            yield final[sent:]


_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


class _GuardRejected(RuntimeError):
    pass


def _trim(text: str, max_sentences: int, max_chars: int) -> str:
    """Cuts to at most max_sentences + 1 sentences and max_chars characters."""
    for count, match in enumerate(_SENTENCE_END.finditer(text), start=1):
        if count > max_sentences:
            text = text[: match.end()]
            break
    return text[:max_chars]


def _describe(exc: BaseException) -> str:
    """What went wrong, in the project's words: the provider's own error text ("Error code: 500
    - {...}") can carry internals, and it would reach the trainee, the notice and the exports."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, _GuardRejected):
        return "the reply went out of character"
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return f"the LLM server answered with an error (HTTP {status})"
    name = type(exc).__name__
    if isinstance(exc, ConnectionError | OSError) or "Connection" in name or "Protocol" in name:
        return "the connection to the LLM server failed or dropped"
    if isinstance(exc, ValueError | KeyError | TypeError) or "Decode" in name:
        return "the LLM server sent a reply that could not be read"
    return f"an unexpected error ({name})"
