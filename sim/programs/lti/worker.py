"""The score sender of each worker process (an APIRouter lifespan, so sim/main.py only includes
the router). It wakes when a practice session ends while LMS links exist (seen on the database
connection that ended it: the trainee routes are not asked to call anyone), and every
SIM_LTI_SCORE_POLL_S once a platform is registered, for retries and other workers' sessions."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.dml import Update
from sqlmodel import Session, select

from sim.programs.config import ProgramSettings
from sim.programs.lti.scores import run_once
from sim.programs.lti_models import Platform

log = logging.getLogger("sim.programs.lti")
_WAKERS: set[Callable[[], None]] = set()
_pending = threading.local()


def wake_all() -> None:
    for waker in list(_WAKERS):
        waker()


@event.listens_for(Engine, "after_execute")
def _session_ended(conn: Connection, statement: Any, *_: Any) -> None:
    """An UPDATE that sets practice_session.ended_at, on a database with LMS links: wake the
    senders once this transaction commits (they would not see the ended session before)."""
    if not _WAKERS or not isinstance(statement, Update):
        return
    if getattr(statement.table, "name", None) != "practice_session":
        return
    if "ended_at" not in statement.compile().params:
        return
    if conn.exec_driver_sql("SELECT 1 FROM prog_lti_link LIMIT 1").first() is not None:
        _pending.wake = True


@event.listens_for(OrmSession, "after_commit")
def _committed(_session: OrmSession) -> None:
    if getattr(_pending, "wake", False):
        _pending.wake = False
        wake_all()


@event.listens_for(OrmSession, "after_rollback")
def _rolled_back(_session: OrmSession) -> None:
    _pending.wake = False


def _has_platform(engine: Engine) -> bool:
    with Session(engine) as db:
        return db.exec(select(Platform.id)).first() is not None


@asynccontextmanager
async def lti_lifespan(app: Any) -> AsyncIterator[None]:
    engine = getattr(app.state, "engine", None)
    if engine is None:
        yield
        return
    wake = asyncio.Event()
    loop = asyncio.get_running_loop()

    def waker() -> None:
        loop.call_soon_threadsafe(wake.set)

    # checked before the app serves anything: nothing else uses the database yet
    armed = await asyncio.to_thread(_has_platform, engine)
    _WAKERS.add(waker)
    task = asyncio.create_task(_send_scores(app, wake, armed))
    try:
        yield
    finally:
        _WAKERS.discard(waker)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _send_scores(app: Any, wake: asyncio.Event, armed: bool) -> None:
    poll = ProgramSettings().lti_score_poll_s
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=poll if armed else None)
        wake.clear()
        try:
            counts = await asyncio.to_thread(run_once, app.state.engine, app.state.runtime)
            armed = counts != {"queued": 0} or armed
            if counts.get("sent") or counts.get("retry") or counts.get("failed"):
                log.info("AGS scores", extra=counts)
        except Exception as exc:  # the database or a platform may be away; next round
            log.warning("AGS round failed", extra={"error": repr(exc)[:300]})
