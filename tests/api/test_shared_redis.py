"""With SIM_REDIS_URL, rate limits, login throttling and caches are shared by every worker
through Redis (a real redis-server, started by .ci/test): two apps on one database stand for two
workers. Without Redis the same tests show what stays per worker (the cache)."""

from __future__ import annotations

import socket

import pytest
from sqlmodel import Session, SQLModel, select

from sim.models import LoginThrottle, RateLimit
from sim.routes import summary


@pytest.fixture
def workers(tmp_path, tools):
    url = tools.redis_url() or pytest.skip("SIM_TEST_REDIS_URL is not set (bash .ci/test)")
    tools.flush_redis()
    engine = tools.make_engine(f"sqlite:///{tmp_path / 'two.db'}")
    SQLModel.metadata.create_all(engine)
    tools.seed_user(engine, "w@example.org", "trainee")
    apps = [tools.build_app(engine, redis_url=url, rate_limit_per_minute=3) for _ in range(2)]
    actors = [tools.Actor(app).login("w@example.org") for app in apps]
    yield engine, actors
    for actor in actors:
        actor.close()
    engine.dispose()


def test_turn_and_session_limits_are_counted_across_workers(workers):
    engine, (a, b) = workers
    sid = a.start()["id"]  # 1 of 3 new sessions
    b.start()
    a.start()
    r = b.post("/api/sessions", json={"persona_id": "silent-adolescent"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    for actor in (a, b, a):
        actor.turn(sid, "What brings you in?")
    r = b.post(f"/api/sessions/{sid}/turns", json={"text": "And then?"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    with Session(engine) as db:
        assert db.exec(select(RateLimit)).all() == []  # no counter rows: they are in Redis


def test_login_throttling_is_shared(workers, tools):
    engine, (a, b) = workers
    def login(actor, password):
        return actor.client.post("/api/auth/login",
                                 json={"email": "w@example.org", "password": password})

    for _ in range(5):
        assert login(a, "nope-nope").status_code == 401
    r = login(b, tools.PASSWORD)
    assert r.status_code == 429 and r.json()["error"]["code"] == "login_throttled"
    with Session(engine) as db:
        assert db.exec(select(LoginThrottle)).all() == []


def test_an_ended_sessions_summary_is_made_once_for_all_workers(workers, monkeypatch):
    _, (a, b) = workers
    sid = a.start()["id"]
    a.turn(sid, "What brings you in?")
    assert a.post(f"/api/sessions/{sid}/end").status_code == 200
    made = a.get("/api/sessions").json()

    def recompute(*args, **kwargs):
        raise AssertionError("worker b recomputed a summary worker a had made")

    monkeypatch.setattr(summary, "_session_summary", recompute)
    assert b.get("/api/sessions").json() == made
    assert b.get("/api/me/progress").json() == made


def test_without_redis_the_cache_is_per_worker(tmp_path, tools, monkeypatch):
    engine = tools.make_engine(f"sqlite:///{tmp_path / 'local.db'}")
    SQLModel.metadata.create_all(engine)
    tools.seed_user(engine, "w@example.org", "trainee")
    a, b = (tools.Actor(tools.build_app(engine)).login("w@example.org") for _ in range(2))
    sid = a.start()["id"]
    a.post(f"/api/sessions/{sid}/end")
    a.get("/api/sessions")
    calls = []
    original = summary._session_summary
    monkeypatch.setattr(summary, "_session_summary",
                        lambda *args: calls.append(1) or original(*args))
    b.get("/api/sessions")
    a.get("/api/sessions")
    assert calls == [1]  # b made its own copy; a reused the one it kept
    assert b.get("/healthz").json()["shared"] == "database"
    a.close()
    b.close()
    engine.dispose()


def test_an_unreachable_redis_is_a_503_naming_it(tmp_path, tools):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = tools.make_engine(f"sqlite:///{tmp_path / 'down.db'}")
    SQLModel.metadata.create_all(engine)
    tools.seed_user(engine, "w@example.org", "trainee")
    actor = tools.Actor(tools.build_app(engine, redis_url=f"redis://127.0.0.1:{port}/0"))
    r = actor.client.post("/api/auth/login", json={"email": "w@example.org",
                                                   "password": tools.PASSWORD})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "redis_down"
    assert "Redis, SIM_REDIS_URL" in r.json()["error"]["message"]
    assert actor.client.get("/healthz").status_code == 503
    actor.close()
    engine.dispose()
