"""Faults through the real seam (TurnRunner + LLM voice -> fake OpenAI-compatible server on
loopback, the app under uvicorn): the LLM failing mid-stream, timing out, returning garbage; a
client disconnecting mid-stream; two turns posted at once to one session."""

from __future__ import annotations

import json
import os
import threading
import time

import httpx
import pytest
from sqlmodel import Session, select

from sim.llm import build_voice
from sim.models import PracticeSession, Turn

LINE = "Fine. I came because they made me, and I still do not see the point of any of this."


class FlakyFallback:
    """A fallback voice that fails while `broken` is set (so the whole turn fails)."""

    name = "scripted"
    model_name = "scripted"

    def __init__(self) -> None:
        self.broken = True

    async def stream(self, request):
        if self.broken:
            raise RuntimeError("fallback voice is down too")
        for word in ["Okay.", "Whatever."]:
            yield word + " "


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(request, tmp_path, tools, fake_llm_server):
    """A live server whose voice is the LLM voice pointed at the fake server."""
    if request.param == "postgres":
        url = os.environ.get("SIM_TEST_POSTGRES_URL") or pytest.skip("no SIM_TEST_POSTGRES_URL")
        from sqlalchemy import text
        from sqlmodel import SQLModel

        engine = tools.make_engine(url)
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        from sqlmodel import SQLModel

        engine = tools.make_engine(f"sqlite:///{tmp_path / 'live.db'}")
        SQLModel.metadata.create_all(engine)
    settings = tools.make_settings(voice="openai", openai_base_url=fake_llm_server.url,
                                   llm_timeout_s=1.0, llm_max_retries=0)
    fallback = FlakyFallback()
    fallback.broken = False
    rt = tools.runtime(voice=build_voice(settings), fallback=fallback, name="openai")
    app = tools.build_app(engine, rt, voice="openai", openai_base_url=fake_llm_server.url,
                          llm_timeout_s=1.0, llm_max_retries=0)
    tools.seed_user(engine, "live@example.org", "trainee")
    server = tools.LiveServer(app)
    client = httpx.Client(base_url=server.url, timeout=30)
    r = client.post("/api/auth/login", json={"email": "live@example.org",
                                             "password": tools.PASSWORD})
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    sid = client.post("/api/sessions", json={"persona_id": "silent-adolescent"}).json()["id"]
    yield type("Live", (), {"client": client, "sid": sid, "engine": engine, "llm": fake_llm_server,
                            "fallback": fallback, "url": server.url})
    client.close()
    server.stop()
    if request.param != "postgres":
        engine.dispose()


def events(response: httpx.Response) -> list[dict]:
    return [json.loads(line) for line in response.text.splitlines() if line]


def post_turn(live, text: str) -> list[dict]:
    r = live.client.post(f"/api/sessions/{live.sid}/turns", json={"text": text})
    assert r.status_code == 200, r.text
    return events(r)


def db_turns(live) -> list[Turn]:
    with Session(live.engine) as db:
        return list(db.exec(select(Turn).order_by(Turn.id)))


def test_llm_reply_streams_through(live):
    live.llm.behaviours.append(("stream", LINE, 0.2))
    ev = post_turn(live, "What brings you in?")
    assert ev[-1]["type"] == "result"
    turn = ev[-1]["turn"]
    assert turn["voice"] == "openai" and turn["fallback_notice"] is None
    assert turn["client_text"] == LINE
    assert len([e for e in ev if e["type"] == "token"]) > 3


@pytest.mark.parametrize("fault", [("fail_mid", LINE), ("hang", 5), ("garbage",)],
                         ids=["fail-mid-stream", "timeout", "garbage"])
