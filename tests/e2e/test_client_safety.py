"""The simulated client's safety features in a real browser: the coach panel explains the
meter in plain words and marks a flag when the trainee is contemptuous; an instructor sees the
flagged turn on Flagged moments and opens its report (risk section, flags). axe-core scans the
new page and the marked panel; screenshots go to docs/screenshots/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
BLOCKING = {"serious", "critical"}


def _scan(page, axe_source: str, where: str) -> None:
    """axe-core through the DevTools protocol (the page's CSP stays on), as in
    test_accessibility.py."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }")
    bad = [v for v in result if v["impact"] in BLOCKING]
    assert not bad, f"axe violations on {where}: {bad}"


def test_abuse_is_marked_for_the_trainee_and_listed_for_instructors(app, page, base_url, console,
                                                                    axe_source, screenshots, staff):
    app.sign_in()
    session_id = app.start("coach")
    app.send("You get to decide what we talk about here.")
    why = page.locator("#meter .why li")
    why.first.wait_for()
    assert why.count() >= 1
    assert "'" not in why.first.inner_text()  # plain words, no driver slugs in quotes
    app.send("Shut up and stop whining, you're pathetic.")
    mark = page.locator("#marks .mark-flag")
    mark.wait_for()
    assert "contempt or abuse" in mark.inner_text()
    assert "Rupture (" in page.locator("#meter").inner_text()
    _scan(page, axe_source, "coach panel with a flag")
    page.screenshot(path=str(screenshots / "coach-flag.png"), full_page=False)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").wait_for()
    # an instructor who teaches this trainee (an instructor's scope is their programs' cohorts)
    app.sign_in_as(staff("instructor"), "#review-filters")
    nav = page.get_by_role("link", name="Flagged moments")
    nav.wait_for()
    nav.click()
    table = page.locator("#flags-table")
    table.wait_for()
    row = table.locator("tbody tr").filter(has_text="pathetic")
    assert row.count() >= 1 and "Abuse" in row.first.inner_text()
    _scan(page, axe_source, "flagged moments")
    page.screenshot(path=str(screenshots / "flags.png"), full_page=True)

    row.first.get_by_role("link").click()
    page.locator("#r-flags-block").wait_for()
    assert "Abuse" in page.locator("#r-flags-block").inner_text()
    assert f"/report/{session_id}" in page.url
    assert console.errors == [], f"console errors: {console.errors}"


def test_trainees_do_not_see_the_flags_link(app, page):
    app.sign_in()
    assert page.get_by_role("link", name="Flagged moments").count() == 0
