"""`sim db upgrade`, `sim create-admin`, and the demo seeding used by `sim serve --seed-demo`."""

from __future__ import annotations

from typer.testing import CliRunner

from sim.cli import app
from sim.config import get_settings
from sim.db import make_engine
from sim.security.passwords import verify_password
from sim.security.sessions import find_user_by_email


def _env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SIM_DATABASE_URL", url)
    get_settings.cache_clear()
    return url


def test_db_upgrade_and_create_admin(tmp_path, monkeypatch):
    from sqlmodel import Session

    url = _env(tmp_path, monkeypatch)
    runner = CliRunner()
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["create-admin", "Root@Example.org", "--password-stdin"],
                      input="a-long-admin-password\n")
    assert r.exit_code == 0 and "admin root@example.org created" in r.output
    engine = make_engine(url)
    with Session(engine) as db:
        user = find_user_by_email(db, "root@example.org")
        assert user is not None and user.role == "admin"
        assert verify_password(user.password_hash, "a-long-admin-password")
    engine.dispose()
    again = runner.invoke(app, ["create-admin", "root@example.org", "--password", "another-pw-1"])
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(app, ["create-admin", "x@example.org", "--password", "short"])
    assert short.exit_code != 0 and "password" in short.output
    get_settings.cache_clear()


def test_seed_demo_creates_accounts_once(tmp_path, monkeypatch):
    from sim.cli.serve import DEMO_ACCOUNTS, seed_demo
    from sim.db import upgrade_database

    url = _env(tmp_path, monkeypatch)
    upgrade_database(url)
    assert seed_demo(url) == [email for email, _, _ in DEMO_ACCOUNTS]
    assert seed_demo(url) == []
    get_settings.cache_clear()