def test_llm_fault_falls_back_with_notice(live, fault):
    live.llm.behaviours.append(fault)
    ev = post_turn(live, "What brings you in?")
    kinds = [e["type"] for e in ev]
    assert "notice" in kinds and kinds[-1] == "result", ev
    turn = ev[-1]["turn"]
    assert turn["status"] == "complete" and turn["fallback_notice"]
    assert turn["client_text"] == "Okay. Whatever."
    assert db_turns(live)[-1].trainee_text == "What brings you in?"


@pytest.mark.parametrize("fault", [("fail_mid", LINE), ("hang", 5), ("garbage",)],
                         ids=["fail-mid-stream", "timeout", "garbage"])
def test_when_every_voice_fails_the_turn_is_failed_text_kept_and_retry_works(live, fault):
    live.fallback.broken = True
    live.llm.behaviours.append(fault)
    ev = post_turn(live, "Tell me about that?")
    assert ev[-1]["type"] == "error" and ev[-1]["code"] == "voice_failed"
    assert "Traceback" not in ev[-1]["message"]
    failed = db_turns(live)[-1]
    assert failed.id == ev[-1]["turn_id"] and failed.status == "failed"
    assert failed.trainee_text == "Tell me about that?" and failed.error
    assert failed.client_text is None and failed.score is None  # nothing half-saved
    detail = live.client.get(f"/api/sessions/{live.sid}").json()
    assert detail["turns"][-1]["status"] == "failed"
    # the session is usable: retry the failed turn once the LLM is back
    live.fallback.broken = False
    live.llm.behaviours.append(("stream", LINE, 0.0))
    r = live.client.post(f"/api/sessions/{live.sid}/turns/{failed.id}/retry")
    ev = events(r)
    assert ev[0]["turn_id"] == failed.id and ev[-1]["type"] == "result"
    assert ev[-1]["turn"]["client_text"] == LINE
    rows = db_turns(live)
    assert len(rows) == 1 and rows[0].status == "complete"
    assert rows[0].trainee_text == "Tell me about that?"


def test_an_llm_streaming_only_empty_chunks_falls_back(live):
    """Before: every empty chunk reset the silence timer, so the fallback never came and the
    turn failed minutes later. Empty chunks are not progress: after llm_timeout_s (1 s here)
    of no text the scripted voice answers. The fake server gives up by itself after 20 s."""
    live.llm.behaviours.append(("empty", 20))
    ev = post_turn(live, "What brings you in?")
    assert ev[-1]["type"] == "result", ev[-1]
    turn = ev[-1]["turn"]
    assert turn["client_text"] == "Okay. Whatever." and "timed out" in turn["fallback_notice"]


def test_requests_carry_a_token_cap(live):
    live.llm.behaviours.append(("stream", LINE, 0.0))
    post_turn(live, "What brings you in?")
    assert live.llm.requests[-1]["max_completion_tokens"] == 400


def test_the_providers_error_text_reaches_no_trainee_or_export(live):
    """The fake server answers 500 with {"error": {"message": "boom", "type": "server_error"}};
    the SDK makes that "Error code: 500 - {...}". Only our wording may show."""
    live.llm.behaviours.append(("status", 500))
    ev = post_turn(live, "What brings you in?")
    notice = next(e["message"] for e in ev if e["type"] == "notice")
    stored = ev[-1]["turn"]["fallback_notice"]
    assert notice == stored == ("The openai voice failed (attempt 1: the LLM server answered "
                                "with an error (HTTP 500)); the scripted voice answered instead.")
    exports = [live.client.get(f"/api/sessions/{live.sid}/transcript?format={f}").text
               for f in ("json", "csv", "md")]
    for text in [notice, *exports, live.client.get(f"/api/sessions/{live.sid}").text]:
        assert "boom" not in text and "Error code" not in text and "server_error" not in text
    # and when every voice fails, the error the trainee sees says no more than that
    live.fallback.broken = True
    live.llm.behaviours.append(("status", 503))
    ev = post_turn(live, "And then?")
    assert ev[-1] == {"type": "error", "code": "voice_failed", "turn_id": ev[0]["turn_id"],
                      "message": "The client's voice could not answer this time. Your text is "
                      "kept; retry."}


