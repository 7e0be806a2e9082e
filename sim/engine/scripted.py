"""The scripted voice's model: a deterministic, offline LangChain chat model.

It is a real BaseChatModel so the scripted and LLM voices sit behind one seam (same streaming
API, same callbacks). It composes the reply from the persona's own lines - a reaction to the
trainee's main move, a line for the stance, a disclosure line - and never says the same reply
twice in a session: spoken lines are remembered as hashes in ClientState.used_lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from scoring.types import Code
from sim.engine.types import Direction
from sim.personas.schema import Persona, Stance

NEIGHBOURS: dict[Stance, tuple[Stance, ...]] = {
    Stance.GUARDED: (Stance.RUPTURED, Stance.AMBIVALENT),
    Stance.RUPTURED: (Stance.GUARDED, Stance.AMBIVALENT),
    Stance.AMBIVALENT: (Stance.GUARDED, Stance.OPENING_UP),
    Stance.OPENING_UP: (Stance.AMBIVALENT,),
}
FILLERS = ("Hm.", "I don't know.", "Anyway.", "Look.", "Well.", "Right.", "Yeah.", "So.")


def line_hash(text: str) -> str:
    """Stable short hash of a line (case and spacing insensitive)."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


@dataclass
class ScriptPlan:
    """What the scripted model needs beyond the messages: the director's plan for this turn."""

    direction: Direction
    used: Collection[str] = ()
    move: Code | None = None
    turn: int = 0


@dataclass
class Composition:
    text: str
    hashes: list[str] = field(default_factory=list)


def _rotated(lines: list[str], seed: str) -> list[str]:
    if not lines:
        return []
    offset = int(hashlib.sha1(seed.encode()).hexdigest(), 16) % len(lines)
    return lines[offset:] + lines[:offset]


def _first_unused(lines: list[str], used: Collection[str]) -> str | None:
    return next((line for line in lines if line_hash(line) not in used), None)


def compose_reply(persona: Persona, plan: ScriptPlan) -> Composition:
    """Composes an in-character reply that was not said before in this session."""
    direction, used = plan.direction, set(plan.used)
    stance = direction.stance
    seed = f"{persona.id}:{plan.turn}:{stance.value}"
    reactions = list(persona.voice.reactions.get(plan.move, [])) if plan.move else []
    reactions = _rotated(reactions, seed + ":r")
    own = _rotated(persona.voice.lines.for_stance(stance), seed)
    disclosures = [d.line for d in persona.disclosures if d.id in direction.disclose]

    primary = _first_unused(reactions, used) or _first_unused(own, used)
    if primary is not None:
        parts = [primary]
        if disclosures:
            parts = (parts if direction.max_sentences > 1 else []) + disclosures
        return _done(parts)
    if disclosures:
        return _done(disclosures)
    # The bank for this stance ran dry: combine fragments, still in character.
    others = [line for near in NEIGHBOURS[stance] for line in persona.voice.lines.for_stance(near)]
    firsts = reactions + own
    seconds = _rotated(own, seed + ":2") + _rotated(others, seed + ":3")
    for first in firsts:
        for second in seconds:
            if second != first and line_hash(f"{first} {second}") not in used:
                return _done([first, second])
    for filler in _rotated(list(FILLERS), seed + ":f"):
        for line in firsts + others:
            if line_hash(f"{filler} {line}") not in used:
                return _done([filler, line])
    count = 1
    while True:  # practically unreachable: thousands of combinations come first
        text = f"{firsts[0]} {'...' * count}"
        if line_hash(text) not in used:
            return Composition(text=text, hashes=[line_hash(text)])
        count += 1


def _done(parts: list[str]) -> Composition:
    text = " ".join(p.strip() for p in parts)
    hashes = [line_hash(p) for p in parts]
    if len(parts) > 1:
        hashes.append(line_hash(text))
    return Composition(text=text, hashes=hashes)


def _default_plan(messages: list[BaseMessage]) -> ScriptPlan:
    turns = sum(isinstance(m, HumanMessage) for m in messages)
    direction = Direction(stance=Stance.GUARDED, behaviours=[], max_sentences=2)
    return ScriptPlan(direction=direction, turn=turns)


class ScriptedChatModel(BaseChatModel):
    """Deterministic chat model that speaks as a persona; pass `plan=ScriptPlan(...)`."""

    persona: Persona

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"persona": self.persona.id, "version": self.persona.version}

    def _compose(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> Composition:
        plan = kwargs.get("plan")
        if not isinstance(plan, ScriptPlan):
            plan = _default_plan(messages)
        return compose_reply(self.persona, plan)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        comp = self._compose(messages, kwargs)
        message = AIMessage(content=comp.text, response_metadata={"used_lines": comp.hashes})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _chunks(self, comp: Composition) -> Iterator[ChatGenerationChunk]:
        words = comp.text.split(" ")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            meta = {"used_lines": comp.hashes} if last else {}
            text = word if last else word + " "
            yield ChatGenerationChunk(message=AIMessageChunk(content=text, response_metadata=meta))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        yield from self._chunks(self._compose(messages, kwargs))

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(self._compose(messages, kwargs)):
            yield chunk
