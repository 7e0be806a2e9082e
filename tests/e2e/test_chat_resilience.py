"""What a trainee trips over in the chat, in chromium against the real app: a failed send while
rewound (item 12), a stream that drops after the server finished the turn (13), a hung reply,
raw errors, ending an exam by accident, Escape and screen-reader announcements (14).
Network faults are made with Playwright routing; everything else is the real server."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e

VISIBLE_MESSAGES = ("() => [...document.querySelectorAll('#transcript .msg')]"
                    ".filter(m => !m.hidden).length")


def start_persona(app, page, persona: str, mode: str = "coach") -> str:
    page.goto(f"{app.base_url}/#/library")
    page.locator("article.persona").first.wait_for()
    page.locator(f"#mode-{mode}").check()
    page.locator(f'[data-start="{persona}"]').click()
    page.locator("#reply").wait_for()
    return str(page.url.rsplit("/", 1)[-1])


def announced(page, words: str) -> None:
    page.wait_for_function("(w) => document.getElementById('announcer').textContent.includes(w)",
                           arg=words)


def test_a_failed_send_while_rewound_keeps_the_conversation_and_cancel_restores_it(app, page):
    app.sign_in()
    sid = app.start("coach")
    app.send("What brings you here today?")
    app.send("It sounds like this was not your idea.")
    shown = page.evaluate(VISIBLE_MESSAGES)
    assert shown == 5  # opening line + two exchanges
    page.locator("[data-rewind]").nth(1).click()
    assert page.locator("#rewind-bar").get_attribute("role") == "status"
    announced(page, "Rewinding to turn 2")
    page.route(f"**/api/sessions/{sid}/turns", lambda route: route.abort("internetdisconnected"))
    page.locator("#reply").fill("What would you rather be doing?")
    page.locator("#reply").press("Enter")
    page.locator("#form-error:not([hidden])").wait_for()
    # before: the rewound-over replies were deleted from the page and "Failed to fetch" shown
    assert page.locator("#form-error").inner_text() == (
        "Could not reach the server. Check your connection, then try again.")
    assert page.evaluate(VISIBLE_MESSAGES) == shown
    assert page.locator("#reply").input_value() == "What would you rather be doing?"
    page.locator("#reply").press("Escape")  # Escape cancels the rewind
    assert page.locator("#rewind-bar").is_hidden()
    assert page.locator("#transcript .msg-dim").count() == 0
    assert page.evaluate(VISIBLE_MESSAGES) == shown
    announced(page, "Rewind cancelled")


def test_a_dropped_stream_shows_the_reply_the_server_finished(app, page):
    app.sign_in()
    sid = app.start("coach")

    def cut_short(route):
        response = route.fetch()  # the real server runs (and saves) the whole turn
        lines = response.text().splitlines(keepends=True)
        route.fulfill(status=200, content_type="application/x-ndjson", body="".join(lines[:2]))

    page.route(f"**/api/sessions/{sid}/turns", cut_short)
    page.locator("#reply").fill("What brings you here today?")
    page.locator("#reply").press("Enter")
    page.locator("#send:not([disabled])").wait_for()
    saved = page.evaluate(f"async () => (await (await fetch('/api/sessions/{sid}')).json()).turns")
    assert saved[-1]["status"] == "complete"
    bubble = page.locator("#transcript .msg-client").last
    assert bubble.locator(".msg-text").inner_text() == saved[-1]["client_text"]
    assert page.locator("#transcript .typing").count() == 0  # no "…" left behind
    assert page.locator("#notices .notice-error").count() == 0  # no dead-end Retry
    assert page.locator("[data-retry]").count() == 0


def test_a_hung_reply_can_be_stopped(app, page):
    app.sign_in()
    sid = app.start("coach")
    held = []
    page.route(f"**/api/sessions/{sid}/turns", lambda route: held.append(route))  # never answers
    page.locator("#reply").fill("Are you still there?")
    page.locator("#reply").press("Enter")
    stop = page.get_by_role("button", name="Stop waiting")
    stop.wait_for()
    stop.click()
    page.locator("#notices .notice-error").wait_for()
    assert "You stopped waiting for this reply" in page.locator("#notices").inner_text()
    assert page.locator("#send").is_enabled() and stop.is_hidden()
    assert held, "the request was sent"


def test_a_signed_out_error_says_so_and_links_to_sign_in(app, page):
    app.sign_in()
    sid = app.start("coach")
    page.route(f"**/api/sessions/{sid}/turns", lambda route: route.fulfill(
        status=401, content_type="application/json",
        body=json.dumps({"error": {"code": "unauthorized", "message": "Sign in first."}})))
    page.locator("#reply").fill("Hello?")
    page.locator("#reply").press("Enter")
    error = page.locator("#form-error:not([hidden])")
    error.wait_for()
    assert "You are signed out" in error.inner_text() and "Sign in first." not in error.inner_text()
    assert error.get_by_role("link", name="Sign in again").get_attribute("href") == "#/login"
    assert page.locator("#reply").input_value() == "Hello?"


def test_ending_an_exam_asks_first(app, page, base_url):
    app.sign_in()
    sid = app.start("exam")
    app.send("What brings you here today?")
    page.get_by_role("button", name="End session and see report").click()
    confirm = page.locator("#confirm-end")
    assert confirm.is_visible() and "cannot add replies" in confirm.inner_text()
    assert page.url.endswith(f"/session/{sid}")
    confirm.get_by_role("button", name="Keep going").click()
    assert confirm.is_hidden()
    status = page.evaluate(
        f"async () => (await (await fetch('/api/sessions/{sid}')).json()).status")
    assert status == "active"
    page.get_by_role("button", name="End session and see report").click()
    confirm.get_by_role("button", name="End exam").click()
    page.wait_for_url(f"{base_url}/#/report/{sid}")


def test_a_rupture_is_announced(app, page):
    app.sign_in()
    start_persona(app, page, "silent-adolescent")
    app.send("You need to stop making excuses and just do what you are told.")
    assert page.locator("#coach .rupture").is_visible()
    announced(page, "Rupture: the client feels pushed away")
