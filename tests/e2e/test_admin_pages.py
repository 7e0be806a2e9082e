"""The admin pages and the account pages in chromium: search, invite by one-time link (the
invitee sets their password and signs in), reset link, role change, deactivation, the
last-admin error shown in the row, own password change, and the CSV import that lists every
bad row and imports nothing until the file is good. Every page is scanned with axe."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "demo-password-123"  # the e2e accounts' password (tests/e2e/conftest.py)
NEW = "a-long-and-fresh-passphrase"


def scan(page, axe_source: str, where: str) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(' | ')}`)")
    assert not found, f"axe violations on {where}: {found}"


def login_status(page, base_url, email, password) -> int:
    """A sign-in attempt from a throwaway request context (the page's cookies untouched)."""
    ctx = page.context.browser.new_context()
    try:
        r = ctx.request.post(f"{base_url}/api/auth/login",
                             data={"email": email, "password": password})
        return r.status
    finally:
        ctx.close()


def test_invite_reset_role_and_deactivate(app, other_app, page, base_url, staff, axe_source,
                                          screenshots, console):
    app.sign_in_as(staff("admin"), "#users-table")
    assert "sends no e-mail" in page.locator("#no-email-note").inner_text()
    scan(page, axe_source, "users")
    tag = uuid.uuid4().hex[:8]
    email = f"invitee-{tag}@example.org"

    # a bad address is refused with what is wrong, and nothing is lost from the form
    page.get_by_label("Email", exact=True).fill("not-an-address")
    page.get_by_label("Name", exact=True).fill(f"Robin {tag}")
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.locator("#invite-error")).to_contain_text("exactly one @")
    assert page.get_by_label("Name", exact=True).input_value() == f"Robin {tag}"
    assert page.get_by_label("Email", exact=True).get_attribute("aria-invalid") == "true"

    page.get_by_label("Email", exact=True).fill(email)
    page.locator("#invite-role").select_option("instructor")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#invite-link")
    link.wait_for()
    url = link.input_value()
    assert re.fullmatch(rf"{re.escape(base_url)}/#/invite/[A-Za-z0-9_-]{{40,}}", url)
    assert "shown only now" in page.locator("#link-box").inner_text()
    expect(page.locator(f"#invites-table tr[data-email='{email}']")).to_have_count(1)
    page.screenshot(path=str(screenshots / "admin-users.png"), full_page=True)

    # the invitee opens the link in their own browser and sets a password
    guest = other_app.page
    guest.goto(url)
    guest.get_by_role("heading", name=f"Welcome, Robin {tag}").wait_for()
    scan(guest, axe_source, "invitation")
    guest.screenshot(path=str(screenshots / "invite.png"))
    guest.get_by_label("Choose a password").fill("short")
    guest.get_by_label("The same password again").fill("short")
    guest.get_by_role("button", name="Create my account").click()
    expect(guest.locator("#redeem-new-error")).to_contain_text("at least 10")
    guest.get_by_label("Choose a password").fill(NEW)
    guest.get_by_label("The same password again").fill(NEW + "x")
    guest.get_by_role("button", name="Create my account").click()
    expect(guest.locator("#redeem-again-error")).to_contain_text("differ")
    guest.get_by_label("The same password again").fill(NEW)
    guest.get_by_role("button", name="Create my account").click()
    guest.get_by_role("heading", name="Your account is ready").wait_for()
    assert "/invite/" not in guest.url  # the token left the address bar
    guest.get_by_role("link", name="Sign in").click()
    guest.get_by_label("Email").fill(email)
    guest.get_by_label("Password").fill(NEW)
    guest.get_by_label("Password").press("Enter")
    guest.locator("#review-filters").wait_for()  # an instructor's home
    guest.goto(url)  # used: says so
    expect(guest.locator(".notice-error")).to_contain_text("already been used")

    # the admin finds the new account, makes a reset link, changes the role, deactivates
    page.reload()
    page.get_by_label("Search by name or email").fill(f"robin {tag}")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#users-status")).to_have_text("Showing 1–1 of 1 account(s).")
    expect(page.locator(f"#invites-table tr[data-email='{email}']")).to_have_count(0)
    row = page.locator(f"#users-table tr[data-email='{email}']")
    row.get_by_role("button", name=f"Password reset link for Robin {tag}").click()
    reset_url = page.locator("#reset-link").input_value()
    assert "/#/reset/" in reset_url
    row.get_by_label(f"Role of Robin {tag}").select_option("trainee")
    expect(page.locator("#announcer")).to_contain_text(f"Robin {tag} is now trainee")

    guest.goto(reset_url)
    guest.get_by_role("heading", name="Set a new password").wait_for()
    guest.get_by_label("Choose a password").fill("another-fresh-passphrase")
    guest.get_by_label("The same password again").fill("another-fresh-passphrase")
    guest.get_by_role("button", name="Set my new password").click()
    guest.get_by_role("heading", name="Your password is set").wait_for()
    assert login_status(page, base_url, email, NEW) == 401
    assert login_status(page, base_url, email, "another-fresh-passphrase") == 200

    row.get_by_role("button", name=f"Deactivate Robin {tag}").click()
    row = page.locator(f"#users-table tr[data-email='{email}']")
    expect(row).to_contain_text("Deactivated")
    assert login_status(page, base_url, email, "another-fresh-passphrase") == 401
    row.get_by_role("button", name=f"Reactivate Robin {tag}").click()
    expect(page.locator(f"#users-table tr[data-email='{email}']")).to_contain_text("Active")
    # the browser logs each refused request (the 422s and the 409 this test provokes on
    # purpose, and checks on the page); anything else is a real error
    refused = "Failed to load resource: the server responded with a status of 4"
    assert [e for e in console.errors + other_app.console.errors if refused not in e] == []


