"""The persona studio in a real chromium, typed the way a person types (Playwright
keyboard.type with a per-key delay): a new instructor goes from a blank persona to a published
one that passes the behaviour battery; an invalid draft saves with its errors listed (the same
lines the CLI prints); form and YAML follow each other; history, diff, restore and a test-drive;
trainees get no studio. Each page is scanned with axe."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest
from playwright.sync_api import expect

from sim.personas import PersonaError, parse_persona

pytestmark = pytest.mark.e2e

KEY_DELAY_MS = 25  # a brisk typist: about 40 keys a second, with every key sent separately
PASSWORD = "demo-password-123"
_instructors = itertools.count(1)


def new_instructor(base_url: str) -> str:
    """A brand-new instructor account, made by the demo admin through the API."""
    email = f"new-instructor-{next(_instructors)}-{int(time.time())}@example.org"
    with httpx.Client(base_url=base_url) as http:
        r = http.post("/api/auth/login", json={"email": "admin@example.org", "password": PASSWORD})
        assert r.status_code == 200, r.text
        r = http.post("/api/users", headers={"X-CSRF-Token": r.json()["csrf_token"]}, json={
            "email": email, "display_name": "Noor Instructor", "password": PASSWORD,
            "role": "instructor"})
        assert r.status_code == 201, r.text
    return email


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.locator("#nav a").first.wait_for()  # the role's own home (Review, Users)


def type_into(page, selector: str, text: str) -> None:
    """Click a field, select what is there, and type over it key by key."""
    field = page.locator(selector)
    field.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text, delay=KEY_DELAY_MS)


def editor_text(page) -> str:
    return page.evaluate("() => document.getElementById('yaml-editor').yamlEditor.getText()")


def issues_shown(page) -> list[str]:
    return [t.strip() for t in page.locator("#issues li").all_inner_texts()]


@pytest.fixture
def scan_page(axe_source):
    def run(page, where):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe violations on {where}: {bad}"
    return run


def test_new_instructor_goes_from_blank_to_published(page, base_url, console, screenshots,
                                                     scan_page):
    email = new_instructor(base_url)
    sign_in(page, base_url, email)
    started = time.monotonic()
    page.get_by_role("link", name="Persona studio").click()
    page.locator("#studio-personas").wait_for()
    scan_page(page, "studio list")

    type_into(page, "#new-id", "anxious-student")
    page.get_by_role("button", name="Create draft").click()
    page.locator("#yaml-editor .cm-content").wait_for()
    expect(page.locator("#issues-summary")).to_contain_text("No problems found")
    expect(page.locator("#studio-state")).to_contain_text("Draft v1")

    # the form, typed into field by field; each change lands in the YAML
    type_into(page, "#f-title", "Maya, 19 — first-year student who says she is fine")
    type_into(page, "#f-summary", "Maya was sent by her tutor after missing three weeks of "
              "lectures. She says everything is fine and wants to get this over with.")
    type_into(page, "#f-client-name", "Maya Okafor")
    type_into(page, "#f-client-occupation", "First-year biology student")
    type_into(page, "#f-client-presenting_concern", "Missed lectures, stopped answering messages")
    type_into(page, "#f-voice-opening_line", "My tutor made me come. I'm fine, honestly.")
    yaml_text = editor_text(page)
    assert "name: Maya Okafor" in yaml_text and "My tutor made me come." in yaml_text

    # a mistake: the age below the schema's minimum is listed live, with the CLI's wording
    type_into(page, "#f-client-age", "9")
    expect(page.locator("#issues-summary")).to_contain_text("1 problem")
    shown = issues_shown(page)
    assert len(shown) == 1 and shown[0].startswith("anxious-student.yaml:")
    assert "client.age: Input should be greater than or equal to 12" in shown[0]
    assert page.locator("#yaml-editor .cm-lint-marker-error").count() >= 1

    # it still saves, as a draft with its errors listed, and cannot be published
    type_into(page, "#save-note", "first pass, age to check")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#studio-message")).to_contain_text("Saved as draft v2 with 1 problem")
    expect(page.locator("#publish")).to_be_disabled()
    expect(page.locator("#history-table tr[data-version='2']")).to_contain_text("No (1 problem)")
    saved = page.request.get(f"{base_url}/api/studio/personas/anxious-student/versions/2").json()
    assert saved["yaml"].count("age: 9") == 1 and "first pass" in saved["note"]
    try:  # what `sim personas validate anxious-student.yaml` prints for the saved text
        parse_persona(saved["yaml"], filename="anxious-student.yaml", stem="anxious-student")
        cli = []
    except PersonaError as exc:
        cli = [str(i) for i in exc.issues]
    assert issues_shown(page) == cli
    scan_page(page, "studio editor with an invalid draft")
    page.screenshot(path=str(screenshots / "studio-editor.png"), full_page=False)

    # fixed in the YAML itself: the problem in the list takes the cursor to the value, and the
    # form follows the text
    page.locator("#issues button.issue").first.click()
    assert page.evaluate("() => document.activeElement.id") == "yaml-input"
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.type("19", delay=KEY_DELAY_MS)
    assert "  age: 19\n" in editor_text(page)
    expect(page.locator("#issues-summary")).to_contain_text("No problems found")
    expect(page.locator("#f-client-age")).to_have_value("19")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#studio-message")).to_contain_text("Saved as draft v3.")
    page.get_by_role("button", name="Run the battery").click()
    expect(page.locator("#battery-status")).to_contain_text("passes the behaviour battery")
    assert page.locator("#battery svg.chart").count() == 3
    strokes = page.eval_on_selector_all(  # both lines of every chart are drawn in colour
        "#battery path.series", "paths => paths.map((p) => getComputedStyle(p).stroke)")
    assert len(strokes) == 6 and "none" not in strokes and len(set(strokes)) == 2
    scan_page(page, "studio battery")
    page.locator("#battery").screenshot(path=str(screenshots / "studio-battery.png"))

    page.get_by_role("button", name="Publish v3").click()
    expect(page.locator("#studio-message")).to_contain_text("Published as v4")
    elapsed = time.monotonic() - started
    print(f"\nstudio: a new instructor went from a blank persona to a published one that "
          f"passes the battery in {elapsed:.1f} s (typing at {KEY_DELAY_MS} ms a key)")
    assert elapsed < 600

    # trainees now get v4 in their library
    cards = page.request.get(f"{base_url}/api/personas").json()
    mine = next(c for c in cards if c["id"] == "anxious-student")
    assert mine["version"] == 4 and mine["client"]["age"] == 19

    # history: a diff between any two versions, rendered as a table, and restore
    page.get_by_label("From version").select_option("1")
    page.get_by_label("To version").select_option("3")
    page.get_by_role("button", name="Show differences").click()
    expect(page.locator("#diff-summary")).to_contain_text("v1 → v3")
    added = page.locator("#diff-table tr.diff-added").all_inner_texts()
    assert any("Maya Okafor" in row and "added" in row for row in added)
    removed = page.locator("#diff-table tr.diff-removed").all_inner_texts()
    assert any("Sam Example" in row and "removed" in row for row in removed)
    scan_page(page, "studio history and diff")
    page.locator("#history").screenshot(path=str(screenshots / "studio-history.png"))
    page.get_by_role("button", name="Restore version 2 as a new draft").click()
    expect(page.locator("#studio-message")).to_contain_text("Restored as draft v5")
    expect(page.locator("#f-client-age")).to_have_value("9")
    expect(page.locator("#issues-summary")).to_contain_text("1 problem")
    assert console.errors == [], console.errors


def test_test_drive_chats_with_a_draft_and_counts_nowhere(page, base_url, console, scan_page):
    email = new_instructor(base_url)
    sign_in(page, base_url, email)
    page.goto(f"{base_url}/#/studio")
    page.locator("#new-id").wait_for()
    type_into(page, "#new-id", "drive-me")
    page.locator("#source-copy").check()
    page.get_by_label("Persona to copy").select_option("silent-adolescent")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#f-client-name")).to_have_value("Dylan Mwangi")
    page.get_by_role("button", name="Test-drive").click()
    page.locator("#reply").wait_for()
    expect(page.locator("#chat-title")).to_contain_text("test drive, v1")
    page.locator("#reply").click()
    page.keyboard.type("It sounds like coming here was not your idea.", delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    page.locator("#send:not([disabled])").wait_for()
    assert page.locator("#transcript .msg-client").count() == 2
    scan_page(page, "test-drive chat")
    progress = page.request.get(f"{base_url}/api/me/progress").json()
    assert progress == []
    assert console.errors == [], console.errors


def test_trainees_have_no_studio(app, page, base_url):
    app.sign_in()
    assert page.get_by_role("link", name="Persona studio").count() == 0
    r = page.request.get(f"{base_url}/api/studio/personas")
    assert r.status == 403 and "instructors and administrators" in r.json()["error"]["message"]
    page.goto(f"{base_url}/#/studio")
    expect(page.locator("main")).to_contain_text("The persona studio is for instructors")


@pytest.mark.parametrize("email,can_edit", [("instructor@example.org", False),
                                            ("admin@example.org", True)])
def test_the_seed_library_is_read_only_for_instructors_and_editable_by_admins(
        page, base_url, console, scan_page, email, can_edit):
    sign_in(page, base_url, email)
    page.goto(f"{base_url}/#/studio/silent-adolescent")
    page.locator("#yaml-editor .cm-content").wait_for()
    expect(page.locator("#f-client-name")).to_have_value("Dylan Mwangi")
    state = page.locator("#studio-state").inner_text()
    if can_edit:
        expect(page.locator("#save-draft")).to_be_enabled()
        assert "Read only" not in state
    else:
        expect(page.locator("#save-draft")).to_be_disabled()
        expect(page.locator("#f-client-name")).to_be_disabled()
        assert "Read only: copy it to change it" in state
    # everyone on the staff can still run it and read its history
    expect(page.locator("#run-battery")).to_be_enabled()
    import yaml

    from sim.config import REPO_ROOT

    seeded = yaml.safe_load((REPO_ROOT / "personas" / "silent-adolescent.yaml").read_text(
        encoding="utf-8"))["version"]
    expect(page.locator(f"#history-table tr[data-version='{seeded}']")).to_contain_text(
        "seed library")
    scan_page(page, f"studio editor as {email.split('@')[0]}")
    assert console.errors == [], console.errors


def test_a_form_edit_rewrites_only_its_own_lines(page, base_url):
    """yaml-edit.js, run in chromium: a value set from the form is spliced in where it stands;
    comments, folded blocks and every other line stay as the author wrote them."""
    from sim.config import REPO_ROOT

    original = (REPO_ROOT / "personas" / "silent-adolescent.yaml").read_text(encoding="utf-8")
    page.goto(f"{base_url}/")
    page.get_by_label("Email").wait_for()
    edited = page.evaluate("""async (text) => {
      const m = await import('/static/js/studio/yaml-edit.js');
      for (const [path, value] of [[['client', 'age'], 17], [['client', 'name'], 'Dylan M '],
                                   [['client', 'name'], 'Dylan M'], [['tags'], ['alpha', 'beta']],
                                   [['resistance', 'triggers', 2, 'note'], 'Shorter note.']]) {
        text = m.applyEdit(text, {op: 'set', path, value});
      }
      return text;
    }""", "# a comment the author wrote\n" + original)
    assert edited.startswith("# a comment the author wrote\n")
    before, after = ("# a comment the author wrote\n" + original).splitlines(), edited.splitlines()
    changed = [line for line in after if line not in before]
    assert changed == ["tags: [alpha, beta]", "  name: Dylan M", "  age: 17",
                       "        Shorter note."]
    assert len(before) - len(after) == 1  # the two-line note became one line
    persona = parse_persona(edited, stem="silent-adolescent")
    assert (persona.client.age, persona.client.name) == (17, "Dylan M")
    assert persona.tags == ["alpha", "beta"]