def test_client_disconnect_mid_stream_still_completes(live):
    live.llm.behaviours.append(("stream", LINE, 0.8))
    with httpx.Client(base_url=live.url, timeout=30, cookies=live.client.cookies,
                      headers=live.client.headers) as c, \
            c.stream("POST", f"/api/sessions/{live.sid}/turns", json={"text": "Go on?"}) as r:
        lines = r.iter_lines()
        first = json.loads(next(lines))
        assert first["type"] == "turn"
        assert json.loads(next(lines))["type"] == "token"
        # leave now: the connection closes with most of the reply still to come
    deadline = time.time() + 15
    while time.time() < deadline:
        rows = db_turns(live)
        if rows and rows[-1].status != "pending":
            break
        time.sleep(0.1)
    turn = db_turns(live)[-1]
    assert turn.id == first["turn_id"] and turn.status == "complete"
    assert turn.client_text == LINE and turn.score is not None and turn.state is not None
    with Session(live.engine) as db:
        assert db.get(PracticeSession, live.sid).lock_token is None
    assert post_turn(live, "And then?")[-1]["type"] == "result"


def test_two_turns_at_once_one_conflict_no_interleaving(live):
    live.llm.default = ("stream", LINE, 0.6)
    results: dict[str, httpx.Response] = {}
    barrier = threading.Barrier(2)

    def send(name: str) -> None:
        barrier.wait()
        results[name] = live.client.post(f"/api/sessions/{live.sid}/turns",
                                         json={"text": f"reply {name}"})

    threads = [threading.Thread(target=send, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 409], {k: (v.status_code, v.text[:200]) for k, v in results.items()}
    loser = next(r for r in results.values() if r.status_code == 409)
    assert loser.json()["error"]["code"] == "turn_in_progress"
    winner = next(r for r in results.values() if r.status_code == 200)
    ev = events(winner)
    assert ev[-1]["type"] == "result"
    rows = db_turns(live)
    assert len(rows) == 1 and rows[0].status == "complete" and rows[0].client_text == LINE
    # the session stays usable, and the next turn follows the first
    nxt = post_turn(live, "What else?")[-1]["turn"]
    assert nxt["parent_id"] == rows[0].id and nxt["index"] == 2


def test_shutdown_waits_for_a_running_turn(tmp_path, tools, fake_llm_server):
    """Stopping the server mid-turn (client already gone) still saves the whole turn."""
    from sqlmodel import SQLModel

    engine = tools.make_engine(f"sqlite:///{tmp_path / 'shutdown.db'}")
    SQLModel.metadata.create_all(engine)
    settings = dict(voice="openai", openai_base_url=fake_llm_server.url, llm_timeout_s=3.0,
                    llm_max_retries=0)
    rt = tools.runtime(voice=build_voice(tools.make_settings(**settings)), name="openai")
    app = tools.build_app(engine, rt, **settings)
    tools.seed_user(engine, "bye@example.org", "trainee")
    server = tools.LiveServer(app)
    fake_llm_server.behaviours.append(("stream", LINE, 1.5))
    with httpx.Client(base_url=server.url, timeout=30) as c:
        r = c.post("/api/auth/login", json={"email": "bye@example.org",
                                            "password": tools.PASSWORD})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        sid = c.post("/api/sessions", json={"persona_id": "silent-adolescent"}).json()["id"]
        with c.stream("POST", f"/api/sessions/{sid}/turns", json={"text": "Go on?"}) as r:
            first = json.loads(next(r.iter_lines()))
    server.stop()  # lifespan shutdown waits for the turn task
    with Session(engine) as db:
        turn = db.get(Turn, first["turn_id"])
        assert turn.status == "complete" and turn.client_text == LINE
        assert db.get(PracticeSession, sid).lock_token is None
    engine.dispose()
