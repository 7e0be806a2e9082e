"""Every endpoint x every role: anonymous, the owning trainee, another trainee, an instructor,
an admin. A trainee reading another's session gets 404; instructors and admins review every
session but cannot act in one; only admins manage accounts. A new route without a row here
fails test_matrix_covers_every_route."""

from __future__ import annotations

import pytest

ROLES = ("anonymous", "owner", "other", "instructor", "admin")

# (method, path template, body, expected status per role in ROLES order)
MATRIX = [
    ("GET", "/healthz", None, (200, 200, 200, 200, 200)),
    ("GET", "/api/auth/me", None, (401, 200, 200, 200, 200)),
    ("POST", "/api/auth/login", {"email": "owner@example.org", "password": "not-the-password"},
     (401, 401, 401, 401, 401)),
    ("POST", "/api/auth/logout", None, (401, 204, 204, 204, 204)),
    ("GET", "/api/users", None, (401, 403, 403, 403, 200)),
    ("POST", "/api/users", {"email": "new@example.org", "display_name": "New",
                            "password": "long-enough-pw", "role": "trainee"},
     (401, 403, 403, 403, 201)),
    ("PATCH", "/api/users/{owner_id}", {"display_name": "Renamed"}, (401, 403, 403, 403, 200)),
    ("GET", "/api/personas", None, (401, 200, 200, 200, 200)),
    ("GET", "/api/personas/silent-adolescent", None, (401, 200, 200, 200, 200)),
    ("POST", "/api/sessions", {"persona_id": "silent-adolescent"}, (401, 201, 201, 201, 201)),
    ("GET", "/api/sessions", None, (401, 200, 200, 200, 200)),
    ("GET", "/api/sessions/{sid}", None, (401, 200, 404, 200, 200)),
    ("POST", "/api/sessions/{sid}/turns", {"text": "What brings you here?"},
     (401, 200, 404, 403, 403)),
    ("POST", "/api/sessions/{sid}/turns/{failed_id}/retry", None, (401, 200, 404, 403, 403)),
    ("POST", "/api/sessions/{sid}/end", None, (401, 200, 404, 403, 403)),
    ("GET", "/api/sessions/{sid}/report", None, (401, 200, 404, 200, 200)),
    ("GET", "/api/sessions/{sid}/transcript", None, (401, 200, 404, 200, 200)),
    ("GET", "/api/me/progress", None, (401, 200, 200, 200, 200)),
    ("GET", "/api/flags", None, (401, 403, 403, 200, 200)),
]


@pytest.fixture
def world(api):
    """A session owned by 'owner' with one complete turn and one failed turn (to retry)."""
    from sqlmodel import Session

    from sim.models import Turn

    sid = api.owner.start()["id"]
    api.owner.turn(sid, "Hello?")
    with Session(api.engine) as db:  # a failed turn as the engine would leave it
        turn = Turn(session_id=sid, parent_id=None, index=1, status="failed",
                    trainee_text="kept text", error="voice failed")
        db.add(turn)
        db.commit()
        failed_id = turn.id
    return {"sid": sid, "failed_id": failed_id, "owner_id": api.owner.user["id"]}


