"""Post a trainee turn (or retry a failed one) and stream the client's reply as NDJSON."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from sim.db import session_scope
from sim.deps import Credentials, CredentialsDep, EngineDep, IdPath, RuntimeDep, SettingsDep
from sim.errors import responses
from sim.models import TurnCreate
from sim.routes import turn_flow

router = APIRouter(prefix="/api/sessions", tags=["turns"])

STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "NDJSON stream: a `turn` event, `token` events, optional `notice`, then "
        "`result` (or `error`). See docs/API.md.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    },
    **responses(401, 403, 404, 409, 413, 422, 429),
}


def _stream(request: Request, engine: Any, runtime: Any, job: turn_flow.TurnJob,
            timeout_s: float) -> StreamingResponse:
    """Starts the turn as a task owned by the app, and streams its events to this client.

    The task is not tied to the response: if the client goes away, it still completes and saves.
    """
    queue: asyncio.Queue[Any] = asyncio.Queue()
    task = asyncio.create_task(turn_flow.execute(engine, runtime, job, queue, timeout_s))
    tasks: set[asyncio.Task[None]] = request.app.state.turn_tasks
    tasks.add(task)
    task.add_done_callback(tasks.discard)

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


def _prepare(engine: Any, credentials: Credentials, **kwargs: Any) -> turn_flow.TurnJob:
    """Authenticates and prepares the turn in one worker thread and one session, so no request
    transaction stays open while the turn streams."""
    with session_scope(engine) as db:
        user = credentials.user(db)
        return turn_flow.prepare(db, user=user, **kwargs)


@router.post("/{session_id}/turns", response_class=StreamingResponse, responses=STREAM_DOC)
async def post_turn(session_id: IdPath, body: TurnCreate, request: Request, auth: CredentialsDep,
                    engine: EngineDep, runtime: RuntimeDep, settings: SettingsDep
                    ) -> StreamingResponse:
    explicit = "parent_turn_id" in body.model_fields_set
    parent = body.parent_turn_id if explicit else turn_flow.FROM_HEAD
    job = await to_thread.run_sync(lambda: _prepare(
        engine, auth, settings=settings, runtime=runtime, session_id=session_id,
        text=body.text, parent=parent))
    return _stream(request, engine, runtime, job, turn_flow.lock_ttl(settings) - 5)


@router.post("/{session_id}/turns/{turn_id}/retry", response_class=StreamingResponse,
             responses=STREAM_DOC)
async def retry_turn(session_id: IdPath, turn_id: IdPath, request: Request, auth: CredentialsDep,
                     engine: EngineDep, runtime: RuntimeDep, settings: SettingsDep
                     ) -> StreamingResponse:
    """Re-runs a failed turn with its kept text (the same turn row becomes pending again)."""
    job = await to_thread.run_sync(lambda: _prepare(
        engine, auth, settings=settings, runtime=runtime, session_id=session_id,
        text="", retry_of=turn_id))
    return _stream(request, engine, runtime, job, turn_flow.lock_ttl(settings) - 5)
