"""Post a trainee turn (or retry a failed one) and stream the client's reply as NDJSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from sim.config import Settings
from sim.db import session_scope
from sim.deps import Credentials, CredentialsDep, EngineDep, IdPath, RuntimeDep, SettingsDep
from sim.errors import responses
from sim.models import TurnCreate
from sim.routes import turn_flow, turn_run
from sim.shared import Limits

T = TypeVar("T")
router = APIRouter(prefix="/api/sessions", tags=["turns"])

STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "NDJSON stream: a `turn` event, `token` events, optional `notice`, then "
        "`result` (or `error`). See docs/API.md.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    },
    **responses(401, 403, 404, 409, 413, 422, 429),
}


def _plan(engine: Any, credentials: Credentials, **kwargs: Any) -> turn_flow.TurnPlan:
    """Authenticates and plans the turn in one worker thread and one read-only session."""
    with session_scope(engine) as db:
        user = credentials.user(db)
        return turn_flow.plan(db, user=user, **kwargs)


def _commit(engine: Any, settings: Settings, plan: turn_flow.TurnPlan,
            limits: Limits) -> turn_flow.TurnJob:
    with session_scope(engine) as db:
        return turn_flow.commit(db, settings, plan, limits)


async def _run(request: Request, engine: Any, runtime: Any, settings: Settings,
               plan: turn_flow.TurnPlan) -> StreamingResponse:
    """Starts the engine and the commit together (turn_run.start), then streams the events.

    The turn belongs to the app, not to this response: if the client goes away it still
    completes and saves, and the lifespan waits for it at shutdown."""
    tasks: set[asyncio.Task[Any]] = request.app.state.turn_tasks

    def spawn(work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.create_task(work)
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    limits = request.app.state.shared.limits
    starting = spawn(turn_run.start(
        engine, runtime, plan, lambda: _commit(engine, settings, plan, limits),
        turn_flow.turn_budget(settings), spawn, request.app.state.leases))
    starting.add_done_callback(turn_run.retrieve)  # if this request is gone, nobody awaits it
    job, queue = await asyncio.shield(starting)

    async def events() -> AsyncIterator[bytes]:
        first = {"type": "turn", "turn_id": job.turn_id, "branch_of": job.branch_of}
        yield (json.dumps(first) + "\n").encode()
        done = False
        while not done:
            batch = [await queue.get()]
            while not queue.empty():  # send whatever is ready as one chunk (fewer writes)
                batch.append(queue.get_nowait())
            done = batch[-1] is None
            lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in batch if item]
            yield "".join(lines).encode()

    return StreamingResponse(events(), media_type="application/x-ndjson",
                             headers={"X-Accel-Buffering": "no"})


@router.post("/{session_id}/turns", response_class=StreamingResponse, responses=STREAM_DOC)
async def post_turn(session_id: IdPath, body: TurnCreate, request: Request, auth: CredentialsDep,
                    engine: EngineDep, runtime: RuntimeDep, settings: SettingsDep
                    ) -> StreamingResponse:
    explicit = "parent_turn_id" in body.model_fields_set
    parent = body.parent_turn_id if explicit else turn_flow.FROM_HEAD
    limits = request.app.state.shared.limits
    plan = await to_thread.run_sync(lambda: _plan(
        engine, auth, settings=settings, runtime=runtime, session_id=session_id,
        text=body.text, parent=parent, limits=limits))
    return await _run(request, engine, runtime, settings, plan)


@router.post("/{session_id}/turns/{turn_id}/retry", response_class=StreamingResponse,
             responses=STREAM_DOC)
async def retry_turn(session_id: IdPath, turn_id: IdPath, request: Request, auth: CredentialsDep,
                     engine: EngineDep, runtime: RuntimeDep, settings: SettingsDep
                     ) -> StreamingResponse:
    """Re-runs a failed turn with its kept text (the same turn row becomes pending again)."""
    limits = request.app.state.shared.limits
    plan = await to_thread.run_sync(lambda: _plan(
        engine, auth, settings=settings, runtime=runtime, session_id=session_id,
        text="", retry_of=turn_id, limits=limits))
    return await _run(request, engine, runtime, settings, plan)
