"""Every endpoint x every role: anonymous, the owning trainee, another trainee, an instructor
whose scope holds the owner, an instructor whose scope does not ("outsider"), an admin.

A trainee reading another's session gets 404, and so does an out-of-scope instructor;
in-scope instructors and admins review sessions but cannot act in one; only admins manage
accounts; the one-time account links answer anyone. The outsider is made the way the
programs wing will narrow scope: sim.studio.scope.visible_trainees leaves the owner out.
A new route without a row here fails test_matrix_covers_every_route."""

from __future__ import annotations

import pytest

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


def test_matrix_covers_every_route(api):
    """Read from the OpenAPI spec: FastAPI nests included routers, so app.routes alone would
    not list them (this check was vacuous until it read the spec)."""
    covered = {(m, p.split("?")[0]) for m, p, _, _ in MATRIX}
    normalise = {"{session_id}": "{sid}", "{user_id}": "{owner_id}",
                 "{persona_id}": "silent-adolescent"}
    spec = api.app.openapi()["paths"]
    assert len(spec) >= 30
    for path, operations in spec.items():
        shown = path
        for a, b in normalise.items():
            shown = shown.replace(a, b)
        if "/retry" in shown:
            shown = shown.replace("{turn_id}", "{failed_id}")
        for method in operations:
            assert (method.upper(), shown) in covered, f"{method.upper()} {path} is missing " \
                "from the role matrix"


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
