"""Login, cookies, CSRF token, logout, expiry, password hashing, account management."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, select

from sim.models import AuthSession, User, utcnow


def test_login_sets_a_safe_cookie_and_returns_csrf(api, tools):
    actor = tools.Actor(api.app)
    r = actor.client.post("/api/auth/login",
                          json={"email": "Owner@Example.org ", "password": tools.PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"].lower()
    assert "sim_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # SIM_COOKIE_SECURE defaults to false for local http
    assert r.json()["user"] == {**r.json()["user"], "email": "owner@example.org", "role": "trainee"}
    assert "password" not in r.text and "hash" not in r.text
    with Session(api.engine) as db:
        row = db.exec(select(AuthSession)).first()
        token = actor.client.cookies["sim_session"]
        assert token not in {row.id, row.csrf_token}  # only the token's hash is stored
        user = db.exec(select(User).where(User.email == "owner@example.org")).one()
        assert user.password_hash.startswith("$argon2id$")
    actor.close()


def test_secure_cookie_when_configured(engine, tools):
    app = tools.build_app(engine, cookie_secure=True)
    tools.seed_user(engine, "s@example.org", "trainee")
    actor = tools.Actor(app)
    r = actor.client.post("/api/auth/login", json={"email": "s@example.org",
                                                   "password": tools.PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    assert "strict-transport-security" in r.headers
    actor.close()


def test_bad_credentials_are_one_answer(api, tools):
    actor = tools.Actor(api.app)
    a = actor.client.post("/api/auth/login", json={"email": "owner@example.org",
                                                   "password": "wrong-password"})
    b = actor.client.post("/api/auth/login", json={"email": "nobody@example.org",
                                                   "password": "wrong-password"})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json() == {"error": {"code": "bad_credentials", "field": None,
                                              "message": "Wrong email or password."}}
    actor.close()


def test_logout_kills_the_session_everywhere(api, tools):
    cookie = api.owner.client.cookies["sim_session"]
    assert api.owner.post("/api/auth/logout").status_code == 204
    assert api.owner.get("/api/auth/me").status_code == 401
    # replaying the old cookie from another client does not work either
    replay = tools.Actor(api.app)
    replay.client.cookies.set("sim_session", cookie)
    assert replay.client.get("/api/auth/me").json()["error"]["code"] == "unauthorized"
    replay.close()


def test_expired_session_is_refused(api):
    with Session(api.engine) as db:
        for row in db.exec(select(AuthSession)):
            row.expires_at = utcnow() - timedelta(minutes=1)
            db.add(row)
        db.commit()
    r = api.owner.get("/api/auth/me")
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]


def test_admin_manages_accounts(api, tools):
    r = api.admin.post("/api/users", json={"email": "new@example.org", "display_name": "New",
                                           "password": "long-enough-pw", "role": "instructor"})
    assert r.status_code == 201 and r.json()["role"] == "instructor"
    dup = api.admin.post("/api/users", json={"email": "NEW@example.org", "display_name": "N",
                                             "password": "long-enough-pw"})
    assert dup.status_code == 409 and dup.json()["error"]["field"] == "email"
    bad = api.admin.post("/api/users", json={"email": "not-an-email", "display_name": "N",
                                             "password": "short"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] in {"email", "password"}
    nul = api.admin.post("/api/users", json={"email": "a\u0000@example.org", "display_name": "N",
                                             "password": "long-enough-pw"})
    assert nul.status_code == 422 and nul.json()["error"]["field"] == "email"
    r = api.anonymous.post("/api/auth/login", json={"email": "a\u0000@b.co", "password": "x"})
    assert r.status_code == 422
    emails = {u["email"] for u in api.admin.get("/api/users").json()}
    assert "new@example.org" in emails
    # a password change signs the user out everywhere
    uid = api.owner.user["id"]
    assert api.admin.request("PATCH", f"/api/users/{uid}",
                             json={"password": "a-brand-new-pw"}).status_code == 200
    assert api.owner.get("/api/auth/me").status_code == 401
    tools.Actor(api.app).login("owner@example.org", "a-brand-new-pw").close()
    assert api.admin.request("PATCH", "/api/users/9999", json={}).status_code == 404


def test_long_login_names_are_just_wrong_credentials(api, tools):
    actor = tools.Actor(api.app)
    email = "x" * 60 + "@" + "e" * 180 + ".org"
    for _ in range(2):
        r = actor.client.post("/api/auth/login", json={"email": email, "password": "nope"})
        assert r.status_code == 401, r.text
    actor.close()


def test_admin_can_deactivate_an_account(api, tools):
    uid = api.other.user["id"]
    r = api.admin.request("PATCH", f"/api/users/{uid}", json={"active": False})
    assert r.status_code == 200
    assert api.other.get("/api/auth/me").status_code == 401
    actor = tools.Actor(api.app)
    r = actor.client.post("/api/auth/login", json={"email": "other@example.org",
                                                   "password": tools.PASSWORD})
    assert r.status_code == 401
    actor.close()


def test_login_takes_json_only_so_a_cross_site_form_cannot_sign_someone_in(api, tools):
    """Login CSRF: a page on another site can post a form (urlencoded, multipart or text/plain)
    but not application/json without a CORS preflight, which this API never grants."""
    actor = tools.Actor(api.app)
    body = json.dumps({"email": "owner@example.org", "password": tools.PASSWORD})
    for content_type, data in (
        ("text/plain", body),
        ("application/x-www-form-urlencoded",
         f"email=owner%40example.org&password={tools.PASSWORD}"),
    ):
        r = actor.client.post("/api/auth/login", content=data,
                              headers={"content-type": content_type})
        assert r.status_code == 422, (content_type, r.status_code)
        assert "sim_session" not in actor.client.cookies
    preflight = actor.client.options("/api/auth/login", headers={
        "origin": "https://evil.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert "access-control-allow-origin" not in preflight.headers
    actor.close()
