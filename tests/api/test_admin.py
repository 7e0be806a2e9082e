"""Accounts through the API: search, invitations and reset links (one-time, expiring, hashed at
rest), role changes with last-admin protection, own password change, and CSV import that
reports every bad row and imports nothing until the whole file is good."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlmodel import Session, select

NEW = "a-brand-new-passphrase"


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[-1]


def test_user_search_filters_and_pages(api):
    r = api.admin.get("/api/admin/users", params={"q": "TEACH"})
    assert r.status_code == 200
    assert [u["email"] for u in r.json()["items"]] == ["teach@example.org"]
    trainees = api.admin.get("/api/admin/users", params={"role": "trainee"}).json()
    assert {u["email"] for u in trainees["items"]} == {"owner@example.org", "other@example.org"}
    api.admin.request("PATCH", f"/api/users/{api.other.user['id']}", json={"active": False})
    inactive = api.admin.get("/api/admin/users", params={"active": False}).json()
    assert [u["email"] for u in inactive["items"]] == ["other@example.org"]
    page = api.admin.get("/api/admin/users", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    api.owner.start()
    owner = api.admin.get("/api/admin/users", params={"q": "owner@"}).json()["items"][0]
    assert owner["sessions"] == 1 and owner["active"] is True


def test_invite_link_is_one_time_hashed_and_makes_the_account(api, tools):
    r = api.admin.post("/api/admin/invites", json={
        "email": " New.Person@Example.org ", "display_name": "New Person", "role": "instructor"})
    assert r.status_code == 201, r.text
    body = r.json()
    token = token_of(body["link"])
    assert body["link"].startswith("/#/invite/") and len(token) >= 40
    assert body["invite"]["email"] == "new.person@example.org"
    assert body["invite"]["status"] == "pending" and body["invite"]["created_by_name"] == "boss"
    from sim.admin.models import Invite

    with Session(api.engine) as db:
        row = db.exec(select(Invite)).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in row.token_hash
    listed = api.admin.get("/api/admin/invites").json()
    assert [i["email"] for i in listed] == ["new.person@example.org"]
    again = api.admin.post("/api/admin/invites", json={
        "email": "new.person@example.org", "display_name": "Twice"})
    assert again.status_code == 409 and "pending invitation" in again.json()["error"]["message"]
    taken = api.admin.post("/api/admin/invites", json={
        "email": "owner@example.org", "display_name": "Owner"})
    assert taken.status_code == 409 and taken.json()["error"]["field"] == "email"

    info = api.anonymous.post("/api/account/links/check", json={"token": token})
    assert info.json() == {"kind": "invite", "email": "new.person@example.org",
                           "display_name": "New Person", "expires_at": info.json()["expires_at"]}
    weak = api.anonymous.post("/api/account/links/redeem", json={"token": token,
                                                                  "password": "short"})
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "password"
    as_email = api.anonymous.post("/api/account/links/redeem", json={
        "token": token, "password": "new.person@example.org"})
    assert as_email.status_code == 422 and "email" in as_email.json()["error"]["message"]
    done = api.anonymous.post("/api/account/links/redeem", json={"token": token,
                                                                  "password": NEW})
    assert done.status_code == 200 and done.json()["role"] == "instructor"
    used = api.anonymous.post("/api/account/links/redeem", json={"token": token,
                                                                  "password": NEW})
    assert used.status_code == 409 and used.json()["error"]["code"] == "link_used"
    newcomer = tools.Actor(api.app).login("new.person@example.org", NEW)
    assert newcomer.user["display_name"] == "New Person"
    assert api.admin.get("/api/admin/invites", params={"status": "used"}).json()[0]["status"] \
        == "used"
    newcomer.close()


def test_links_expire_can_be_withdrawn_and_unknown_ones_say_so(api):
    from sim.admin.models import Invite
    from sim.models import utcnow

    made = api.admin.post("/api/admin/invites", json={
        "email": "late@example.org", "display_name": "Late", "expires_in_hours": 1}).json()
    with Session(api.engine) as db:
        row = db.exec(select(Invite)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.add(row)
        db.commit()
    late = api.anonymous.post("/api/account/links/check", json={"token": token_of(made["link"])})
    assert late.status_code == 409 and late.json()["error"]["code"] == "link_expired"
    assert "ask an administrator" in late.json()["error"]["message"]
    withdrawn = api.admin.post("/api/admin/invites", json={
        "email": "maybe@example.org", "display_name": "Maybe"}).json()
    assert api.admin.request("DELETE", f"/api/admin/invites/{withdrawn['invite']['id']}"
                             ).status_code == 204
    r = api.anonymous.post("/api/account/links/redeem", json={
        "token": token_of(withdrawn["link"]), "password": NEW})
    assert r.status_code == 409 and r.json()["error"]["code"] == "link_revoked"
    assert api.admin.request("DELETE", f"/api/admin/invites/{withdrawn['invite']['id']}"
                             ).status_code == 409
    unknown = api.anonymous.post("/api/account/links/check", json={"token": "x" * 43})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "link_invalid"
    hours = api.admin.post("/api/admin/invites", json={
        "email": "h@example.org", "display_name": "H", "expires_in_hours": 0})
    assert hours.status_code == 422 and hours.json()["error"]["field"] == "expires_in_hours"
    bad = api.admin.post("/api/admin/invites", json={"email": "nope", "display_name": "N"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"


def test_reset_link_replaces_the_password_and_signs_out_everywhere(api, tools):
    first = api.admin.post(f"/api/admin/users/{api.owner.user['id']}/reset-link", json={})
    second = api.admin.post(f"/api/admin/users/{api.owner.user['id']}/reset-link",
                            json={"expires_in_hours": 2})
    assert first.status_code == second.status_code == 201
    assert second.json()["email"] == "owner@example.org"
    old = api.anonymous.post("/api/account/links/check", json={"token": token_of(
        first.json()["link"])})
    assert old.status_code == 409 and old.json()["error"]["code"] == "link_revoked"
    token = token_of(second.json()["link"])
    assert api.anonymous.post("/api/account/links/check", json={"token": token}).json()["kind"] \
        == "reset"
    done = api.anonymous.post("/api/account/links/redeem", json={"token": token, "password": NEW})
    assert done.status_code == 200
    assert api.owner.get("/api/auth/me").status_code == 401  # signed out everywhere
    tools.Actor(api.app).login("owner@example.org", NEW).close()
    r = api.anonymous.post("/api/auth/login", json={"email": "owner@example.org",
                                                     "password": tools.PASSWORD})
    assert r.status_code == 401
    assert api.admin.post("/api/admin/users/999999/reset-link", json={}).status_code == 404


def test_role_change_and_deactivation_keep_an_admin(api):
    me = api.admin.user["id"]
    r = api.admin.request("PATCH", f"/api/users/{me}", json={"role": "instructor"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"
    r = api.admin.request("PATCH", f"/api/users/{me}", json={"active": False})
    assert r.status_code == 409 and r.json()["error"]["field"] == "active"
    teach = api.instructor.user["id"]
    assert api.admin.request("PATCH", f"/api/users/{teach}", json={"role": "admin"}
                             ).status_code == 200
    assert api.admin.request("PATCH", f"/api/users/{me}", json={"role": "trainee"}
                             ).status_code == 200


def test_own_password_change_needs_the_current_one(api, tools):
    second = tools.Actor(api.app).login("owner@example.org")
    wrong = api.owner.post("/api/account/password", json={"current_password": "not-it-at-all",
                                                          "new_password": NEW})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "current_password"
    same = api.owner.post("/api/account/password", json={"current_password": tools.PASSWORD,
                                                         "new_password": tools.PASSWORD})
    assert same.status_code == 422 and same.json()["error"]["field"] == "new_password"
    weak = api.owner.post("/api/account/password", json={"current_password": tools.PASSWORD,
                                                         "new_password": "1234567890"})
    assert weak.status_code == 422 and "common" in weak.json()["error"]["message"]
    ok = api.owner.post("/api/account/password", json={"current_password": tools.PASSWORD,
                                                       "new_password": NEW})
    assert ok.status_code == 204
    assert api.owner.get("/api/auth/me").status_code == 200  # this sign-in stays
    assert second.get("/api/auth/me").status_code == 401      # the others end
    tools.Actor(api.app).login("owner@example.org", NEW).close()
    second.close()


GOOD = ("email,display_name,role\nann@example.org,Ann,trainee\n"
        "ben@example.org,\"Ben, MD\",instructor\n")


def count_invites(api) -> int:
    from sim.admin.models import Invite

    with Session(api.engine) as db:
        return len(db.exec(select(Invite)).all())


def test_csv_import_invites_everyone_in_one_go(api):
    check = api.admin.post("/api/admin/invites/import/check", json={"csv": "\ufeff" + GOOD})
    assert check.json() == {"valid": True, "people": 2, "errors": []}
    assert count_invites(api) == 0  # a check invites nobody
    r = api.admin.post("/api/admin/invites/import", json={"csv": GOOD})
    assert r.status_code == 201, r.text
    invited = r.json()["invited"]
    assert [(i["row"], i["email"], i["display_name"], i["role"]) for i in invited] == [
        (2, "ann@example.org", "Ann", "trainee"), (3, "ben@example.org", "Ben, MD", "instructor")]
    assert all(i["link"].startswith("/#/invite/") for i in invited)
    assert count_invites(api) == 2


def test_a_malformed_row_names_row_and_field_and_nothing_half_imports(api):
    text = ("Email,Name,Role\n"
            "ann@example.org,Ann,trainee\n"
            "not-an-address,Bob,trainee\n"
            "cy@example.org,,trainee\n"
            "dee@example.org,Dee,boss\n"
            "ann@example.org,Ann again,trainee\n"
            "owner@example.org,Owner,trainee\n"
            "eve@example.org,Eve\n")
    check = api.admin.post("/api/admin/invites/import/check", json={"csv": text}).json()
    assert check["valid"] is False and check["people"] == 0
    got = [(e["row"], e["field"]) for e in check["errors"]]
    assert got == [(3, "email"), (4, "display_name"), (5, "role"), (6, "email"),
                   (7, "email"), (8, "row")]
    messages = {(e["row"], e["field"]): e["message"] for e in check["errors"]}
    assert "exactly one @" in messages[(3, "email")]
    assert "allowed: trainee, instructor, admin" in messages[(5, "role")]
    assert "already on row 2" in messages[(6, "email")]
    assert "already exists" in messages[(7, "email")]
    assert "has 2 fields; the header has 3" in messages[(8, "row")]
    r = api.admin.post("/api/admin/invites/import", json={"csv": text})
    assert r.status_code == 422 and r.json()["error"]["code"] == "csv_invalid"
    lines = r.json()["error"]["message"].splitlines()
    assert lines[0] == "Nothing was imported: 6 problem(s) in the file."
    assert lines[1].startswith("row 3, email: ") and lines[-1].startswith("row 8, row: ")
    assert count_invites(api) == 0  # the good row 2 was not imported either


def test_csv_header_and_shape_problems(api):
    def errors(text):
        return api.admin.post("/api/admin/invites/import/check", json={"csv": text}
                              ).json()["errors"]

    assert errors("")[0]["field"] == "header"
    e = errors("mail,department\na@example.org,x\n")
    assert [x["field"] for x in e] == ["header", "header"]
    assert "column 2 is 'department'" in e[0]["message"]
    assert "'display_name' column is missing" in e[1]["message"]
    assert "no people" in errors("email,name\n")[0]["message"]
    assert "not readable as CSV" in errors('email,name\n"a@example.org,Ann\n')[0]["message"]
    many = "email,name\n" + "".join(f"p{i}@example.org,P{i}\n" for i in range(501))
    assert "at most 500" in errors(many)[0]["message"]
