"""The review loop in chromium, with real sessions and real AI ratings (offline scorer):
a trainee practises; an instructor finds the session with the filters, reads it read-only,
agrees with or corrects the AI's rating of every turn, comments and sends feedback; the
agreement page shows kappa computed from exactly those verdicts (checked against an
independent computation here); the export downloads in the scorer's training format; the
trainee reads the feedback on their report. Every page is scanned with axe."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DIMS = ("validation", "curiosity", "confrontation", "process_comment")
REPLIES = [
    "What brings you in today?",
    "It sounds like coming here was not your idea, and that is frustrating.",
    "You need to stop making excuses and take this seriously.",
    "I pushed too hard just now. What would you rather talk about?",
]
SPARE_CODES = ("affirm", "persuade", "giving_information", "emphasizing_autonomy")


def scan(page, axe_source: str, where: str) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(' | ')}`)")
    assert not found, f"axe violations on {where}: {found}"


def kappa(pairs):
    """Cohen's kappa written out independently of the server's module."""
    n = len(pairs)
    both = sum(a and b for a, b in pairs)
    neither = sum(not a and not b for a, b in pairs)
    po = (both + neither) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else (po - pe) / (1 - pe)


def plan(ai_dims, ai_codes, turn_no):
    """The verdict the instructor gives on turn turn_no (1-based): dimension choices, code
    choices and missed codes, and the final view they imply."""
    dims = {d: "agree" for d in DIMS}
    codes = {c: "agree" for c in ai_codes}
    missed = []
    if turn_no == 2:
        dims["curiosity"] = "absent" if ai_dims["curiosity"] else "present"
        if ai_codes:
            codes[ai_codes[0]] = "absent"
        missed = [next(c for c in SPARE_CODES if c not in ai_codes)]
    elif turn_no == 3:
        dims["confrontation"] = "absent" if ai_dims["confrontation"] else "present"
        dims["validation"] = "absent" if ai_dims["validation"] else "present"
    elif turn_no == 4:
        dims["process_comment"] = "absent" if ai_dims["process_comment"] else "present"
    final = {d: ai_dims[d] if v == "agree" else v == "present" for d, v in dims.items()}
    final_codes = [c for c in ai_codes if codes[c] == "agree"] + missed
    return dims, codes, missed, final, final_codes


def test_instructor_reviews_rates_and_the_agreement_table_follows(
        app, other_app, page, base_url, staff, axe_source, screenshots, tmp_path, console):
    # a trainee practises and ends the session
    trainee = other_app
    trainee.sign_in()
    trainee_name = trainee.page.locator("#account-name").inner_text()
    session_id = trainee.start("coach")
    for text in REPLIES:
        trainee.send(text)
    trainee.page.get_by_role("button", name="End session and see report").click()
    trainee.page.locator("#r-curve-block").wait_for()

    # the instructor finds it with the filters
    app.sign_in_as(staff("instructor"), "#review-filters")
    me = page.locator("#account-name").inner_text()
    scan(page, axe_source, "review list")
    trainee_option = page.locator("#f-trainee option", has_text=f"{trainee_name} (")
    page.get_by_label("Trainee", exact=True).select_option(trainee_option.get_attribute("value"))
    page.get_by_label("Status").select_option("ended")
    page.get_by_role("button", name="Show sessions").click()
    expect(page.locator("#sessions-status")).to_have_text("Showing sessions 1–1 of 1.")
    row = page.locator(f"#session-table tr[data-session='{session_id}']")
    assert trainee_name in row.inner_text() and "Ended" in row.inner_text()
    page.screenshot(path=str(screenshots / "review-list.png"), full_page=True)

    row.get_by_role("link", name="Review").click()
    page.locator("#review-transcript").wait_for()
    scan(page, axe_source, "session review")
    detail = page.request.get(f"{base_url}/api/review/sessions/{session_id}").json()
    turns = [t for t in detail["turns"] if t["active"]]
    assert [t["trainee_text"] for t in turns] == REPLIES

    pairs = {d: [] for d in DIMS}
    code_pairs: dict[str, list[tuple[bool, bool]]] = {}
    finals = {}
    for n, turn in enumerate(turns, start=1):
        ai_dims = {d: bool(turn["score"][d]["present"]) for d in DIMS}
        ai_codes = list(dict.fromkeys(c["code"] for c in turn["score"]["codes"]))
        dims, codes, missed, final, final_codes = plan(ai_dims, ai_codes, n)
        box = page.locator(f"#turn-{turn['id']}")
        box.locator("summary").click()
        for d, choice in dims.items():
            box.locator(f"#r{turn['id']}-{d}").select_option(choice)
        for c, choice in codes.items():
            box.locator(f"#r{turn['id']}-code-{c}").select_option(choice)
        for c in missed:
            box.locator(f"#r{turn['id']}-miss-{c}").check()
        if n == 2:
            box.get_by_label("Note (optional)").fill("A reflection, not a question.")
        box.get_by_role("button", name="Save verdict").click()
        badge = page.locator(f"#turn-{turn['id']} summary .verdict")
        expect(badge).not_to_have_text("Not rated yet")
        changed = final != ai_dims or set(final_codes) != set(ai_codes)
        assert ("Changed" in badge.inner_text()) is changed
        for d in DIMS:
            pairs[d].append((ai_dims[d], final[d]))
        for c in set(ai_codes) | set(final_codes):
            code_pairs.setdefault(c, [])
        finals[turn["id"]] = (final, final_codes, ai_dims, ai_codes)
    for turn in turns:  # codes never used on a turn still count that turn as 'absent, absent'
        final, final_codes, ai_dims, ai_codes = finals[turn["id"]]
        for c in code_pairs:
            code_pairs[c].append((c in ai_codes, c in final_codes))

    # comments (one shared with the trainee, one for reviewers) and feedback
    second, third = turns[1]["id"], turns[2]["id"]
    page.locator(f"#c{second}-text").fill("Good reflection: you named the frustration.")
    page.locator(f"#c{second}-shared").check()
    page.locator(f"#turn-{second}").get_by_role("button", name="Add comment").click()
    expect(page.locator(f"#turn-{second} .comment")).to_have_count(1)
    page.locator(f"#c{third}-text").fill("Reviewers only: a textbook confrontation.")
    page.locator(f"#turn-{third}").get_by_role("button", name="Add comment").click()
    expect(page.locator(f"#turn-{third} .comment")).to_have_count(1)
    page.get_by_label(f"Feedback for {trainee_name}").fill(
        "You recovered well after the confrontation. Next time, reflect before you ask.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#feedback-list li")).to_have_count(1)
    for turn in (turns[0], turns[2], turns[3]):  # fold the other verdicts, as a reader would
        page.locator(f"#turn-{turn['id']} summary").click()
    page.screenshot(path=str(screenshots / "review-session.png"), full_page=True)

    # the agreement table, from exactly these verdicts
    page.get_by_role("link", name="Agreement").click()
    page.locator("#kappa-dimensions").wait_for()
    page.get_by_label("Only my verdicts").check()
    expect(page.locator("#agreement-summary")).to_contain_text("4 rated turn(s) by 1 reviewer(s)")
    scan(page, axe_source, "agreement")
    for table, name, rows in [*(("#kappa-dimensions", d, pairs[d]) for d in DIMS),
                              *(("#kappa-codes", c, r) for c, r in code_pairs.items())]:
        cells = page.locator(f"{table} tr[data-name='{name}'] td").all_inner_texts()
        both = sum(a and b for a, b in rows)
        ai_only = sum(a and not b for a, b in rows)
        inst_only = sum(b and not a for a, b in rows)
        neither = sum(not a and not b for a, b in rows)
        assert cells[:5] == [str(len(rows)), str(both), str(ai_only), str(inst_only),
                             str(neither)], (name, cells)
        k = kappa(rows)
        assert cells[6] == ("—" if k is None else f"{k:.2f}"), (name, cells, k)
    dims_shown = page.locator("#kappa-dimensions tbody tr").count()
    assert dims_shown == 4
    page.screenshot(path=str(screenshots / "agreement.png"), full_page=True)

    # the export: one training item per verdict, in the scorer's format
    with page.expect_download() as info:
        page.locator("#export-link").click()
    path = tmp_path / "overrides.jsonl"
    info.value.save_as(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4
    by_reply = {r["reply"]: r for r in records}
    for turn in turns:
        final, final_codes, ai_dims, _ = finals[turn["id"]]
        rec = by_reply[turn["trainee_text"]]
        assert list(rec) == ["id", "context", "reply", "codes", "validation", "curiosity",
                             "confrontation", "process_comment", "source", "note"]
        assert rec["context"] == turn["context"] and rec["source"] == "instructor"
        assert rec["codes"] == final_codes
        for d in DIMS:
            assert (rec[d] >= 1) is final[d]
            if final[d] and not ai_dims[d]:
                assert rec[d] == 2  # corrected to present: the codebook's middle level
    assert by_reply[REPLIES[1]]["note"] == "A reflection, not a question."
    from scoring.training import corpus

    if hasattr(corpus, "load_overrides"):
        assert len(corpus.load_overrides(path)) == 4

    # the trainee reads the feedback and the shared comment, not the reviewers' note
    trainee.page.goto(f"{base_url}/#/report/{session_id}")
    trainee.page.reload()  # it was already showing this report, from before the review
    block = trainee.page.locator("#r-feedback-block")
    block.wait_for()
    text = block.inner_text()
    assert "Feedback from your instructor" in text and me in text
    assert "You recovered well after the confrontation" in text
    assert "On turn 2" in text and "Good reflection" in text
    assert "textbook confrontation" not in text
    block.screenshot(path=str(screenshots / "report-feedback.png"))
    scan(trainee.page, axe_source, "report with feedback")
    assert console.errors == [] and trainee.console.errors == []
