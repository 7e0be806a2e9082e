"""The turn's plan and commit (sim/routes/turn_flow.py) and the engine started beside the commit
(sim/routes/turn_run.py): a plan that went stale is refused, and a refused commit stops the
engine and writes nothing. (A session locked by a running turn: test_turns.py.)"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from sim.db import session_scope
from sim.errors import Conflict
from sim.models import PracticeSession, Turn, User
from sim.recovery import Leases
from sim.routes import turn_flow, turn_run


def _plan(api, sid, text="What would help today?", **kw):
    app = api.app
    with session_scope(api.engine) as db:
        user = db.exec(select(User).where(User.email == "owner@example.org")).one()
        return turn_flow.plan(db, app.state.settings, app.state.runtime, user, sid, text, **kw)


def _commit(api, plan):
    with session_scope(api.engine) as db:
        return turn_flow.commit(db, api.app.state.settings, plan)


def test_a_plan_overtaken_by_another_turn_is_refused_and_writes_nothing(api):
    sid = api.owner.start()["id"]
    stale = _plan(api, sid)
    api.owner.turn(sid, "Another reply got there first?")  # head and turn count move on
    with pytest.raises(Conflict) as err:
        _commit(api, stale)
    assert err.value.code == "turn_in_progress"
    with Session(api.engine) as db:
        texts = [t.trainee_text for t in db.exec(select(Turn))]
        ps = db.get(PracticeSession, sid)
    assert texts == ["Another reply got there first?"]
    assert ps.turn_count == 1 and ps.lock_token is None
    fresh = _plan(api, sid)  # planned again, it goes through and follows the new head
    job = _commit(api, fresh)
    assert job.plan.parent_id == ps.head_turn_id and job.plan.depth == 2


def test_a_session_ended_after_planning_refuses_the_commit(api):
    sid = api.owner.start()["id"]
    plan = _plan(api, sid)
    assert api.owner.post(f"/api/sessions/{sid}/end").status_code == 200
    with pytest.raises(Conflict):
        _commit(api, plan)
    with Session(api.engine) as db:
        assert db.exec(select(Turn)).all() == []


def test_a_refused_commit_cancels_the_engine_it_started_beside(api):
    sid = api.owner.start()["id"]
    plan = _plan(api, sid)
    started = asyncio.Event()
    cancelled = []

    class SlowRuntime:
        """The real runtime, except that the engine waits (as for an LLM) until cancelled."""

        def runner(self, persona):
            class Runner:
                async def run(self, state, history, text):
                    started.set()
                    try:
                        await asyncio.sleep(30)
                    except asyncio.CancelledError:
                        cancelled.append(text)
                        raise
                    yield  # pragma: no cover

            return Runner()

    def refuse() -> turn_flow.TurnJob:
        raise Conflict(turn_flow.BUSY, code="turn_in_progress")

    spawned = []

    async def go() -> None:
        with pytest.raises(Conflict):
            await turn_run.start(api.engine, SlowRuntime(), plan, refuse, 30, spawned.append,
                                 Leases())
        await asyncio.sleep(0.05)

    asyncio.run(go())
    assert started.is_set() and cancelled == [plan.text] and spawned == []
    with Session(api.engine) as db:
        assert db.exec(select(Turn)).all() == []
