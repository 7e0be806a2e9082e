"""Readable on a tablet (one column, nothing wider than the screen) and a clean printout of the
report (no navigation or buttons, the chart kept)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_tablet_portrait_stacks_the_coach_under_the_chat(app, page, base_url):
    page.set_viewport_size({"width": 820, "height": 1180})
    app.sign_in()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    app.start("coach")
    app.send("It sounds like being here was someone else's idea.")
    composer = page.locator("#composer").bounding_box()
    coach = page.locator("#coach").bounding_box()
    assert composer and coach
    assert coach["y"] >= composer["y"] + composer["height"] - 1, "coach panel should sit below"
    assert coach["width"] > 700, "coach panel should take the full width on a tablet"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("button", name="End session and see report").click()
    page.locator("#r-curve-block svg.chart").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.goto(f"{base_url}/#/progress")
    page.locator("#progress-table").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_report_prints_without_chrome(app, page):
    app.sign_in()
    app.start("coach")
    app.send("What would make today useful for you?")
    page.get_by_role("button", name="End session and see report").click()
    page.locator("#r-curve-block svg.chart").wait_for()
    assert page.locator(".topbar").is_visible()
    assert page.locator(".exports").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator(".exports").is_visible()
    assert page.locator("#r-curve-block svg.chart").is_visible()
    assert page.locator("#r-objectives-block").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
