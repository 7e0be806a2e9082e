"""The trainee's path in a real chromium: sign in, pick a persona, practise with the client's
replies streamed and scored, rewind and branch, read the report and export the transcript."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

REPLIES = [
    "It sounds like coming here was not your idea, and that is frustrating.",
    "What would make this hour worth your time?",
    "You should stop pretending everything is fine.",
]
MORE = [
    "Honestly, you need to admit the jokes are a way of avoiding the problem.",
    "I pushed there; that's on me. What would you rather we talk about?",
]
XSS = "<img src=x onerror=window.__xss=1>"

WATCH_TOKENS = """() => {
  window.__tokenNodes = 0;
  const log = document.getElementById('transcript');
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        const inReply = r.target.closest && r.target.closest('.msg-client');
        if (n.nodeType === Node.TEXT_NODE && inReply) window.__tokenNodes += 1;
      }
    }
  }).observe(log, { childList: true, subtree: true });
}"""


def _percent(text: str) -> int:
    match = re.search(r"(\d+)%", text)
    assert match, f"no percentage in {text!r}"
    return int(match.group(1))


def test_library_filters_narrow_the_cards(app, page):
    app.sign_in()
    cards = page.locator("article.persona")
    total = cards.count()
    assert total >= 2
    difficulties = [c.get_attribute("data-persona") for c in cards.all()]
    assert len(set(difficulties)) == total  # one card per persona
    page.get_by_label("Difficulty").select_option("advanced")
    shown = cards.count()
    assert 0 < shown <= total
    for card in cards.all():
        assert "Advanced" in card.locator(".chips").inner_text()
    page.get_by_label("Difficulty").select_option("")
    page.get_by_label("Driver").select_option("relational")
    for card in cards.all():
        assert "Relational" in card.locator(".chips").inner_text()
    page.get_by_label("Search").fill("zzzz-no-such-scenario")
    assert cards.count() == 0
    assert "No scenario matches" in page.locator("#persona-list").inner_text()
    first = page.locator("article.persona")
    page.get_by_label("Search").fill("")
    page.get_by_label("Driver").select_option("")
    card = first.first
    # what the trainee may know before starting: summary, client basics, objectives
    assert card.locator(".persona-summary").inner_text().strip()
    assert card.locator("dl.facts dt").count() >= 4
    assert card.locator("ul.objectives li").count() >= 1


def test_coach_session_streams_scores_rewinds_and_reports(app, page, base_url, screenshots):
    app.sign_in()
    session_id = app.start("coach")
    assert page.locator("#mode-label").inner_text() == "Coach mode"
    assert re.match(r"Voice: (scripted|LLM)", page.locator("#voice-label").inner_text())
    assert page.locator("#transcript [data-opening]").inner_text().strip()

    page.evaluate(WATCH_TOKENS)
    for i, text in enumerate(REPLIES, start=1):
        app.send(text)
        mine = page.locator("#transcript .msg-trainee").nth(i - 1)
        assert mine.locator(".msg-text").text_content() == text
        assert page.locator("#ratings .rating").count() == 4
        assert page.locator("#ratings-title").inner_text() == f"Your reply (turn {i})"
        # the evidence is shown inside the reply text itself, as marked text
        assert page.locator("#ratings .reply-quote").text_content() == text
        assert page.locator("#meter").is_visible()
    # the live region read the client's last reply out
    last_reply = page.locator("#transcript .msg-client .msg-text").last.text_content()
    expect(page.locator("#announcer")).to_have_text(re.compile("^Client: " + re.escape(last_reply)))
    # tokens arrived one by one: at least one text node per reply was appended while streaming
    assert page.evaluate("() => window.__tokenNodes") >= 2 * len(REPLIES)

    # the meter shows what the server stored for the last turn
    detail = page.request.get(f"{base_url}/api/sessions/{session_id}").json()
    assert len(detail["turns"]) == len(REPLIES)
    last = detail["turns"][-1]
    assert last["score"] is not None and last["state"] is not None
    resistance = page.locator("#meter .meter-row").first.inner_text()
    assert _percent(resistance) == round(last["state"]["resistance"] * 100)
    bubbles = page.locator("#transcript .msg-client:not([data-opening])").all()
    for turn, bubble in zip(detail["turns"], bubbles, strict=True):
        assert bubble.locator(".msg-text").text_content() == turn["client_text"]
    if any(c["reason"] for c in last["changes"]):
        assert page.locator("#meter .why li").count() >= 1
    page.screenshot(path=str(screenshots / "chat.png"))

    # rewind: replace the second reply and compare the two branches side by side
    page.get_by_role("button", name="Try a different reply here instead of turn 2").click()
    assert page.locator("#rewind-bar").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "reply"
    alternative = "I hear that being here feels pointless right now."
    page.locator("#reply").fill(alternative)
    page.locator("#reply").press("Enter")
    page.locator("#compare:not([hidden])").wait_for()
    columns = page.locator("#compare .branch-col")
    assert columns.count() == 2
    assert REPLIES[1] in columns.nth(0).inner_text()
    assert alternative in columns.nth(1).inner_text()
    assert REPLIES[1] not in columns.nth(1).inner_text()
    after = page.request.get(f"{base_url}/api/sessions/{session_id}").json()
    assert [t["trainee_text"] for t in after["turns"]] == [REPLIES[0], alternative]
    assert len(after["branches"]) >= 2
    # carry on along the new branch; the comparison follows it
    for text in MORE:
        app.send(text)
    assert MORE[-1] in columns.nth(1).inner_text()
    assert MORE[-1] not in columns.nth(0).inner_text()
    after = page.request.get(f"{base_url}/api/sessions/{session_id}").json()
    assert len(after["turns"]) == 2 + len(MORE)
    # after a reload the comparison is still offered, from the branches the API lists
    page.reload()
    page.locator("#compare:not([hidden])").wait_for()
    assert MORE[-1] in page.locator("#compare .branch-col").nth(1).inner_text()
    earlier = page.locator("#compare .branch-col").nth(0).inner_text()
    assert "Other branch" in earlier and REPLIES[1] in earlier  # its text, not only its label

    # end the session and read the report
    page.get_by_role("button", name="End session and see report").click()
    page.locator("#r-curve").wait_for()
    chart = page.locator(".report-block svg.chart").first
    assert chart.locator("path.series").count() == 2
    assert chart.locator("circle.dot").count() == 2 * (len(after["turns"]) + 1)
    report = page.request.get(f"{base_url}/api/sessions/{session_id}/report").json()
    assert chart.locator("line.marker-line").count() == len(report["turning_points"])
    assert page.locator(".objective-results li").count() == len(report["objectives"])
    assert page.locator(".moments > li").count() == len(report["key_moments"])
    assert page.locator(".dim-grid figure").count() == 4
    summary = report["summary"]
    assert f"({summary['rq_band']})" in page.locator("#miti-rq").inner_text()
    assert f"({summary['pct_complex_band']})" in page.locator("#miti-cr").inner_text()
    used = [code for code, n in summary["code_counts"].items() if n]
    assert page.locator("table.counts tbody tr").count() == len(used)
    for spark, dim in zip(page.locator(".dim-grid svg.spark").all(), summary["trajectories"],
                          strict=True):
        assert spark.locator("rect.spark-bar").count() == len(summary["trajectories"][dim])
    page.screenshot(path=str(screenshots / "report.png"), full_page=True)

    # export: the JSON download carries the conversation; CSV and Markdown are served too
    with page.expect_download() as info:
        page.locator("[data-export=json]").click()
    download = info.value
    body = json.loads(download.path().read_text(encoding="utf-8"))
    assert alternative in json.dumps(body)
    for fmt in ("csv", "md"):
        href = page.locator(f"[data-export={fmt}]").get_attribute("href")
        resp = page.request.get(f"{base_url}{href}")
        assert resp.status == 200
        assert "attachment" in resp.headers.get("content-disposition", "")
        assert REPLIES[0].split(",")[0] in resp.text()


def test_exam_mode_hides_feedback_until_the_end(app, page, base_url):
    app.sign_in()
    session_id = app.start("exam")
    assert page.locator("#mode-label").inner_text() == "Exam mode"
    app.send("What brings you here today?")
    app.send("It sounds like this has been a long road.")
    assert page.locator("#exam-note").is_visible()
    assert page.locator("#ratings .rating").count() == 0
    assert page.locator("#meter").count() == 0
    assert page.locator("#transcript .msg-client").count() == 3
    detail = page.request.get(f"{base_url}/api/sessions/{session_id}").json()
    assert all(t["score"] is None for t in detail["turns"])
    page.get_by_role("button", name="End session and see report").click()
    page.get_by_role("button", name="End exam").click()  # an exam asks first
    page.locator("#r-curve-block svg.chart").wait_for()
    assert page.locator("#r-curve-block svg.chart path.series").count() == 2


def test_shift_enter_adds_a_line_and_enter_sends(app, page):
    app.sign_in()
    app.start("coach")
    box = page.locator("#reply")
    box.fill("")
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")
    assert box.input_value() == "first line\nsecond line"
    assert page.locator("#transcript .msg-trainee").count() == 0
    box.press("Enter")
    page.locator("#send:not([disabled])").wait_for()
    page.locator("#transcript .msg-client").nth(1).wait_for()
    sent = page.locator("#transcript .msg-trainee .msg-text").first
    assert sent.text_content() == "first line\nsecond line"
    # an empty reply is refused in the browser with a clear message, nothing is sent
    box.press("Enter")
    assert page.locator("#form-error").inner_text() == "Write a reply before sending."
    assert page.locator("#transcript .msg-trainee").count() == 1


def test_xss_payload_is_shown_as_plain_text(app, page, base_url):
    app.sign_in()
    session_id = app.start("coach")
    app.send(XSS)
    bubble = page.locator("#transcript .msg-trainee .msg-text").first
    assert bubble.text_content() == XSS
    assert page.locator("#transcript img, #coach img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    # the report and the comparison quote it as text too
    page.goto(f"{base_url}/#/report/{session_id}")
    page.locator("#r-curve").wait_for()
    assert page.locator("main img").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_progress_lists_past_sessions_with_a_trend(app, page, base_url):
    app.sign_in()
    for reply in ("What would you like to get out of today?",
                  "It sounds like you would rather be anywhere else."):
        session_id = app.start("coach")
        app.send(reply)
        page.get_by_role("button", name="End session and see report").click()
        page.locator("#r-curve").wait_for()
    page.get_by_role("link", name="My progress").click()
    table = page.locator("#progress-table")
    table.wait_for()
    assert table.locator("tbody tr").count() == 2
    newest = page.request.get(f"{base_url}/api/me/progress").json()[0]
    assert newest["id"] == int(session_id)
    first = table.locator("tbody tr").first.inner_text()
    assert "Ended" in first
    assert f"{round(newest['headline']['final_alliance'] * 100)}%" in first
    trend = page.locator("#trend-title + svg.chart, section svg.chart").first
    assert trend.locator("path.series").count() == 2
    assert trend.locator("circle.dot").count() == 4


def test_signing_in_returns_to_the_page_asked_for(app, page, base_url):
    app.sign_in()
    session_id = app.start("coach")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").wait_for()
    page.goto(f"{base_url}/#/report/{session_id}")
    page.get_by_label("Email").fill(app.email)
    page.get_by_label("Password").fill("demo-password-123")
    page.get_by_label("Password").press("Enter")
    page.locator("#r-curve").wait_for()
    assert page.url.endswith(f"#/report/{session_id}")
