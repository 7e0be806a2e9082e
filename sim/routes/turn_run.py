"""One trainee turn, from the engine on: run it, then save its result or its failure.

The engine starts from the plan while turn_flow.commit() is still writing (see turn_flow), and
runs as tasks owned by the app, not by the HTTP response: a client that disconnects does not
cancel the turn, and shutdown waits for it. Events go to a queue the response streams from.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from anyio import to_thread
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col

from sim.db import session_scope
from sim.engine.types import ClientState, NoticeEvent, ResultEvent, TokenEvent, TurnResult
from sim.models import Turn, TurnStatus, utcnow
from sim.personas import Persona
from sim.recovery import Leases
from sim.routes.access import turn_public
from sim.routes.turn_flow import TurnJob, TurnPlan, release
from sim.runtime import Runtime

log = logging.getLogger("sim.turns")


async def run_engine(runtime: Runtime, plan: TurnPlan, queue: asyncio.Queue[Any],
                     timeout_s: float) -> TurnResult:
    """Scores the reply and streams the client's answer into the queue; returns the result."""
    async with asyncio.timeout(timeout_s):
        runner = runtime.runner(plan.persona)
        async for event in runner.run(plan.state, plan.history, plan.text):
            if isinstance(event, TokenEvent):
                queue.put_nowait({"type": "token", "text": event.text})
            elif isinstance(event, NoticeEvent):
                queue.put_nowait({"type": "notice", "message": event.message})
            elif isinstance(event, ResultEvent):
                return event.result
    raise RuntimeError("the engine finished without a result")


async def start(engine: Engine, runtime: Runtime, plan: TurnPlan,
                commit: Callable[[], TurnJob], timeout_s: float,
                spawn: Callable[[Coroutine[Any, Any, None]], object], leases: Leases
                ) -> tuple[TurnJob, asyncio.Queue[Any]]:
    """Starts the engine on the plan, commits the pending turn beside it, and hands the rest of
    the turn to a task made by `spawn`. If the commit fails, the engine is cancelled and the
    commit's error is raised (nothing was written). Call it shielded from the request's
    cancellation: once the commit lands, the turn must run to its end."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    running = asyncio.create_task(run_engine(runtime, plan, queue, timeout_s))
    try:
        job = await to_thread.run_sync(commit)  # overlaps the LLM request going out
    except BaseException:
        running.cancel()
        running.add_done_callback(retrieve)  # its own error, if any, is not the answer
        raise
    leases.hold(job.lock_token, job.plan.session_id)  # renewed until finish() releases it
    spawn(finish(engine, job, running, queue, leases))
    return job, queue


def retrieve(task: asyncio.Task[Any]) -> None:
    """Marks a task's error as seen: the error is reported elsewhere (or its listener left)."""
    if not task.cancelled():
        task.exception()


async def finish(engine: Engine, job: TurnJob, running: asyncio.Task[TurnResult],
                 queue: asyncio.Queue[Any], leases: Leases) -> None:
    """Waits for the engine, saves the result (or the failure), and always ends the queue."""
    try:
        result = await running
        public = await to_thread.run_sync(_save_result, engine, job, result)
        queue.put_nowait({"type": "result", "turn": public})
    except BaseException as exc:
        running.cancel()
        code, message = _describe_failure(exc)
        log.warning("turn failed", extra={"turn_id": job.turn_id, "code": code, "error": repr(exc)})
        await asyncio.shield(to_thread.run_sync(_save_failure, engine, job, message))
        queue.put_nowait({"type": "error", "code": code, "message": message,
                          "turn_id": job.turn_id})
        if not isinstance(exc, Exception):
            raise
    finally:
        leases.drop(job.lock_token)
        queue.put_nowait(None)


def _disclosed(persona: Persona, before: ClientState, after: ClientState) -> list[dict[str, Any]]:
    facts = {d.id: d.fact for d in persona.disclosures}
    new = [d for d in after.disclosed if d not in before.disclosed]
    return [{"id": d, "fact": facts.get(d, d)} for d in new]


def _save_result(engine: Engine, job: TurnJob, result: TurnResult) -> dict[str, Any]:
    """One UPDATE of the turn plus the lock release in one transaction: the turn row is not
    read back (commit() kept a copy of it), which saves a SELECT and the ORM flush per turn."""
    values: dict[str, Any] = {
        "status": TurnStatus.COMPLETE, "client_text": result.reply, "voice": result.voice[:40],
        "fallback_notice": result.fallback_notice, "error": None,
        "score": result.score.model_dump(mode="json"),
        "state": result.state.model_dump(mode="json"),
        "changes": [c.model_dump(mode="json") for c in result.changes],
        "disclosed_now": _disclosed(job.plan.persona, job.plan.state, result.state),
        "completed_at": utcnow(),
    }
    with session_scope(engine) as db:
        done = db.connection().execute(update(Turn).where(
            col(Turn.id) == job.turn_id, col(Turn.status) == TurnStatus.PENDING).values(**values))
        if done.rowcount != 1:  # deleted, or failed by recovery after this worker stalled
            raise RuntimeError(f"turn {job.turn_id} is no longer pending; result not saved")
        release(db, job.plan.session_id, job.lock_token)
    saved = Turn(**{**job.turn.model_dump(), **values})
    return turn_public(saved, job.plan.exam).model_dump(mode="json")


def _save_failure(engine: Engine, job: TurnJob, message: str) -> None:
    with session_scope(engine) as db:
        db.connection().execute(update(Turn).where(
            col(Turn.id) == job.turn_id, col(Turn.status) == TurnStatus.PENDING).values(
            status=TurnStatus.FAILED, error=message[:500], completed_at=utcnow()))
        release(db, job.plan.session_id, job.lock_token)


def _describe_failure(exc: BaseException) -> tuple[str, str]:
    if type(exc).__name__ == "VoiceFailure":  # its detail is in the log, not for the trainee
        return ("voice_failed", "The client's voice could not answer this time. "
                "Your text is kept; retry.")
    if isinstance(exc, TimeoutError):
        return "turn_timeout", "The turn took too long and was stopped. Your text is kept; retry."
    if isinstance(exc, asyncio.CancelledError):
        return "turn_cancelled", "The server stopped during this turn. Your text is kept; retry."
    return "turn_failed", "The turn failed on the server. Your text is kept; retry."
