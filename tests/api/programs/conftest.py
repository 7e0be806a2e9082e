"""A program world on top of tests/api/conftest.py's actors: a program taught by `instructor`
(in scope) and not by `outsider` (an instructor out of scope), one cohort with `owner` and
`other` enrolled by CSV, and an exam assignment on silent-adolescent."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

CRITERIA = {"min_turns": 2, "max_ruptures": 2}


def finish_attempt(actor, assignment_id: int, replies: list[str],
                   persona: str = "silent-adolescent") -> int:
    r = actor.post(f"/api/me/assignments/{assignment_id}/attempts", json={"persona_id": persona})
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    for text in replies:
        actor.turn(sid, text)
    assert actor.post(f"/api/sessions/{sid}/end").status_code == 200
    return sid


GOOD = ["It sounds like coming here was not your idea.", "What would make this hour useful?",
        "It sounds like you'd rather be anywhere else."]


@pytest.fixture
def prog(api, tools):
    tools.seed_user(api.engine, "outside@example.org", "instructor")
    outsider = tools.Actor(api.app).login("outside@example.org")
    teach_id = api.instructor.user["id"]
    r = api.admin.post("/api/programs", json={
        "title": "MI Foundations", "approval_statement": "Approved for 2 CE hours by the Board.",
        "instructor_ids": [teach_id]})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    cid = api.admin.post(f"/api/programs/{pid}/cohorts", json={"name": "Spring"}).json()["id"]
    r = api.admin.post(f"/api/programs/cohorts/{cid}/import", json={
        "csv": "email,display_name\nowner@example.org,Owner\nother@example.org,Other\n"})
    assert r.status_code == 200, r.text
    r = api.admin.post(f"/api/programs/cohorts/{cid}/assignments", json={
        "title": "Silent adolescent (exam)", "persona_ids": ["silent-adolescent"],
        "mode": "exam", "hours": 1.5, "attempts_allowed": 2, "criteria": CRITERIA})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    yield SimpleNamespace(program_id=pid, cohort_id=cid, assignment_id=aid, outsider=outsider)
    outsider.close()


@pytest.fixture
def helpers():
    return SimpleNamespace(finish_attempt=finish_attempt, GOOD=GOOD)
