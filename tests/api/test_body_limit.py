"""Request bodies over SIM_MAX_BODY_BYTES are refused with 413 as they arrive: a declared
Content-Length before any of the body is read, a chunked body the moment it passes the limit.
Against a real uvicorn on loopback, with raw sockets so the test controls every byte sent."""

from __future__ import annotations

import json
import select
import socket

import pytest

LIMIT = 64 * 1024


@pytest.fixture
def server(engine, tools):
    app = tools.build_app(engine)
    live = tools.LiveServer(app)
    yield live
    live.stop()


def _connect(server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _read_response(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ")[1]), json.loads(body[:length])


def test_declared_100_mb_login_is_refused_before_the_body_is_read(server):
    with _connect(server) as sock:
        sock.sendall(b"POST /api/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json"
                     b"\r\ncontent-length: 104857600\r\n\r\n{\"email\": \"")
        status, body = _read_response(sock)  # answered with 100 MB still unsent
    assert status == 413
    assert body["error"]["code"] == "body_too_large" and body["error"]["field"] == "body"
    assert f"larger than {LIMIT} bytes" in body["error"]["message"]
    assert "SIM_MAX_BODY_BYTES" in body["error"]["message"]


def test_chunked_body_is_cut_off_as_it_streams(server):
    """No Content-Length: the server counts the chunks and answers once past the limit, while
    the client is still sending (at most 16 MB are offered; the answer comes after the limit)."""
    chunk = b"x" * 16384
    sent = 0
    with _connect(server) as sock:
        sock.sendall(b"POST /api/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json"
                     b"\r\ntransfer-encoding: chunked\r\n\r\n")
        while sent < 16 * 1024 * 1024:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        status, body = _read_response(sock)
    assert status == 413 and body["error"]["code"] == "body_too_large"
    # what the kernel's socket buffers absorb on loopback (~1 MB) is not the server reading it
    assert sent < 4 * 1024 * 1024, f"the client got {sent} bytes out before the refusal"


def test_a_body_at_the_limit_is_still_read(api):
    """The limit leaves room for the longest turn (2,000 characters, each escaped \\uXXXX)."""
    sid = api.owner.start()["id"]
    text = "\u00e9" * 2000
    raw = json.dumps({"text": text})  # ensure_ascii: 6 bytes a character
    r = api.owner.post(f"/api/sessions/{sid}/turns", content=raw,
                       headers={"content-type": "application/json"})
    assert r.status_code == 200 and json.loads(r.text.splitlines()[-1])["type"] == "result"
    too_big = api.owner.post(f"/api/sessions/{sid}/turns", content=b" " * (LIMIT + 1),
                             headers={"content-type": "application/json"})
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "body_too_large"
    assert too_big.headers["x-content-type-options"] == "nosniff"


def test_body_limit_follows_the_message_limit(tools):
    assert tools.make_settings().body_limit == LIMIT
    assert tools.make_settings(max_message_chars=20_000).body_limit == 12 * 20_000 + 4096
    assert tools.make_settings(max_body_bytes=2048).body_limit == 2048
