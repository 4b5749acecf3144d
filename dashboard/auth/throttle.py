"""Throttling of failed sign-ins with growing delays, counted in the database before the hash.

Each attempt is counted against keys, each with its limit of free failures:

- the account from this address (``pair:``): always;
- the account from any address it has not signed in from lately (``user:``), and this
  address across every name (``addr:``): only when the address is not one the account uses.

So someone hammering an account from elsewhere is slowed down, and soon stopped, without
locking its owner out of the office they sign in from. Past its limit, a key waits one
minute, then two, four... up to an hour between attempts; it is forgotten after a quiet
quarter of an hour (under its limit) or day (over it).

The count is taken before the password is hashed, in a short transaction of its own that
every worker sees at once: parallel attempts cannot all read the same count. A success
gives the attempt back (account keys start again from zero).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from dashboard.db.models import LoginThrottle, utcnow

WINDOW = timedelta(minutes=15)  # quiet time after which failures under the limit are forgotten
FORGET = timedelta(hours=24)  # ... and failures over the limit
FIRST_DELAY = timedelta(minutes=1)  # the wait after the last free failure, doubled after each
MAX_DELAY = timedelta(minutes=60)
PAIR_LIMIT = 5  # failures on one account from one address
ACCOUNT_LIMIT = 5  # failures on one account from addresses it has not signed in from
ADDRESS_LIMIT = 20  # failures from one address on names it is not usual for (an office NAT)
RETRIES = 5  # compare-and-set retries; the row locks make a second round rare
STALE_BATCH = 100  # rows forgotten per sign-in at most


def account_key(username: str) -> str:
    """Return the throttling key of an account name (case-insensitive, as sign-in is)."""
    return "user:" + username.strip().lower()[:80]


def address_key(address: str) -> str:
    """Return the throttling key of a client address."""
    return "addr:" + address[:64]


def pair_key(username: str, address: str) -> str:
    """Return the throttling key of an account name tried from one address."""
    return "pair:" + username.strip().lower()[:80] + "|" + address[:64]


def limits_for(*, username: str, address: str, usual: bool) -> dict[str, int]:
    """Return the keys an attempt counts against, with their limits.

    From an address the account signed in from (``usual``), only that pair counts: failures
    elsewhere, however many, never stop the owner there.
    """
    limits = {pair_key(username, address): PAIR_LIMIT}
    if not usual:
        limits[account_key(username)] = ACCOUNT_LIMIT
        limits[address_key(address)] = ADDRESS_LIMIT
    return limits


def delay(failures: int, limit: int) -> timedelta:
    """Return how long a key with this many failures waits between attempts."""
    if failures < limit:
        return timedelta(0)
    return min(FIRST_DELAY * (1 << min(failures - limit, 16)), MAX_DELAY)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _current(failures: int, last_at: datetime, limit: int, now: datetime) -> int:
    """Return the failures a key still counts (0 once forgotten after its quiet time)."""
    quiet = WINDOW if failures < limit else FORGET
    return 0 if now - _aware(last_at) >= quiet else failures


def _wait(failures: int, last_at: datetime, limit: int, now: datetime) -> float:
    """Return the seconds until this key may try again (0 when it may now)."""
    return max(0.0, (_aware(last_at) + delay(failures, limit) - now).total_seconds())


def _insert_missing(session: Session, keys: list[str], now: datetime) -> None:
    """Create the rows of new keys (ON CONFLICT DO NOTHING: parallel attempts may race)."""
    table: Any = LoginThrottle.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(table)
        .values([{"key": key, "failures": 0, "last_at": now, "version": 0} for key in keys])
        .on_conflict_do_nothing(index_elements=["key"])
    )


def reserve(session: Session, limits: Mapping[str, int], *, now: datetime | None = None) -> int:
    """Count an attempt against every key, or none; return the seconds to wait (0: counted).

    Commits (or rolls back) the session's transaction: the count must be visible to every
    worker before the password is hashed. The rows are locked (the INSERT takes SQLite's
    write lock; FOR UPDATE on PostgreSQL), in one order for every attempt so that two never
    deadlock, then moved by compare-and-set.
    """
    now = now or utcnow()
    keys = sorted(limits)
    # Under a flood most attempts are refused: read first, so that they never queue for the
    # write lock (SQLite has one for the whole base). Only the locked read below may count.
    early = wait_seconds(session, limits, now=now)
    if early:
        session.rollback()
        return early
    for _ in range(RETRIES):
        _insert_missing(session, keys, now)
        rows = session.exec(
            select(
                LoginThrottle.key,
                LoginThrottle.failures,
                LoginThrottle.last_at,
                LoginThrottle.version,
            )
            .where(col(LoginThrottle.key).in_(keys))
            .order_by(LoginThrottle.key)
            .with_for_update()
        ).all()
        seen = {key: (failures, last_at, version) for key, failures, last_at, version in rows}
        if len(seen) < len(keys):  # forgotten by forget_stale meanwhile: create it again
            session.rollback()
            continue
        counts = {key: _current(*seen[key][:2], limits[key], now) for key in keys}
        wait = max(_wait(counts[key], seen[key][1], limits[key], now) for key in keys)
        if wait > 0:
            session.rollback()
            return max(1, math.ceil(wait))
        moved = [_count(session, key, counts[key] + 1, seen[key][2], now) for key in keys]
        if all(moved):
            session.commit()
            return 0
        session.rollback()
    return int(FIRST_DELAY.total_seconds())  # never seen: the locks serialise the attempts


def _count(session: Session, key: str, failures: int, version: int, now: datetime) -> bool:
    """Set a key's failures if nobody moved it since it was read; tell whether it was set."""
    result = session.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.key) == key, col(LoginThrottle.version) == version)
        .values(failures=failures, last_at=now, version=version + 1)
    )
    return bool(result.rowcount == 1)


def give_back(session: Session, limits: Mapping[str, int]) -> None:
    """After a success: forget the account's keys, and give the address its attempt back."""
    for key in sorted(limits):  # the order reserve locks them in
        if key.startswith("addr:"):
            session.exec(
                update(LoginThrottle)
                .where(col(LoginThrottle.key) == key, col(LoginThrottle.failures) > 0)
                .values(failures=col(LoginThrottle.failures) - 1)
            )
        else:
            session.exec(delete(LoginThrottle).where(col(LoginThrottle.key) == key))


def forget_stale(session: Session, *, now: datetime | None = None) -> None:
    """Delete keys quiet for a day (a few at a time; rows another attempt holds are skipped)."""
    now = now or utcnow()
    stale = (
        select(LoginThrottle.key)
        .where(col(LoginThrottle.last_at) < now - FORGET)
        .limit(STALE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.key).in_(stale)))


def wait_seconds(
    session: Session, limits: Mapping[str, int], *, now: datetime | None = None
) -> int:
    """Return the seconds these keys must wait before an attempt (reads only)."""
    now = now or utcnow()
    rows = session.exec(
        select(LoginThrottle.key, LoginThrottle.failures, LoginThrottle.last_at).where(
            col(LoginThrottle.key).in_(list(limits))
        )
    ).all()
    wait = max(
        (_wait(_current(f, at, limits[k], now), at, limits[k], now) for k, f, at in rows),
        default=0.0,
    )
    return math.ceil(wait)
