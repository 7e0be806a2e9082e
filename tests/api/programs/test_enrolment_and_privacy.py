"""CSV enrolment (a bad row names row and field, nothing half-imports), invite links,
activation, the data export, deletion with records kept, and the retention purge."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, func, select


def _count(engine, model) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(model)).one()


def test_a_bad_row_names_row_and_field_and_nothing_is_imported(api, prog):
    from sim.models import User
    from sim.programs.models import Enrolment

    users, enrolled = _count(api.engine, User), _count(api.engine, Enrolment)
    rows = ["email,display_name"] + [f"t{i}@example.org,Trainee {i}" for i in range(10)]
    rows[7] = "not-an-email,Seven"
    rows[9] = "t9@example.org,"
    r = api.admin.post(f"/api/programs/cohorts/{prog.cohort_id}/import",
                       json={"csv": "\n".join(rows)})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "csv.row8.email"
    assert "Row 8, field email" in err["message"] and "exactly one @" in err["message"]
    assert "Row 10, field display_name" in err["message"]
    assert "nothing was imported" in err["message"]
    assert (_count(api.engine, User), _count(api.engine, Enrolment)) == (users, enrolled)

    for body, field in (("name,email\nx@example.org,X", "csv.row1"),  # header lacks display_name
                        ("email,display_name\na@example.org,A\na@example.org,B", "csv.row3.email"),
                        ("email,display_name\na@example.org,A,extra", "csv.row2"),
                        ("email,display_name\nteach@example.org,Staff", "csv.row2.email")):
        r = api.admin.post(f"/api/programs/cohorts/{prog.cohort_id}/import", json={"csv": body})
        assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text
    assert (_count(api.engine, User), _count(api.engine, Enrolment)) == (users, enrolled)


def test_thirty_trainees_activation_and_invite(api, prog, tools):
    csv = "email,display_name\n" + "\n".join(f"n{i}@example.org,New {i}" for i in range(30))
    r = api.admin.post(f"/api/programs/cohorts/{prog.cohort_id}/import", json={"csv": csv})
    assert r.status_code == 200 and r.json()["enrolled"] == 30
    made = r.json()["accounts_created"]
    assert len(made) == 30
    token = made[0]["activation_path"].rsplit("/", 1)[-1]
    anon = api.anonymous
    assert anon.post("/api/programs/activate",
                     json={"token": token, "password": "short"}).status_code == 422
    assert anon.post("/api/programs/activate",
                     json={"token": token, "password": "a-good-pass-123"}).status_code == 204
    assert anon.post("/api/programs/activate", json={
        "token": token, "password": "a-good-pass-123"}).json()["error"]["code"] == "used"
    new = tools.Actor(api.app).login("n0@example.org", "a-good-pass-123")
    assert len(new.get("/api/me/assignments").json()) == 1
    new.close()
    # invite link: a trainee who is not enrolled joins; a replaced link stops working
    tools.seed_user(api.engine, "walkin@example.org", "trainee")
    walkin = tools.Actor(api.app).login("walkin@example.org")
    first = api.admin.post(f"/api/programs/cohorts/{prog.cohort_id}/invite").json()["code"]
    second = api.admin.post(f"/api/programs/cohorts/{prog.cohort_id}/invite").json()["code"]
    assert walkin.post(f"/api/programs/join/{first}").status_code == 404
    joined = walkin.post(f"/api/programs/join/{second}").json()
    assert joined["cohort"] == "Spring" and not joined["already"]
    assert len(walkin.get("/api/me/assignments").json()) == 1
    walkin.close()


def test_export_and_deletion_keep_program_records(api, prog, helpers):
    exam = helpers.finish_attempt(api.owner, prog.assignment_id, helpers.GOOD)
    practice = api.owner.start()["id"]
    api.owner.turn(practice, "Hello?")
    api.owner.get("/api/me/assignments")  # writes the completion record
    doc = json.loads(api.owner.get("/api/me/export").text)
    assert {s["id"] for s in doc["practice_sessions"]} == {exam, practice}
    assert "password_hash" not in doc["user"]
    assert len(doc["completion_records"]) == 1 and doc["enrolments"]
    assert any(len(s["turns"]) == 3 for s in doc["practice_sessions"])

    r = api.owner.post("/api/me/deletion", json={"confirm_email": "wrong@example.org"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "confirm_email"
    r = api.owner.post("/api/me/deletion", json={"confirm_email": "owner@example.org"})
    assert r.status_code == 200 and r.json() == {
        "sessions_deleted": 1, "attempt_sessions_kept": 1, "message": r.json()["message"]}
    assert api.owner.get("/api/auth/me").status_code == 401  # signed out everywhere
    from sim.models import PracticeSession, User
    from sim.programs.records import CompletionRecord

    with Session(api.engine) as db:
        user = db.get(User, api.owner.user["id"])
        assert user.email.endswith("@deleted.invalid") and not user.active
        assert db.get(PracticeSession, practice) is None
        assert db.get(PracticeSession, exam) is not None
        assert db.exec(select(CompletionRecord)).one().trainee_name == "owner"


def test_purge_follows_the_retention_rules(api, prog, helpers, tmp_path):
    from sim.models import PracticeSession
    from sim.programs.models import Program
    from sim.programs.privacy import purge
    from sim.programs.records import CompletionRecord

    exam = helpers.finish_attempt(api.owner, prog.assignment_id, helpers.GOOD)
    practice = api.owner.start()["id"]
    api.owner.turn(practice, "Hello?")
    api.owner.post(f"/api/sessions/{practice}/end")
    api.owner.get("/api/me/assignments")
    old = datetime.now(UTC) - timedelta(days=40)
    with Session(api.engine) as db:
        db.exec(update(PracticeSession).values(ended_at=old))  # type: ignore[call-overload]
        db.exec(update(Program).values(transcript_retention_days=90))  # type: ignore[call-overload]
        db.commit()
    assert purge(api.engine, 30, dry_run=True)["transcripts"] == 1
    assert _count(api.engine, PracticeSession) == 2  # a dry run deletes nothing
    counts = purge(api.engine, 30)
    assert counts["transcripts"] == 1 and counts["completion_records"] == 0
    with Session(api.engine) as db:
        assert db.get(PracticeSession, practice) is None  # past the 30-day default
        assert db.get(PracticeSession, exam) is not None  # its program keeps 90 days
        # records past the program's record retention go, corrections first
        db.exec(update(CompletionRecord).values(  # type: ignore[call-overload]
            recorded_at=datetime.now(UTC) - timedelta(days=8 * 365)))
        db.commit()
    assert purge(api.engine, 30)["completion_records"] == 1
    assert _count(api.engine, CompletionRecord) == 0


def test_sim_purge_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    sim = str(Path(sys.executable).with_name("sim"))
    out = subprocess.run([sim, "purge", "--dry-run"],
                         env={"SIM_DATABASE_URL": url, "PATH": "/usr/bin:/bin",
                              "SIM_TRANSCRIPT_RETENTION_DAYS": "30"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1])["dry_run"] is True
