"""Structured logs: one JSON object per line with the request line's fields; no bodies."""

from __future__ import annotations

import io
import json
import logging

from sim.logging import JsonFormatter


def test_json_formatter_puts_extras_at_top_level():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("sim.test-logging")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("turn failed", extra={"turn_id": 7, "code": "voice_failed"})
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("unexpected")
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the traceback stays inside its record's single JSON line
    first, second = (json.loads(line) for line in lines)
    assert first["msg"] == "turn failed" and first["level"] == "WARNING"
    assert first["turn_id"] == 7 and first["code"] == "voice_failed"
    assert first["ts"].endswith("Z") and first["logger"] == "sim.test-logging"
    assert second["msg"] == "unexpected" and "ValueError: boom" in second["exc"]


def test_every_request_is_logged_with_status_and_id(api, caplog):
    caplog.set_level(logging.INFO, logger="sim.access")
    r = api.owner.get("/api/personas")
    lines = [rec for rec in caplog.records if rec.name == "sim.access"]
    assert lines, "no access log line"
    rec = lines[-1]
    assert rec.path == "/api/personas" and rec.status == 200 and rec.method == "GET"
    assert rec.request_id == r.headers["x-request-id"]
    assert "sim_session" not in str(vars(rec))  # cookies are never logged
