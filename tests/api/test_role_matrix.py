"""Every endpoint x every role: anonymous, the owning trainee, another trainee, an instructor
whose scope holds the owner, an instructor whose scope does not ("outsider"), an admin.

A trainee reading another's session gets 404, and so does an out-of-scope instructor;
in-scope instructors and admins review sessions but cannot act in one; only admins manage
accounts; the one-time account links answer anyone. The outsider is made the way the
programs wing will narrow scope: sim.studio.scope.visible_trainees leaves the owner out.
A new route without a row here fails test_matrix_covers_every_route."""

from __future__ import annotations

import pytest

from sim.personas import load_persona

ROLES = ("anonymous", "owner", "other", "instructor", "outsider", "admin")
INVITE = {"email": "invited@example.org", "display_name": "Invited", "role": "trainee"}
CSV = "email,display_name,role\nbulk1@example.org,Bulk One,trainee\n"
NEW_PASSWORD = "a-brand-new-passphrase"

# (method, path template, body, expected status per role in ROLES order)
MATRIX = [
    ("GET", "/healthz", None, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/auth/login", {"email": "owner@example.org", "password": "{password}"},
     (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/auth/me", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/auth/logout", None, (401, 204, 204, 204, 204, 204)),
    ("GET", "/api/users", None, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/users", {"email": "new@example.org", "display_name": "New",
                            "password": "long-enough-pw", "role": "trainee"},
     (401, 403, 403, 403, 403, 201)),
    ("PATCH", "/api/users/{owner_id}", {"display_name": "Renamed"},
     (401, 403, 403, 403, 403, 200)),
    ("GET", "/api/personas", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/personas/silent-adolescent", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/sessions", {"persona_id": "silent-adolescent"},
     (401, 201, 201, 201, 201, 201)),
    ("GET", "/api/sessions", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/sessions/{sid}", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/sessions/{sid}/turns", {"text": "What brings you here?"},
     (401, 200, 404, 403, 404, 403)),
    ("POST", "/api/sessions/{sid}/turns/{failed_id}/retry", None,
     (401, 200, 404, 403, 404, 403)),
    ("POST", "/api/sessions/{sid}/end", None, (401, 200, 404, 403, 404, 403)),
    ("GET", "/api/sessions/{sid}/report", None, (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/sessions/{sid}/transcript", None, (401, 200, 404, 200, 404, 200)),
    ("GET", "/api/me/progress", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/flags", None, (401, 403, 403, 200, 200, 200)),
    # review (sim/studio/review)
    ("GET", "/api/review/trainees", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/review/sessions", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/review/sessions/{sid}", None, (401, 403, 403, 200, 404, 200)),
    ("GET", "/api/review/sessions/{sid}/feedback", None, (401, 200, 404, 200, 404, 200)),
    ("POST", "/api/review/sessions/{sid}/feedback", {"text": "Good pacing."},
     (401, 403, 403, 201, 404, 201)),
    ("DELETE", "/api/review/feedback/{feedback_id}", None, (401, 403, 403, 204, 404, 204)),
    ("POST", "/api/review/turns/{turn_id}/comments", {"text": "Nice reflection.", "shared": True},
     (401, 403, 403, 201, 404, 201)),
    ("DELETE", "/api/review/comments/{comment_id}", None, (401, 403, 403, 204, 404, 204)),
    ("PUT", "/api/review/turns/{turn_id}/rating", {
        "dimensions": {"validation": "agree", "curiosity": "agree", "confrontation": "agree",
                       "process_comment": "present"}, "codes": ["question_open"], "note": "ok"},
     (401, 403, 403, 200, 404, 200)),
    # only the instructor rated this turn in the world: the admin has no verdict to withdraw
    ("DELETE", "/api/review/turns/{turn_id}/rating", None, (401, 403, 403, 204, 404, 404)),
    ("GET", "/api/review/agreement", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/review/overrides.jsonl", None, (401, 403, 403, 200, 200, 200)),
    # admin (sim/admin)
    ("GET", "/api/admin/users", None, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/admin/users/{owner_id}/reset-link", {}, (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/admin/invites", None, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/admin/invites", INVITE, (401, 403, 403, 403, 403, 201)),
    ("DELETE", "/api/admin/invites/{invite_id}", None, (401, 403, 403, 403, 403, 204)),
    ("POST", "/api/admin/invites/import/check", {"csv": CSV}, (401, 403, 403, 403, 403, 200)),
    ("POST", "/api/admin/invites/import", {"csv": CSV}, (401, 403, 403, 403, 403, 201)),
    # one-time links answer anyone holding the link; own password needs a sign-in
    ("POST", "/api/account/links/check", {"token": "{token}"}, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/account/links/redeem", {"token": "{token}", "password": NEW_PASSWORD},
     (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/account/password", {"current_password": "{password}",
                                       "new_password": NEW_PASSWORD},
     (401, 204, 204, 204, 204, 204)),
]


@pytest.fixture
def world(api, tools, monkeypatch):
    """A session owned by 'owner' with one complete turn and one failed turn (to retry); the
    instructor's comment, feedback and rating on it; a pending invitation; the outsider."""
    from sqlmodel import Session, false, select

    from sim.models import Turn, User
    from sim.studio import scope

    tools.seed_user(api.engine, "outsider@example.org", "instructor")
    api.actors["outsider"] = api.outsider = tools.Actor(api.app).login("outsider@example.org")
    outsider_id = api.outsider.user["id"]
    everyone = scope.visible_trainees

    def narrowed(db, instructor):  # what the programs wing does: only the own cohorts
        if instructor.id == outsider_id:
            return select(User.id).where(false())
        return everyone(db, instructor)

    monkeypatch.setattr(scope, "visible_trainees", narrowed)
    sid = api.owner.start()["id"]
    events = api.owner.turn(sid, "Hello?")
    turn_id = events[0]["turn_id"]
    with Session(api.engine) as db:  # a failed turn as the engine would leave it
        turn = Turn(session_id=sid, parent_id=None, index=1, status="failed",
                    trainee_text="kept text", error="voice failed")
        db.add(turn)
        db.commit()
        failed_id = turn.id
    teach = api.instructor
    comment = teach.post(f"/api/review/turns/{turn_id}/comments", json={"text": "Look here."})
    feedback = teach.post(f"/api/review/sessions/{sid}/feedback", json={"text": "Well done."})
    rating = teach.request("PUT", f"/api/review/turns/{turn_id}/rating", json={
        "dimensions": {d: "agree" for d in DIMS}, "codes": ["question_open"]})
    invite = api.admin.post("/api/admin/invites", json={
        "email": "pending@example.org", "display_name": "Pending"})
    assert (comment.status_code, feedback.status_code, rating.status_code,
            invite.status_code) == (201, 201, 200, 201), (comment.text, invite.text)
    return {"sid": sid, "failed_id": failed_id, "owner_id": api.owner.user["id"],
            "turn_id": turn_id, "comment_id": comment.json()["id"],
            "feedback_id": feedback.json()["id"], "invite_id": invite.json()["invite"]["id"],
            "token": invite.json()["link"].rsplit("/", 1)[-1], "password": tools.PASSWORD}


DIMS = ("validation", "curiosity", "confrontation", "process_comment")


def _fill(value, world):
    """Path templates and body strings with the world's ids and secrets filled in."""
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize("method,path,body,expected", MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(api, world, role, method, path, body, expected):
    actor = api.actors[role]
    r = actor.request(method, path.format(**world), json=_fill(body, world))
    want = expected[ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "field"}


def test_state_changes_need_the_csrf_header(api, world):
    sid, turn = world["sid"], world["turn_id"]
    rating = {"dimensions": {d: "agree" for d in DIMS}, "codes": []}
    for actor, method, path, body in (
            (api.owner, "POST", f"/api/sessions/{sid}/turns", {"text": "hi"}),
            (api.owner, "POST", f"/api/sessions/{sid}/end", None),
            (api.owner, "POST", "/api/auth/logout", None),
            (api.owner, "POST", "/api/sessions", {"persona_id": "silent-adolescent"}),
            (api.owner, "POST", "/api/account/password",
             {"current_password": world["password"], "new_password": NEW_PASSWORD}),
            (api.instructor, "POST", f"/api/review/turns/{turn}/comments", {"text": "x"}),
            (api.instructor, "PUT", f"/api/review/turns/{turn}/rating", rating),
            (api.instructor, "DELETE", f"/api/review/turns/{turn}/rating", None),
            (api.instructor, "POST", f"/api/review/sessions/{sid}/feedback", {"text": "x"}),
            (api.instructor, "DELETE", f"/api/review/comments/{world['comment_id']}", None),
            (api.instructor, "DELETE", f"/api/review/feedback/{world['feedback_id']}", None),
            (api.admin, "POST", "/api/admin/invites", INVITE),
            (api.admin, "DELETE", f"/api/admin/invites/{world['invite_id']}", None),
            (api.admin, "POST", f"/api/admin/users/{world['owner_id']}/reset-link", {}),
            (api.admin, "POST", "/api/admin/invites/import", {"csv": CSV}),
            (api.admin, "POST", "/api/admin/invites/import/check", {"csv": CSV})):
        r = actor.client.request(method, path, json=body)  # no X-CSRF-Token
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed", path
        r = actor.client.request(method, path, json=body, headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403, path
    assert api.owner.get("/api/auth/me").status_code == 200
    # nothing happened: the comment, feedback and rating are still there, nobody was invited
    review = api.instructor.get(f"/api/review/sessions/{sid}").json()
    assert (len(review["comments"]), len(review["feedback"]), len(review["overrides"])) == (1, 1, 1)
    assert [i["email"] for i in api.admin.get("/api/admin/invites").json()] == [
        "pending@example.org"]


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


def _fill_program(body, actor, ids):
    if isinstance(body, dict):
        return {k: _fill_program(v, actor, ids) for k, v in body.items()}
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
                      json=_fill_program(body, actor, program_world))
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
                      json=_fill_program(body, actor, program_world))
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
    """Read from the OpenAPI spec: FastAPI nests included routers, so app.routes alone would
    not list them (this check was vacuous until it read the spec)."""
    covered = {(m, p.split("?")[0])
               for m, p, _, _ in MATRIX + PROGRAM_MATRIX + LTI_MATRIX + STUDIO_MATRIX}
    normalise = {"{session_id}": "{sid}", "{user_id}": "{owner_id}",
                 "{persona_id}": "silent-adolescent"}
    studio = {"{persona_id}": "{pid}", "{version}": "1"}
    spec = api.app.openapi()["paths"]
    assert len(spec) >= 30
    for path, operations in spec.items():
        shown = path
        for a, b in (studio if path.startswith("/api/studio/") else normalise).items():
            shown = shown.replace(a, b)
        if "/retry" in shown:
            shown = shown.replace("{turn_id}", "{failed_id}")
        for method in operations:
            assert (method.upper(), shown) in covered, f"{method.upper()} {path} is missing " \
                "from the role matrix"


# The persona studio (sim/studio/personas). Roles: anonymous, the two trainees, the instructor
# who created the persona (in scope), another instructor (out of scope: reads, copies, runs and
# test-drives it, but cannot change it), an admin. The seed library is the admins' to change.
STUDIO_ROLES = ("anonymous", "owner", "other", "instructor", "instructor2", "admin")
STAFF_READ = (401, 403, 403, 200, 200, 200)
STAFF_MAKE = (401, 403, 403, 201, 201, 201)
AUTHOR_MAKE = (401, 403, 403, 201, 403, 201)
P = "/api/studio/personas/{pid}"
STUDIO_MATRIX = [
    ("GET", "/api/studio/schema", None, STAFF_READ),
    ("POST", "/api/studio/validate", {"yaml": "id: x\n"}, STAFF_READ),
    ("GET", "/api/studio/personas", None, STAFF_READ),
    ("POST", "/api/studio/personas", {"id": "fresh-one"}, STAFF_MAKE),
    ("GET", P, None, STAFF_READ),
    ("GET", P + "/versions/1", None, STAFF_READ),
    ("POST", P + "/versions", {"yaml": "title: [unclosed\n", "note": "broken"}, AUTHOR_MAKE),
    ("POST", P + "/publish", {"version": 1}, (401, 403, 403, 200, 403, 200)),
    ("POST", P + "/restore", {"version": 1}, AUTHOR_MAKE),
    ("GET", P + "/diff?from=1&to=2", None, STAFF_READ),
    ("GET", P + "/export", None, STAFF_READ),
    ("POST", P + "/versions/1/battery", None, STAFF_READ),
    ("POST", P + "/versions/1/test-drive", None, STAFF_MAKE),
    # the seed library: instructors copy it, only admins change it
    ("POST", "/api/studio/personas/silent-adolescent/versions", {"yaml": "id: x\n"},
     (401, 403, 403, 403, 403, 201)),
    # the seeded version is the file's own number (already published)
    ("POST", "/api/studio/personas/silent-adolescent/publish",
     {"version": load_persona("personas/silent-adolescent.yaml").version},
     (401, 403, 403, 403, 403, 409)),
]


@pytest.fixture
def studio(api):
    """A second instructor, and persona 'probe' made by the first: v1 the valid blank
    template, v2 an invalid draft."""
    api.tools_seed("teach2@example.org", "instructor")
    api.actors["instructor2"] = api.tools_actor().login("teach2@example.org")
    r = api.instructor.post("/api/studio/personas", json={"id": "probe"})
    assert r.status_code == 201, r.text
    r = api.instructor.post("/api/studio/personas/probe/versions", json={"yaml": "id: probe\n"})
    assert r.status_code == 201 and r.json()["version"] == 2, r.text
    return {"pid": "probe"}


@pytest.mark.parametrize("method,path,body,expected", STUDIO_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in STUDIO_MATRIX])
@pytest.mark.parametrize("role", STUDIO_ROLES)
def test_studio_role_matrix(api, studio, role, method, path, body, expected):
    actor = api.actors[role]
    r = actor.request(method, path.format(**studio), json=body)
    want = expected[STUDIO_ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "field"}


def test_studio_changes_need_the_csrf_header(api, studio):
    for path, body in (("/api/studio/personas", {"id": "no-csrf"}),
                       ("/api/studio/personas/probe/versions", {"yaml": "id: probe\n"}),
                       ("/api/studio/personas/probe/publish", {"version": 1})):
        r = api.instructor.client.post(path, json=body)
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed", path
    assert api.instructor.get("/api/studio/personas/probe").json()["head_version"] == 2


def test_an_out_of_scope_instructor_sees_none_of_it(api, world):
    """The lists follow the same scope as the object routes: nothing of the owner's shows."""
    outsider = api.outsider
    assert outsider.get("/api/review/trainees").json() == []
    assert outsider.get("/api/review/sessions").json() == {"total": 0, "items": []}
    assert outsider.get("/api/review/agreement").json()["overrides"] == 0
    assert outsider.get("/api/review/overrides.jsonl").text == ""
    assert world["sid"] not in {s["id"] for s in outsider.get("/api/sessions").json()}
    r = outsider.get("/api/sessions", params={"user_id": world["owner_id"]})
    assert r.status_code == 200 and r.json() == []
    # while the instructor in scope sees the owner's session and its rating
    assert api.instructor.get("/api/review/agreement").json()["overrides"] == 1
    assert len(api.instructor.get("/api/review/overrides.jsonl").text.splitlines()) == 1
