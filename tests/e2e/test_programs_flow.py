"""Issue 12 in a real chromium: an admin creates a program and a cohort, imports 30 trainees by
CSV and assigns two scenarios with a due date; a trainee completes one in exam mode (trying to
rewind), fills in the evaluation and downloads the certificate; the verification page confirms
it; the instructor's cohort CSV shows it. Every new page gets an axe-core scan."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sim.cli.serve import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def scan(page, axe_source: str, where: str) -> None:
    """axe-core through the DevTools protocol (the page's CSP stays on); no serious or
    critical violations allowed (as tests/e2e/test_accessibility.py)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))}))")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {where}: {bad}"

REPLIES = ["It sounds like coming here was not your idea.",
           "What would make this hour worth your time?",
           "It sounds like people keep deciding things for you."]


def _sign_in(browser, base_url, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base_url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.locator("#nav").wait_for()
    return context, page, errors


def test_program_cohort_exam_certificate_verification(browser, base_url, app, axe_source,
                                                      screenshots, tmp_path):
    trainee = app.email
    # an existing account keeps its name (a CSV row does not rename anyone): "Trainee N"
    name = "Trainee " + trainee.split("@")[0].rsplit("-", 1)[-1]
    due = (date.today() + timedelta(days=14)).isoformat()
    # -- the admin: program, cohort, 30 trainees by CSV, two scenarios with a due date
    ctx, admin, errors = _sign_in(browser, base_url, "admin@example.org")
    admin.goto(f"{base_url}/#/programs")
    admin.get_by_label("Title").fill("CE: Working with resistance")
    admin.get_by_label("Approval statement (printed on certificates)").fill(
        "Approved for 1.5 CE hours by the Example Board of Behavioral Sciences (provider 123).")
    admin.get_by_label(re.compile(r"Demo Instructor")).check()
    scan(admin, axe_source, "programs")
    admin.get_by_role("button", name="Create program").click()
    admin.get_by_label("Cohort name").fill("Autumn cohort")
    scan(admin, axe_source, "program")
    admin.get_by_role("button", name="Create cohort").click()
    admin.locator("#import-form").wait_for()
    rows = ["email,display_name", f"{trainee},Alex Trainee"]
    rows += [f"cohort-{i}@example.org,Cohort Trainee {i}" for i in range(29)]
    upload = tmp_path / "trainees.csv"
    upload.write_text("\n".join(rows) + "\n", encoding="utf-8")
    admin.get_by_label("CSV file (columns email, display_name)").set_input_files(str(upload))
    admin.get_by_role("button", name="Import trainees").click()
    expect(admin.locator("#cohort-flash")).to_contain_text("Imported 30 row(s): 30 enrolled")
    for title, persona in (("Week 1: the silent adolescent", "silent-adolescent"),
                           ("Week 2: burned by therapy", "therapy-burned")):
        admin.get_by_label("Title").fill(title)
        admin.locator(f"#a-p-{persona}").check()
        admin.get_by_label("Mode").select_option("exam")
        admin.get_by_label("Due date").fill(due)
        admin.get_by_label("Credit hours").fill("1.5")
        admin.get_by_label("Pass: at least this many scored turns").fill("3")
        admin.get_by_role("button", name="Assign").click()
        expect(admin.locator("#cohort-flash")).to_contain_text(f"Assignment {title} created")
    expect(admin.locator("#assignment-list li")).to_have_count(2)
    expect(admin.locator("#dashboard-table tbody tr")).to_have_count(30)
    scan(admin, axe_source, "cohort")
    admin.screenshot(path=str(screenshots / "programs-cohort.png"), full_page=True)
    cohort_url = admin.url
    assert errors == [], errors
    ctx.close()

    # -- the trainee: My assignments, an exam attempt (a rewind is refused), evaluation
    page = app.page
    app.sign_in()
    page.goto(f"{base_url}/#/assignments")
    expect(page.locator("article.assignment")).to_have_count(2)
    scan(page, axe_source, "my assignments")
    page.get_by_role("button", name="Start silent-adolescent (exam mode)").click()
    page.locator("#reply").wait_for()
    session_id = page.url.rsplit("/", 1)[-1]
    for text in REPLIES:
        app.send(text)
    expect(page.locator("button.rewind")).to_have_count(0)  # no rewind in exam mode
    expect(page.locator("#reply-hint")).to_contain_text("cannot be taken back")
    status, body = page.evaluate("""async (sid) => {
        const me = await (await fetch('/api/auth/me')).json();
        const r = await fetch(`/api/sessions/${sid}/turns`, {method: 'POST', headers: {
          'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token},
          body: JSON.stringify({text: 'Let me take that back.', parent_turn_id: null})});
        return [r.status, await r.json()]; }""", session_id)
    assert status == 409 and body["error"]["code"] == "rewind_disabled", body
    page.get_by_role("button", name="End session and see report").click()
    page.get_by_role("button", name="End exam").click()  # an exam asks first
    expect(page.locator("#record-summary")).to_contain_text("3 replies written: 3 on the kept")
    page.goto(f"{base_url}/#/assignments")
    card = page.locator("article.assignment").first
    expect(card.locator(".status")).to_have_text("Passed")
    card.get_by_role("link", name="Fill in the evaluation").click()
    for question in ("objectives_met", "relevance", "quality"):
        page.locator(f"#{question}-5").check()
    page.locator("#bias-yes").check()
    page.get_by_label("What will you change in your practice?").fill("Reflect before asking.")
    scan(page, axe_source, "evaluation")
    page.get_by_role("button", name="Submit the evaluation").click()
    page.get_by_role("button", name="Get the certificate").click()
    link = page.locator("a[data-certificate]")
    code = link.get_attribute("data-certificate")
    with page.expect_download() as download:
        link.click()
    pdf_path = tmp_path / "certificate.pdf"
    download.value.save_as(pdf_path)
    text = PdfReader(str(pdf_path)).pages[0].extract_text()
    for needed in (name, "Week 1: the silent adolescent", "Credit hours: 1.5",
                   "Example Board of Behavioral Sciences", code):
        assert needed in text, needed
    page.screenshot(path=str(screenshots / "programs-assignments.png"), full_page=True)

    # -- the public verification page (a fresh browser, nobody signed in)
    anon = browser.new_context()
    verify = anon.new_page()
    verify.goto(f"{base_url}/#/verify/{code}")
    expect(verify.locator("#verify-result")).to_have_text(
        f"Valid certificate, issued to {name}.")
    assert "@" not in verify.locator("main").inner_text()  # the name only, no email
    scan(verify, axe_source, "verification")
    verify.screenshot(path=str(screenshots / "programs-verify.png"))
    anon.close()

    # -- the instructor: the cohort dashboard and its CSV show the pass
    ctx, teach, errors = _sign_in(browser, base_url, "instructor@example.org")
    expect(teach.get_by_role("link", name="Programs")).to_be_visible()
    teach.goto(cohort_url)
    expect(teach.locator("#dash-counts")).to_contain_text("1 passed")
    with teach.expect_download() as download:
        teach.locator("#cohort-csv").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8"))))
    mine = [r for r in rows if r["email"] == trainee]
    assert {r["assignment"]: r["status"] for r in mine} == {
        "Week 1: the silent adolescent": "passed", "Week 2: burned by therapy": "not_started"}
    assert len(rows) == 60
    teach.screenshot(path=str(screenshots / "programs-dashboard.png"), full_page=True)
    assert errors == [], errors
    ctx.close()


def test_my_data_join_and_activation_pages(app, page, base_url, axe_source):
    app.sign_in()
    page.goto(f"{base_url}/#/privacy")
    expect(page.locator("#export-me")).to_be_visible()
    scan(page, axe_source, "my data")
    page.get_by_label("Type your email address to confirm").fill("wrong@example.org")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#deletion-error")).to_contain_text("confirm_email")
    page.goto(f"{base_url}/#/join/not-a-real-code")
    page.get_by_role("button", name="Join this cohort").click()
    expect(page.locator(".notice-error")).to_contain_text("not valid")
    scan(page, axe_source, "join")
    page.goto(f"{base_url}/#/activate/not-a-real-token-123")
    page.get_by_label(re.compile("Choose a password")).fill("a-long-password-1")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#activate-error")).to_contain_text("not valid")
    scan(page, axe_source, "activation")
