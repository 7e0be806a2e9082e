"""Every page loads with no console errors (CSP in force) and passes an axe-core scan with no
serious or critical violations. axe is evaluated through the DevTools protocol, so the page's
strict Content-Security-Policy stays on while we scan."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}


def _scan(page, axe_source: str, where: str) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }")
    bad = [v for v in result if v["impact"] in BLOCKING]
    assert not bad, f"axe violations on {where}:\n" + "\n".join(
        f"  {v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in bad)


def test_every_page_is_clean_and_accessible(app, page, base_url, console, axe_source):
    page.goto(f"{base_url}/")
    page.get_by_label("Email").wait_for()
    _scan(page, axe_source, "sign-in")
    app.sign_in()
    _scan(page, axe_source, "scenario library")

    session_id = app.start("coach")
    app.send("It sounds like you have had enough of people telling you what to do.")
    app.send("What would you want from this hour, if anything?")
    _scan(page, axe_source, "chat (coach mode)")
    page.get_by_role("button", name="Try a different reply here instead of turn 1").click()
    page.locator("#reply").fill("Coming here was not your choice.")
    page.locator("#reply").press("Enter")
    page.locator("#compare:not([hidden])").wait_for()
    _scan(page, axe_source, "chat with branch comparison")

    page.get_by_role("button", name="End session and see report").click()
    page.locator("#r-curve-block svg.chart").wait_for()
    _scan(page, axe_source, f"report {session_id}")

    page.goto(f"{base_url}/#/progress")
    page.locator("#progress-table").wait_for()
    _scan(page, axe_source, "my progress")

    app.start("exam", index=1)
    app.send("What brings you in?")
    _scan(page, axe_source, "chat (exam mode)")

    assert console.errors == [], f"console errors: {console.errors}"
