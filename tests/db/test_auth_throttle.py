"""Throttling counters on SQLite and PostgreSQL: growing delays, refusals count nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.auth import throttle
from dashboard.db.engine import session_scope
from dashboard.db.migrate import downgrade, upgrade
from dashboard.db.models import LoginThrottle, utcnow

START = utcnow().replace(microsecond=0)
LIMITS = throttle.limits_for(username="Amina", address="10.0.0.1", usual=False)


def _reserve(engine: Engine, at: timedelta) -> int:
    with session_scope(engine) as session:
        return throttle.reserve(session, LIMITS, now=START + at)


def _failures(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {row.key: row.failures for row in session.exec(select(LoginThrottle))}


def test_delays_double_after_the_limit_up_to_an_hour(any_engine: Engine) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT):
        assert _reserve(any_engine, timedelta(0)) == 0
    at = timedelta(0)
    waits = []
    for _ in range(8):
        wait = _reserve(any_engine, at)
        waits.append(wait)
        at += timedelta(seconds=wait)
        assert _reserve(any_engine, at) == 0  # once the wait is over, one more attempt
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_refused_attempt_counts_nothing(any_engine: Engine) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT):
        _reserve(any_engine, timedelta(0))
    before = _failures(any_engine)
    for n in range(10):
        assert _reserve(any_engine, timedelta(seconds=n)) > 0
    assert _failures(any_engine) == before == dict.fromkeys(LIMITS, throttle.ACCOUNT_LIMIT)


def test_quiet_keys_are_forgotten(any_engine: Engine) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        _reserve(any_engine, timedelta(0))
    # Under the limit, a quiet quarter of an hour is enough.
    assert _reserve(any_engine, throttle.WINDOW) == 0
    assert set(_failures(any_engine).values()) == {1}
    for _ in range(throttle.ACCOUNT_LIMIT):
        _reserve(any_engine, throttle.WINDOW)
    assert _reserve(any_engine, throttle.WINDOW + timedelta(hours=2)) == 0  # waited, counted
    assert _reserve(any_engine, throttle.WINDOW + timedelta(hours=2)) > 0
    # Over it, a quiet day; then the rows go at the next sign-in.
    assert _reserve(any_engine, throttle.WINDOW + timedelta(hours=26)) == 0
    with session_scope(any_engine) as session:
        throttle.forget_stale(session, now=START + timedelta(days=3))
    assert _failures(any_engine) == {}


def test_a_success_forgets_the_account_and_gives_the_address_its_attempt_back(
    any_engine: Engine,
) -> None:
    for _ in range(3):
        _reserve(any_engine, timedelta(0))
    with session_scope(any_engine) as session:
        throttle.give_back(session, LIMITS)
    assert _failures(any_engine) == {throttle.address_key("10.0.0.1"): 2}


def test_from_a_usual_address_only_the_pair_counts() -> None:
    usual = throttle.limits_for(username="Amina", address="10.0.0.1", usual=True)
    assert usual == {"pair:amina|10.0.0.1": throttle.PAIR_LIMIT}
    assert set(LIMITS) == {"pair:amina|10.0.0.1", "user:amina", "addr:10.0.0.1"}


def test_the_migration_goes_down_and_up(any_engine: Engine) -> None:
    _reserve(any_engine, timedelta(0))
    downgrade(any_engine, "0011")
    upgrade(any_engine)
    assert _failures(any_engine) == {}
    assert _reserve(any_engine, timedelta(0)) == 0
