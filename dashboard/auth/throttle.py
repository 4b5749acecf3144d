"""Throttling of failed sign-ins, per account and per address, counted in the database.

The counts live in the LoginAttempt table rather than in memory so that the limit holds
across every gunicorn worker and survives a restart.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from dashboard.db.models import LoginAttempt, utcnow

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # failures on one account name within WINDOW
ADDRESS_LIMIT = 20  # failures from one address within WINDOW (a shared office NAT gets some room)


def account_key(username: str) -> str:
    """Return the throttling key of an account name (case-insensitive, as sign-in is)."""
    return "user:" + username.strip().lower()[:150]


def address_key(address: str) -> str:
    """Return the throttling key of a client address."""
    return "addr:" + address[:150]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _wait(session: Session, key: str, limit: int, now: datetime) -> int:
    """Return the minutes until this key may try again (0 when it may now)."""
    since = now - WINDOW
    count, oldest = session.exec(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.key == key, LoginAttempt.at > since
        )
    ).one()
    if count < limit or oldest is None:
        return 0
    seconds = (_aware(oldest) + WINDOW - now).total_seconds()
    return max(1, math.ceil(seconds / 60))


def wait_minutes(
    session: Session, *, username: str, address: str, now: datetime | None = None
) -> int:
    """Return how many minutes this account or address must wait before trying again."""
    now = now or utcnow()
    return max(
        _wait(session, account_key(username), ACCOUNT_LIMIT, now),
        _wait(session, address_key(address), ADDRESS_LIMIT, now),
    )


def record_failure(
    session: Session, *, username: str, address: str, now: datetime | None = None
) -> None:
    """Count a failed sign-in against the account name and the address; forget old failures."""
    now = now or utcnow()
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < now - WINDOW))
    session.add(LoginAttempt(key=account_key(username), at=now))
    session.add(LoginAttempt(key=address_key(address), at=now))


def clear_account(session: Session, *, username: str) -> None:
    """Forget an account's failures after it signs in (the address count stays)."""
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.key) == account_key(username)))
