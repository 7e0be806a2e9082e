"""Per-user fixed-window rate limits kept in the database, so the limit holds across workers
and containers (an in-process counter would multiply the limit by the number of workers)."""

from __future__ import annotations

import hashlib
import time

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from sim.errors import RateLimited
from sim.models import RateLimit


def hit(db: Session, key: str, limit: int, window_s: int = 60, commit: bool = True) -> None:
    """Counts one event for key in the current window; 429 when over the limit.

    By default commits its own short transaction, so the count survives a later rollback of the
    request; the turn route passes commit=False to fold it into the turn's single transaction.
    """
    key = _bounded(key)
    window = int(time.time() // window_s)
    stmt = (
        update(RateLimit)
        .where(col(RateLimit.key) == key, col(RateLimit.window_start) == window)
        .values(count=RateLimit.count + 1)
        .returning(col(RateLimit.count))
    )
    count = db.connection().execute(stmt).scalar()
    if count is None:
        try:
            with db.begin_nested():
                db.add(RateLimit(key=key, window_start=window, count=1))
            count = 1
        except IntegrityError:
            count = db.connection().execute(stmt).scalar() or 1
        if window % 10 == 0:
            db.exec(delete(RateLimit).where(col(RateLimit.window_start) < window - 1))
    if commit or count > limit:
        db.commit()
    if count > limit:
        raise limited(limit, window_s)


def check(db: Session, key: str, limit: int, window_s: int = 60) -> None:
    """429 if key has already used its limit in this window; counts nothing (a read).

    The turn route checks before it starts the LLM, then counts with hit() when it commits."""
    window = int(time.time() // window_s)
    count = db.execute(select(RateLimit.count).where(
        col(RateLimit.key) == _bounded(key), col(RateLimit.window_start) == window)).scalar()
    if count is not None and count >= limit:
        raise limited(limit, window_s)


def _bounded(key: str) -> str:
    if len(key) > 100:  # e.g. a 254-character email: keep the column bounded, keys distinct
        key = key[:36] + "#" + hashlib.sha256(key.encode()).hexdigest()[:48]
    return key


def limited(limit: int, window_s: int) -> RateLimited:
    wait = window_s - int(time.time()) % window_s  # until the current window ends
    return RateLimited(f"Too many requests: at most {limit} per {window_s} s; try again in "
                       f"{wait} s.", retry_after=wait)
