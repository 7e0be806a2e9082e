"""What the trainee sees when a turn fails or the voice falls back. The scripted voice never
fails, so the turn stream is replaced at the network layer (Playwright routing) with the exact
events docs/API.md defines; everything else is the real app."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FAKE_TURN_ID = 987654


def _ndjson(*events: dict) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def test_failed_turn_offers_retry_and_fallback_is_announced(app, page):
    app.sign_in()
    session_id = app.start("coach")
    seen: list[dict] = []

    def failing_turn(route):
        request = route.request
        seen.append({"url": request.url, "csrf": request.headers.get("x-csrf-token"),
                     "body": request.post_data_json})
        route.fulfill(status=200, content_type="application/x-ndjson", body=_ndjson(
            {"type": "turn", "turn_id": FAKE_TURN_ID, "branch_of": None},
            {"type": "error", "code": "voice_failed", "message": "The voice timed out.",
             "turn_id": FAKE_TURN_ID}))

    def retry(route):
        request = route.request
        seen.append({"url": request.url, "csrf": request.headers.get("x-csrf-token")})
        turn = {"id": FAKE_TURN_ID, "index": 1, "parent_id": None, "status": "complete",
                "trainee_text": "Hello there.", "client_text": "Fine. Whatever.",
                "voice": "scripted",
                "fallback_notice": None, "error": None, "created_at": None, "score": None,
                "state": None, "changes": [], "disclosed_now": []}
        route.fulfill(status=200, content_type="application/x-ndjson", body=_ndjson(
            {"type": "turn", "turn_id": FAKE_TURN_ID, "branch_of": None},
            {"type": "notice", "message": "The LLM voice failed; the scripted voice took over."},
            {"type": "token", "text": "Fine. "}, {"type": "token", "text": "Whatever."},
            {"type": "result", "turn": turn}))

    page.route(f"**/api/sessions/{session_id}/turns", failing_turn)
    page.route(f"**/api/sessions/{session_id}/turns/{FAKE_TURN_ID}/retry", retry)

    page.locator("#reply").fill("Hello there.")
    page.locator("#reply").press("Enter")
    alert = page.locator("#notices .notice-error")
    alert.wait_for()
    assert "This turn failed: The voice timed out." in alert.inner_text()
    assert "text is kept" in alert.inner_text()
    failed = page.locator("#transcript .msg-trainee.msg-failed .msg-text")
    assert failed.text_content() == "Hello there."
    retry_button = alert.get_by_role("button", name="Retry")
    assert page.evaluate("() => document.activeElement.textContent") == "Retry"
    assert seen[0]["body"] == {"text": "Hello there."}
    assert seen[0]["csrf"], "the POST must carry X-CSRF-Token"

    retry_button.click()
    page.locator("#notices .notice-warning").wait_for()
    assert "scripted voice took over" in page.locator("#notices .notice-warning").inner_text()
    assert "(fallback)" in page.locator("#voice-label").inner_text()
    assert seen[1]["url"].endswith(f"/api/sessions/{session_id}/turns/{FAKE_TURN_ID}/retry")
    assert seen[1]["csrf"] == seen[0]["csrf"]
    assert page.locator("#notices .notice-error").count() == 0


def test_http_error_keeps_the_text_and_says_why(app, page):
    app.sign_in()
    session_id = app.start("coach")
    page.route(f"**/api/sessions/{session_id}/turns", lambda route: route.fulfill(
        status=409, content_type="application/json",
        body=json.dumps({"error": {"code": "turn_in_progress",
                                   "message": "A turn is already in progress for this session."}})))
    page.locator("#reply").fill("Are you still with me?")
    page.locator("#reply").press("Enter")
    error = page.locator("#form-error")
    error.wait_for()
    assert error.inner_text() == "A turn is already in progress for this session."
    assert page.locator("#reply").input_value() == "Are you still with me?"
    assert page.locator("#transcript .msg-trainee").count() == 0


@pytest.mark.parametrize("mode", ["exam", "coach"])
def test_a_failed_turn_is_still_offered_for_retry_after_a_reload(app, page, mode):
    """Before: after a reload the failed reply was gone from the chat (it is not on the active
    path), so the trainee had to remember and retype it; in an exam there was no way back to
    it at all. The session's real answer is kept and one failed turn (as the server stores it
    after a voice failure) is added after its head, then the page is reloaded."""
    app.sign_in()
    session_id = app.start(mode)
    page.locator("#reply").fill("What brings you in today?")
    page.locator("#reply").press("Enter")
    page.locator("#transcript [data-reply-to]").first.wait_for()

    def with_a_failed_turn(route):
        body = route.fetch().json()
        body["branch_turns"].append({
            "id": FAKE_TURN_ID, "index": body["turn_count"] + 1,
            "parent_id": body["head_turn_id"], "status": "failed",
            "trainee_text": "Can you say more about that?", "client_text": None,
            "voice": None, "fallback_notice": None, "error": "the voice timed out",
            "created_at": None, "score": None, "state": None, "changes": [],
            "disclosed_now": []})
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    def retry(route):
        turn = {"id": FAKE_TURN_ID, "index": 2, "parent_id": None, "status": "complete",
                "trainee_text": "Can you say more about that?", "client_text": "Not really.",
                "voice": "scripted", "fallback_notice": None, "error": None,
                "created_at": None, "score": None, "state": None, "changes": [],
                "disclosed_now": []}
        route.fulfill(status=200, content_type="application/x-ndjson", body=_ndjson(
            {"type": "turn", "turn_id": FAKE_TURN_ID, "branch_of": None},
            {"type": "token", "text": "Not really."}, {"type": "result", "turn": turn}))

    page.route(f"**/api/sessions/{session_id}", with_a_failed_turn)
    page.route(f"**/api/sessions/{session_id}/turns/{FAKE_TURN_ID}/retry", retry)
    page.reload()
    alert = page.locator("#notices .notice-error")
    alert.wait_for()
    assert "This turn failed: the voice timed out. Your text is kept." in alert.inner_text()
    failed = page.locator("#transcript .msg-trainee.msg-failed")
    assert failed.locator(".msg-text").text_content() == "Can you say more about that?"
    assert failed.locator("[data-rewind]").count() == 0  # retried, never rewound to
    with page.expect_request(f"**/api/sessions/{session_id}/turns/{FAKE_TURN_ID}/retry"):
        alert.get_by_role("button", name="Retry").click()
    # the retried reply streams in and is announced (the page then redraws from the server,
    # which has never heard of this made-up turn, so the bubble itself does not stay)
    expect(page.locator("#announcer")).to_contain_text("Client: Not really.")
    assert page.locator("#notices .notice-error").count() == 0
