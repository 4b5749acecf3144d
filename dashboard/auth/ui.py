"""Interface pieces about access, shared by pages that only some roles may open."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc

from dashboard.auth.account import Account
from dashboard.auth.permissions import require
from dashboard.db.engine import session_scope
from dashboard.i18n import _
from dashboard.services.context import current_engine
from dashboard.services.errors import PermissionDenied


def page_allowed(account: Account | None, action: str, *, page: str) -> bool:
    """Tell whether the account may open a page; a refusal is logged like any other."""
    try:
        with session_scope(current_engine()) as session:
            require(account, action, session=session, detail=f"page {page}")
    except PermissionDenied:
        return False
    return True


def create_access_denied(page_id: str) -> Any:
    """Build the notice shown instead of a page the signed-in account may not open."""
    return dmc.Alert(
        _("Accès refusé : votre rôle ne permet pas d'ouvrir cette page."),
        title=_("Accès refusé"),
        color="red",
        id=f"{page_id}-denied",
    )


def create_error(message: str) -> Any:
    """Build an error notice (the message is shown as text, never as HTML)."""
    return dmc.Alert(message, title=_("Opération refusée"), color="red", withCloseButton=True)


def create_success(message: str, *children: Any) -> Any:
    """Build a success notice, with optional extra content under the message."""
    return dmc.Alert(
        [dmc.Text(message), *children], title=_("C'est fait"), color="green", withCloseButton=True
    )
