"""`sim chat` end to end: batch JSON, interactive, and the openai voice on loopback."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from sim.cli import app

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "personas" / "valid"
runner = CliRunner(env={"COLUMNS": "200"})
REPLIES = (
    "What brings you in today?\n\n"
    "You're just making excuses again.\n"
    "I notice I pushed you just now and you went quiet. Can we talk about what happened?\n"
    "   \n"
    "It sounds like part of you wants this over, and part of you is worried.\n"
)


@pytest.fixture
def replies(tmp_path) -> Path:
    path = tmp_path / "replies.txt"
    path.write_text(REPLIES)
    return path


def chat_json(*args: str) -> dict:
    result = runner.invoke(app, ["chat", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_batch_json_transcript(replies):
    data = chat_json(
        "fixture-quiet-mechanic", "--dir", str(VALID), "--replies", str(replies), "--json"
    )
    assert data["persona"] == "fixture-quiet-mechanic" and data["version"] == 1
    assert data["voice"] == "scripted"
    assert len(data["turns"]) == 4, "blank lines are skipped"
    first = data["turns"][0]
    assert first["trainee"] == "What brings you in today?"
    assert set(first) >= {"trainee", "client", "score", "state", "changes"}
    assert first["score"]["reply"] == first["trainee"]
    assert 0 <= first["state"]["resistance"] <= 1
    clients = [t["client"] for t in data["turns"]]
    assert len(set(clients)) == len(clients) and data["opening"] not in clients
    assert [t["state"]["turn"] for t in data["turns"]] == [1, 2, 3, 4]
    assert data["summary"]["n_replies"] == 4
    assert {o["id"] for o in data["objectives"]} == {
        "stay_connected",
        "hear_the_near_miss",
        "lower_guard",
    }


def test_batch_is_deterministic(replies):
    args = ("fixture-quiet-mechanic", "--dir", str(VALID), "--replies", str(replies), "--json")
    assert chat_json(*args) == chat_json(*args)


def test_batch_on_a_shipped_persona(replies):
    data = chat_json("silent-adolescent", "--replies", str(replies), "--json")
    assert data["persona"] == "silent-adolescent" and len(data["turns"]) == 4


def test_json_needs_replies():
    result = runner.invoke(app, ["chat", "silent-adolescent", "--json"])
    assert result.exit_code != 0 and "--replies" in result.output


def test_unknown_persona_lists_known_ones():
    result = runner.invoke(app, ["chat", "nobody", "--dir", str(VALID)])
    assert result.exit_code != 0
    assert "no persona 'nobody'" in result.output and "fixture-quiet-mechanic" in result.output


def test_interactive_session_shows_meter_and_summary():
    result = runner.invoke(
        app,
        ["chat", "fixture-quiet-mechanic", "--dir", str(VALID)],
        input="What would you like to get out of today?\n/quit\n",
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "My foreman says I have to be here." in out
    assert "resistance" in out and "alliance" in out and "score:" in out
    assert "end of session" in out and "Work with his reluctance without a rupture" in out


class _Fake(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _Fake.seen.append(body)
        # Keep-alive with chunked transfer, as real servers do: the client's pooled connection
        # then outlives one turn, which is what broke when each turn ran in a new event loop.
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        reply = FAKE_REPLIES[(len(_Fake.seen) - 1) % len(FAKE_REPLIES)]
        for word in reply.split(" "):
            chunk = {
                "id": "x",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "m",
                "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
            }
            self._send_chunk(f"data: {json.dumps(chunk)}\n\n".encode())
        self._send_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")


FAKE_REPLIES = [
    "Fine. It was one argument.",
    "I don't know what you want me to say.",
    "Maybe it got out of hand, a bit.",
    "My wife thinks so, anyway. Not me.",
]


def chat_openai(replies: Path, base_url: str, *extra: str) -> dict:
    """`sim chat` in batch JSON mode with the openai voice pointed at `base_url`."""
    return chat_json("fixture-quiet-mechanic", "--dir", str(VALID), "--replies", str(replies),
                     "--json", "--voice", "openai", "--base-url", base_url, *extra)


def test_openai_voice_against_loopback_server(replies):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        data = chat_openai(replies, url, "--model", "fake-model")
    finally:
        server.shutdown()
        server.server_close()
    assert data["voice"] == "openai"
    assert [t["client"] for t in data["turns"]] == FAKE_REPLIES
    assert all(t["fallback_notice"] is None for t in data["turns"])
    assert _Fake.seen and _Fake.seen[0]["model"] == "fake-model"


def test_openai_voice_unreachable_falls_back_with_notice(replies):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = chat_openai(replies, f"http://127.0.0.1:{port}/v1")
    for turn in data["turns"]:
        assert turn["voice"] == "scripted"
        assert "openai voice failed" in turn["fallback_notice"]


def test_persona_given_as_a_path(replies):
    path = VALID / "fixture-quiet-mechanic.yaml"
    data = chat_json(str(path), "--replies", str(replies), "--json")
    assert data["persona"] == "fixture-quiet-mechanic"


def test_broken_persona_file_reports_location(replies):
    broken = ROOT / "tests" / "fixtures" / "personas" / "broken" / "bad-stage.yaml"
    result = runner.invoke(app, ["chat", str(broken), "--replies", str(replies), "--json"])
    assert result.exit_code == 1
    assert "bad-stage.yaml:20:8: stage: 'denial' is not allowed" in result.output
