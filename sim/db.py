"""Database engine and sessions. The engine is built in the app's lifespan (never at import),
from settings.database_url: a SQLite file by default, PostgreSQL via a URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """SQLite gets WAL + a busy timeout (several writers: workers and the stream tasks);
    `sqlite://` (in memory) gets one shared connection so every session sees the same data."""
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            _ensure_parent(url)
            # connections are used only from worker threads (at most anyio's 40 at once);
            # last-in first-out keeps reusing the connection whose page cache is warm
            kwargs.update(pool_size=20, max_overflow=30, pool_use_lifo=True)
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=30)


def _ensure_parent(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and not path.startswith(":"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work outside a request (stream tasks, CLI): commit on success, else roll back."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upgrade_database(url: str) -> None:
    """`alembic upgrade heads` on url (run by `sim serve` at start and by `sim db upgrade`).
    "heads", not "head": each wing's migrations start from 0001 until they are re-chained at
    merge, and upgrading every head is the same as "head" once there is one."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(Path(__file__).with_name("alembic.ini")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "heads")
