"""LTI 1.3 in a real chromium, against the real platform implementation of the API tests
(lti1p3platform) on loopback: an admin registers the LMS and rotates the key on the LMS page;
an LMS instructor picks a scenario (deep linking) and the signed response lands back in the
LMS; a learner launches from a course page that frames the tool on another site (localhost vs
127.0.0.1), opens the practice room in a new window and lands on the assignment; a refused
launch shows its page. Every new page gets an axe-core scan and a screenshot."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from sim.cli.serve import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

_spec = importlib.util.spec_from_file_location(
    "lti_platform", Path(__file__).resolve().parents[1] / "api" / "programs" / "lti_platform.py")
assert _spec and _spec.loader
lti = importlib.util.module_from_spec(_spec)
sys.modules["lti_platform"] = lti
_spec.loader.exec_module(lti)


def scan(page, axe_source: str, where: str) -> None:
    """axe-core (no serious or critical violations), as tests/e2e/test_accessibility.py."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))}))")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {where}: {bad}"


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


def test_lti_admin_deep_link_and_launch_in_a_new_window(browser, base_url, axe_source,
                                                        screenshots):
    # the LMS lives on "localhost", the tool on 127.0.0.1: another site, as in production
    platform = lti.TestPlatform(base_url, host="localhost")
    try:
        _flow(browser, base_url, axe_source, screenshots, platform)
    finally:
        platform.close()


def _flow(browser, base_url, axe_source, screenshots, platform):
    api = httpx.Client(base_url=base_url, timeout=30)
    r = api.post("/api/auth/login", json={"email": "admin@example.org",
                                          "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
    pid = api.post("/api/programs", json={"title": "MI through the LMS"}, headers=csrf).json()["id"]

    # -- the admin registers the LMS on the LMS page and rotates the signing key
    context, page, errors = _context(browser)
    page.goto(f"{base_url}/")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.locator("#nav").wait_for()
    page.get_by_role("link", name="LMS").click()
    expect(page.get_by_role("heading", name="LMS connections (LTI 1.3)")).to_be_visible()
    expect(page.locator("#tool-values")).to_contain_text(f"{base_url}/lti/jwks")
    body = platform.registration_body(pid)
    form = page.locator("#platform-form")
    form.get_by_label("Name").fill(body["name"])
    form.get_by_label("Issuer (iss)").fill(body["issuer"])
    form.get_by_label("Client id (this tool on the LMS)").fill(body["client_id"])
    form.get_by_label("Deployment ids (one per line)").fill("\n".join(body["deployment_ids"]))
    form.get_by_label("Authorisation (OIDC auth) URL").fill(body["auth_login_url"])
    form.get_by_label("Access token URL").fill(body["auth_token_url"])
    form.get_by_label("Platform keyset (JWKS) URL").fill(body["key_set_url"])
    form.get_by_label("Program its launches land in").select_option(str(pid))
    form.get_by_role("button", name="Register the platform").click()
    expect(page.locator("#platforms")).to_contain_text(body["issuer"])
    page.get_by_role("button", name="Rotate the signing key").click()
    expect(page.locator("#key-status")).to_contain_text("is active")
    expect(page.locator("#keys tbody tr")).to_have_count(2)
    scan(page, axe_source, "LMS connections")
    page.screenshot(path=str(screenshots / "lti-admin.png"), full_page=True)
    assert errors == [], errors
    context.close()

    # -- an LMS instructor picks a scenario (deep linking); the LMS accepts the signed answer
    context, page, errors = _context(browser)
    page.goto(platform.login_url("teacher-9", [lti.INSTRUCTOR], deep_link=True,
                                 name="Tess Teacher"))
    expect(page.get_by_role("heading", name="Choose a scenario for")).to_be_visible()
    scan(page, axe_source, "deep-linking picker")
    page.screenshot(path=str(screenshots / "lti-picker.png"), full_page=True)
    page.locator("input[name=persona_id]").nth(1).check()
    page.get_by_label("Title in the LMS").fill("Practice: first session")
    page.get_by_label("Mode", exact=True).select_option("exam")
    page.get_by_role("button", name="Add to the course").click()
    expect(page.get_by_role("heading", name="Added 1 item(s)")).to_be_visible()
    (item,) = platform.deep_links[-1]
    assert item["title"] == "Practice: first session" and item["lineItem"]["scoreMaximum"] == 100
    assert errors == [], errors
    context.close()
    line = platform.add_lineitem(dict(item["lineItem"]))
    aid = item["custom"]["assignment_id"]

    # -- a learner launches from the course page, where the tool is framed by another site
    context, page, errors = _context(browser)
    launch = platform.login_url("learner-9", [lti.LEARNER], resource_link="rl-e2e",
                                custom=item["custom"], lineitem=line["id"], name="Lee Learner")
    page.goto(f"{platform.url}/course?launch={quote(launch, safe='')}")
    frame = page.frame_locator("#tool")
    button = frame.get_by_role("link", name="Open Practice: first session in a new window")
    expect(button).to_be_visible()
    inner = next(f for f in page.frames if "/lti/launch" in f.url)
    scan(inner, axe_source, "launch page (in the LMS frame)")
    page.screenshot(path=str(screenshots / "lti-launch.png"))
    with context.expect_page() as opened:
        button.click()
    window = opened.value
    window.wait_for_url(f"**/#/assignments/{aid}")
    card = window.locator(f'article[data-assignment="{aid}"]')
    expect(card).to_contain_text("Practice: first session")
    expect(card.get_by_role("heading", name="Practice: first session")).to_be_focused()
    expect(window.locator("#account-name")).to_have_text("Lee Learner")
    scan(window, axe_source, "my assignments after a launch")
    window.screenshot(path=str(screenshots / "lti-landed.png"))
    expect(frame.locator("#open-note")).to_contain_text("Opened in a new window")
    assert errors == [], errors

    # -- a sign-in link that was used or made up: refused, with a page saying why
    again = context.new_page()
    again.goto(f"{base_url}/lti/enter?code=already-used-or-made-up")
    expect(again.get_by_role("heading", name="This launch was refused")).to_be_visible()
    expect(again.locator("#refusal")).to_contain_text("already used or is older")
    scan(again, axe_source, "refusal page")
    again.screenshot(path=str(screenshots / "lti-refused.png"))
    context.close()
    api.close()
