"""API test fixtures: the app on in-memory SQLite (StaticPool) via dependency_overrides, and the
SAME suite on a real PostgreSQL when SIM_TEST_POSTGRES_URL is set (tests marked `postgres`).

The engine seam is real (TurnRunner with the scripted voice, or the LLM voice pointed at a fake
OpenAI-compatible server); only the scorer is a small deterministic stand-in so the expected
codes are known.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from scoring.types import Code, CodeHit, DimensionScore, ReplyScore
from sim.config import REPO_ROOT, Settings
from sim.db import make_engine
from sim.deps import get_engine
from sim.engine.voice import ScriptedVoice
from sim.main import create_app
from sim.personas import load_library
from sim.runtime import Runtime

HERE = Path(__file__).resolve().parent
PASSWORD = "correct-horse-battery"


def _load_local(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


fake_llm = _load_local("fake_llm_server")


class KeywordScorer:
    """Deterministic stand-in: '?' -> open question, 'sounds like' -> complex reflection,
    'you need to' -> confront. Enough to check what the API stores and summarises."""

    name = "keyword-test"
    version = "1"

    def score(self, reply: str, context: Any = None) -> ReplyScore:
        low = reply.lower()
        codes = []
        if "?" in reply:
            codes.append(Code.QUESTION_OPEN)
        if "sounds like" in low:
            codes.append(Code.REFLECTION_COMPLEX)
        if "you need to" in low:
            codes.append(Code.CONFRONT)

        def dim(on: bool) -> DimensionScore:
            return DimensionScore(present=on, probability=0.9 if on else 0.1,
                                  level="high" if on else "none", reason="keyword")

        return ReplyScore(
            reply=reply, validation=dim("sounds like" in low), curiosity=dim("?" in reply),
            confrontation=dim("you need to" in low), process_comment=dim(False),
            codes=[CodeHit(code=c, probability=0.9) for c in codes],
            engine=self.name, engine_version=self.version)

    def score_many(self, items: list[tuple[str, Any]]) -> list[ReplyScore]:
        return [self.score(r, c) for r, c in items]


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, with test-sized cost so the suite stays fast (production keeps defaults)."""
    from argon2 import PasswordHasher

    from sim.security import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    # unknown emails are checked against this hash: at production cost that is ~0.4 s each
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("timing-equaliser-not-a-password"))


_PERSONAS = None


def personas() -> dict[str, Any]:
    global _PERSONAS
    if _PERSONAS is None:
        _PERSONAS = load_library(REPO_ROOT / "personas")
    return _PERSONAS


def runtime(voice: Any = None, fallback: Any = None, name: str = "scripted") -> Runtime:
    return Runtime(personas(), KeywordScorer(), voice or ScriptedVoice(), fallback, name,
                   None, {"engine": "keyword-test"})


_PG_ENGINE: Engine | None = None


