"""What each person's screens offer, read from the permission table (``can``).

Pages show only the navigation entries, forms and buttons the signed-in account may use, and a
CTI editor's lists hold its own CTI. This decides what is *shown*; every write is still checked
on the server by the services (``require``), whatever the browser sends.
"""

from __future__ import annotations

from dashboard.auth.account import Account
from dashboard.auth.permissions import can
from dashboard.db.models.common import Role


def can_somewhere(account: Account | None, action: str) -> bool:
    """Tell whether the account may do the action on some data (its own CTI's, for an editor)."""
    return account is not None and can(account, action, account.cti_id)


def lists_own_cti_only(account: Account | None) -> bool:
    """Tell whether the account's lists of CTIs hold its own CTI only (a CTI editor's do)."""
    return account is not None and account.role == Role.CTI_EDITOR
