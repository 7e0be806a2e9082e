"""Alembic migrations build the schema the models describe: upgrade a fresh database to head,
then autogenerate-compare against SQLModel.metadata; any difference is drift."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import sim.admin.models
import sim.models
import sim.studio.personas.models
import sim.studio.review.models  # noqa: F401
from sim.db import make_engine, upgrade_database


def _assert_no_drift(url: str) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            tables = set(inspect(conn).get_table_names())
            assert {"user", "auth_session", "practice_session", "turn", "rate_limit",
                    "alembic_version", "invite", "password_reset", "review_comment",
                    "rating_override", "session_feedback", "persona", "persona_version"} <= tables
        upgrade_database(url)  # idempotent: running it again is a no-op
    finally:
        engine.dispose()


def test_sqlite_migrations_match_models(tmp_path):
    _assert_no_drift(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_postgres_migrations_match_models():
    url = os.environ.get("SIM_TEST_POSTGRES_URL") or pytest.skip("no SIM_TEST_POSTGRES_URL")
    engine = make_engine(url)
    schema = "migration_check"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    try:
        _assert_no_drift(f"{url}{sep}options=-csearch_path%3D{schema}")
    finally:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()
