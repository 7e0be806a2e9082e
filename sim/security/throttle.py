"""Login throttling that slows an attacker without locking the owner out.

Before: ten attempts a minute per account, counted from any address, so anyone could keep a
user out indefinitely. Now failed attempts (successes are not counted) are counted per key, and
each key past its free allowance must wait, the wait doubling with every further failure
(capped), forgotten after a quiet spell:

- the account and the client address together: one guesser from one place slows down fast;
- the address alone, over every account: one place trying many accounts (credential stuffing);
- the account alone, from browsers it does not know: many addresses guessing one password;
- the account from a browser that signed in to it before (the `sim_device` cookie, kept for 90
  days): the real owner's way in. Failures from strangers never hold that browser back; only
  failures made with that same cookie do. The account key does not bind a known browser.

Other ways in for the owner: an administrator's password reset, or `sim unlock EMAIL` on the
server (docs/DEPLOY.md). The state lives in the database, or in Redis when SIM_REDIS_URL is set,
so every worker and container sees the same counts.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sim.errors import RateLimited
from sim.models import LoginThrottle

RESET_S = 15 * 60  # a key's failures are forgotten after this long without one
MAX_WAIT_S = 15 * 60


@dataclass(frozen=True)
class Rule:
    prefix: str
    free: int  # failures allowed before any wait
    base_s: float  # the first wait; doubled by each further failure, up to MAX_WAIT_S

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(MAX_WAIT_S, self.base_s * 2 ** (failures - self.free))


PAIR = Rule("pair", free=5, base_s=1.0)
ADDRESS = Rule("addr", free=30, base_s=1.0)
ACCOUNT = Rule("acct", free=20, base_s=2.0)
DEVICE = Rule("dev", free=10, base_s=1.0)


class ThrottleStore(Protocol):
    """Where the counts live (the database, or Redis: sim/shared.py)."""

    def blocked_until(self, keys: list[str]) -> float: ...

    def failed(self, keyed: list[tuple[str, Rule]], now: float) -> None: ...

    def clear(self, keys: list[str]) -> None: ...


def key(rule: Rule, *parts: str) -> str:
    """A bounded key: e.g. 'pair:' + sha256(email, address) (emails can be 254 characters)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"login:{rule.prefix}:{digest}"


def keys_for(email: str, address: str, device: str | None) -> list[tuple[str, Rule]]:
    """The keys one attempt counts against: a known browser's instead of the account's."""
    keyed = [(key(PAIR, email, address), PAIR), (key(ADDRESS, address), ADDRESS)]
    if device is not None:
        keyed.append((key(DEVICE, email, device), DEVICE))
    else:
        keyed.append((key(ACCOUNT, email), ACCOUNT))
    return keyed


def clock() -> float:
    """Epoch seconds (one place to read the time, so tests can move it)."""
    return time.time()


def check(store: ThrottleStore, keyed: list[tuple[str, Rule]], now: float | None = None) -> None:
    """429 `login_throttled` with Retry-After while any of the keys must wait."""
    now = clock() if now is None else now
    until = store.blocked_until([k for k, _ in keyed])
    if until > now:
        wait = int(until - now) + 1
        raise RateLimited(
            f"Too many failed sign-ins for this account or from this address; try again in "
            f"{wait} s. A browser that signed in to this account before is not held back.",
            retry_after=wait, code="login_throttled")


def account_keys(email: str) -> list[str]:
    """The account-wide key (what `sim unlock` clears; pair keys fade by themselves)."""
    return [key(ACCOUNT, email)]


class DatabaseThrottle:
    """The counts as rows of login_throttle (one short transaction per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def blocked_until(self, keys: list[str]) -> float:
        with self.engine.connect() as conn:
            rows = conn.execute(select(LoginThrottle.blocked_until)  # type: ignore[call-overload]
                                .where(LoginThrottle.key.in_(keys)))  # type: ignore[attr-defined]
            return max((r[0] for r in rows), default=0.0)

    def failed(self, keyed: list[tuple[str, Rule]], now: float) -> None:
        try:
            self._failed(keyed, now)
        except IntegrityError:  # two first failures of one key at once: count again
            self._failed(keyed, now)

    def _failed(self, keyed: list[tuple[str, Rule]], now: float) -> None:
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            found = {r.key: r for r in conn.execute(
                select(table).where(table.c.key.in_([k for k, _ in keyed]))
                .with_for_update())}
            for name, rule in keyed:
                row = found.get(name)
                failures = 1 if row is None or now - row.last_failure > RESET_S \
                    else row.failures + 1
                values = {"failures": failures, "last_failure": now,
                          "blocked_until": now + rule.wait_after(failures)}
                if row is None:
                    conn.execute(table.insert().values(key=name, **values))
                else:
                    conn.execute(table.update().where(table.c.key == name).values(**values))
            # forget keys that have been quiet for a while (keeps the table small)
            conn.execute(delete(table).where(table.c.last_failure < now - RESET_S - MAX_WAIT_S))

    def clear(self, keys: list[str]) -> None:
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.key.in_(keys)))


def clear_after_commit(db: Session, store: ThrottleStore, keys: list[str]) -> None:
    """Clears `keys` once the request's transaction has committed. The database store writes
    on its own connection; doing that while the request still holds SQLite's write lock would
    wait for that very lock (30 s, then "database is locked")."""
    event.listen(db, "after_commit", lambda _session: store.clear(keys), once=True)
