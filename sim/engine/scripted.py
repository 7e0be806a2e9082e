"""The scripted voice's model: a deterministic, offline LangChain chat model.

It is a real BaseChatModel so the scripted and LLM voices sit behind one seam (same streaming
API, same callbacks). It answers what the client heard (sim/engine/answers.py: stance x move x
topic) from the persona's own lines, adds a disclosure or a hint at risk when the director says,
and says no line twice within REPEAT_WINDOW turns: spoken lines are remembered as hashes with
the turn in ClientState.spoken.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from scoring.types import Code
from sim.engine.answers import (
    Pool,
    fits,
    follow_up,
    pools_for,
    says_back,
    stance_pools,
    wide_pools,
)
from sim.engine.listen import Act, Heard
from sim.engine.types import Direction
from sim.personas.schema import Persona, Stance

REPEAT_WINDOW = 60  # no line is said again within this many turns
# Beyond the window (or when a small bank runs dry) a line may come back, with a filler so the
# reply is not word for word the same; a client who says something again often says so.
ECHOING_POOLS = ("reaction:question_open", "reaction:question_closed")
FILLERS = ("Like I said.", "Hm.", "Well.", "Look.", "Again.", "I mean.", "Yeah.", "So.",
           "As I said.", "Honestly.")


def line_hash(text: str) -> str:
    """Stable short hash of a line (case and spacing insensitive)."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


@dataclass
class ScriptPlan:
    """What the scripted model needs beyond the messages: the director's plan for this turn,
    what the client heard, and which lines were spoken when."""

    direction: Direction
    used: Collection[str] = ()  # hashes never to repeat (sessions from before `spoken`)
    move: Code | None = None
    turn: int = 0
    spoken: Mapping[str, int] = field(default_factory=dict)
    heard: Heard | None = None
    trust: str = "low_trust"
    repair: str | None = None  # "repaired" | "partial" | None


@dataclass
class Composition:
    text: str
    hashes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _rotated(lines: list[str], seed: str) -> list[str]:
    if not lines:
        return []
    offset = int(hashlib.sha1(seed.encode()).hexdigest(), 16) % len(lines)
    return lines[offset:] + lines[:offset]


class _Picker:
    """Chooses unspoken lines (rotated by a per-turn seed so sessions vary) and remembers
    what this reply already used."""

    def __init__(self, plan: ScriptPlan, seed: str, heard: Heard) -> None:
        self.plan, self.seed, self.heard = plan, seed, heard
        self.used = set(plan.used)
        self.taken: set[str] = set()

    def fits(self, source: str, line: str) -> bool:
        """An answer to a question that opens by echoing it ("What would help? ...") is said
        only to that question; any other line that opens by echoing a word ("Denial. Right.",
        "Sabotaging? I... okay.") only when the trainee said it (an outside supervisor found
        clients echoing words nobody said). A topic's or risk's own lines were chosen for
        what was asked and may name it."""
        if source.startswith(("topic:", "risk:")):
            return True
        if source in ECHOING_POOLS:
            return fits(line, self.heard.asked)
        return says_back(line, self.heard.said)

    def fresh(self, line: str) -> bool:
        key = line_hash(line)
        if key in self.taken:
            return False
        last = self.plan.spoken.get(key)
        if last is None:
            return key not in self.used
        return self.plan.turn - last >= REPEAT_WINDOW

    def first(self, pools: list[Pool]) -> tuple[str, str] | None:
        for source, lines in pools:
            for line in _rotated(lines, f"{self.seed}:{source}"):
                if self.fits(source, line) and self.fresh(line):
                    self.taken.add(line_hash(line))
                    return source, line
        return None

    def stale(self, pools: list[Pool]) -> tuple[str, str] | None:
        """Every line was said recently: the least recently said one with a filler the client
        has not used with it lately."""
        spoken = self.plan.spoken
        candidates = [(spoken.get(line_hash(x), -1), src, x) for src, lines in pools for x in lines
                      if self.fits(src, x)]
        for _, source, line in sorted(candidates, key=lambda c: c[0]):
            for filler in _rotated(list(FILLERS), f"{self.seed}:f"):
                text = f"{filler} {line}"
                if self.fresh(text):
                    self.taken.add(line_hash(text))
                    return f"{source}+filler", text
        return None


def compose_reply(persona: Persona, plan: ScriptPlan) -> Composition:
    """An in-character reply that answers what the client heard, with no line said in the last
    REPEAT_WINDOW turns; a disclosure and a hint at risk are added when the director says."""
    direction = plan.direction
    stance = direction.stance
    heard = plan.heard or Heard(act=Act.OTHER if plan.move is None else Act.REFLECTION,
                                reaction=plan.move)
    picker = _Picker(plan, f"{persona.id}:{plan.turn}:{stance.value}", heard)
    pools = pools_for(persona, heard, stance, plan.trust, plan.repair)
    main = (picker.first(pools) or picker.first(wide_pools(persona, stance))
            or picker.stale(pools or stance_pools(persona, stance)))
    parts: list[tuple[str, str]] = [main] if main else []
    # a disclosure is the reply's second thing to say: no follow-up line beside it
    second = picker.first(follow_up(persona, heard, stance)) if (
        direction.max_sentences > 1 and not direction.disclose) else None
    if second:
        parts.append(second)
    for item in persona.disclosures:
        if item.id in direction.disclose:
            parts.append((f"disclosure:{item.id}", item.line))
    if direction.risk_cue:
        parts.append(("risk:cue", direction.risk_cue))
    if not parts:  # a persona with no lines at all for this stance (schema forbids it)
        parts = [("filler", FILLERS[plan.turn % len(FILLERS)])]
    return _done(parts)


def _done(parts: list[tuple[str, str]]) -> Composition:
    texts = [text.strip() for _, text in parts]
    text = " ".join(texts)
    hashes = [line_hash(t) for t in texts]
    if len(texts) > 1:
        hashes.append(line_hash(text))
    return Composition(text=text, hashes=hashes, sources=[source for source, _ in parts])


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
        message = AIMessage(content=comp.text, response_metadata={"used_lines": comp.hashes,
                                                                  "sources": comp.sources})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _chunks(self, comp: Composition) -> Iterator[ChatGenerationChunk]:
        words = comp.text.split(" ")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            meta = {"used_lines": comp.hashes, "sources": comp.sources} if last else {}
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
