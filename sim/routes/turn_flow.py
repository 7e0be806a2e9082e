"""One trainee turn, before the engine: a read-only plan, then one short write transaction.

plan(): authenticate, check the text and the session, and read what the engine needs (the
branch's history and state) without writing anything. The engine can start on the plan at once.
commit(): in one transaction count the rate limit, take the session's turn lock with a
compare-and-set UPDATE that also checks that the session has not moved since the plan (same head,
same turn count, still active), insert the trainee's turn as `pending`, and COMMIT. The route
runs commit() while the engine scores the reply and calls the LLM, so the write is off the
critical path; if commit() fails the engine is cancelled and the error is the answer. Either
way the trainee's text is committed before anything streams back, so it is never lost.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, insert, or_, select, update
from sqlmodel import Session, col

from sim.config import Settings
from sim.engine.types import ClientState
from sim.errors import Conflict, Invalid, NotFound, TooLarge
from sim.models import (
    PracticeSession,
    SessionMode,
    SessionStatus,
    Turn,
    TurnStatus,
    User,
    utcnow,
)
from sim.personas import Persona
from sim.records import hidden, path_to
from sim.recovery import LEASE_S, recover, stale, worker_id
from sim.routes.access import owned_session
from sim.runtime import Runtime
from sim.shared import DatabaseLimits, Limits

_LOCK_IDS = itertools.count(1)
FROM_HEAD: Any = object()  # parent_turn_id omitted (distinct from an explicit null)
BUSY = "A turn is already in progress for this session; wait for its reply."
NODE_COLUMNS = (col(Turn.id), col(Turn.parent_id), col(Turn.index), col(Turn.status),
                col(Turn.trainee_text), col(Turn.client_text))


@dataclass
class TurnPlan:
    """What the engine needs, read without writing; commit() checks it is still current."""

    session_id: int
    user_id: int
    head: int | None  # the session's head when planned (compare-and-set)
    turn_count: int
    parent_id: int | None
    depth: int
    text: str
    persona: Persona
    state: ClientState
    history: list[tuple[str, str]]
    exam: bool
    retry_of: int | None = None


@dataclass
class TurnJob:
    plan: TurnPlan
    turn_id: int
    lock_token: str
    turn: Turn  # the pending row as committed (a detached copy), for the result

    @property
    def branch_of(self) -> int | None:
        """The head this turn branched away from (a rewind), if any."""
        head = self.plan.head
        return head if head not in (self.plan.parent_id, self.turn_id) else None


def turn_budget(settings: Settings) -> float:
    """The longest a turn may run: a slow LLM with retries and the fallback. (The lock is a
    lease renewed while the turn runs, sim/recovery.py, so it need not last this long.)"""
    return 3 * settings.llm_timeout_s * (settings.llm_max_retries + 1) + 25


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


def turn_nodes(db: Session, session_id: int, state_of: int | None = None) -> dict[int, Any]:
    """The session's turn tree as light rows (no JSON payloads, no ORM instances): enough to
    find a path and its texts, at a cost that stays small as sessions grow. The state of turn
    `state_of` (usually the head, the next turn's parent) comes in the same query."""
    state = case((col(Turn.id) == state_of, col(Turn.state)), else_=None).label("state")
    rows = db.connection().execute(
        select(*NODE_COLUMNS, state).where(col(Turn.session_id) == session_id))
    return {row.id: row for row in rows}


def plan(db: Session, settings: Settings, runtime: Runtime, user: User, session_id: int,
         text: str, parent: Any = FROM_HEAD, retry_of: int | None = None,
         limits: Limits | None = None) -> TurnPlan:
    """Everything before the engine runs, as reads only; raises AppError for the HTTP status."""
    ps = owned_session(db, user, session_id)
    if ps.status != SessionStatus.ACTIVE:
        raise Conflict("This session has ended; start a new one to practise.", code="session_ended")
    if retry_of is None:
        text = check_text(text, settings)
        if ps.turn_count >= settings.max_turns_per_session:
            raise Conflict(f"This session reached its limit of {settings.max_turns_per_session} "
                           "turns; end it and start a new one.", code="turn_limit")
    # exactly the version the session started on, even after a newer one is published
    persona = runtime.catalog.pinned(db, ps.persona_id, ps.persona_version)
    if persona is None:
        raise Conflict(f"Persona {ps.persona_id!r} version {ps.persona_version} is not stored.",
                       code="persona_missing")
    if ps.lock_token is not None:
        if not stale(ps.lock_token, ps.lock_until):
            raise Conflict(BUSY, code="turn_in_progress")
        recover(db.connection(), [session_id])  # its worker died: fail the orphan, free the lock
        db.commit()
        db.refresh(ps)
    (limits or DatabaseLimits()).check(db, f"turn:user:{user.id}", settings.rate_limit_per_minute)
    turns = turn_nodes(db, session_id, state_of=ps.head_turn_id)
    parent_id = _parent(turns, ps.head_turn_id, parent, retry_of)
    if ps.mode == SessionMode.EXAM:
        _no_rewind_in_exam(turns, ps.head_turn_id, parent, parent_id, retry_of)
    if retry_of is not None:
        text = turns[retry_of].trainee_text
    path = path_to(turns, parent_id)
    state: Any
    if parent_id is None:
        state = ps.opening_state
    elif parent_id == ps.head_turn_id:
        state = turns[parent_id].state
    else:  # a branch, a retry or a failed head: the parent is not the head
        state = db.connection().execute(
            select(col(Turn.state)).where(col(Turn.id) == parent_id)).scalar()
    return TurnPlan(
        session_id=session_id, user_id=user.id or 0, head=ps.head_turn_id,
        turn_count=ps.turn_count, parent_id=parent_id,
        depth=turns[parent_id].index + 1 if parent_id is not None else 1, text=text,
        persona=persona, state=ClientState.model_validate(state),
        history=[(t.trainee_text, t.client_text or "") for t in path], exam=hidden(ps),
        retry_of=retry_of)


EXAM_NO_REWIND = ("Exam mode keeps one line of conversation: a reply cannot be taken back or "
                  "redone, and every reply you write stays in the record. Continue from the "
                  "last turn.")


def _no_rewind_in_exam(turns: dict[int, Any], head_id: int | None, parent: Any,
                       parent_id: int | None, retry_of: int | None) -> None:
    """In exam mode the only way on is forward from the head (a failed head may be retried
    or replaced, its text kept); a rewind or a retry of an older failed turn is refused."""
    if retry_of is not None:
        if retry_of != head_id:
            raise Conflict(EXAM_NO_REWIND, code="rewind_disabled")
        return
    if parent is not FROM_HEAD and parent_id != _parent(turns, head_id, FROM_HEAD, None):
        raise Conflict(EXAM_NO_REWIND, code="rewind_disabled", field="parent_turn_id")


def _parent(turns: dict[int, Any], head_id: int | None, parent: Any,
            retry_of: int | None) -> int | None:
    if retry_of is not None:
        turn = turns.get(retry_of)
        if turn is None:
            raise NotFound(f"No turn {retry_of} in this session.")
        if turn.status != TurnStatus.FAILED:
            raise Conflict("Only a failed turn can be retried.", code="not_failed")
        return turn.parent_id
    if parent is FROM_HEAD:
        head = turns.get(head_id) if head_id else None
        # A failed head is replaced by its sibling: continue from its parent.
        return head.parent_id if head and head.status != TurnStatus.COMPLETE else head_id
    if parent is not None and (parent not in turns
                               or turns[parent].status != TurnStatus.COMPLETE):
        raise Invalid(f"Turn {parent} is not a completed turn of this session; branch from a "
                      "completed turn or null (the opening line).", field="parent_turn_id")
    return parent


def commit(db: Session, settings: Settings, plan: TurnPlan,
           limits: Limits | None = None) -> TurnJob:
    """The one write before the reply: rate count, lock, pending turn; COMMIT or raise."""
    (limits or DatabaseLimits()).hit(db, f"turn:user:{plan.user_id}",
                                     settings.rate_limit_per_minute, commit=False)
    # unique per host, process and call: the owner tag of the compare-and-set (sim/recovery.py)
    token = f"{worker_id()}-{next(_LOCK_IDS):x}"
    now = time.time()
    head = col(PracticeSession.head_turn_id)
    taken = db.connection().execute(
        update(PracticeSession)
        .where(col(PracticeSession.id) == plan.session_id,
               col(PracticeSession.status) == SessionStatus.ACTIVE,
               col(PracticeSession.turn_count) == plan.turn_count,
               head.is_(None) if plan.head is None else head == plan.head,
               or_(col(PracticeSession.lock_until).is_(None),
                   col(PracticeSession.lock_until) < now))
        .values(lock_token=token, lock_until=now + LEASE_S,
                turn_count=PracticeSession.turn_count + int(plan.retry_of is None)))
    if taken.rowcount != 1:
        db.rollback()  # another turn (or the end of the session) got there first
        raise Conflict(BUSY, code="turn_in_progress")
    created = utcnow()
    if plan.retry_of is not None:
        turn_id = plan.retry_of
        again = db.connection().execute(update(Turn).where(col(Turn.id) == turn_id,
                                              col(Turn.status) == TurnStatus.FAILED)
                           .values(status=TurnStatus.PENDING, error=None, created_at=created))
        if again.rowcount != 1:
            db.rollback()  # retried twice at once: the other one is running it
            raise Conflict(BUSY, code="turn_in_progress")
    else:
        turn_id = db.connection().execute(insert(Turn).values(
            session_id=plan.session_id, parent_id=plan.parent_id, index=plan.depth,
            status=TurnStatus.PENDING, trainee_text=plan.text, created_at=created,
        ).returning(col(Turn.id))).scalar_one() or 0
    db.connection().execute(update(PracticeSession)
                            .where(col(PracticeSession.id) == plan.session_id)
                            .values(head_turn_id=turn_id))
    db.commit()
    pending = Turn(id=turn_id, session_id=plan.session_id, parent_id=plan.parent_id,
                   index=plan.depth, status=TurnStatus.PENDING, trainee_text=plan.text,
                   created_at=created)
    return TurnJob(plan, turn_id, token, pending)


def release(db: Session, session_id: int, token: str) -> None:
    db.connection().execute(update(PracticeSession)
               .where(col(PracticeSession.id) == session_id,
                      col(PracticeSession.lock_token) == token)
               .values(lock_token=None, lock_until=None))
