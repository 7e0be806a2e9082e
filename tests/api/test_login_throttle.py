"""Login throttling (sim/security/throttle.py): failures, not attempts, are counted per account
and address with a doubling wait; strangers' failures never hold back a browser that signed in
to the account before; an admin's password reset and `sim unlock` are ways back in.

Before: ten attempts a minute per account from any addresses, so anyone could lock the owner
out. Time is moved by replacing throttle.clock, never by sleeping."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sim.security import throttle

RIGHT = "correct-horse-battery"


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    return now


def browser(api, address: str) -> TestClient:
    """A browser at `address` (the app is already running: the fixture's actors started it)."""
    return TestClient(api.app, client=(address, 40000), raise_server_exceptions=False)


def attempt(client: TestClient, password: str, email: str = "owner@example.org") -> object:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def test_strangers_failures_do_not_lock_out_the_owners_browser(api, clock):
    owners = browser(api, "10.0.0.1")
    assert attempt(owners, RIGHT).status_code == 200  # this browser is now known
    assert "sim_device" in owners.cookies
    for n in range(60):  # a botnet: one wrong guess from each of 60 addresses
        r = attempt(browser(api, f"198.51.100.{n}"), "guess-guess-guess")
        assert r.status_code in (401, 429)
    # a new browser, even with the right password, waits: the account is under attack
    stranger = attempt(browser(api, "203.0.113.9"), RIGHT)
    assert stranger.status_code == 429
    assert stranger.json()["error"]["code"] == "login_throttled"
    assert int(stranger.headers["retry-after"]) > 1
    # the owner's own browser signs in at once
    assert attempt(owners, RIGHT).status_code == 200


def test_one_address_guessing_one_account_slows_down_with_a_doubling_wait(api, clock):
    guesser = browser(api, "198.51.100.1")
    codes = [attempt(guesser, "nope-nope-nope").status_code for _ in range(5)]
    assert codes == [401] * 5  # the free allowance
    waits = []
    for _ in range(4):
        r = attempt(guesser, "nope-nope-nope")
        assert r.status_code == 429 and "try again in" in r.json()["error"]["message"]
        waits.append(int(r.headers["retry-after"]))
        clock[0] += waits[-1]  # wait exactly as told, then guess wrong again
        assert attempt(guesser, "nope-nope-nope").status_code == 401
    assert waits == [2, 3, 5, 9]  # 1, 2, 4, 8 s (+1 rounding): doubling
    # the owner elsewhere is not affected by this one address
    assert attempt(browser(api, "10.0.0.2"), RIGHT).status_code == 200


def test_a_quiet_spell_forgets_the_failures(api, clock):
    guesser = browser(api, "198.51.100.2")
    for _ in range(6):
        attempt(guesser, "nope-nope-nope")
    assert attempt(guesser, RIGHT).status_code == 429
    clock[0] += throttle.RESET_S + 1
    assert attempt(guesser, RIGHT).status_code == 200


def test_one_address_trying_many_accounts_is_slowed(api, clock):
    stuffer = browser(api, "198.51.100.3")
    codes = [attempt(stuffer, "Password-123", f"user{n}@example.org").status_code
             for n in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429


def test_admin_password_reset_lets_a_new_browser_in(api, clock):
    for n in range(40):
        attempt(browser(api, f"198.51.100.{n}"), "guess-guess-guess")
    assert attempt(browser(api, "203.0.113.10"), RIGHT).status_code == 429
    uid = api.owner.user["id"]
    r = api.admin.request("PATCH", f"/api/users/{uid}", json={"password": "a-new-long-passphrase"})
    assert r.status_code == 200
    assert attempt(browser(api, "203.0.113.10"), "a-new-long-passphrase").status_code == 200


def test_sim_unlock_clears_the_account(api, clock, monkeypatch):
    from typer.testing import CliRunner

    from sim.cli import app as cli
    from sim.cli import serve

    for n in range(40):
        attempt(browser(api, f"198.51.100.{n}"), "guess-guess-guess")
    assert attempt(browser(api, "203.0.113.11"), RIGHT).status_code == 429
    monkeypatch.setattr(serve, "_throttle_store", lambda: api.app.state.shared.throttle)
    result = CliRunner().invoke(cli, ["unlock", "Owner@Example.org"])
    assert result.exit_code == 0 and "owner@example.org" in result.output
    assert attempt(browser(api, "203.0.113.11"), RIGHT).status_code == 200


def test_a_known_browser_is_still_throttled_on_its_own_guesses(api, clock):
    """The device cookie is no master key: wrong guesses made with it count against it."""
    mine = browser(api, "10.0.0.3")
    assert attempt(mine, RIGHT).status_code == 200
    codes = [attempt(mine, "nope-nope-nope").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_clearing_waits_for_the_commit_on_a_sqlite_file(tmp_path):
    """A password change clears the throttle from its own connection; on a SQLite file that
    must come after the request's commit, or it waits for the request's own write lock (30 s,
    then "database is locked", the bug the browser test of a reset link found)."""
    from sqlalchemy import create_engine
    from sqlmodel import Session, SQLModel, select

    from sim.models import LoginThrottle, User

    engine = create_engine(f"sqlite:///{tmp_path / 'file.db'}",
                           connect_args={"timeout": 0.5})
    SQLModel.metadata.create_all(engine)
    store = throttle.DatabaseThrottle(engine)
    keys = throttle.account_keys("owner@example.org")
    store.failed([(keys[0], throttle.ACCOUNT)], now=1_000_000.0)
    with Session(engine) as db:
        db.add(User(email="owner@example.org", display_name="Owner", password_hash="x",
                    role="trainee"))
        db.flush()  # this connection now holds the write lock
        throttle.clear_after_commit(db, store, keys)
        assert store.blocked_until(keys) > 0  # nothing cleared before the commit
        db.commit()
    with Session(engine) as db:
        assert db.exec(select(LoginThrottle)).all() == []
