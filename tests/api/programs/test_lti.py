"""LTI 1.3 end to end against a real platform implementation (lti1p3platform) on loopback: real
RSA keys, signed id_tokens, the tool's JWKS fetched over HTTP, OAuth2 client credentials with
a signed assertion. Deep linking returns a signed response the platform accepts; a learner's
launch lands on the assignment in a new window through a one-time code; when the attempt ends
the score reaches the platform through AGS; NRPS enrols the roster; every refusal case gets a
clear page and a row in the launch log and the audit log."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import SQLModel

_spec = importlib.util.spec_from_file_location(
    "lti_platform", Path(__file__).with_name("lti_platform.py"))
assert _spec and _spec.loader
lti = importlib.util.module_from_spec(_spec)
sys.modules["lti_platform"] = lti
_spec.loader.exec_module(lti)


class Browser:
    """A browser against the tool (cookies kept, redirects followed by hand)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.client = httpx.Client(base_url=base, timeout=30)
        self.csrf = ""

    def login(self, email: str, password: str) -> Browser:
        r = self.client.post("/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.csrf = r.json()["csrf_token"]
        return self

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.client.request(method, path, headers={"X-CSRF-Token": self.csrf}, **kw)

    def launch(self, login_url: str) -> httpx.Response:
        """LMS -> tool login -> platform authorisation -> form post of the id_token."""
        r = self.client.get(login_url)
        if r.status_code != 302:
            return r
        r = self.client.get(r.headers["location"])
        assert r.status_code == 200, r.text
        action, fields = lti.form_fields(r.text)
        assert set(fields) == {"id_token", "state"}
        self.last_post = (action, fields)
        return self.client.post(action, data=fields)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def lti_world(engine, tools, tmp_path, monkeypatch):
    """The tool under uvicorn (a SQLite file, or the test PostgreSQL), the platform beside it,
    an admin and an instructor, a program with the platform registered."""
    from sim.db import make_engine

    if engine.url.get_backend_name() == "sqlite":  # threads need real connections, not one
        engine = make_engine(f"sqlite:///{tmp_path / 'lti.db'}")
        SQLModel.metadata.create_all(engine)
    monkeypatch.setenv("SIM_LTI_SCORE_POLL_S", "1")
    tools.seed_user(engine, "boss@example.org", "admin")
    tools.seed_user(engine, "teach@example.org", "instructor")
    server = tools.LiveServer(tools.build_app(engine))
    platform = lti.TestPlatform(server.url)
    admin = Browser(server.url).login("boss@example.org", tools.PASSWORD)
    pid = admin.api("POST", "/api/programs", json={
        "title": "MI by LMS", "instructor_ids": []}).json()["id"]
    r = admin.api("POST", "/api/lti/platforms", json=platform.registration_body(pid))
    assert r.status_code == 201, r.text
    world = type("W", (), {"server": server, "platform": platform, "admin": admin,
                           "program_id": pid, "tools": tools, "engine": engine})
    yield world
    admin.close()
    platform.close()
    server.stop()


def deep_link(world: Any, mode: str = "exam") -> dict[str, Any]:
    """An LMS instructor picks a scenario; the signed response goes back to the platform."""
    teacher = Browser(world.server.url)
    page = teacher.launch(world.platform.login_url("teacher-1", [lti.INSTRUCTOR],
                                                   deep_link=True, name="Tess Teacher"))
    assert page.status_code == 200, page.text
    assert "Choose a scenario" in page.text and 'name="persona_id"' in page.text
    launch_id = re.search(r'name="launch_id" value="([^"]+)"', page.text).group(1)
    bad = teacher.client.post("/lti/deep-link", data={"launch_id": launch_id,
                                                      "persona_id": "no-such", "mode": mode})
    assert bad.status_code == 400 and "Choose one of the scenarios" in bad.text
    done = teacher.client.post("/lti/deep-link", data={
        "launch_id": launch_id, "persona_id": "silent-adolescent", "mode": mode,
        "title": "Silent adolescent", "attempts_allowed": "3"})
    assert done.status_code == 200, done.text
    action, fields = lti.form_fields(done.text)
    assert action == f"{world.platform.url}/deep-link-return"
    assert world.platform.url in done.headers["content-security-policy"]
    back = httpx.post(action, data=fields)  # the browser posts it to the LMS
    assert back.status_code == 200, back.text
    again = teacher.client.post("/lti/deep-link", data={
        "launch_id": launch_id, "persona_id": "silent-adolescent"})
    assert again.status_code == 400 and 'data-code="unknown_launch"' in again.text
    teacher.close()
    (item,) = world.platform.deep_links[-1]
    return item


def test_deep_link_launch_and_score_return(lti_world):
    w, platform = lti_world, lti_world.platform
    item = deep_link(w)
    # the platform accepted a signed LtiDeepLinkingResponse (it verified it with our JWKS)
    assert item["type"] == "ltiResourceLink" and item["url"] == f"{w.server.url}/lti/launch"
    assert item["lineItem"]["scoreMaximum"] == 100
    aid = int(item["custom"]["assignment_id"])
    line = platform.add_lineitem(dict(item["lineItem"]))  # the LMS makes the gradebook column

    learner = Browser(w.server.url)
    page = learner.launch(platform.login_url("learner-1", [lti.LEARNER], resource_link="rl-9",
                                             custom=item["custom"], lineitem=line["id"]))
    assert page.status_code == 200, page.text
    assert "Open Silent adolescent in a new window" in page.text
    assert 'target="_blank"' in page.text and "/static/js/lti/launch.js" in page.text
    assert "frame-ancestors" in page.headers["content-security-policy"]
    assert "x-frame-options" not in page.headers
    enter = re.search(r'href="(/lti/enter\?code=[^"]+)"', page.text).group(1)
    window = Browser(w.server.url)  # the new window: no cookie from the LMS frame needed
    r = window.client.get(enter)
    assert r.status_code == 200 and f'data-next="/#/assignments/{aid}"' in r.text
    assert window.client.get(enter).status_code == 400  # the code works once
    me = window.client.get("/api/auth/me").json()
    assert me["user"]["display_name"] == "Ada Learner" and me["user"]["role"] == "trainee"
    window.csrf = me["csrf_token"]
    mine = window.api("GET", "/api/me/assignments").json()
    assert [m["assignment"]["id"] for m in mine] == [aid]
    assert mine[0]["assignment"]["mode"] == "exam"

    # a first attempt that falls short (1 turn; the default criteria need 3): score 0 arrives
    sid = window.api("POST", f"/api/me/assignments/{aid}/attempts",
                     json={"persona_id": "silent-adolescent"}).json()["session_id"]
    assert window.api("POST", f"/api/sessions/{sid}/turns", json={"text": "Hi?"}).status_code \
        == 200
    # the tool's key is rotated meanwhile: the token assertion is signed with the new key and
    # the platform fetches our JWKS again to verify it
    rotated = w.admin.api("POST", "/api/lti/keys/rotate")
    assert rotated.status_code == 201
    assert window.api("POST", f"/api/sessions/{sid}/end").status_code == 200
    first = wait_for(lambda: platform.scores[0] if platform.scores else None)
    assert first["userId"] == "learner-1" and first["scoreGiven"] == 0
    assert first["scoreMaximum"] == 100 and first["activityProgress"] == "Completed"
    assert first["gradingProgress"] == "FullyGraded" and "Not passed" in first["comment"]
    assert first["lineitem"] == line["id"].split("/")[-2]
    assert platform.conf.tool_jwks_fetches >= 1
    assertion = platform.token_requests[-1]["client_assertion"]
    import jwt as pyjwt

    assert pyjwt.get_unverified_header(assertion)["kid"] == rotated.json()["kid"]

    # a passing attempt: 100 arrives
    sid = window.api("POST", f"/api/me/assignments/{aid}/attempts",
                     json={"persona_id": "silent-adolescent"}).json()["session_id"]
    for text in ("It sounds like this was not your idea.", "What would help today?",
                 "It sounds like you'd rather be elsewhere."):
        assert window.api("POST", f"/api/sessions/{sid}/turns", json={"text": text}) \
            .status_code == 200
    assert window.api("POST", f"/api/sessions/{sid}/end").status_code == 200
    second = wait_for(lambda: platform.scores[1] if len(platform.scores) > 1 else None)
    assert second["scoreGiven"] == 100 and second["comment"] == "Passed."
    sent = w.admin.api("GET", "/api/lti/scores").json()
    assert sorted(s["score_given"] for s in sent) == [0, 100]
    assert {s["status"] for s in sent} == {"sent"}
    log = w.admin.api("GET", "/api/lti/log").json()
    assert {e["reason"] for e in log if e["outcome"] == "accepted"} >= {
        "deep_link_request", "deep_link_response", "resource_link"}
    learner.close()
    window.close()


def wait_for(probe: Any, seconds: float = 30) -> Any:
    """Waits for something the tool does in the background (not a speed check)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the platform did not receive the score")


def test_nrps_enrols_the_roster(lti_world):
    w, platform = lti_world, lti_world.platform
    item = deep_link(w)
    platform.members = [
        {"user_id": f"learner-{n}", "name": f"Learner {n}", "roles": [lti.LEARNER]}
        for n in range(1, 4)] + [
        {"user_id": "teacher-1", "name": "Tess Teacher", "roles": [lti.INSTRUCTOR]},
        {"user_id": "gone-1", "name": "Gone", "roles": [lti.LEARNER], "status": "Inactive"}]
    teacher = Browser(w.server.url)  # the instructor's launch tells us the roster URL
    page = teacher.launch(platform.login_url("teacher-1", [lti.INSTRUCTOR], resource_link="rl-2",
                                             custom=item["custom"], name="Tess Teacher"))
    assert page.status_code == 200 and "its cohort dashboard" in page.text
    enter = re.search(r'href="(/lti/enter\?code=[^"]+)"', page.text).group(1)
    assert teacher.client.get(enter).status_code == 200
    teacher.csrf = teacher.client.get("/api/auth/me").json()["csrf_token"]
    aid = int(item["custom"]["assignment_id"])
    programs = teacher.api("GET", "/api/programs").json()
    assert [p["id"] for p in programs] == [w.program_id]  # made an instructor of the program
    cohort_id = programs[0]["cohort_ids"][0]
    links = teacher.api("GET", f"/api/programs/cohorts/{cohort_id}/lti-links").json()
    assert [(x["assignment_id"], x["roster"]) for x in links] == [(aid, True)]
    r = teacher.api("POST", f"/api/lti/links/{links[0]['id']}/roster")
    assert r.status_code == 200, r.text
    assert r.json() == {"link_id": links[0]["id"], "cohort_id": cohort_id, "members": 5,
                             "enrolled": 3, "already_enrolled": 0, "skipped_staff": 1,
                             "skipped_inactive": 1}
    names = {t["display_name"] for t in teacher.api(
        "GET", f"/api/programs/cohorts/{cohort_id}/trainees").json()}
    assert names == {"Learner 1", "Learner 2", "Learner 3"}
    again = teacher.api("POST", f"/api/lti/links/{links[0]['id']}/roster").json()
    assert (again["enrolled"], again["already_enrolled"]) == (0, 3)
    # the enrolled learner's later launch finds the same account (by sub)
    learner = Browser(w.server.url)
    page = learner.launch(platform.login_url("learner-2", [lti.LEARNER], resource_link="rl-2",
                                             custom=item["custom"], name="Learner 2"))
    enter = re.search(r'href="(/lti/enter\?code=[^"]+)"', page.text).group(1)
    assert learner.client.get(enter).status_code == 200
    assert len(teacher.api("GET", f"/api/programs/cohorts/{cohort_id}/trainees").json()) == 3
    teacher.close()
    learner.close()


REFUSALS = [
    ("bad_signature", "signature does not verify"),
    ("wrong_audience", "The client id (aud)"),
    ("expired", "has expired"),
    ("unknown_deployment", "is not registered for this platform"),
    ("unknown_issuer", "No platform is registered with issuer"),
    ("reused_nonce", "already used"),
    ("nonce_mismatch", "belongs to another launch"),
    ("not_instructor", "Only the course"),
    ("unknown_assignment", "not tied to an assignment"),
]


@pytest.mark.parametrize("code,words", REFUSALS, ids=[c for c, _ in REFUSALS])
def test_refusals_get_a_clear_page_and_are_logged(lti_world, code, words):
    w, platform = lti_world, lti_world.platform
    aid = w.admin.api("POST", f"/api/programs/{w.program_id}/cohorts", json={"name": "C"}).json()
    r = w.admin.api("POST", f"/api/programs/cohorts/{aid['id']}/assignments", json={
        "title": "A", "persona_ids": ["silent-adolescent"]})
    custom = {"assignment_id": str(r.json()["id"])}
    browser = Browser(w.server.url)
    kwargs: dict[str, Any] = {"custom": custom}
    if code in ("bad_signature", "wrong_audience", "expired", "unknown_deployment"):
        kwargs["tweak"] = code
    if code == "unknown_issuer":
        kwargs["issuer"] = "https://lms.elsewhere.example"
    if code == "not_instructor":  # a learner's deep linking request
        kwargs["deep_link"] = True
    if code == "unknown_assignment":  # a link to an assignment that is not (or no longer) there
        kwargs["custom"] = {"assignment_id": "999999"}
    page = browser.launch(platform.login_url("learner-1", [lti.LEARNER], **kwargs))
    if code == "reused_nonce":
        assert page.status_code == 200, page.text  # the first use is fine
        action, fields = browser.last_post
        page = browser.client.post(action, data=fields)  # the same launch again
    if code == "nonce_mismatch":  # a captured id_token sent with a fresh login's state
        assert page.status_code == 200
        old_token = browser.last_post[1]["id_token"]
        r = browser.client.get(platform.login_url("learner-1", [lti.LEARNER], custom=custom))
        state = re.search(r"state=([^&]+)", r.headers["location"]).group(1)
        page = browser.client.post("/lti/launch", data={"id_token": old_token, "state": state})
    assert page.status_code in (400, 403, 404), page.text
    assert "This launch was refused" in page.text and words in page.text
    assert f'data-code="{code}"' in page.text
    assert "<script>" not in page.text and "x-frame-options" not in page.headers
    refused = [e for e in w.admin.api("GET", "/api/lti/log").json() if e["outcome"] == "refused"]
    assert refused and refused[0]["reason"].startswith(code)
    audit = w.admin.api("GET", "/api/audit").json()
    assert any(a["action"] == "lti_refused" and a["detail"]["code"] == code for a in audit)
    if code != "reused_nonce":  # nobody was signed in or created by a refused launch
        assert "/lti/enter" not in page.text
    browser.close()


def test_key_rotation_keeps_the_old_key_for_the_grace_period(lti_world, monkeypatch):
    w = lti_world
    first = httpx.get(f"{w.server.url}/lti/jwks").json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and "d" not in first[0]
    keys = w.admin.api("GET", "/api/lti/keys").json()
    assert [k["state"] for k in keys] == ["active"]
    new = w.admin.api("POST", "/api/lti/keys/rotate").json()
    kids = [k["kid"] for k in httpx.get(f"{w.server.url}/lti/jwks").json()["keys"]]
    assert kids == [new["kid"], first[0]["kid"]]
    states = {k["kid"]: k["state"] for k in w.admin.api("GET", "/api/lti/keys").json()}
    assert states == {new["kid"]: "active", first[0]["kid"]: "grace"}
    monkeypatch.setenv("SIM_LTI_KEY_GRACE_HOURS", "0")  # the grace period is over
    kids = [k["kid"] for k in httpx.get(f"{w.server.url}/lti/jwks").json()["keys"]]
    assert kids == [new["kid"]]
    states = {k["kid"]: k["state"] for k in w.admin.api("GET", "/api/lti/keys").json()}
    assert states[first[0]["kid"]] == "retired"


def test_platform_registration_checks_its_input(lti_world):
    w = lti_world
    body = w.platform.registration_body(w.program_id)
    r = w.admin.api("POST", "/api/lti/platforms", json=body)
    assert r.status_code == 409 and r.json()["error"]["code"] == "platform_exists"
    r = w.admin.api("POST", "/api/lti/platforms", json={**body, "client_id": "x",
                                                         "key_set_url": "ftp://nope/keys"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "key_set_url"
    r = w.admin.api("POST", "/api/lti/platforms", json={**body, "client_id": "y",
                                                         "program_id": 999})
    assert r.status_code == 422 and r.json()["error"]["field"] == "program_id"
    r = w.admin.api("POST", "/api/lti/platforms", json={**body, "client_id": "z",
                                                         "deployment_ids": []})
    assert r.status_code == 422 and r.json()["error"]["field"] == "deployment_ids"
    tool = w.admin.api("GET", "/api/lti/tool").json()
    assert tool["jwks_url"] == f"{w.server.url}/lti/jwks"
    assert tool["login_url"] == f"{w.server.url}/lti/login"


def test_login_initiation_by_post(lti_world):
    """Platforms may start with a form post (Moodle does) instead of a GET."""
    from urllib.parse import parse_qs, urlparse

    w, platform = lti_world, lti_world.platform
    item = deep_link(w)
    url = platform.login_url("learner-5", [lti.LEARNER], custom=item["custom"])
    params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    browser = Browser(w.server.url)
    r = browser.client.post("/lti/login", data=params)
    assert r.status_code == 302, r.text
    target = urlparse(r.headers["location"])
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{platform.url}/authorize"
    assert query["redirect_uri"] == f"{w.server.url}/lti/launch"
    assert query["client_id"] == lti.CLIENT_ID and query["login_hint"] == "learner-5"
    assert query["response_mode"] == "form_post" and query["prompt"] == "none"
    assert len(query["nonce"]) >= 32 and query["state"].startswith("state-")
    page = browser.client.get(r.headers["location"])
    action, fields = lti.form_fields(page.text)
    landed = browser.client.post(action, data=fields)
    assert landed.status_code == 200 and "in a new window" in landed.text
    browser.close()
