"""Password hashing with argon2."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dashboard.i18n import _

_hasher = PasswordHasher()
# A real hash of a random string: verifying against it costs the same time as a real account.
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; run the hash even for unknown users so timing doesn't reveal names."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a stored hash uses older parameters than the current hasher."""
    try:
        return bool(_hasher.check_needs_rehash(stored_hash))
    except (InvalidHashError, ValueError):
        return True


def new_password() -> str:
    """Return a random password to hand out once (16 characters from a URL-safe alphabet)."""
    return secrets.token_urlsafe(12)


def password_problem(password: str) -> str | None:
    """Return why a new password is refused (in the user's language), or None when acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Le mot de passe doit contenir au moins {n} caractères.", n=MIN_LENGTH)
    if password.strip() != password:
        return _("Le mot de passe ne doit pas commencer ni finir par une espace.")
    return None
