"""Server-side sign-in sessions: the browser holds a random token, the database its hash.

Keeping sessions in the database (not only in the signed cookie) is what lets sign-out,
disabling an account or changing its password end a session at once, on every worker.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.db.models import AuthSession, Cti, User, utcnow

# Writing last_seen_at on every request would cost a write per asset; a minute is precise enough.
TOUCH_EVERY = timedelta(seconds=60)
KEEP_ENDED = timedelta(days=30)


@dataclass(frozen=True)
class Loaded:
    """The outcome of looking a token up: the account, or why there is none."""

    account: Account | None
    reason: str = ""  # "", "unknown", "ended", "expired", "disabled"
    user_id: int | None = None  # whose session just ended (expired, disabled)
    username: str = ""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    """Read a stored time as UTC (SQLite may hand back naive datetimes)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def to_account(session: Session, user: User) -> Account:
    """Build the Account that pages and services see from a database user."""
    acronym = None
    if user.cti_id is not None:
        cti = session.get(Cti, user.cti_id)
        acronym = cti.acronym if cti else None
    assert user.id is not None
    return Account(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        cti_id=user.cti_id,
        cti_acronym=acronym,
        language=user.language,
    )


def start_session(session: Session, *, user: User, address: str = "") -> str:
    """Open a session for the user and return the token to put in the browser's cookie."""
    assert user.id is not None
    _forget_old_sessions(session)
    token = secrets.token_urlsafe(32)
    session.add(AuthSession(token_hash=_hash(token), user_id=user.id, address=address[:64]))
    return token


def signed_in_from(session: Session, *, user_id: int, address: str) -> bool:
    """Tell whether the user opened a session from this address lately (about 30 days)."""
    found = session.exec(
        select(AuthSession.id)
        .where(AuthSession.user_id == user_id, AuthSession.address == address[:64])
        .limit(1)
    ).first()
    return found is not None


def _forget_old_sessions(session: Session) -> None:
    """Delete sessions ended or idle for long: the audit trail keeps the sign-ins."""
    cutoff = utcnow() - KEEP_ENDED
    session.exec(
        delete(AuthSession).where(
            or_(col(AuthSession.ended_at) < cutoff, col(AuthSession.last_seen_at) < cutoff)
        )
    )


def load_session(
    session: Session, token: str, *, idle: timedelta, now: datetime | None = None
) -> Loaded:
    """Return the account behind a token, ending the session when idle too long or disabled."""
    now = now or utcnow()
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == _hash(token))).first()
    if row is None:
        return Loaded(None, "unknown")
    if row.ended_at is not None:
        return Loaded(None, "ended")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        _end(session, row, now, "disabled")
        return Loaded(None, "disabled", row.user_id, user.username if user else "")
    if now - _aware(row.last_seen_at) > idle:
        _end(session, row, now, "expired")
        return Loaded(None, "expired", row.user_id, user.username)
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return Loaded(to_account(session, user))


def _end(session: Session, row: AuthSession, now: datetime, reason: str) -> None:
    row.ended_at = now
    row.end_reason = reason
    session.add(row)


def end_session(session: Session, token: str, *, reason: str = "logout") -> int | None:
    """End the session of this token; return its user id (None when there was none)."""
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == _hash(token))).first()
    if row is None or row.ended_at is not None:
        return None
    _end(session, row, utcnow(), reason)
    return row.user_id


def end_user_sessions(session: Session, *, user_id: int, reason: str) -> None:
    """End every open session of a user (new password, account disabled)."""
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
