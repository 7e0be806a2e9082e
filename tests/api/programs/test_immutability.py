"""No API call alters or deletes an exam record or a completion record: every mutating route
of the app is tried, as the trainee, an instructor and an admin, with the record's ids in every
path parameter; afterwards the exam session, its turns, the completion record, the evaluation
and the certificate are byte-for-byte what they were (a correction may only add a new record)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

BODY = {"text": "Rewrite history.", "parent_turn_id": None, "passed": False,
        "reason": "trying to change it", "display_name": "Changed", "role": "trainee",
        "active": True, "title": "Changed", "name": "Changed", "persona_id": "silent-adolescent",
        "persona_ids": ["silent-adolescent"], "csv": "email,display_name\nowner@example.org,Z\n",
        "objectives_met": 1, "relevance": 1, "quality": 1, "bias_free": False,
        "token": "x" * 20}
SIGN_OUT = {"/api/auth/logout", "/api/auth/login", "/api/me/deletion"}


def _snapshot(engine, sid: int) -> dict:
    from sim.models import PracticeSession, Turn
    from sim.programs.records import Certificate, CompletionRecord, Evaluation

    with Session(engine) as db:
        ps = db.get(PracticeSession, sid)
        return {
            "session": ps.model_dump(exclude={"lock_token", "lock_until"}, warnings=False),
            "turns": [t.model_dump(warnings=False) for t in
                      db.exec(select(Turn).where(Turn.session_id == sid).order_by(Turn.id))],
            "records": {r.id: r.model_dump() for r in db.exec(select(CompletionRecord))},
            "evaluations": [e.model_dump() for e in db.exec(select(Evaluation))],
            "certificates": [c.model_dump() for c in db.exec(select(Certificate))],
        }


@pytest.fixture
def exam_record(api, prog, helpers):
    aid = prog.assignment_id
    sid = helpers.finish_attempt(api.owner, aid, helpers.GOOD)
    api.owner.post(f"/api/me/assignments/{aid}/evaluation", json={
        "objectives_met": 5, "relevance": 5, "quality": 5, "bias_free": True})
    cert = api.owner.post(f"/api/me/assignments/{aid}/certificate").json()
    record = api.owner.get("/api/me/records").json()[0]
    detail = api.owner.get(f"/api/sessions/{sid}").json()
    return {"sid": sid, "record": record, "cert": cert, "turn_ids": [
        t["id"] for t in detail["turns"]], **vars(prog)}


def _ids(world: dict, api, turn_id: int) -> dict[str, object]:
    return {"session_id": world["sid"], "turn_id": turn_id, "record_id": world["record"]["id"],
            "user_id": api.owner.user["id"], "assignment_id": world["assignment_id"],
            "cohort_id": world["cohort_id"], "program_id": world["program_id"],
            "certificate_id": world["cert"]["id"], "invite_code": "x", "platform_id": 1}


def test_no_mutating_call_changes_an_exam_or_completion_record(api, exam_record):
    before = _snapshot(api.engine, exam_record["sid"])
    routes = [(m.upper(), p) for p, ops in api.app.openapi()["paths"].items() for m in ops
              if m.upper() in {"POST", "PATCH", "PUT", "DELETE"}]
    tried = 0
    statuses: dict[tuple[str, str, str], int] = {}
    deletion = []
    for method, template in routes:
        if template in SIGN_OUT:  # tried below (they would sign the actors out)
            deletion.append(template)
            continue
        for turn_id in exam_record["turn_ids"]:
            ids = _ids(exam_record, api, turn_id)
            path = re.sub(r"\{(\w+)\}", lambda m, ids=ids: str(ids.get(m.group(1), 1)),
                          template)
            for who in ("owner", "instructor", "admin"):
                if api.actors[who].get("/api/auth/me").status_code == 401:
                    api.actors[who].login(api.actors[who].user["email"])
                r = api.actors[who].request(method, path, json=BODY)
                statuses[(who, method, template)] = r.status_code
                tried += 1
    assert tried > 100, (tried, exam_record["turn_ids"], len(routes))
    after = _snapshot(api.engine, exam_record["sid"])
    assert after["session"] == before["session"]
    assert after["turns"] == before["turns"]
    assert after["evaluations"] == before["evaluations"]
    assert after["certificates"] == before["certificates"]
    for rid, row in before["records"].items():
        assert after["records"][rid] == row, f"record {rid} changed"
    added = [r for rid, r in after["records"].items() if rid not in before["records"]]
    assert all(r["supersedes_id"] is not None for r in added)  # corrections only
    # the calls were real: a correction went through, the owner's exam refused every change
    assert added, statuses
    for (who, method, template), status in statuses.items():
        if template.startswith("/api/sessions/{session_id}"):
            assert status in (403, 404, 409), (who, method, template, status)
    # the trainee's own deletion request leaves the program's records where they are
    assert sorted(deletion) == sorted(SIGN_OUT)
    for who in ("instructor", "admin", "owner"):
        assert api.actors[who].post("/api/auth/logout").status_code == 204
        api.actors[who].login(api.actors[who].user["email"])
    r = api.owner.post("/api/me/deletion", json={"confirm_email": "owner@example.org"})
    assert r.status_code == 200, r.text
    final = _snapshot(api.engine, exam_record["sid"])
    assert final["turns"] == before["turns"] and final["records"] == after["records"]
    assert final["certificates"] == before["certificates"]


def test_the_orm_refuses_to_update_or_delete_records(api, exam_record):
    from sim.programs.records import Certificate, CompletionRecord, RecordIsAppendOnly

    with Session(api.engine) as db:
        record = db.get(CompletionRecord, exam_record["record"]["id"])
        record.passed = False
        db.add(record)
        with pytest.raises(RecordIsAppendOnly):
            db.commit()
        db.rollback()
        cert = db.get(Certificate, exam_record["cert"]["id"])
        db.delete(cert)
        with pytest.raises(RecordIsAppendOnly):
            db.commit()
