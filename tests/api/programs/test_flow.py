"""The programs wing end to end through the API: attempt, completion record pinned to what
ran, evaluation, certificate (PDF parsed back), public verification, dashboard and CSV."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader


def test_attempt_to_certificate(api, prog, helpers):
    aid = prog.assignment_id
    mine = api.owner.get("/api/me/assignments").json()
    assert [m["status"]["status"] for m in mine] == ["not_started"]
    sid = helpers.finish_attempt(api.owner, aid, helpers.GOOD)
    mine = api.owner.get("/api/me/assignments").json()[0]
    assert mine["status"]["status"] == "passed", mine
    records = api.owner.get("/api/me/records").json()
    assert len(records) == 1
    rec = records[0]
    session = api.owner.get(f"/api/sessions/{sid}").json()
    for key in ("persona_id", "persona_version", "scorer", "scorer_version", "voice", "model"):
        assert rec[key] == session[key], key
    assert rec["mode"] == "exam" and rec["passed"] and rec["hours"] == 1.5
    assert rec["replies_written"] == 3

    r = api.owner.post(f"/api/me/assignments/{aid}/certificate")
    assert r.status_code == 409 and r.json()["error"]["code"] == "evaluation_missing"
    r = api.owner.post(f"/api/me/assignments/{aid}/evaluation", json={
        "objectives_met": 5, "relevance": 4, "quality": 4, "bias_free": True,
        "comments": "Useful."})
    assert r.status_code == 201, r.text
    cert = api.owner.post(f"/api/me/assignments/{aid}/certificate").json()
    assert cert["valid"] and cert["trainee_name"] == "owner"
    again = api.owner.post(f"/api/me/assignments/{aid}/certificate").json()
    assert again["code"] == cert["code"]

    pdf = api.owner.get(f"/api/certificates/{cert['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    for needed in ("Certificate of Completion", "owner", "Silent adolescent (exam)",
                   "MI Foundations", "Credit hours: 1.5", cert["code"],
                   "Approved for 2 CE hours by the Board."):
        assert needed in text, needed

    v = api.anonymous.get(f"/api/verify/{cert['code']}").json()
    assert v == {"code": cert["code"], "valid": True, "status": "valid", "name": "owner"}
    assert api.anonymous.get("/api/verify/NOPE-NOPE-NOPE").json()["status"] == "unknown"

    # a correction to "not passed" is a new record; the certificate stops verifying
    r = api.instructor.post(f"/api/records/{rec['id']}/corrections",
                            json={"passed": False, "reason": "Scored by a faulty model."})
    assert r.status_code == 201, r.text
    assert r.json()["supersedes_id"] == rec["id"] and r.json()["seq"] == 1
    old = api.owner.get(f"/api/records/{rec['id']}").json()
    assert old["passed"] and old["superseded_by"] == r.json()["id"]
    assert api.anonymous.get(f"/api/verify/{cert['code']}").json()["status"] == "revoked"
    r = api.instructor.post(f"/api/records/{rec['id']}/corrections",
                            json={"passed": True, "reason": "again, on the old one"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "superseded"

    audit = api.admin.get("/api/audit").json()
    actions = {(e["action"], e["object_type"]) for e in audit}
    assert {("export", "certificate_pdf"), ("verify", "certificate"),
            ("view", "completion_record"), ("correct", "completion_record")} <= actions


def test_dashboard_and_cohort_csv(api, prog, helpers):
    helpers.finish_attempt(api.owner, prog.assignment_id, helpers.GOOD)
    r = api.other.post(f"/api/me/assignments/{prog.assignment_id}/attempts",
                       json={"persona_id": "silent-adolescent"})
    assert r.status_code == 201
    dash = api.instructor.get(f"/api/programs/cohorts/{prog.cohort_id}/dashboard").json()
    counts = dash["counts"][0]
    assert (counts["trainees"], counts["done"], counts["in_progress"], counts["passed"]) == (
        2, 1, 1, 1)
    text = api.instructor.get(f"/api/programs/cohorts/{prog.cohort_id}/export").text
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["owner@example.org"]["status"] == "passed"
    assert rows["owner@example.org"]["passed"] == "1"
    assert rows["other@example.org"]["status"] == "in_progress"


def test_attempt_limits(api, prog, helpers):
    aid = prog.assignment_id
    sid = api.owner.post(f"/api/me/assignments/{aid}/attempts",
                         json={"persona_id": "silent-adolescent"}).json()["session_id"]
    r = api.owner.post(f"/api/me/assignments/{aid}/attempts",
                       json={"persona_id": "silent-adolescent"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "attempt_open"
    api.owner.post(f"/api/sessions/{sid}/end")
    helpers.finish_attempt(api.owner, aid, ["You need to stop."])
    r = api.owner.post(f"/api/me/assignments/{aid}/attempts",
                       json={"persona_id": "silent-adolescent"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_attempts_left"
    assert api.owner.get("/api/me/assignments").json()[0]["status"]["status"] == "failed"
    r = api.owner.post(f"/api/me/assignments/{aid}/attempts",
                       json={"persona_id": "therapy-burned"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "persona_id"
