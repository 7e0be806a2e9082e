"""Input the API must refuse cleanly (422 naming the field, never a 500): lone UTF-16
surrogates anywhere text arrives, malformed email addresses, weak passwords; and the last
active administrator cannot demote or deactivate themselves."""

from __future__ import annotations

import json

import pytest

LONE = "\ud800 hi"


def raw(actor, method: str, path: str, body: dict) -> object:
    """Sends JSON with \\uXXXX escapes (httpx's json= cannot encode a lone surrogate)."""
    return actor.request(method, path, content=json.dumps(body),
                         headers={"content-type": "application/json"})


@pytest.mark.parametrize("where", ["turn", "session", "login-email", "login-password",
                                   "user-email", "user-name", "user-password", "patch-name"])
def test_a_lone_surrogate_is_a_422_naming_the_field(api, where):
    sid = api.owner.start()["id"]
    uid = api.other.user["id"]
    cases = {
        "turn": (api.owner, "POST", f"/api/sessions/{sid}/turns", {"text": LONE}, "text"),
        "session": (api.owner, "POST", "/api/sessions", {"persona_id": LONE}, "persona_id"),
        "login-email": (api.anonymous, "POST", "/api/auth/login",
                        {"email": LONE + "@example.org", "password": "x"}, "email"),
        "login-password": (api.anonymous, "POST", "/api/auth/login",
                           {"email": "owner@example.org", "password": LONE}, "password"),
        "user-email": (api.admin, "POST", "/api/users", {
            "email": "a" + LONE + "@example.org", "display_name": "A",
            "password": "a-fine-passphrase"}, "email"),
        "user-name": (api.admin, "POST", "/api/users", {
            "email": "a@example.org", "display_name": LONE, "password": "a-fine-passphrase"},
            "display_name"),
        "user-password": (api.admin, "POST", "/api/users", {
            "email": "a@example.org", "display_name": "A", "password": LONE * 5}, "password"),
        "patch-name": (api.admin, "PATCH", f"/api/users/{uid}", {"display_name": LONE},
                       "display_name"),
    }
    actor, method, path, body, field = cases[where]
    r = raw(actor, method, path, body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == field
    assert "unpaired UTF-16 surrogate" in error["message"]
    # nothing was stored: the session still has no turn, and the next request is served
    assert api.owner.get(f"/api/sessions/{sid}").json()["turn_count"] == 0


def test_a_lone_surrogate_keeps_the_connection_alive(engine, tools):
    """Before: UnicodeEncodeError at commit, a 500 and a dropped keep-alive connection."""
    import httpx

    tools.seed_user(engine, "ka@example.org", "trainee")
    server = tools.LiveServer(tools.build_app(engine))
    opened = []
    try:
        with httpx.Client(base_url=server.url, timeout=10, event_hooks={"request": [
                lambda request: opened.append(request.extensions)]}) as c:
            r = c.post("/api/auth/login", json={"email": "ka@example.org",
                                                "password": tools.PASSWORD})
            c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            sid = c.post("/api/sessions", json={"persona_id": "silent-adolescent"}).json()["id"]
            bad = c.post(f"/api/sessions/{sid}/turns", content=json.dumps({"text": LONE}),
                         headers={"content-type": "application/json"})
            assert bad.status_code == 422
            assert bad.headers.get("connection", "").lower() != "close"
            ok = c.post(f"/api/sessions/{sid}/turns", json={"text": "Hi there?"})
            assert ok.status_code == 200
            assert json.loads(ok.text.splitlines()[-1])["type"] == "result"
    finally:
        server.stop()


@pytest.mark.parametrize(("email", "why"), [
    ("noatsign", "exactly one @"), ("", "is empty"), ("a@b@example.org", "exactly one @"),
    ("name@localhost", "domain name"), ("two words@example.org", "before @"),
    ("name@example..org", "domain name"), ("name@example.c", "top-level domain"),
])
def test_malformed_emails_are_refused(api, email, why):
    r = api.admin.post("/api/users", json={"email": email, "display_name": "N",
                                           "password": "a-fine-passphrase"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == "email" and why in r.json()["error"]["message"]


@pytest.mark.parametrize(("password", "why"), [
    ("12345678", "at least 10"), ("aaaaaaaaaaaa", "5 different"), ("abababababab", "5 different"),
    ("password123", "most common"), ("Qwertyuiop", "most common"),
    ("newbie@example.org", "email address"), ("newbie@EXAMPLE.org", "email address"),
])
def test_weak_passwords_are_refused(api, password, why):
    r = api.admin.post("/api/users", json={"email": "newbie@example.org", "display_name": "N",
                                           "password": password})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == "password" and why in r.json()["error"]["message"]
    uid = api.other.user["id"]
    password = password.replace("newbie", "other")  # the email cases: other's own address
    patch = api.admin.request("PATCH", f"/api/users/{uid}", json={"password": password})
    assert patch.status_code == 422 and patch.json()["error"]["field"] == "password"


def test_a_good_account_is_created_lower_case(api):
    r = api.admin.post("/api/users", json={"email": " New.Person@Example.ORG",
                                           "display_name": "N", "password": "four words go here"})
    assert r.status_code == 201 and r.json()["email"] == "new.person@example.org"


def test_the_last_admin_cannot_demote_or_deactivate_themselves(api):
    me = api.admin.user["id"]
    for change, field in (({"role": "trainee"}, "role"), ({"active": False}, "active")):
        r = api.admin.request("PATCH", f"/api/users/{me}", json=change)
        assert r.status_code == 409, r.text
        assert r.json()["error"] == {"code": "last_admin", "field": field, "message": (
            "boss@example.org is the last active administrator and cannot be "
            f"{'demoted' if field == 'role' else 'deactivated'}; make another account an "
            "administrator first.")}
    assert api.admin.get("/api/auth/me").json()["user"]["role"] == "admin"
    # with a second admin, stepping down is fine
    other = api.other.user["id"]
    assert api.admin.request("PATCH", f"/api/users/{other}",
                             json={"role": "admin"}).status_code == 200
    assert api.admin.request("PATCH", f"/api/users/{me}",
                             json={"role": "instructor"}).status_code == 200


@pytest.fixture
def shared_engine(engine, tmp_path):
    """The test PostgreSQL, or a SQLite file (the in-memory one is a single shared connection,
    where two requests cannot overlap in the database)."""
    if engine.url.get_backend_name() != "sqlite":
        yield engine
        return
    from sqlmodel import SQLModel

    from sim.db import make_engine

    eng = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


def test_two_admins_demoting_each_other_at_once_leave_one(shared_engine, tools, monkeypatch):
    """Each request passes the last-admin check, then waits for the other before writing (a
    barrier with a timeout). Before the fix both saw the other still an admin and both were
    demoted: no administrator left. Now the second check waits for the first change's commit
    (row locks), sees it, and refuses."""
    import contextlib
    import threading

    from sim.routes import users

    app = tools.build_app(shared_engine)
    for email in ("ann@example.org", "bob@example.org"):
        tools.seed_user(shared_engine, email, "admin")
    ann, bob = (tools.Actor(app).login(e) for e in ("ann@example.org", "bob@example.org"))
    barrier = threading.Barrier(2, timeout=3)
    checked = users.keep_an_admin

    def check_then_wait(db, user, body):
        checked(db, user, body)
        # the other request may be blocked behind this one's lock: then go on and commit
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    monkeypatch.setattr(users, "keep_an_admin", check_then_wait)
    results: dict[str, int] = {}

    def demote(actor, target, name):
        r = actor.request("PATCH", f"/api/users/{target.user['id']}", json={"role": "trainee"})
        results[name] = r.status_code

    threads = [threading.Thread(target=demote, args=(ann, bob, "ann demotes bob")),
               threading.Thread(target=demote, args=(bob, ann, "bob demotes ann"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results.values()) in ([200, 401], [200, 409]), results
    from sqlmodel import Session, col, select

    from sim.models import Role, User

    with Session(shared_engine) as db:
        admins = db.exec(select(User.email).where(col(User.role) == Role.ADMIN)).all()
    assert len(admins) == 1, admins
    for actor in (ann, bob):
        actor.close()
