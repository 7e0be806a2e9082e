"""Review through the API: scope (instructors see trainees only), the session list and its
filters, the read-only review with every branch, comments, rating overrides, feedback the
trainee reads, the agreement table and the export the scorer's training build loads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

DIMS = ("validation", "curiosity", "confrontation", "process_comment")
AGREE = {d: "agree" for d in DIMS}


@pytest.fixture
def coached(api):
    """owner: a session with three turns, a rewind (two branches) and the end."""
    sid = api.owner.start()["id"]
    first = api.owner.turn(sid, "What brings you here?")[0]["turn_id"]
    api.owner.turn(sid, "It sounds like you did not choose to come.")
    api.owner.turn(sid, "You need to take this seriously.")
    api.owner.turn(sid, "It sounds like this feels pointless.", parent_turn_id=first)
    assert api.owner.post(f"/api/sessions/{sid}/end").status_code == 200
    return sid


def rate(actor, turn_id, dims=None, codes=(), note=None):
    return actor.request("PUT", f"/api/review/turns/{turn_id}/rating", json={
        "dimensions": dims or AGREE, "codes": list(codes), "note": note})


def test_instructors_never_see_admins_or_other_instructors_sessions(api, tools):
    tools.seed_user(api.engine, "teach2@example.org", "instructor")
    colleague = tools.Actor(api.app).login("teach2@example.org")
    theirs = colleague.start()["id"]
    bosses = api.admin.start()["id"]
    mine = api.owner.start()["id"]
    for sid in (theirs, bosses):
        assert api.instructor.get(f"/api/sessions/{sid}").status_code == 404
        assert api.instructor.get(f"/api/sessions/{sid}/report").status_code == 404
        assert api.instructor.get(f"/api/review/sessions/{sid}").status_code == 404
        assert api.instructor.post(f"/api/review/sessions/{sid}/feedback",
                                   json={"text": "x"}).status_code == 404
    listed = {s["id"] for s in api.instructor.get("/api/sessions").json()}
    assert mine in listed and theirs not in listed and bosses not in listed
    review = {s["id"] for s in api.instructor.get("/api/review/sessions").json()["items"]}
    assert review == {mine}
    people = {t["email"] for t in api.instructor.get("/api/review/trainees").json()}
    assert people == {"owner@example.org", "other@example.org"}
    # admins review everyone's sessions
    everything = {s["id"] for s in api.admin.get("/api/review/sessions").json()["items"]}
    assert {theirs, mine} <= everything
    colleague.close()


def test_session_review_shows_every_branch_with_context_and_scores(api, coached):
    r = api.instructor.get(f"/api/review/sessions/{coached}")
    assert r.status_code == 200
    body = r.json()
    assert body["trainee_name"] == "owner" and body["trainee_email"] == "owner@example.org"
    assert len(body["turns"]) == 4 and len(body["branches"]) == 2
    assert [b["active"] for b in body["branches"]] == [True, False]
    by_text = {t["trainee_text"]: t for t in body["turns"]}
    first = by_text["What brings you here?"]
    assert first["context"] == body["opening_line"] and first["score"] is not None
    second = by_text["It sounds like you did not choose to come."]
    assert second["context"] == first["client_text"] and second["active"] is False
    rewound = by_text["It sounds like this feels pointless."]
    assert rewound["active"] is True and rewound["context"] == first["client_text"]
    assert "risk_question" in body["codes"] and len(body["codes"]) == 16


def test_live_exam_scores_are_shown_to_the_reviewer_not_the_trainee(api):
    sid = api.owner.start(mode="exam")["id"]
    api.owner.turn(sid, "What brings you here?")
    assert api.owner.get(f"/api/sessions/{sid}").json()["turns"][0]["score"] is None
    turn = api.instructor.get(f"/api/review/sessions/{sid}").json()["turns"][0]
    assert turn["score"]["curiosity"]["present"] is True


def test_session_list_filters(api, coached, tools):
    live = api.owner.start(persona="therapy-burned", mode="exam")["id"]
    other = api.other.start()["id"]
    api.other.turn(other, "You need to stop this.")

    def ids(**params):
        r = api.instructor.get("/api/review/sessions", params=params)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["items"]]

    assert ids() == [other, live, coached]
    assert ids(user_id=api.owner.user["id"]) == [live, coached]
    assert ids(persona_id="therapy-burned") == [live]
    assert ids(mode="exam") == [live]
    assert ids(status="ended") == [coached]
    assert ids(outcome="no_replies") == [live]
    assert ids(outcome="rupture") == [other]  # a confrontation broke the alliance
    today = datetime.now(UTC).date()
    assert ids(since=str(today), until=str(today)) == [other, live, coached]
    assert ids(until=str(today - timedelta(days=1))) == []
    page = api.instructor.get("/api/review/sessions", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and [s["id"] for s in page["items"]] == [live]
    row = next(s for s in api.instructor.get("/api/review/sessions").json()["items"]
               if s["id"] == coached)
    assert (row["turns"], row["branches"], row["trainee_name"]) == (2, 2, "owner")
    bad = api.instructor.get("/api/review/sessions",
                             params={"since": str(today), "until": str(today - timedelta(1))})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "until"
    bad = api.instructor.get("/api/review/sessions", params={"outcome": "great"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "outcome"


def test_comments_and_feedback_reach_the_trainee_only_when_shared(api, coached):
    turns = api.instructor.get(f"/api/review/sessions/{coached}").json()["turns"]
    t1 = turns[0]["id"]
    private = api.instructor.post(f"/api/review/turns/{t1}/comments",
                                  json={"text": "Note to self: open question."})
    shared = api.instructor.post(f"/api/review/turns/{t1}/comments",
                                 json={"text": "  A good opening question.  ", "shared": True})
    fb = api.instructor.post(f"/api/review/sessions/{coached}/feedback",
                             json={"text": "Slow down after the rupture."})
    assert (private.status_code, shared.status_code, fb.status_code) == (201, 201, 201)
    assert shared.json()["text"] == "A good opening question."
    assert shared.json()["turn_index"] == 1 and shared.json()["author_name"] == "teach"
    seen = api.owner.get(f"/api/review/sessions/{coached}/feedback").json()
    assert [c["text"] for c in seen["comments"]] == ["A good opening question."]
    assert [f["text"] for f in seen["feedback"]] == ["Slow down after the rupture."]
    assert api.other.get(f"/api/review/sessions/{coached}/feedback").status_code == 404
    full = api.instructor.get(f"/api/review/sessions/{coached}").json()
    assert len(full["comments"]) == 2 and len(full["feedback"]) == 1
    # only the author (or an admin) deletes; blank text is refused with its field
    other_teacher = api.admin.request("DELETE", f"/api/review/comments/{private.json()['id']}")
    assert other_teacher.status_code == 204
    blank = api.instructor.post(f"/api/review/turns/{t1}/comments", json={"text": "   "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "text"


def test_rating_override_snapshot_verdicts_and_replace(api, coached):
    turns = api.instructor.get(f"/api/review/sessions/{coached}").json()["turns"]
    question = next(t for t in turns if t["trainee_text"] == "What brings you here?")
    r = rate(api.instructor, question["id"],
             {**AGREE, "validation": "present", "curiosity": "absent"},
             ["question_closed"], "closed, not open")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ai"]["codes"] == ["question_open"]
    assert body["ai"]["dimensions"]["curiosity"] == {"present": True, "level": 3}
    assert body["dimensions"] == {"validation": True, "curiosity": False,
                                  "confrontation": False, "process_comment": False}
    assert body["agreed_dimensions"] == {"validation": False, "curiosity": False,
                                         "confrontation": True, "process_comment": True}
    assert body["agreed_codes"] == {"question_closed": False, "question_open": False}
    assert body["changed"] is True and body["note"] == "closed, not open"
    again = rate(api.instructor, question["id"], AGREE, ["question_open"])
    assert again.json()["id"] == body["id"] and again.json()["changed"] is False
    listed = api.instructor.get(f"/api/review/sessions/{coached}").json()["overrides"]
    assert len(listed) == 1 and listed[0]["note"] is None
    # bad input names the field and what is allowed
    bad = rate(api.instructor, question["id"], {**AGREE, "curiosity": "maybe"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "dimensions.curiosity"
    bad = rate(api.instructor, question["id"], codes=["question_open", "question_open"])
    assert bad.status_code == 422 and "listed twice" in bad.json()["error"]["message"]
    bad = rate(api.instructor, question["id"], codes=["not_a_code"])
    assert bad.status_code == 422 and bad.json()["error"]["field"].startswith("codes")
    missing = api.instructor.request("PUT", f"/api/review/turns/{question['id']}/rating",
                                     json={"dimensions": {"validation": "agree"}, "codes": []})
    assert missing.status_code == 422 and missing.json()["error"]["field"].startswith("dimensions")


def test_a_failed_turn_cannot_be_rated(api):
    from sim.models import Turn

    sid = api.owner.start()["id"]
    with Session(api.engine) as db:
        turn = Turn(session_id=sid, index=1, status="failed", trainee_text="x", error="boom")
        db.add(turn)
        db.commit()
        tid = turn.id
    r = rate(api.instructor, tid)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_scored"


def test_agreement_and_export_from_overrides(api, coached, tmp_path):
    turns = {t["trainee_text"]: t for t in
             api.instructor.get(f"/api/review/sessions/{coached}").json()["turns"]}
    q = turns["What brings you here?"]
    refl = turns["It sounds like you did not choose to come."]
    conf = turns["You need to take this seriously."]
    assert rate(api.instructor, q["id"], codes=["question_open"]).status_code == 200
    assert rate(api.instructor, refl["id"], {**AGREE, "curiosity": "present"},
                ["reflection_complex", "question_open"], "a hidden question").status_code == 200
    assert rate(api.instructor, conf["id"], {**AGREE, "confrontation": "absent"},
                [], "just direct").status_code == 200
    assert rate(api.admin, q["id"], {**AGREE, "validation": "present"},
                ["question_open", "affirm"]).status_code == 200
    table = api.instructor.get("/api/review/agreement").json()
    assert (table["overrides"], table["changed"], table["reviewers"]) == (4, 3, 2)
    dims = {row["name"]: row for row in table["dimensions"]}
    # curiosity: AI present on q (x2) and absent on refl/conf; instructors: present, present,
    # absent... (refl present), conf absent -> 3 agree of 4
    cur = dims["curiosity"]
    assert (cur["both"], cur["ai_only"], cur["instructor_only"], cur["neither"]) == (2, 0, 1, 1)
    assert cur["kappa"] == pytest.approx(0.5) and cur["ci_low"] < 0.5 < cur["ci_high"]
    assert "rough guide" in cur["note"]
    assert dims["process_comment"]["kappa"] is None
    assert "both always said 'absent'" in dims["process_comment"]["note"]
    codes = {row["name"]: row for row in table["codes"]}
    assert set(codes) == {"question_open", "reflection_complex", "confront", "affirm"}
    assert codes["confront"]["ai_only"] == 1 and codes["affirm"]["instructor_only"] == 1
    only_admin = api.admin.get("/api/review/agreement",
                               params={"reviewer_id": api.admin.user["id"]}).json()
    assert only_admin["overrides"] == 1

    r = api.instructor.get("/api/review/overrides.jsonl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in r.headers["content-disposition"]
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == 4
    by_reply = {(x["reply"], tuple(x["codes"])): x for x in lines}
    first = by_reply[("It sounds like you did not choose to come.",
                      ("reflection_complex", "question_open"))]
    assert list(first) == ["id", "context", "reply", "codes", "validation", "curiosity",
                           "confrontation", "process_comment", "source", "note"]
    assert first["context"] == q["client_text"] and first["source"] == "instructor"
    # validation agreed (AI: present, high) -> 3; curiosity corrected to present -> 2
    assert (first["validation"], first["curiosity"], first["confrontation"],
            first["process_comment"]) == (3, 2, 0, 0)
    assert first["note"] == "a hidden question" and first["id"].startswith("override-")
    direct = by_reply[("You need to take this seriously.", ())]
    assert direct["confrontation"] == 0 and direct["context"] == refl["client_text"]
    opening = by_reply[("What brings you here?", ("question_open",))]
    assert opening["context"] == api.instructor.get(
        f"/api/review/sessions/{coached}").json()["opening_line"]
    changed = api.instructor.get("/api/review/overrides.jsonl", params={"changed_only": True})
    assert len(changed.text.splitlines()) == 3
    path = tmp_path / "overrides.jsonl"
    path.write_text(r.text, encoding="utf-8")
    check_training_file(path, 4)


def check_training_file(path, count):
    """What the scorer's training build reads: scoring.training.corpus.load_overrides when it
    exists; in any case the same fields checked one by one against the codebook's rules."""
    from scoring.heads import labels_from_rating
    from scoring.training import corpus
    from scoring.types import Code

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == count
    valid = {c.value for c in Code}
    for rec in rows:
        assert isinstance(rec["reply"], str) and rec["reply"]
        assert isinstance(rec["context"], str)
        assert set(rec["codes"]) <= valid
        for dim in DIMS:
            assert rec[dim] in (0, 1, 2, 3)
        labels = labels_from_rating(rec["codes"], {d: rec[d] for d in DIMS})
        assert labels["dim_curiosity"] == int(rec["curiosity"] >= 1)
    loader = getattr(corpus, "load_overrides", None)
    if loader is not None:
        examples = loader(path)
        assert len(examples) == count
        assert {e.source for e in examples} == {"overrides"}


def test_feedback_for_an_unknown_session_is_404_for_everyone(api):
    for actor in (api.owner, api.instructor, api.admin):
        assert actor.get("/api/review/sessions/999999/feedback").status_code == 404
        assert actor.get("/api/review/sessions/999999").status_code in (403, 404)
