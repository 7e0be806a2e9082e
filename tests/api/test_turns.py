"""Sessions and streamed turns: persistence, branching, limits, exam mode, summaries."""

from __future__ import annotations

from sqlmodel import Session, select

from sim.models import Turn


def test_turn_streams_events_and_persists(api):
    s = api.owner.start()
    assert s["status"] == "active" and s["opening_line"] and s["state"]["resistance"] > 0
    assert s["persona_version"] >= 1 and s["scorer"] == "keyword-test" and s["voice"] == "scripted"
    events = api.owner.turn(s["id"], "It sounds like coming here was not your idea?")
    kinds = [e["type"] for e in events]
    assert kinds[0] == "turn" and kinds[-1] == "result" and "token" in kinds
    assert set(kinds) <= {"turn", "token", "result"}
    turn = events[-1]["turn"]
    assert turn["id"] == events[0]["turn_id"] and turn["status"] == "complete"
    assert "".join(e["text"] for e in events if e["type"] == "token").strip() == turn["client_text"]
    codes = {c["code"] for c in turn["score"]["codes"]}
    assert codes == {"question_open", "reflection_complex"}
    assert turn["state"]["turn"] == 1 and isinstance(turn["changes"], list)
    with Session(api.engine) as db:
        row = db.exec(select(Turn)).one()
        assert row.status == "complete" and row.client_text == turn["client_text"]
        assert row.score["engine"] == "keyword-test" and row.state["turn"] == 1
    detail = api.owner.get(f"/api/sessions/{s['id']}").json()
    assert detail["head_turn_id"] == turn["id"] and detail["turn_count"] == 1
    assert [t["id"] for t in detail["turns"]] == [turn["id"]]
    assert detail["state"] == turn["state"]


def test_history_continues_from_head_and_branching_keeps_both(api):
    sid = api.owner.start()["id"]
    t1 = api.owner.turn(sid, "What brings you in today?")[-1]["turn"]
    t2 = api.owner.turn(sid, "You need to take this seriously.")[-1]["turn"]
    assert t2["parent_id"] == t1["id"] and t2["index"] == 2
    # rewind: branch after t1 with a different reply
    ev = api.owner.turn(sid, "It sounds like you would rather be elsewhere.",
                        parent_turn_id=t1["id"])
    assert ev[0]["branch_of"] == t2["id"]
    t3 = ev[-1]["turn"]
    assert t3["parent_id"] == t1["id"] and t3["index"] == 2
    # branch from the opening line
    t4 = api.owner.turn(sid, "Take your time.", parent_turn_id=None)[-1]["turn"]
    assert t4["parent_id"] is None and t4["index"] == 1
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    assert [t["id"] for t in detail["turns"]] == [t4["id"]]
    heads = {b["head_turn_id"]: b["turn_ids"] for b in detail["branches"]}
    assert heads == {t2["id"]: [t1["id"], t2["id"]], t3["id"]: [t1["id"], t3["id"]],
                     t4["id"]: [t4["id"]]}
    # the other branches' turns come along, so both sides can be shown after a reload
    others = {t["id"]: t["trainee_text"] for t in detail["branch_turns"]}
    assert others == {t1["id"]: "What brings you in today?",
                      t2["id"]: "You need to take this seriously.",
                      t3["id"]: "It sounds like you would rather be elsewhere."}
    assert [t["id"] for t in detail["branch_turns"]] == sorted(others)
    # the state each branch starts from is its parent's, not the latest turn's
    assert t3["state"]["turn"] == 2 and t4["state"]["turn"] == 1


def test_bad_text_and_parent_are_refused_clearly(api):
    sid = api.owner.start()["id"]
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"text": "   \n "})
    assert r.status_code == 422 and r.json()["error"]["field"] == "text"
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"text": "x" * 2001})
    assert r.status_code == 413
    assert r.json()["error"] == {"code": "message_too_long", "field": "text",
                                 "message": "The reply has 2001 characters; at most 2000 allowed."}
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"text": "hi\u0000there"})
    assert r.status_code == 422 and "NUL" in r.json()["error"]["message"]
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"text": "hi", "parent_turn_id": 999})
    assert r.status_code == 422 and r.json()["error"]["field"] == "parent_turn_id"
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"nope": 1})
    assert r.status_code == 422 and r.json()["error"]["field"] == "text"
    with Session(api.engine) as db:
        assert db.exec(select(Turn)).all() == []  # nothing half-created, no lock left behind
    assert api.owner.turn(sid, "ok then")[-1]["type"] == "result"


