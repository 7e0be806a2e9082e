"""Role-aware navigation in chromium: each role's own menu and home page; pages of other roles
say so; an instructor opening a trainee's session gets the read-only review (none of the
trainee's controls), and the report says whose session it is."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

MENUS = {
    "trainee": ["Scenarios", "My progress", "My assignments", "My data", "Account"],
    "instructor": ["Review", "Agreement", "Flagged moments", "Persona studio", "Programs",
                   "Scenarios", "My practice", "Account"],
    "admin": ["Users", "Import", "Programs", "LMS", "Review", "Agreement", "Flagged moments",
              "Persona studio", "Account"],
}


def scan(page, axe_source: str, where: str) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
    assert not found, f"axe violations on {where}: {found}"


def menu(page) -> list[str]:
    return [a.inner_text() for a in page.locator("#nav a").all()]


def test_each_role_has_its_menu_and_home(app, other_app, page, base_url, staff):
    app.sign_in()
    assert menu(page) == MENUS["trainee"]
    assert page.url.endswith("#/library")
    assert page.locator("#nav a[aria-current=page]").inner_text() == "Scenarios"
    page.goto(f"{base_url}/#/review")
    page.get_by_role("heading", name="Not available").wait_for()
    assert "for instructors and administrators" in page.locator("main").inner_text()
    page.goto(f"{base_url}/#/users")
    page.get_by_role("heading", name="Not available").wait_for()

    other_app.sign_in_as(staff("instructor"), "#review-filters")
    assert menu(other_app.page) == MENUS["instructor"]
    assert other_app.page.url.endswith("#/review")
    other_app.page.goto(f"{base_url}/#/users")
    other_app.page.get_by_role("heading", name="Not available").wait_for()
    other_app.page.goto(f"{base_url}/#/")
    other_app.page.locator("#review-filters").wait_for()  # `#/` is the role's home
    app.page.goto(f"{base_url}/#/account")
    app.page.locator("#pw-title").wait_for()


def test_admin_home_is_the_user_list_and_admins_review_too(app, page, staff, axe_source):
    app.sign_in_as(staff("admin"), "#users-table")
    assert menu(page) == MENUS["admin"]
    assert page.url.endswith("#/users")
    assert page.locator("#nav a[aria-current=page]").inner_text() == "Users"
    for name, ready in (("Review", "#review-filters"), ("Agreement", "#agreement-summary"),
                        ("Flagged moments", "#flags-table, #no-flags"),
                        ("Persona studio", "#new-persona"), ("Account", "#pw-title")):
        page.get_by_role("link", name=name, exact=True).click()
        page.locator(ready).wait_for()
        assert page.locator("#nav a[aria-current=page]").inner_text() == name
        scan(page, axe_source, f"admin: {name}")


def test_instructor_gets_a_read_only_review_of_a_trainees_session(app, other_app, page,
                                                                   base_url, staff):
    app.sign_in()
    trainee = page.locator("#account-name").inner_text()
    session_id = app.start("coach")
    app.send("It sounds like coming here was not your idea.")
    app.send("What would make this worth your time?")

    teach = other_app.page
    other_app.sign_in_as(staff("instructor"), "#review-filters")
    teach.goto(f"{base_url}/#/session/{session_id}")
    teach.locator("#review-transcript").wait_for()
    assert teach.url.endswith(f"#/review/{session_id}")
    for control in ("#reply", "#send", "#end-session", "[data-rewind]", "#composer"):
        assert teach.locator(control).count() == 0, control
    assert teach.get_by_role("button", name="End session and see report").count() == 0
    labels = [w.text_content().strip() for w in teach.locator("#review-transcript .who").all()]
    assert not [x for x in labels if x.lower() == "you"]
    assert labels.count(f"Trainee ({trainee})") == 2
    assert f"Session of {trainee}" in teach.locator(".review-whose").inner_text()
    assert "Read-only" in teach.locator("#read-only-note").inner_text()

    teach.get_by_role("link", name="Open the report").click()
    teach.locator("#r-curve-block").wait_for()
    assert teach.locator("#report-whose").inner_text() == f"Session of {trainee}"
    assert teach.get_by_role("link", name=f"Review {trainee}'s conversation").count() == 1
    # the trainee's own report says it is theirs
    page.goto(f"{base_url}/#/report/{session_id}")
    page.locator("#r-curve-block").wait_for()
    assert page.locator("#report-whose").inner_text().startswith("Your session")
    assert other_app.console.errors == [] and app.console.errors == []
