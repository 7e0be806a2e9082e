"""Hand-built ReplyScores and fixture personas for engine tests (independent of the scorer)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scoring.types import Code, CodeHit, DimensionScore, ReplyScore, ScoringContext
from sim.personas import Persona, load_persona

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "personas"


def dim(level: str = "none") -> DimensionScore:
    present = level != "none"
    prob = {"none": 0.05, "low": 0.4, "medium": 0.7, "high": 0.95}[level]
    return DimensionScore(present=present, probability=prob, level=level, reason="test")  # type: ignore[arg-type]


def make_score(
    reply: str = "reply",
    codes: tuple[Code, ...] = (),
    confrontation: str = "none",
    process_comment: str = "none",
    validation: str = "none",
    curiosity: str = "none",
) -> ReplyScore:
    return ReplyScore(
        reply=reply,
        validation=dim(validation),
        curiosity=dim(curiosity),
        confrontation=dim(confrontation),
        process_comment=dim(process_comment),
        codes=[CodeHit(code=c, probability=0.9) for c in codes],
        engine="test",
        engine_version="0",
    )


class TableScorer:
    """A scorer that looks replies up in a table (unknown replies score as a simple reflection)."""

    name = "table"
    version = "0"

    def __init__(self, table: dict[str, ReplyScore] | None = None) -> None:
        self.table = table or {}
        self.contexts: list[ScoringContext | None] = []

    def score(self, reply: str, context: ScoringContext | None = None) -> ReplyScore:
        self.contexts.append(context)
        if reply in self.table:
            return self.table[reply].model_copy(update={"reply": reply})
        return make_score(reply, (Code.REFLECTION_SIMPLE,))

    def score_many(self, items):  # type: ignore[no-untyped-def]
        return [self.score(r, c) for r, c in items]


@pytest.fixture
def mechanic() -> Persona:
    return load_persona(FIXTURES / "valid" / "fixture-quiet-mechanic.yaml")


CONFRONT = make_score(
    "You clearly have an anger problem and you need to admit it.",
    (Code.CONFRONT,),
    confrontation="high",
)
COMPLEX = make_score(
    "Part of you is shaken by what happened, and part of you wants everyone to back off.",
    (Code.REFLECTION_COMPLEX,),
    validation="high",
)
AUTONOMY = make_score(
    "It's entirely your call what we talk about here.", (Code.EMPHASIZING_AUTONOMY,)
)
PROCESS = make_score(
    "I notice I pushed just now, and you went quiet. Can we look at what happened between us?",
    (Code.PROCESS_COMMENT,),
    process_comment="high",
)
OPEN_Q = make_score("What would you like to get out of today?", (Code.QUESTION_OPEN,))
CLOSED_Q = make_score("Do you sleep well?", (Code.QUESTION_CLOSED,))


# --- a fake OpenAI-compatible server on loopback (the real openai SDK talks to it) -------------


class FakeOpenAI:
    """Serves /v1/chat/completions. Each request takes the next scripted behaviour:
    ("stream", text, delay_s) | ("stall", text, after_words, stall_s) | ("status", code)
    | ("hang", seconds) | ("malformed",)."""

    def __init__(self) -> None:
        self.behaviours: list[tuple] = []
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                fake.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                step = fake.behaviours.pop(0) if fake.behaviours else ("stream", "Okay.", 0)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    fake.serve(self, step)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def _chunk(content: str) -> bytes:
        body = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "fake-model",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
        }
        return f"data: {json.dumps(body)}\n\n".encode()

    def serve(self, handler: BaseHTTPRequestHandler, step: tuple) -> None:
        kind = step[0]
        if kind == "status":
            payload = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
            handler.send_response(step[1])
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        if kind == "hang":
            time.sleep(step[1])
            return
        handler.send_response(200)
        handler.send_header("content-type", "text/event-stream")
        handler.send_header("connection", "close")
        handler.end_headers()
        if kind == "malformed":
            handler.wfile.write(b"data: {this is not json\n\n")
            handler.wfile.flush()
            return
        text, delay = step[1], step[2] if kind == "stream" else 0
        stall_after, stall = (step[2], step[3]) if kind == "stall" else (-1, 0)
        words = text.split(" ")
        for i, word in enumerate(words):
            handler.wfile.write(self._chunk(word if i == len(words) - 1 else word + " "))
            handler.wfile.flush()
            if delay:
                time.sleep(delay)
            if i == stall_after:
                time.sleep(stall)
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()
        handler.close_connection = True

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_openai():
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def kit():
    """Score factory, table scorer and sample scores (conftest is not importable in importlib
    mode, so tests reach the helpers through this fixture)."""
    import types as _types

    return _types.SimpleNamespace(
        make_score=make_score,
        TableScorer=TableScorer,
        CONFRONT=CONFRONT,
        COMPLEX=COMPLEX,
        AUTONOMY=AUTONOMY,
        PROCESS=PROCESS,
        OPEN_Q=OPEN_Q,
        CLOSED_Q=CLOSED_Q,
    )


@pytest.fixture(scope="session")
def mechanic_persona() -> Persona:
    """Session-scoped copy for hypothesis tests (function fixtures do not reset per example)."""
    return load_persona(FIXTURES / "valid" / "fixture-quiet-mechanic.yaml")