@pytest.mark.parametrize("method,path,body,expected", MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(api, world, role, method, path, body, expected):
    actor = api.actors[role]
    r = actor.request(method, path.format(**world), json=body)
    want = expected[ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "field"}


def test_state_changes_need_the_csrf_header(api, world):
    sid = world["sid"]
    for path, body in ((f"/api/sessions/{sid}/turns", {"text": "hi"}),
                       (f"/api/sessions/{sid}/end", None), ("/api/auth/logout", None),
                       ("/api/sessions", {"persona_id": "silent-adolescent"})):
        r = api.owner.client.post(path, json=body)  # no X-CSRF-Token
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed", path
        r = api.owner.client.post(path, json=body, headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403, path
    assert api.owner.get("/api/auth/me").status_code == 200


def test_instructor_lists_everyone_trainee_only_self(api, world):
    api.other.start()
    own = api.owner.get("/api/sessions").json()
    assert {s["user_id"] for s in own} == {api.owner.user["id"]}
    everyone = api.instructor.get("/api/sessions").json()
    assert {s["user_id"] for s in everyone} == {api.owner.user["id"], api.other.user["id"]}
    only_other = api.instructor.get("/api/sessions",
                                    params={"user_id": api.other.user["id"]}).json()
    assert {s["user_id"] for s in only_other} == {api.other.user["id"]}
    page = api.instructor.get("/api/sessions", params={"limit": 1, "offset": 1}).json()
    assert [s["id"] for s in page] == [everyone[1]["id"]]
    # a trainee cannot widen the filter to someone else
    r = api.owner.get("/api/sessions", params={"user_id": api.other.user["id"]}).json()
    assert {s["user_id"] for s in r} == {api.owner.user["id"]}


# The programs wing (issue 12): the same five roles plus an instructor who does not teach the
# program ("outsider"): in scope, an instructor manages; out of scope, every id is a 404.
PROGRAM_ROLES = ("anonymous", "owner", "other", "instructor", "outsider", "admin")
PROGRAM_MATRIX = [
    ("GET", "/api/programs", None, (401, 403, 403, 200, 200, 200)),
    ("POST", "/api/programs", {"title": "New"}, (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/programs/{program_id}", None, (401, 403, 403, 200, 404, 200)),
    ("PATCH", "/api/programs/{program_id}", {"title": "Renamed"}, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/programs/{program_id}/cohorts", None, (401, 403, 403, 200, 404, 200)),
    ("POST", "/api/programs/{program_id}/cohorts", {"name": "B"}, (401, 403, 403, 201, 404, 201)),
    ("GET", "/api/programs/cohorts/{cohort_id}/trainees", None, (401, 403, 403, 200, 404, 200)),
    ("POST", "/api/programs/cohorts/{cohort_id}/import",
     {"csv": "email,display_name\nnew1@example.org,New One\n"}, (401, 403, 403, 200, 404, 200)),
    ("POST", "/api/programs/cohorts/{cohort_id}/invite", None, (401, 403, 403, 200, 404, 200)),
    ("DELETE", "/api/programs/cohorts/{cohort_id}/invite", None, (401, 403, 403, 204, 404, 204)),
    ("POST", "/api/programs/join/{invite_code}", None, (401, 200, 200, 403, 403, 403)),
    ("POST", "/api/programs/activate", {"token": "{activation}", "password": "fresh-pass-1234"},
     (204, 204, 204, 204, 204, 204)),
    ("POST", "/api/programs/cohorts/{cohort_id}/assignments",
     {"title": "A2", "persona_ids": ["silent-adolescent"]}, (401, 403, 403, 201, 404, 201)),
    ("GET", "/api/programs/cohorts/{cohort_id}/assignments", None,
     (401, 403, 403, 200, 404, 200)),
    ("GET", "/api/programs/cohorts/{cohort_id}/dashboard", None, (401, 403, 403, 200, 404, 200)),
    ("GET", "/api/programs/cohorts/{cohort_id}/export", None, (401, 403, 403, 200, 404, 200)),
    ("GET", "/api/me/assignments", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/me/assignments/{assignment_id}/attempts", {"persona_id": "silent-adolescent"},
     (401, 201, 201, 404, 404, 404)),
    ("POST", "/api/me/assignments/{assignment_id}/evaluation",
     {"objectives_met": 4, "relevance": 4, "quality": 4, "bias_free": True},
     (401, 409, 409, 404, 404, 404)),
    ("POST", "/api/me/assignments/{assignment_id}/certificate", None,
     (401, 201, 409, 404, 404, 404)),
    ("GET", "/api/me/records", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/records/{record_id}", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/records/{record_id}/corrections", {"passed": False, "reason": "regrade"},
     (401, 403, 404, 201, 404, 201)),
    ("GET", "/api/me/certificates", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/certificates/{certificate_id}/pdf", None, (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/verify/{certificate_code}", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/audit", None, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/me/export", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/me/deletion", {"confirm_email": "{me}"}, (401, 200, 200, 200, 200, 409)),
]


@pytest.fixture
def program_world(api, world, tools):
    """world + a program taught by `instructor`, a cohort with owner and other, an exam
    assignment the owner passed (record, evaluation, certificate), an open invite link and an
    activation token for an account a CSV import created."""
    tools.seed_user(api.engine, "outside@example.org", "instructor")
    api.actors["outsider"] = tools.Actor(api.app).login("outside@example.org")
    a = api.admin
    pid = a.post("/api/programs", json={"title": "P", "instructor_ids": [
        api.instructor.user["id"]]}).json()["id"]
    cid = a.post(f"/api/programs/{pid}/cohorts", json={"name": "C"}).json()["id"]
    created = a.post(f"/api/programs/cohorts/{cid}/import", json={"csv": (
        "email,display_name\nowner@example.org,O\nother@example.org,X\n"
        "fresh@example.org,Fresh\n")}).json()["accounts_created"]
    aid = a.post(f"/api/programs/cohorts/{cid}/assignments", json={
        "title": "A", "persona_ids": ["silent-adolescent"], "attempts_allowed": 5,
        "criteria": {"min_turns": 1}}).json()["id"]
    sid = api.owner.post(f"/api/me/assignments/{aid}/attempts",
                         json={"persona_id": "silent-adolescent"}).json()["session_id"]
    api.owner.turn(sid, "It sounds like this was not your idea.")
    api.owner.post(f"/api/sessions/{sid}/end")
    api.owner.post(f"/api/me/assignments/{aid}/evaluation", json={
        "objectives_met": 4, "relevance": 4, "quality": 4, "bias_free": True})
    cert = api.owner.post(f"/api/me/assignments/{aid}/certificate").json()
    record_id = api.owner.get("/api/me/records").json()[0]["id"]
    code = a.post(f"/api/programs/cohorts/{cid}/invite").json()["code"]
    platform_id, link_id = _lti_platform_and_link(api, pid, aid)
    yield {**world, "platform_id": platform_id, "link_id": link_id, "program_id": pid,
           "cohort_id": cid, "assignment_id": aid,
           "record_id": record_id, "certificate_id": cert["id"], "certificate_code": cert["code"],
           "invite_code": code, "activation": created[0]["activation_path"].rsplit("/", 1)[-1]}
    api.actors.pop("outsider").close()


def _lti_platform_and_link(api, program_id, assignment_id):
    """A registered LMS on the program and one of its links to the assignment (no roster
    service offered, so a roster sync that passes the role check answers 409)."""
    from sqlmodel import Session

    from sim.programs.lti_models import ResourceLink

    r = api.admin.post("/api/lti/platforms", json={
        "name": "LMS", "issuer": "https://lms.example.org", "client_id": "tool-1",
        "auth_login_url": "https://lms.example.org/auth",
        "auth_token_url": "https://lms.example.org/token",
        "key_set_url": "https://lms.example.org/jwks", "deployment_ids": ["d1"],
        "program_id": program_id})
    assert r.status_code == 201, r.text
    with Session(api.engine) as db:
        link = ResourceLink(platform_id=r.json()["id"], deployment_id="d1",
                            resource_link_id="rl-1", assignment_id=assignment_id)
        db.add(link)
        db.commit()
        return r.json()["id"], link.id


def _fill(body, actor, ids):
    if isinstance(body, dict):
        return {k: _fill(v, actor, ids) for k, v in body.items()}
    if body == "{me}":
        return actor.user["email"] if actor.user else "nobody@example.org"
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return ids[body[1:-1]]
    return body


@pytest.mark.parametrize("method,path,body,expected", PROGRAM_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in PROGRAM_MATRIX])
@pytest.mark.parametrize("role", PROGRAM_ROLES)
def test_programs_role_matrix(api, program_world, role, method, path, body, expected):
    actor = api.actors[role]
    r = actor.request(method, path.format(**program_world),
                      json=_fill(body, actor, program_world))
    want = expected[PROGRAM_ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "field"}


# LTI 1.3 (issue 12 item 5). The /lti/ endpoints are reached by the LMS and its browser, not
# by signed-in users: the same answer for every role, an HTML refusal page (logged) for a
# request that is not a valid step of a launch. The JSON administration is for admins; a
# cohort's links and their roster sync for the cohort's instructors and admins.
LTI_MATRIX = [
    ("GET", "/lti/jwks", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/lti/login", None, (400, 400, 400, 400, 400, 400)),
    ("POST", "/lti/login", None, (400, 400, 400, 400, 400, 400)),
    ("POST", "/lti/launch", None, (400, 400, 400, 400, 400, 400)),
    ("POST", "/lti/deep-link", None, (400, 400, 400, 400, 400, 400)),
    ("GET", "/lti/enter?code=not-a-code", None, (400, 400, 400, 400, 400, 400)),
    ("GET", "/api/lti/tool", None, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/lti/platforms", None, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/lti/platforms", {
        "name": "LMS 2", "issuer": "https://lms2.example.org", "client_id": "c2",
        "auth_login_url": "https://lms2.example.org/auth",
        "auth_token_url": "https://lms2.example.org/token",
        "key_set_url": "https://lms2.example.org/jwks", "deployment_ids": ["d"],
        "program_id": "{program_id}"}, (401, 403, 403, 403, 403, 201)),
    ("PATCH", "/api/lti/platforms/{platform_id}", {"name": "Renamed LMS"},
     (401, 403, 403, 403, 403, 200)),
    ("DELETE", "/api/lti/platforms/{platform_id}", None, (401, 403, 403, 403, 403, 204)),
    ("GET", "/api/lti/keys", None, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/lti/keys/rotate", None, (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/lti/log", None, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/lti/scores", None, (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/programs/cohorts/{cohort_id}/lti-links", None,
     (401, 403, 403, 200, 404, 200)),
    ("POST", "/api/lti/links/{link_id}/roster", None, (401, 403, 403, 409, 404, 409)),
]


@pytest.mark.parametrize("method,path,body,expected", LTI_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in LTI_MATRIX])
@pytest.mark.parametrize("role", PROGRAM_ROLES)
def test_lti_role_matrix(api, program_world, role, method, path, body, expected):
    actor = api.actors[role]
    r = actor.request(method, path.format(**program_world),
                      json=_fill(body, actor, program_world))
    want = expected[PROGRAM_ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400 and path.startswith("/lti/"):
        assert r.headers["content-type"].startswith("text/html")
        assert "This launch was refused" in r.text
    elif r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "field"}
    if path.startswith("/lti/") and r.status_code >= 400:  # every refusal is logged
        log = api.admin.get("/api/lti/log").json()
        assert log[0]["outcome"] == "refused"


def test_matrix_covers_every_route(api):
    """Every operation in the app's OpenAPI spec has a row. (FastAPI 0.165 keeps included
    routers nested in app.routes, so walking app.routes for APIRoute found almost nothing.)"""
    covered = {(m, p.split("?")[0]) for m, p, _, _ in MATRIX + PROGRAM_MATRIX + LTI_MATRIX}
    covered.add(("POST", "/api/auth/login"))  # public: tests/api/test_auth.py, the throttle tests
    normalise = {"{session_id}": "{sid}", "{turn_id}": "{failed_id}", "{user_id}": "{owner_id}",
                 "{persona_id}": "silent-adolescent"}
    operations = [(method.upper(), path) for path, ops in api.app.openapi()["paths"].items()
                  for method in ops]
    assert len(operations) > 40
    for method, path in operations:
        for a, b in normalise.items():
            path = path.replace(a, b)
        assert (method, path) in covered, f"{method} {path} missing from the role matrix"
