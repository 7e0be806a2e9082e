"""Crash recovery with a real server: `sim serve` in its own process, killed with SIGKILL while
two turns stream, then started again. Before: the turns stayed `pending` for ever, the sessions
stayed locked for the lock's lifetime, `end` answered 409, and the text could not be retried.
Now: at start-up the dead worker's turns become failed and retryable, its locks are released,
`end` works, and the trainee's text is all there. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from sim.db import make_engine, session_scope, upgrade_database
from sim.models import PracticeSession, Turn, UserCreate
from sim.recovery import ORPHANED
from sim.routes.users import create_user

LINE = "Fine. I came because they made me, and I still do not see the point of any of this."
PASSWORD = "correct-horse-battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`sim serve` (one worker, so the process is the worker) against a fake LLM."""

    def __init__(self, url: str, llm_url: str, log: Path,
                 started: list[subprocess.Popen[bytes]]) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SIM_DATABASE_URL": url, "SIM_VOICE": "openai",
               "SIM_OPENAI_BASE_URL": llm_url, "SIM_LLM_TIMEOUT_S": "5",
               "SIM_LLM_MAX_RETRIES": "0", "SIM_LOG_LEVEL": "WARNING"}
        env.pop("SIM_REDIS_URL", None)
        if url.startswith("postgresql") and os.environ.get("SIM_TEST_REDIS_URL"):
            env["SIM_REDIS_URL"] = os.environ["SIM_TEST_REDIS_URL"]  # as a deployment would
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from sim.cli import app; app()", "serve",
                 "--port", str(self.port)], env=env, stdout=out, stderr=subprocess.STDOUT)
        started.append(self.proc)  # the fixture ends it whatever happens to the test
        deadline = time.time() + 240  # imports take seconds, minutes on a crowded machine
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
            if self.proc.poll() is not None:
                break
        self.stop()
        raise AssertionError(f"the server did not start: {log.read_text()[-2000:]}")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    admin_url = os.environ.get("SIM_TEST_POSTGRES_URL") or pytest.skip("no SIM_TEST_POSTGRES_URL")
    name = f"sim_crash_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    r = client.post("/api/auth/login", json={"email": "crash@example.org", "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


@pytest.mark.timeout(900)  # two server start-ups: slow on a crowded machine
def test_sigkill_mid_turn_then_restart(database, tmp_path, fake_llm_server, started):
    upgrade_database(database)
    engine = make_engine(database)
    with session_scope(engine) as db:
        create_user(db, UserCreate(email="crash@example.org", display_name="Crash",
                                   password=PASSWORD))
    fake_llm_server.default = ("stream", LINE, 6.0)  # slow: the kill lands mid-reply
    log = tmp_path / "server.log"
    server = Server(database, fake_llm_server.url, log, started)
    client = _login(server.base)
    sids, typed, streams = [], [], []
    try:
        for n in range(2):
            sids.append(client.post("/api/sessions", json={"persona_id": "silent-adolescent"})
                        .json()["id"])
            typed.append(f"What brings you in today, part {n}?")
            # one streaming connection per turn; read until the reply has begun
            c = httpx.Client(base_url=server.base, timeout=30, cookies=client.cookies,
                             headers=client.headers)
            cm = c.stream("POST", f"/api/sessions/{sids[n]}/turns", json={"text": typed[n]})
            r = cm.__enter__()
            lines = r.iter_lines()
            assert json.loads(next(lines))["type"] == "turn"
            assert json.loads(next(lines))["type"] == "token"
            streams.append((c, cm))
        server.kill()
    finally:
        for c, cm in streams:
            with contextlib.suppress(httpx.HTTPError):  # the server is gone
                cm.__exit__(None, None, None)
            c.close()
        client.close()
        if server.proc.poll() is None:
            server.stop()
    # what the dead worker left behind: pending turns and held locks
    with Session(engine) as db:
        for sid in sids:
            assert db.get(PracticeSession, sid).lock_token is not None
        turns = list(db.exec(select(Turn).order_by(Turn.id)))
        assert [t.status for t in turns] == ["pending", "pending"]

    fake_llm_server.default = ("stream", LINE, 0.0)
    server = Server(database, fake_llm_server.url, log, started)
    client = _login(server.base)
    try:
        # at start-up: the dead worker's turns are failed with the text kept, locks released
        with Session(engine) as db:
            for sid in sids:
                assert db.get(PracticeSession, sid).lock_token is None
        for sid, words in zip(sids, typed, strict=True):
            detail = client.get(f"/api/sessions/{sid}").json()
            turn = detail["turns"][-1]
            assert (turn["status"], turn["trainee_text"], turn["error"]) == (
                "failed", words, ORPHANED)
        # the first session: retry the orphan (same row, same text), then end
        failed_id = client.get(f"/api/sessions/{sids[0]}").json()["turns"][-1]["id"]
        r = client.post(f"/api/sessions/{sids[0]}/turns/{failed_id}/retry")
        events = [json.loads(line) for line in r.text.splitlines()]
        assert r.status_code == 200 and events[-1]["type"] == "result", r.text
        assert events[-1]["turn"]["id"] == failed_id
        assert events[-1]["turn"]["trainee_text"] == typed[0]
        assert events[-1]["turn"]["client_text"] == LINE
        # the second: end it straight away; the failed turn stays in its transcript
        for sid in sids:
            r = client.post(f"/api/sessions/{sid}/end")
            assert r.status_code == 200 and r.json()["status"] == "ended", r.text
        md = client.get(f"/api/sessions/{sids[1]}/transcript?format=md").text
        assert typed[1] in md and "This turn failed" in md
    finally:
        client.close()
        server.stop()
        engine.dispose()
