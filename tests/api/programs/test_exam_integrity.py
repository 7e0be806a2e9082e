"""Attempt integrity (issue 12, item 3): exam mode refuses a rewind, and every reply ever
written (rewound branches, failed turns) is in the report, My progress and all three exports."""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import Session

CONFRONT = ("You need to stop making excuses and face it.",
            "You need to admit this is a problem, you need to change.")


def _add_failed(engine, sid: int, parent: int | None, index: int, text: str) -> int:
    from sim.models import Turn

    with Session(engine) as db:
        turn = Turn(session_id=sid, parent_id=parent, index=index, status="failed",
                    trainee_text=text, error="voice failed")
        db.add(turn)
        db.commit()
        return turn.id or 0


def test_exam_mode_refuses_every_kind_of_rewind(api):
    sid = api.owner.start(mode="exam")["id"]
    first = api.owner.turn(sid, CONFRONT[0])[-1]["turn"]
    api.owner.turn(sid, CONFRONT[1])
    for parent in (None, first["id"]):  # back to the opening line, back to turn 1
        r = api.owner.post(f"/api/sessions/{sid}/turns",
                           json={"text": "Let me try that again.", "parent_turn_id": parent})
        assert r.status_code == 409, r.text
        err = r.json()["error"]
        assert err["code"] == "rewind_disabled" and "stays in the record" in err["message"]
    # an older failed turn cannot be retried either: that would move the head back
    old = _add_failed(api.engine, sid, first["id"], 2, "kept but failed")
    r = api.owner.post(f"/api/sessions/{sid}/turns/{old}/retry")
    assert r.status_code == 409 and r.json()["error"]["code"] == "rewind_disabled"
    # continuing from the head still works, and nothing was lost
    api.owner.turn(sid, "What would help right now?")
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    assert len(detail["turns"]) == 3 and detail["turn_count"] == 3
    texts = {t["trainee_text"] for t in detail["turns"] + detail["branch_turns"]}
    assert {*CONFRONT, "kept but failed"} <= texts
    assert "Let me try that again." not in texts


def test_coach_mode_still_rewinds(api):
    sid = api.owner.start(mode="coach")["id"]
    api.owner.turn(sid, CONFRONT[0])
    events = api.owner.turn(sid, "What brings you here?", parent_turn_id=None)
    assert events[0]["branch_of"] is not None


def _rewound_exam(api) -> tuple[int, list[int]]:
    """An exam made the way the bug report did (before rewinds were refused, or with a failed
    turn replaced): two confrontations on one branch, then a new branch from the opening."""
    sid = api.owner.start(mode="exam")["id"]
    ids = [api.owner.turn(sid, text)[-1]["turn"]["id"] for text in CONFRONT]
    # legacy record: the second branch written straight to the database, as the old API did
    from sim.models import PracticeSession, Turn

    with Session(api.engine) as db:
        ps = db.get(PracticeSession, sid)
        first = db.get(Turn, ids[0])
        redo = Turn(session_id=sid, parent_id=None, index=1, status="complete",
                    trainee_text="It sounds like coming here was not your idea.",
                    client_text="Yeah.", score=first.score, state=ps.opening_state, changes=[])
        db.add(redo)
        db.flush()
        ps.head_turn_id = redo.id
        ps.turn_count = 3
        db.add(ps)
        db.commit()
    assert api.owner.post(f"/api/sessions/{sid}/end").status_code == 200
    return sid, ids


def test_report_progress_and_exports_show_every_branch(api):
    sid, ids = _rewound_exam(api)
    report = api.owner.get(f"/api/sessions/{sid}/report").json()
    record = report["record"]
    assert record["replies_written"] == 3
    assert record["replies_on_kept_branch"] == 1 and record["replies_off_kept_branch"] == 2
    off = [b for b in record["branches"] if not b["active"]]
    assert len(off) == 1 and off[0]["turn_ids"] == ids and off[0]["diverges_at"] == 1
    assert [t["trainee_text"] for t in off[0]["turns"]] == list(CONFRONT)
    assert all("confront" in t["codes"] for t in off[0]["turns"])
    assert any("kept in the record" in n for n in report["notes"])

    progress = api.owner.get("/api/me/progress").json()
    head = next(s for s in progress if s["id"] == sid)["headline"]
    assert head["replies_written"] == 3 and head["replies_off_branch"] == 2
    assert head["branches"] == 2

    doc = json.loads(api.owner.get(f"/api/sessions/{sid}/transcript?format=json").text)
    assert [t["trainee_text"] for t in doc["other_turns"]] == list(CONFRONT)
    assert doc["record"]["replies_written"] == 3

    rows = list(csv.DictReader(io.StringIO(
        api.owner.get(f"/api/sessions/{sid}/transcript?format=csv").text)))
    by_branch = {(r["branch"], r["trainee_text"]) for r in rows if r["status"] != "opening"}
    assert by_branch == {("1", "It sounds like coming here was not your idea."),
                         ("2", CONFRONT[0]), ("2", CONFRONT[1])}

    md = api.owner.get(f"/api/sessions/{sid}/transcript?format=md").text
    assert "## Other branches (kept in the record)" in md
    assert "### Branch 2 (leaves the kept branch at turn 1" in md
    assert "You need to stop making excuses and face it." in md
    assert "**Replies written:** 3 (1 on the kept branch, 2 elsewhere)" in md


def test_ruptures_on_a_left_branch_are_counted(api):
    sid = api.owner.start(mode="coach")["id"]
    for text in (*CONFRONT, "You need to listen. You need to stop.", "You need to grow up."):
        api.owner.turn(sid, text)
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    ruptured = [t for t in detail["turns"] if t["state"]["rupture"]]
    assert ruptured, "four confrontations should rupture the alliance with this persona"
    api.owner.turn(sid, "It sounds like this is hard.", parent_turn_id=None)  # rewind
    api.owner.post(f"/api/sessions/{sid}/end")
    record = api.owner.get(f"/api/sessions/{sid}/report").json()["record"]
    left = next(b for b in record["branches"] if not b["active"])
    assert left["ruptures"] >= 1 and record["ruptures_anywhere"] >= 1
    head = api.owner.get("/api/me/progress").json()[0]["headline"]
    assert head["ruptures_anywhere"] == record["ruptures_anywhere"]


def test_live_exam_record_hides_feedback_but_counts_replies(api):
    sid = api.owner.start(mode="exam")["id"]
    api.owner.turn(sid, CONFRONT[0])
    record = api.owner.get(f"/api/sessions/{sid}/report").json()["record"]
    assert record["replies_written"] == 1 and record["ruptures_anywhere"] is None
    assert record["branches"][0]["turns"][0]["codes"] == []
