"""Sign-in and sign-out as use cases: throttle, check the password, open or end a session, audit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from dashboard.auth import throttle, tokens
from dashboard.auth.account import Account
from dashboard.auth.passwords import hash_password, needs_rehash, verify_password
from dashboard.db.models import utcnow
from dashboard.i18n import N_
from dashboard.services import audit
from dashboard.services.users import find_user

# One message for an unknown name, a wrong password and a disabled account, so that the
# page does not tell an attacker which account names exist.
BAD_CREDENTIALS = N_("Identifiant ou mot de passe incorrect.")
TOO_MANY = N_("Trop de tentatives de connexion. Réessayez dans {minutes} min.")


@dataclass(frozen=True)
class SignInResult:
    """What the sign-in page shows: a session token on success, else a message and a status."""

    account: Account | None = None
    token: str | None = None
    error: str = ""
    status: int = 200
    wait_minutes: int = 0


def sign_in(
    session: Session, *, username: str, password: str, address: str, now: datetime | None = None
) -> SignInResult:
    """Check a name and password; on success open a session and return its token.

    Commits the attempt's count before the password is hashed (see auth/throttle.py): the
    session's work then goes on in a second transaction.
    """
    now = now or utcnow()
    name = username.strip()[:80]
    user = find_user(session, name) if name else None
    usual = (
        user is not None
        and user.id is not None
        and tokens.signed_in_from(session, user_id=user.id, address=address)
    )
    limits = throttle.limits_for(username=name, address=address, usual=usual)
    wait = throttle.reserve(session, limits, now=now)
    if wait:
        minutes = math.ceil(wait / 60)
        audit.record(
            session,
            action="auth.login",
            username=name,
            outcome="refused",
            address=address,
            detail=f"trop de tentatives : attente {minutes} min",
        )
        return SignInResult(
            error=TOO_MANY.format(minutes=minutes), status=429, wait_minutes=minutes
        )
    throttle.forget_stale(session, now=now)
    # verify_password runs a full hash even without a user, so the answer takes the same time.
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        # The attempt was counted as a failure before the hash: nothing more to write.
        reason = (
            "compte inconnu"
            if user is None
            else "mot de passe incorrect"
            if not valid
            else "compte désactivé"
        )
        audit.record(
            session,
            action="auth.login",
            user_id=user.id if user else None,
            username=name,
            outcome="failed",
            address=address,
            detail=reason,
        )
        return SignInResult(error=BAD_CREDENTIALS, status=401)
    throttle.give_back(session, limits)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(user)
    token = tokens.start_session(session, user=user, address=address)
    audit.record(
        session,
        action="auth.login",
        user_id=user.id,
        username=user.username,
        entity="user",
        entity_id=user.id,
        address=address,
    )
    return SignInResult(account=tokens.to_account(session, user), token=token)


def sign_out(session: Session, *, token: str, account: Account | None, address: str) -> None:
    """End the session of this token and record the sign-out."""
    user_id = tokens.end_session(session, token, reason="logout")
    if user_id is None or account is None:
        return
    audit.record(
        session,
        action="auth.logout",
        user_id=account.id,
        username=account.username,
        entity="user",
        entity_id=account.id,
        address=address,
    )
