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


def test_matrix_covers_every_route(api):
    from fastapi.routing import APIRoute

    covered = {(m, p.split("?")[0]) for m, p, _, _ in MATRIX}
    normalise = {"{session_id}": "{sid}", "{turn_id}": "{failed_id}", "{user_id}": "{owner_id}",
                 "{persona_id}": "silent-adolescent"}
    for route in api.app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        path = route.path
        for a, b in normalise.items():
            path = path.replace(a, b)
        for method in route.methods:
            assert (method, path) in covered, f"{method} {route.path} missing from the role matrix"
