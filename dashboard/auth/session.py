"""The account of the current request."""

from __future__ import annotations

from dashboard.auth.account import Account


def current_account() -> Account | None:
    """Return the signed-in account of this request, or None (being built: accounts issue)."""
    return None