def test_last_admin_error_is_shown_in_the_row(app, page, staff):
    """The rule itself is tested on the API (tests/api/test_admin.py); this browser has many
    admins, so the server's 409 is replayed for this one request to show how the row reports
    it and puts the role back."""
    email = staff("admin")
    app.sign_in_as(email, "#users-table")
    body = ('{"error": {"code": "last_admin", "field": "role", "message": "x@example.org is '
            'the last active administrator and cannot be demoted; make another account an '
            'administrator first."}}')
    page.route(re.compile(r".*/api/users/\d+$"), lambda route: route.fulfill(
        status=409, body=body, content_type="application/json"))
    # the signed-in admin's own row: a stable row, not one of a list a search is replacing
    row = page.locator(f"#users-table tr[data-email='{email}']")
    select = row.locator("select")
    select.select_option("trainee")
    expect(row.locator(".row-error")).to_contain_text("last active administrator")
    assert select.input_value() == "admin"


def test_own_password_change(app, page, base_url, axe_source, screenshots):
    app.sign_in()
    page.get_by_role("link", name="Account").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    scan(page, axe_source, "account")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#pw-current-error")).to_have_text("is not your current password")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password again").fill("something-else-entirely")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#pw-again-error")).to_contain_text("differ")
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#pw-done")).to_contain_text("Your password was changed")
    page.screenshot(path=str(screenshots / "account.png"))
    assert login_status(page, base_url, app.email, PASSWORD) == 401
    assert login_status(page, base_url, app.email, NEW) == 200
    page.reload()  # this sign-in stayed
    page.get_by_role("heading", name="Your account").wait_for()


def test_csv_import_reports_every_bad_row_and_imports_nothing(app, page, base_url, staff,
                                                              axe_source, screenshots,
                                                              tmp_path):
    app.sign_in_as(staff("admin"), "#users-table")
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import users from CSV").wait_for()
    scan(page, axe_source, "import")
    tag = uuid.uuid4().hex[:8]
    bad = (f"email,name,role\n"
           f"ann-{tag}@example.org,Ann {tag},trainee\n"
           f"bob-{tag}.example.org,Bob {tag},trainee\n"
           f"cy-{tag}@example.org,,instructor\n"
           f"dee-{tag}@example.org,Dee {tag},supervisor\n")
    path = tmp_path / "people.csv"
    path.write_text(bad, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(path))
    expect(page.get_by_label("Or paste the CSV text")).to_have_value(bad)
    page.get_by_role("button", name="Import and make invitation links").click()
    table = page.locator("#csv-errors")
    table.wait_for()
    rows = [r.locator("th, td").all_inner_texts() for r in table.locator("tbody tr").all()]
    assert [(r[0], r[1]) for r in rows] == [("3", "Email"), ("4", "Display name"), ("5", "Role")]
    assert "exactly one @" in rows[0][2]
    assert "allowed: trainee, instructor, admin" in rows[2][2]
    assert "Nothing was imported: 3 problem(s)" in page.locator("#csv-errors-summary").inner_text()
    scan(page, axe_source, "import with errors")
    page.screenshot(path=str(screenshots / "admin-import.png"), full_page=True)
    pending = page.request.get(f"{base_url}/api/admin/invites").json()
    assert not [i for i in pending if tag in i["email"]]  # not even Ann's good row

    good = (f"email,name,role\n"
            f"ann-{tag}@example.org,Ann {tag},trainee\n"
            f"bob-{tag}@example.org,Bob {tag},trainee\n"
            f"cy-{tag}@example.org,\"Ortiz, Cy\",instructor\n")
    page.get_by_label("Or paste the CSV text").fill(good)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#csv-result")).to_contain_text("3 people are ready to be invited")
    page.get_by_role("button", name="Import and make invitation links").click()
    expect(page.locator("#csv-done")).to_contain_text("3 invitation(s) made")
    assert page.locator("#csv-invited tbody tr").count() == 3
    with page.expect_download() as info:
        page.locator("#csv-links").click()
    lines = info.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == "email,display_name,role,link" and len(lines) == 4
    assert f'"cy-{tag}@example.org","Ortiz, Cy","instructor","{base_url}/#/invite/' in lines[3]
    pending = page.request.get(f"{base_url}/api/admin/invites").json()
    assert len([i for i in pending if tag in i["email"]]) == 3