def test_turn_limit_and_ended_session(engine, tools):
    app = tools.build_app(engine, max_turns_per_session=2)
    tools.seed_user(engine, "t@example.org", "trainee")
    me = tools.Actor(app).login("t@example.org")
    sid = me.start()["id"]
    me.turn(sid, "one")
    me.turn(sid, "two")
    r = me.post(f"/api/sessions/{sid}/turns", json={"text": "three"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "turn_limit"
    assert "limit of 2 turns" in r.json()["error"]["message"]
    assert me.post(f"/api/sessions/{sid}/end").json()["status"] == "ended"
    r = me.post(f"/api/sessions/{sid}/turns", json={"text": "after"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "session_ended"
    assert me.post(f"/api/sessions/{sid}/end").status_code == 409
    me.close()


def test_exam_mode_hides_feedback_until_the_end(api):
    s = api.owner.start(mode="exam")
    assert s["state"] is None
    turn = api.owner.turn(s["id"], "It sounds like this is hard?")[-1]["turn"]
    assert turn["score"] is None and turn["state"] is None and turn["changes"] == []
    assert turn["client_text"]
    detail = api.owner.get(f"/api/sessions/{s['id']}").json()
    assert detail["state"] is None and detail["turns"][0]["score"] is None
    listed = api.owner.get("/api/sessions").json()[0]
    assert listed["headline"] is None
    api.owner.post(f"/api/sessions/{s['id']}/end")
    detail = api.owner.get(f"/api/sessions/{s['id']}").json()
    assert detail["turns"][0]["score"]["engine"] == "keyword-test"
    assert detail["state"]["turn"] == 1


def test_headline_and_progress(api):
    a = api.owner.start()["id"]
    api.owner.turn(a, "What happened?")
    api.owner.turn(a, "It sounds like a lot.")
    api.owner.turn(a, "It sounds like nobody asked you?")
    b = api.owner.start()["id"]
    api.owner.post(f"/api/sessions/{a}/end")
    items = api.owner.get("/api/me/progress").json()
    assert [i["id"] for i in items] == [a, b]  # ended first
    head = items[0]["headline"]
    # 2 questions, 2 complex reflections -> R:Q 1.0, %CR 100
    assert head["turns"] == 3 and head["reflection_to_question"] == 1.0
    assert head["percent_complex_reflection"] == 100.0
    assert head["objectives_total"] >= 1
    assert 0 <= head["objectives_met"] <= head["objectives_total"]
    assert items[1]["headline"]["objectives_met"] is None  # checked once the session ends
    assert api.other.get("/api/me/progress").json() == []


def test_transcripts_are_downloads_never_html(api):
    sid = api.owner.start()["id"]
    api.owner.turn(sid, "<script>alert(1)</script> what brings you?")
    for fmt, media in (("json", "application/json"), ("csv", "text/csv"), ("md", "text/plain")):
        r = api.owner.get(f"/api/sessions/{sid}/transcript", params={"format": fmt})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(media)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-disposition"].startswith("attachment;")
        assert "<script>" in r.text or "\\u003c" in r.text or "&lt;" in r.text or "\\<" in r.text
    r = api.owner.get(f"/api/sessions/{sid}/transcript", params={"format": "html"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "format"


def test_report_route(api):
    sid = api.owner.start()["id"]
    api.owner.turn(sid, "It sounds like you were sent here?")
    api.owner.turn(sid, "You need to stop this.")
    r = api.owner.get(f"/api/sessions/{sid}/report")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["session"]["id"] == sid
    assert [p["turn_index"] for p in body["trajectory"]][-2:] == [1, 2]
    assert body["summary"]["code_counts"]["confront"] == 1
    assert body["summary"]["n_replies"] == 2 and body["objectives"]


def test_exam_report_holds_back_scores_until_the_end(api):
    sid = api.owner.start(mode="exam")["id"]
    api.owner.turn(sid, "It sounds like you were sent here?")
    live = api.owner.get(f"/api/sessions/{sid}/report").json()
    assert live["scored_turn_indices"] == []
    api.owner.post(f"/api/sessions/{sid}/end")
    ended = api.owner.get(f"/api/sessions/{sid}/report").json()
    assert ended["scored_turn_indices"] == [1]


def test_stale_turn_lock_expires(api):
    import time

    from sim.models import PracticeSession

    sid = api.owner.start()["id"]
    with Session(api.engine) as db:
        ps = db.get(PracticeSession, sid)
        ps.lock_token, ps.lock_until = "crashed-worker", time.time() + 60
        db.add(ps)
        db.commit()
    r = api.owner.post(f"/api/sessions/{sid}/turns", json={"text": "hello?"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "turn_in_progress"
    with Session(api.engine) as db:
        ps = db.get(PracticeSession, sid)
        ps.lock_until = time.time() - 1  # the crashed worker's lock is now stale
        db.add(ps)
        db.commit()
    assert api.owner.turn(sid, "hello?")[-1]["type"] == "result"
    with Session(api.engine) as db:
        assert db.get(PracticeSession, sid).lock_token is None


def test_voice_hears_the_branch_path_as_history(engine, tools):
    from sim.engine.voice import ScriptedVoice

    class Recording(ScriptedVoice):
        def __init__(self):
            super().__init__()
            self.histories = []

        def stream(self, request):
            self.histories.append([t for t, _ in request.history])
            return super().stream(request)

    voice = Recording()
    app = tools.build_app(engine, tools.runtime(voice=voice))
    tools.seed_user(engine, "h@example.org", "trainee")
    me = tools.Actor(app).login("h@example.org")
    sid = me.start()["id"]
    t1 = me.turn(sid, "one?")[-1]["turn"]
    me.turn(sid, "two?")
    me.turn(sid, "two-b?", parent_turn_id=t1["id"])
    me.turn(sid, "fresh start?", parent_turn_id=None)
    assert voice.histories == [[], ["one?"], ["one?"], []]
    me.close()


def test_turns_are_rate_limited_per_user(engine, tools):
    app = tools.build_app(engine, rate_limit_per_minute=2)
    tools.seed_user(engine, "r@example.org", "trainee")
    tools.seed_user(engine, "s@example.org", "trainee")
    me = tools.Actor(app).login("r@example.org")
    sid = me.start()["id"]
    me.turn(sid, "one")
    me.turn(sid, "two")
    r = me.post(f"/api/sessions/{sid}/turns", json={"text": "three"})
    assert r.status_code == 429 and r.headers["retry-after"]
    assert r.json()["error"]["code"] == "rate_limited"
    # the limit is per user: someone else is unaffected, and nothing was left locked
    other = tools.Actor(app).login("s@example.org")
    assert other.turn(other.start()["id"], "hi")[-1]["type"] == "result"
    with Session(engine) as db:
        from sim.models import PracticeSession

        assert db.get(PracticeSession, sid).lock_token is None
        assert len(db.exec(select(Turn).where(Turn.session_id == sid)).all()) == 2
    me.close()
    other.close()


def test_an_ended_sessions_summary_is_worked_out_once(api, monkeypatch):
    from sim.routes import summary

    sid = api.owner.start()["id"]
    api.owner.turn(sid, "It sounds like this week was a lot?")
    before = api.owner.get("/api/sessions").json()  # active: computed on every call
    assert api.owner.post(f"/api/sessions/{sid}/end").status_code == 200
    calls = []
    real = summary._session_summary
    monkeypatch.setattr(summary, "_session_summary",
                        lambda *a: calls.append(a[1].id) or real(*a))
    first = api.owner.get("/api/sessions").json()
    second = api.owner.get("/api/sessions").json()
    assert calls == [sid] and first == second
    assert first[0]["status"] == "ended" and first[0]["headline"]["turns"] == 1
    assert first[0]["headline"]["objectives_met"] is not None
    assert before[0]["status"] == "active" and before[0]["headline"]["turns"] == 1
