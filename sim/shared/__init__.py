"""State the workers share: rate-limit counters, login throttling and caches.

Without SIM_REDIS_URL: counters and throttling are rows in the database (shared by every worker
and container on it) and caches are per worker (an ended session's summary never changes, so a
per-worker copy is never stale). With SIM_REDIS_URL: all three live in Redis, so the database
takes no counter writes and every worker reuses what one worker worked out (sim/shared/redis.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sim.config import Settings
from sim.security import ratelimit
from sim.security.throttle import DatabaseThrottle, ThrottleStore

M = TypeVar("M", bound=BaseModel)


class Limits(Protocol):
    """Fixed-window counters: check() reads, hit() counts (429 RateLimited when over)."""

    name: str

    def check(self, db: Session, key: str, limit: int, window_s: int = 60) -> None: ...

    def hit(self, db: Session, key: str, limit: int, window_s: int = 60,
            commit: bool = True) -> None: ...


class Cache(Protocol):
    """Values that never change once made (ended sessions' summaries), by string key."""

    def get_many(self, keys: list[str], model: type[M]) -> dict[str, M]: ...

    def put(self, key: str, value: BaseModel) -> None: ...


class DatabaseLimits:
    """The counters as rows of rate_limit, inside the caller's transaction when asked."""

    name = "database"

    def check(self, db: Session, key: str, limit: int, window_s: int = 60) -> None:
        ratelimit.check(db, key, limit, window_s)

    def hit(self, db: Session, key: str, limit: int, window_s: int = 60,
            commit: bool = True) -> None:
        ratelimit.hit(db, key, limit, window_s, commit=commit)


class LocalCache:
    """Per worker, least recently used out first."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: list[str], model: type[M]) -> dict[str, M]:
        found: dict[str, M] = {}
        with self._lock:
            for key in keys:
                value = self._items.get(key)
                if value is not None:
                    self._items.move_to_end(key)
                    found[key] = value
        return found

    def put(self, key: str, value: BaseModel) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class Shared:
    kind: str  # "database" or "redis"
    limits: Limits
    throttle: ThrottleStore
    cache: Cache

    def ping(self) -> None:
        """Raises when the shared store is unreachable (health check)."""
        pinger = getattr(self.limits, "ping", None)
        if pinger is not None:
            pinger()


def build_shared(settings: Settings, engine: Engine) -> Shared:
    if settings.redis_url:
        from sim.shared.redis_store import connect

        return connect(settings.redis_url, settings.redis_prefix)
    return Shared("database", DatabaseLimits(), DatabaseThrottle(engine), LocalCache())
