"""One trainee turn, end to end, safe under concurrency and failure.

prepare(): validate, then in one transaction take the session's turn lock with a compare-and-set
UPDATE (works on SQLite and PostgreSQL; a stale lock expires), insert the trainee's turn as
`pending` and COMMIT — before the engine is called, so the text is never lost.
execute(): runs the engine as a task independent of the HTTP response (a client that
disconnects does not cancel it), feeds NDJSON events to a queue, then saves reply, score, state
and changes in one transaction — or marks the turn failed with the error — and releases the lock.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from sim.config import Settings
from sim.db import session_scope
from sim.engine.types import ClientState, NoticeEvent, ResultEvent, TokenEvent, TurnResult
from sim.errors import Conflict, Invalid, NotFound, TooLarge
from sim.models import PracticeSession, SessionStatus, Turn, TurnStatus, User, utcnow
from sim.personas import Persona
from sim.routes.access import hidden, owned_session, path_to, turn_public
from sim.routes.runtime import Runtime
from sim.security.ratelimit import hit

log = logging.getLogger("sim.turns")
_LOCK_IDS = itertools.count(1)
FROM_HEAD: Any = object()  # parent_turn_id omitted (distinct from an explicit null)


@dataclass
class TurnJob:
    session_id: int
    turn_id: int
    lock_token: str
    state: ClientState
    history: list[tuple[str, str]]
    text: str
    persona: Persona
    branch_of: int | None
    exam: bool
    turn: Turn | None = None  # the pending row as committed (a detached copy), for the result


def lock_ttl(settings: Settings) -> float:
    """Long enough for a slow LLM with retries and the fallback; then the lock is stale."""
    return 3 * settings.llm_timeout_s * (settings.llm_max_retries + 1) + 30


def check_text(text: str, settings: Settings) -> str:
    if not text.strip():
        raise Invalid("The reply is empty; write something to say to the client.", field="text")
    if "\x00" in text:
        raise Invalid("The reply contains a NUL (\\x00) character; remove it.", field="text")
    if len(text) > settings.max_message_chars:
        raise TooLarge(
            f"The reply has {len(text)} characters; at most {settings.max_message_chars} allowed.",
            field="text", code="message_too_long")
    return text.strip()


def _acquire(db: Session, session_id: int, ttl: float) -> str:
    # unique per host, process and call: enough for a compare-and-set owner tag
    token = f"{socket.gethostname()[:24]}-{os.getpid():x}-{next(_LOCK_IDS):x}"
    now = time.time()
    stmt = (
        update(PracticeSession)
        .where(col(PracticeSession.id) == session_id,
               or_(col(PracticeSession.lock_until).is_(None),
                   col(PracticeSession.lock_until) < now))
        .values(lock_token=token, lock_until=now + ttl)
    )
    if db.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        raise Conflict("A turn is already in progress for this session; wait for its reply.",
                       code="turn_in_progress")
    return token  # committed together with the new pending turn


def release(db: Session, session_id: int, token: str) -> None:
    db.execute(update(PracticeSession)
               .where(col(PracticeSession.id) == session_id,
                      col(PracticeSession.lock_token) == token)
               .values(lock_token=None, lock_until=None))


def prepare(db: Session, settings: Settings, runtime: Runtime, user: User, session_id: int,
            text: str, parent: Any = FROM_HEAD, retry_of: int | None = None) -> TurnJob:
    """Everything before the engine runs; raises AppError for the HTTP status (nothing locked)."""
    ps = owned_session(db, user, session_id)
    if ps.status != SessionStatus.ACTIVE:
        raise Conflict("This session has ended; start a new one to practise.", code="session_ended")
    if retry_of is None:
        text = check_text(text, settings)
        if ps.turn_count >= settings.max_turns_per_session:
            raise Conflict(f"This session reached its limit of {settings.max_turns_per_session} "
                           "turns; end it and start a new one.", code="turn_limit")
    persona = runtime.personas.get(ps.persona_id)
    if persona is None:
        raise Conflict(f"Persona {ps.persona_id!r} is no longer installed.", code="persona_missing")
    # One write transaction: count the rate limit, take the lock (compare-and-set), insert the
    # pending turn, COMMIT. A concurrent turn fails the compare-and-set and gets 409.
    hit(db, f"turn:user:{user.id}", settings.rate_limit_per_minute, commit=False)
    token = _acquire(db, session_id, lock_ttl(settings))
    try:
        return _insert_turn(db, ps, persona, text, parent, retry_of, token)
    except BaseException:
        db.rollback()  # nothing was committed: no lock and no turn are left behind
        raise


def _turn_tree(db: Session, session_id: int) -> dict[int, Turn]:
    """The session's turns without their JSON payloads (scores are large): enough to find the
    path; the parent's state is loaded on access. Keeps a turn's cost flat as sessions grow."""
    heavy = (Turn.score, Turn.state, Turn.changes, Turn.disclosed_now)
    rows = db.exec(select(Turn).where(Turn.session_id == session_id)
                   .options(*(defer(c) for c in heavy)))  # type: ignore[arg-type]
    return {t.id or 0: t for t in rows}


def _insert_turn(db: Session, ps: PracticeSession, persona: Persona, text: str, parent: Any,
                 retry_of: int | None, token: str) -> TurnJob:
    db.refresh(ps)
    turns = _turn_tree(db, ps.id or 0)
    old_head = ps.head_turn_id
    if retry_of is not None:
        turn = turns.get(retry_of)
        if turn is None:
            raise NotFound(f"No turn {retry_of} in this session.")
        if turn.status != TurnStatus.FAILED:
            raise Conflict("Only a failed turn can be retried.", code="not_failed")
        turn.status, turn.error, turn.created_at = TurnStatus.PENDING, None, utcnow()
        parent_id, text = turn.parent_id, turn.trainee_text
    else:
        if parent is FROM_HEAD:
            head = turns.get(old_head) if old_head else None
            # A failed head is replaced by its sibling: continue from its parent.
            parent_id = head.parent_id if head and head.status != TurnStatus.COMPLETE else old_head
        else:
            parent_id = parent
            if parent_id is not None and (parent_id not in turns
                                          or turns[parent_id].status != TurnStatus.COMPLETE):
                raise Invalid(f"Turn {parent_id} is not a completed turn of this session; branch "
                              "from a completed turn or null (the opening line).",
                              field="parent_turn_id")
        depth = turns[parent_id].index + 1 if parent_id is not None else 1
        turn = Turn(session_id=ps.id or 0, parent_id=parent_id, index=depth, trainee_text=text)
        ps.turn_count += 1
    db.add(turn)
    db.flush()
    ps.head_turn_id = turn.id
    db.add(ps)
    db.commit()
    path = path_to(turns, parent_id)
    state = ClientState.model_validate(path[-1].state if path else ps.opening_state)
    history = [(t.trainee_text, t.client_text or "") for t in path]
    branch_of = old_head if old_head not in (parent_id, turn.id) else None
    pending = Turn(id=turn.id, session_id=turn.session_id, parent_id=turn.parent_id,
                   index=turn.index, trainee_text=turn.trainee_text, created_at=turn.created_at)
    return TurnJob(ps.id or 0, turn.id or 0, token, state, history, text, persona, branch_of,
                   hidden(ps), pending)


def _disclosed(persona: Persona, before: ClientState, after: ClientState) -> list[dict[str, Any]]:
    facts = {d.id: d.fact for d in persona.disclosures}
    new = [d for d in after.disclosed if d not in before.disclosed]
    return [{"id": d, "fact": facts.get(d, d)} for d in new]


def _save_result(engine: Engine, job: TurnJob, result: TurnResult) -> dict[str, Any]:
    """One UPDATE of the turn plus the lock release in one transaction: the turn row is not
    read back (prepare() kept a copy of it), which saves a SELECT and the ORM flush per turn."""
    assert job.turn is not None
    values: dict[str, Any] = {
        "status": TurnStatus.COMPLETE, "client_text": result.reply, "voice": result.voice[:40],
        "fallback_notice": result.fallback_notice, "error": None,
        "score": result.score.model_dump(mode="json"),
        "state": result.state.model_dump(mode="json"),
        "changes": [c.model_dump(mode="json") for c in result.changes],
        "disclosed_now": _disclosed(job.persona, job.state, result.state),
        "completed_at": utcnow(),
    }
    with session_scope(engine) as db:
        done = db.execute(update(Turn).where(col(Turn.id) == job.turn_id).values(**values))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise RuntimeError(f"turn {job.turn_id} disappeared before its result was saved")
        release(db, job.session_id, job.lock_token)
    saved = Turn(**{**job.turn.model_dump(), **values})
    return turn_public(saved, job.exam).model_dump(mode="json")


def _save_failure(engine: Engine, job: TurnJob, message: str) -> None:
    with session_scope(engine) as db:
        turn = db.get(Turn, job.turn_id)
        if turn is not None:
            turn.status, turn.error, turn.completed_at = TurnStatus.FAILED, message[:500], utcnow()
            db.add(turn)
        release(db, job.session_id, job.lock_token)


async def execute(engine: Engine, runtime: Runtime, job: TurnJob, queue: asyncio.Queue[Any],
                  timeout_s: float) -> None:
    """Runs the turn to completion whatever happens to the listener; always ends the queue."""
    result: TurnResult | None = None
    try:
        async with asyncio.timeout(timeout_s):
            runner = runtime.runner(job.persona)
            async for event in runner.run(job.state, job.history, job.text):
                if isinstance(event, TokenEvent):
                    queue.put_nowait({"type": "token", "text": event.text})
                elif isinstance(event, NoticeEvent):
                    queue.put_nowait({"type": "notice", "message": event.message})
                elif isinstance(event, ResultEvent):
                    result = event.result
        if result is None:
            raise RuntimeError("the engine finished without a result")
        public = await to_thread.run_sync(_save_result, engine, job, result)
        queue.put_nowait({"type": "result", "turn": public})
    except BaseException as exc:
        code, message = _describe_failure(exc)
        log.warning("turn failed", extra={"turn_id": job.turn_id, "code": code, "error": repr(exc)})
        await asyncio.shield(to_thread.run_sync(_save_failure, engine, job, message))
        queue.put_nowait({"type": "error", "code": code, "message": message,
                          "turn_id": job.turn_id})
        if not isinstance(exc, Exception):
            raise
    finally:
        queue.put_nowait(None)


def _describe_failure(exc: BaseException) -> tuple[str, str]:
    if type(exc).__name__ == "VoiceFailure":
        return ("voice_failed",
                f"The client's voice failed: {str(exc)[:300]}. Your text is kept; retry.")
    if isinstance(exc, TimeoutError):
        return "turn_timeout", "The turn took too long and was stopped. Your text is kept; retry."
    if isinstance(exc, asyncio.CancelledError):
        return "turn_cancelled", "The server stopped during this turn. Your text is kept; retry."
    return "turn_failed", "The turn failed on the server. Your text is kept; retry."
