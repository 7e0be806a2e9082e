"""One trainee turn end to end: score -> state -> director -> voice, streamed as events.

The runner persists nothing: the caller saves the trainee text before calling run() and the
ResultEvent's TurnResult after it, so a failed turn is never half-saved. Event contract:
TokenEvent*, optional NoticeEvent, then exactly one ResultEvent last. A NoticeEvent means the
main voice failed: tokens streamed before it are discarded and the tokens after it (from the
fallback voice) are the reply. ResultEvent.result.reply is always the authoritative text.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from scoring.types import ScoringContext, Turn
from sim.engine.director import direct
from sim.engine.frame import addresses_the_simulation
from sim.engine.listen import listen
from sim.engine.moves import CONFRONT_MIN_CONFIDENCE, main_move
from sim.engine.risk import trust_level
from sim.engine.scripted import line_hash
from sim.engine.state import apply_score, initial_state
from sim.engine.types import (
    ClientState,
    NoticeEvent,
    ResultEvent,
    TokenEvent,
    TurnEvent,
    TurnResult,
)
from sim.engine.voice import ClientVoice, ScriptedVoice, VoiceError, VoiceRequest
from sim.personas.schema import Persona


class VoiceFailure(RuntimeError):
    """Neither the voice nor its fallback produced a reply; `original` is the first error."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


def scoring_context(
    persona: Persona, history: list[tuple[str, str]], max_turns: int = 6,
    state: ClientState | None = None,
) -> ScoringContext:
    """The client's last line plus recent exchanges, as the scorer expects them, and the
    moment (rupture, an unanswered hint at risk, the stage) so its suggestions fit it."""
    client_last = history[-1][1] if history else persona.voice.opening_line
    turns: list[Turn] = [Turn(speaker="client", text=persona.voice.opening_line)]
    for trainee, client in history[-max_turns:]:
        turns.append(Turn(speaker="therapist", text=trainee))
        turns.append(Turn(speaker="client", text=client))
    if state is None:
        return ScoringContext(client_last=client_last, history=turns)
    return ScoringContext(client_last=client_last, history=turns, rupture=state.rupture,
                          risk_disclosed=state.risk.open, stage=state.stage.value)


class TurnRunner:
    """Runs turns for one persona with one scorer and voice (plus a scripted fallback)."""

    def __init__(
        self,
        persona: Persona,
        scorer: object,
        voice: ClientVoice,
        fallback_voice: ClientVoice | None = None,
        min_confidence: float = CONFRONT_MIN_CONFIDENCE,
        judge: Callable[[str], str | None] | None = None,
    ) -> None:
        """`judge`: why a model's reply reads as the therapist's (sim/engine/register.py), used
        by the LLM voice before it shows a reply; None to skip that check."""
        self.persona = persona
        self.scorer = scorer
        self.voice = voice
        self.min_confidence = min_confidence
        self.judge = judge
        if fallback_voice is None and voice.name != "scripted":
            fallback_voice = ScriptedVoice()
        self.fallback_voice = fallback_voice

    def opening(self) -> tuple[ClientState, str]:
        """The state before the first reply and the client's opening line."""
        state = initial_state(self.persona)
        line = self.persona.voice.opening_line
        state.spoken[line_hash(line)] = 0
        return state, line

    async def run(
        self, state: ClientState, history: list[tuple[str, str]], trainee_text: str
    ) -> AsyncIterator[TurnEvent]:
        """Streams the client's reply to `trainee_text`; the ResultEvent comes last."""
        context = scoring_context(self.persona, history, state=state)
        # the offline scorer spends ~5-20 ms of CPU in onnxruntime, which releases the GIL: in a
        # worker thread it no longer stalls every other session's stream on this event loop
        score = await asyncio.to_thread(self.scorer.score, trainee_text,  # type: ignore[attr-defined]
                                        context)
        heard = listen(trainee_text, score, self.persona, self.min_confidence, state.rupture_text,
                       (state.risk.cue or "") if state.risk.open else "",
                       risk_in_session=state.risk.raised)
        new_state, changes = apply_score(self.persona, state, score, self.min_confidence, heard)
        direction = direct(self.persona, new_state, score, changes, heard)
        repaired = any(c.quantity == "rupture" and c.delta < 0 for c in changes)
        partial = any(c.move == "partial_repair" for c in changes)
        request = VoiceRequest(
            persona=self.persona,
            state=new_state,
            direction=direction,
            history=history,
            trainee_text=trainee_text,
            move=main_move(score, self.min_confidence),
            heard=heard,
            trust=trust_level(new_state.alliance, new_state.rupture, heard.risk_kind),
            repair="repaired" if repaired else "partial" if partial else None,
            judge=self.judge,
        )
        voice = self.voice
        # a turn addressed to the simulation or asking for a task is answered by the scripted
        # voice from the persona's own lines; the model is not asked (sim/engine/frame.py)
        if self.fallback_voice is not None and voice.name != "scripted" and (
                heard.off_task or addresses_the_simulation(trainee_text)):
            voice = self.fallback_voice
        notice: str | None = None
        parts: list[str] = []
        try:
            async for token in voice.stream(request):
                parts.append(token)
                yield TokenEvent(text=token)
        except Exception as exc:
            if self.fallback_voice is None:
                raise VoiceFailure(f"voice {voice.name!r} failed: {exc}", exc) from exc
            reason = str(exc) if isinstance(exc, VoiceError) else "an unexpected error"
            notice = (
                f"The {voice.name} voice failed ({reason[:200]}); "
                f"the scripted voice answered instead."
            )
            yield NoticeEvent(message=notice)
            voice, parts = self.fallback_voice, []
            request.used_out.clear()
            request.sources_out.clear()
            try:
                async for token in voice.stream(request):
                    parts.append(token)
                    yield TokenEvent(text=token)
            except Exception as fallback_exc:
                raise VoiceFailure(
                    f"voice {self.voice.name!r} failed ({exc}) and the fallback "
                    f"{voice.name!r} failed too ({fallback_exc})",
                    exc,
                ) from fallback_exc
        reply = "".join(parts).strip()
        if not reply:
            raise VoiceFailure(f"voice {voice.name!r} produced an empty reply")
        spoken = dict(new_state.spoken)
        for h in [*request.used_out, line_hash(reply)]:
            spoken[h] = new_state.turn
        final_state = new_state.model_copy(update={"spoken": spoken})
        yield ResultEvent(
            result=TurnResult(
                score=score,
                state=final_state,
                changes=changes,
                direction=direction,
                reply=reply,
                voice=voice.name,
                fallback_notice=notice,
                sources=list(request.sources_out),
            )
        )
