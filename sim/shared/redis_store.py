"""The shared state in Redis (SIM_REDIS_URL): counters, login throttling, caches.

Every call is one round trip (a pipeline or a Lua script), so a turn adds one Redis request
and no database write for its rate limit. A Redis that cannot be reached is a 503 naming it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from sim.errors import Unavailable
from sim.security.ratelimit import limited
from sim.security.throttle import MAX_WAIT_S, RESET_S, Rule

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
CACHE_TTL_S = 7 * 24 * 3600

# one failed sign-in on every key: count (forgotten after RESET_S quiet), then the wait
_FAILED = """
local now, reset, maxw = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i, key in ipairs(KEYS) do
  local free, base = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  local f = tonumber(redis.call('HGET', key, 'f') or '0')
  local last = tonumber(redis.call('HGET', key, 'l') or '0')
  if now - last > reset then f = 0 end
  f = f + 1
  local wait = 0
  if f >= free then wait = math.min(maxw, base * 2 ^ (f - free)) end
  redis.call('HSET', key, 'f', f, 'l', ARGV[1], 'b', tostring(now + wait))
  redis.call('EXPIRE', key, math.ceil(reset + maxw))
end
return #KEYS
"""


def _guard(call: Callable[[], T]) -> T:
    import redis

    try:
        return call()
    except redis.RedisError as exc:
        raise Unavailable(f"The shared store (Redis, SIM_REDIS_URL) is not reachable: "
                          f"{type(exc).__name__}.", code="redis_down") from exc


class RedisLimits:
    name = "redis"

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def ping(self) -> None:
        _guard(self.client.ping)

    def _key(self, key: str, window_s: int) -> str:
        return f"{self.prefix}rl:{key}:{int(time.time() // window_s)}"

    def check(self, db: Session, key: str, limit: int, window_s: int = 60) -> None:
        count = _guard(lambda: self.client.get(self._key(key, window_s)))
        if count is not None and int(count) >= limit:
            raise limited(limit, window_s)

    def hit(self, db: Session, key: str, limit: int, window_s: int = 60,
            commit: bool = True) -> None:
        name = self._key(key, window_s)

        def count() -> int:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, 2 * window_s)
            return int(pipe.execute()[0])

        if _guard(count) > limit:
            raise limited(limit, window_s)


class RedisThrottle:
    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._failed = client.register_script(_FAILED)

    def blocked_until(self, keys: list[str]) -> float:
        def read() -> list[Any]:
            pipe = self.client.pipeline()
            for key in keys:
                pipe.hget(self.prefix + key, "b")
            return list(pipe.execute())

        return max((float(v) for v in _guard(read) if v is not None), default=0.0)

    def failed(self, keyed: list[tuple[str, Rule]], now: float) -> None:
        args: list[Any] = [now, RESET_S, MAX_WAIT_S]
        for _, rule in keyed:
            args += [rule.free, rule.base_s]
        _guard(lambda: self._failed(keys=[self.prefix + k for k, _ in keyed], args=args))

    def clear(self, keys: list[str]) -> None:
        if keys:
            _guard(lambda: self.client.delete(*[self.prefix + k for k in keys]))


class RedisCache:
    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def get_many(self, keys: list[str], model: type[M]) -> dict[str, M]:
        if not keys:
            return {}
        values = _guard(lambda: self.client.mget([f"{self.prefix}cache:{k}" for k in keys]))
        return {k: model.model_validate_json(v) for k, v in zip(keys, values, strict=True)
                if v is not None}

    def put(self, key: str, value: BaseModel) -> None:
        _guard(lambda: self.client.set(f"{self.prefix}cache:{key}", value.model_dump_json(),
                                       ex=CACHE_TTL_S))


def connect(url: str, prefix: str) -> Any:
    """The Shared state on the Redis at url (a connection pool; nothing is sent yet)."""
    import redis

    from sim.shared import Shared

    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5,
                                  health_check_interval=30)
    return Shared("redis", RedisLimits(client, prefix), RedisThrottle(client, prefix),
                  RedisCache(client, prefix))