def _pg_engine() -> Engine:
    global _PG_ENGINE
    url = os.environ.get("SIM_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("SIM_TEST_POSTGRES_URL is not set (run `bash .ci/test tests/api`)")
    if _PG_ENGINE is None:
        _PG_ENGINE = make_engine(url)
        SQLModel.metadata.drop_all(_PG_ENGINE)
        SQLModel.metadata.create_all(_PG_ENGINE)
    with _PG_ENGINE.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    flush_redis()
    return _PG_ENGINE


def redis_url() -> str | None:
    """SIM_TEST_REDIS_URL (.ci/test starts a redis-server): the PostgreSQL runs of the API
    suite share rate limits, login throttling and caches through it, as a deployment would."""
    return os.environ.get("SIM_TEST_REDIS_URL") or None


def flush_redis() -> None:
    url = redis_url()
    if url:
        import redis

        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()


def shared_for(engine: Engine) -> dict[str, Any]:
    """Settings for where shared state lives: Redis with PostgreSQL when it is there."""
    if engine.url.get_backend_name() == "postgresql" and redis_url():
        return {"redis_url": redis_url()}
    return {}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """In-memory SQLite (one shared connection via StaticPool) or the test PostgreSQL."""
    if request.param == "postgres":
        yield _pg_engine()
        return
    eng = make_engine("sqlite://")
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


def make_settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {"database_url": "sqlite://", "log_json": True, "log_level": "WARNING",
                            "rate_limit_per_minute": 1000, "llm_timeout_s": 2.0,
                            "llm_max_retries": 0}
    base.update(overrides)
    return Settings(**base)


def build_app(engine: Engine, rt: Runtime | None = None, **settings: Any) -> Any:
    app = create_app(make_settings(**{**shared_for(engine), **settings}))
    app.state.engine = engine
    app.state.runtime = rt or runtime()
    app.dependency_overrides[get_engine] = lambda: engine
    return app


class Actor:
    """A signed-in (or anonymous) browser: its own cookie jar and CSRF token."""

    def __init__(self, app: Any, user: dict[str, Any] | None = None) -> None:
        self.client = TestClient(app, raise_server_exceptions=False)
        self.client.__enter__()
        self.user = user
        self.csrf = ""

    def login(self, email: str, password: str = PASSWORD) -> Actor:
        r = self.client.post("/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.user, self.csrf = r.json()["user"], r.json()["csrf_token"]
        return self

    def request(self, method: str, path: str, **kw: Any) -> Any:
        headers = kw.pop("headers", {})
        if self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.request(method, path, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.request("POST", path, **kw)

    def start(self, persona: str = "silent-adolescent", mode: str = "coach") -> dict[str, Any]:
        r = self.post("/api/sessions", json={"persona_id": persona, "mode": mode})
        assert r.status_code == 201, r.text
        return r.json()

    def turn(self, sid: int, text: str, **extra: Any) -> list[dict[str, Any]]:
        """Posts a turn and returns the NDJSON events (asserting a 200 stream)."""
        r = self.post(f"/api/sessions/{sid}/turns", json={"text": text, **extra})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in r.text.splitlines() if line]

    def close(self) -> None:
        self.client.__exit__(None, None, None)


def seed_user(engine: Engine, email: str, role: str) -> None:
    from sim.db import session_scope
    from sim.models import UserCreate
    from sim.routes.users import create_user

    with session_scope(engine) as db:
        create_user(db, UserCreate(email=email, display_name=email.split("@")[0],
                                   password=PASSWORD, role=role))  # type: ignore[arg-type]


def teach(engine: Engine, instructor_email: str, trainee_emails: list[str],
          title: str = "Practice group") -> int:
    """Puts `trainee_emails` in the instructor's review scope (sim/programs/teaching.py).
    Returns the program id."""
    from sqlmodel import Session, col, select

    from sim.models import User
    from sim.programs.teaching import teach as teach_in_program

    with Session(engine) as db:
        ids = {u.email: u.id or 0 for u in db.exec(select(User).where(
            col(User.email).in_([instructor_email, *trainee_emails])))}
        program = teach_in_program(db, ids[instructor_email],
                                   [ids[e] for e in trainee_emails], title)
        db.commit()
        return program.id or 0


@pytest.fixture
def api(engine: Engine) -> Iterator[SimpleNamespace]:
    """The app plus signed-in actors: owner (trainee), other (trainee), instructor, admin. The
    instructor teaches a program whose cohort holds owner and other, so both are in the
    instructor's review scope."""
    app = build_app(engine)
    for email, role in (("owner@example.org", "trainee"), ("other@example.org", "trainee"),
                        ("teach@example.org", "instructor"), ("boss@example.org", "admin")):
        seed_user(engine, email, role)
    teach(engine, "teach@example.org", ["owner@example.org", "other@example.org"])
    actors = {
        "anonymous": Actor(app),
        "owner": Actor(app).login("owner@example.org"),
        "other": Actor(app).login("other@example.org"),
        "instructor": Actor(app).login("teach@example.org"),
        "admin": Actor(app).login("boss@example.org"),
    }
    yield SimpleNamespace(app=app, engine=engine, **actors, actors=actors,
                          tools_seed=lambda email, role: seed_user(engine, email, role),
                          tools_actor=lambda: Actor(app))
    for actor in actors.values():
        actor.close()


class LiveServer:
    """The app under a real uvicorn on loopback (for disconnects and true concurrency)."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                                    log_config=None, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started and time.time() < deadline:
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@pytest.fixture
def fake_llm_server() -> Iterator[Any]:
    server = fake_llm.FakeLLMServer()
    yield server
    server.close()


@pytest.fixture
def tools() -> SimpleNamespace:
    """Helpers for test modules (conftest is not importable under --import-mode=importlib)."""
    return SimpleNamespace(build_app=build_app, runtime=runtime, Actor=Actor, seed_user=seed_user,
                           teach=teach,
                           LiveServer=LiveServer, make_settings=make_settings, PASSWORD=PASSWORD,
                           make_engine=make_engine, shared_for=shared_for,
                           flush_redis=flush_redis, redis_url=redis_url)
