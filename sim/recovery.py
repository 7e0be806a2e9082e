"""Turn locks as leases, and what happens to the turns of a worker that died.

A session's turn lock (lock_token, lock_until on the session row) is a lease: taken for LEASE_S
seconds and renewed every RENEW_S by the worker that runs the turn (Leases.renew, a task of the
app's lifespan). A worker killed mid-turn stops renewing, so its lease runs out within LEASE_S.
Then its pending turns are orphans: recover() marks them failed (the trainee's text is kept,
the turn can be retried) and releases the lock. This runs at start-up for every session (a
restarted worker on the same host recognises its dead predecessors at once by their process
id, without waiting for the lease), and lazily wherever a stale lock is met (planning a turn,
reading or ending a session), so no orphan is ever stuck as `pending`.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Iterable

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from sim.models import PracticeSession, Turn, TurnStatus, utcnow

log = logging.getLogger("sim.recovery")

LEASE_S = 30.0
RENEW_S = 10.0
ORPHANED = "The server stopped during this turn. Your text is kept; retry."
HOST = socket.gethostname()[:24].replace("-", "_")
# this process: host, pid and a nonce (a restarted container may reuse the pid)
WORKER = f"{HOST}-{os.getpid():x}-{secrets.token_hex(3)}"


def worker_id() -> str:
    """This process's lock-token prefix (recomputed after a fork)."""
    global WORKER
    if WORKER.split("-")[1] != f"{os.getpid():x}":
        WORKER = f"{HOST}-{os.getpid():x}-{secrets.token_hex(3)}"
    return WORKER


def dead_on_this_host(token: str) -> bool:
    """True when the token's worker ran on this host and its process is gone (or this very
    process id now belongs to someone else: us)."""
    parts = token.split("-")
    if len(parts) < 4 or parts[0] != HOST:
        return False
    try:
        pid = int(parts[1], 16)
    except ValueError:
        return False
    if f"{parts[0]}-{parts[1]}-{parts[2]}" == worker_id():
        return False  # ours, alive
    if pid == os.getpid():
        return True  # our pid, another nonce: the process that had it is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover(conn: Connection, session_ids: Iterable[int] | None = None,
            now: float | None = None) -> list[int]:
    """Fails the orphaned pending turns and releases dead locks, in the caller's transaction.

    Looks at the given sessions (or every session with a lock or a pending turn): a lock whose
    lease ran out, or whose worker died on this host, is dead; a pending turn without a live
    lock is an orphan. Returns the ids of the turns it failed."""
    now = time.time() if now is None else now
    ps = PracticeSession.__table__  # type: ignore[attr-defined]
    turn = Turn.__table__  # type: ignore[attr-defined]
    query = select(ps.c.id, ps.c.lock_token, ps.c.lock_until)
    if session_ids is not None:
        query = query.where(ps.c.id.in_(list(session_ids)))
    else:
        pending = select(turn.c.session_id).where(turn.c.status == TurnStatus.PENDING)
        query = query.where(or_(ps.c.lock_token.is_not(None), ps.c.id.in_(pending)))
    dead: list[tuple[int, str | None]] = []
    for sid, token, until in conn.execute(query):
        live = token is not None and until is not None and until >= now
        if live and not dead_on_this_host(token):
            continue
        dead.append((sid, token))
    if not dead:
        return []
    ids = [sid for sid, _ in dead]
    failed = [row[0] for row in conn.execute(
        select(turn.c.id).where(turn.c.session_id.in_(ids),
                                turn.c.status == TurnStatus.PENDING))]
    if failed:
        conn.execute(update(turn).where(turn.c.id.in_(failed),
                                        turn.c.status == TurnStatus.PENDING)
                     .values(status=TurnStatus.FAILED, error=ORPHANED, completed_at=utcnow()))
    for sid, token in dead:
        if token is not None:  # compare-and-set: a new turn may have taken the lock meanwhile
            conn.execute(update(ps).where(ps.c.id == sid, ps.c.lock_token == token)
                         .values(lock_token=None, lock_until=None))
    if failed:
        log.warning("recovered orphaned turns", extra={"turns": len(failed),
                                                       "sessions": len(ids)})
    return failed


def recover_all(engine: Engine) -> list[int]:
    """The start-up sweep over every session (one transaction)."""
    with engine.begin() as conn:
        return recover(conn)


def stale(lock_token: str | None, lock_until: float | None, now: float | None = None) -> bool:
    """A lock that is set but dead: its lease ran out or its worker died on this host."""
    if lock_token is None:
        return False
    now = time.time() if now is None else now
    return lock_until is None or lock_until < now or dead_on_this_host(lock_token)


class Leases:
    """The locks this worker holds (token -> session id) and their renewal."""

    def __init__(self) -> None:
        self.held: dict[str, int] = {}

    def hold(self, token: str, session_id: int) -> None:
        self.held[token] = session_id

    def drop(self, token: str) -> None:
        self.held.pop(token, None)

    def renew(self, engine: Engine, now: float | None = None) -> int:
        """Pushes every held lease LEASE_S into the future; returns how many rows it touched."""
        if not self.held:
            return 0
        now = time.time() if now is None else now
        tokens = list(self.held)
        with engine.begin() as conn:
            done = conn.execute(update(PracticeSession)
                                .where(and_(col(PracticeSession.lock_token).in_(tokens)))
                                .values(lock_until=now + LEASE_S))
        return done.rowcount or 0
