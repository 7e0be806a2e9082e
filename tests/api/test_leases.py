"""Turn locks are leases (sim/recovery.py): a live worker's lease is respected, a lease that
ran out or whose worker died on this host is recovered (pending turn -> failed with its text,
lock released), wherever it is met: start-up, planning a turn, reading or ending a session."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlmodel import Session, select

from sim.models import PracticeSession, Turn
from sim.recovery import HOST, LEASE_S, ORPHANED, Leases, recover_all, worker_id


def _orphan(api, token: str, until: float) -> tuple[int, int]:
    """A session whose worker took the lock and committed a pending turn, then stopped."""
    sid = api.owner.start()["id"]
    with Session(api.engine) as db:
        turn = Turn(session_id=sid, index=1, status="pending", trainee_text="Are you okay?")
        db.add(turn)
        db.flush()
        ps = db.get(PracticeSession, sid)
        ps.lock_token, ps.lock_until, ps.head_turn_id, ps.turn_count = token, until, turn.id, 1
        db.add(ps)
        db.commit()
        return sid, turn.id or 0


def _state(api, sid: int, tid: int) -> tuple[str | None, str, str | None]:
    with Session(api.engine) as db:
        turn = db.get(Turn, tid)
        return db.get(PracticeSession, sid).lock_token, turn.status, turn.error


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_live_lease_elsewhere_is_left_alone_and_an_expired_one_recovered(api):
    live = _orphan(api, "otherhost-1f-abcdef-1", time.time() + LEASE_S)
    gone = _orphan(api, "otherhost-2f-abcdef-1", time.time() - 1)
    recover_all(api.engine)
    assert _state(api, *live) == ("otherhost-1f-abcdef-1", "pending", None)
    assert _state(api, *gone) == (None, "failed", ORPHANED)


def test_a_dead_worker_on_this_host_is_recovered_before_its_lease_ends(api):
    dead = _orphan(api, f"{HOST}-{_dead_pid():x}-abcdef-1", time.time() + LEASE_S)
    mine = _orphan(api, f"{worker_id()}-1", time.time() + LEASE_S)
    recover_all(api.engine)
    assert _state(api, *dead) == (None, "failed", ORPHANED)
    assert _state(api, *mine)[1] == "pending"  # this process is alive: its turn runs on


@pytest.mark.parametrize("where", ["end", "read", "post", "retry"])
def test_a_stale_lock_is_recovered_where_it_is_met(api, where):
    """Before: `end` answered 409 after the lock expired (it checked the token, not the
    expiry), and the orphaned turn stayed pending, so it could never be retried."""
    sid, tid = _orphan(api, "otherhost-3f-abcdef-1", time.time() - 1)
    if where == "end":
        r = api.owner.post(f"/api/sessions/{sid}/end")
        assert r.status_code == 200 and r.json()["status"] == "ended", r.text
    elif where == "read":
        turn = api.owner.get(f"/api/sessions/{sid}").json()["turns"][-1]
        assert (turn["id"], turn["status"], turn["error"]) == (tid, "failed", ORPHANED)
    elif where == "post":
        ev = api.owner.turn(sid, "Let's start again?")
        assert ev[-1]["type"] == "result" and ev[-1]["turn"]["parent_id"] is None
    else:
        r = api.owner.post(f"/api/sessions/{sid}/turns/{tid}/retry")
        assert r.status_code == 200 and r.text.splitlines()[-1].startswith('{"type": "result"')
    assert _state(api, sid, tid)[0] is None
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    texts = [t["trainee_text"] for t in detail["turns"] + detail["branch_turns"]]
    assert "Are you okay?" in texts  # nothing typed is lost


def test_end_waits_for_a_live_turn(api):
    sid, _ = _orphan(api, "otherhost-4f-abcdef-1", time.time() + LEASE_S)
    r = api.owner.post(f"/api/sessions/{sid}/end")
    assert r.status_code == 409 and r.json()["error"]["code"] == "turn_in_progress"


def test_leases_held_by_this_worker_are_renewed(api):
    sid, _ = _orphan(api, "held-token", time.time() + 1)
    leases = Leases()
    assert leases.renew(api.engine) == 0  # nothing held, nothing written
    leases.hold("held-token", sid)
    now = time.time()
    assert leases.renew(api.engine, now=now) == 1
    with Session(api.engine) as db:
        assert db.exec(select(PracticeSession.lock_until).where(
            PracticeSession.id == sid)).one() == pytest.approx(now + LEASE_S)
    leases.drop("held-token")
    assert leases.renew(api.engine) == 0


async def test_renewal_stops_quietly_once_the_loops_executor_is_gone(monkeypatch, caplog):
    """At process exit the default executor refuses work: the renewal task ends instead of
    logging a warning into closed log streams every round."""
    import asyncio
    import types

    from sim import main

    async def refuse(*_args, **_kwargs):
        raise RuntimeError("cannot schedule new futures after interpreter shutdown")

    monkeypatch.setattr(main, "RENEW_S", 0.0)
    monkeypatch.setattr(main.asyncio, "to_thread", refuse)
    app = types.SimpleNamespace(state=types.SimpleNamespace(
        leases=types.SimpleNamespace(renew=lambda engine: None), engine=None))
    await asyncio.wait_for(main._renew_leases(app), timeout=2)  # returns: no endless loop
    assert not [r for r in caplog.records if r.getMessage() == "lease renewal failed"]


async def test_a_failed_renewal_is_logged_and_tried_again(monkeypatch, caplog):
    import asyncio
    import types

    from sim import main

    calls = []

    async def flaky(*_args, **_kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise OSError("database is away")
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr(main, "RENEW_S", 0.0)
    monkeypatch.setattr(main.asyncio, "to_thread", flaky)
    app = types.SimpleNamespace(state=types.SimpleNamespace(
        leases=types.SimpleNamespace(renew=lambda engine: None), engine=None))
    await asyncio.wait_for(main._renew_leases(app), timeout=2)
    assert len(calls) == 3
    assert len([r for r in caplog.records if r.getMessage() == "lease renewal failed"]) == 2
