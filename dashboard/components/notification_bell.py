"""The bell in the page header: the signed-in person's unread reminders, a link to the list.

The count is drawn with the page, and drawn again after each move between pages and after a
reminder is marked read or unread on /calendar (one count query each time, of the person's own
reminders only). ``register_callbacks`` adds those two callbacks.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, dcc, html

from dashboard.auth.session import current_account
from dashboard.i18n import _, ngettext
from dashboard.services import notifications
from dashboard.services.context import current_engine

BELL_ID = "shell-bell"
REMINDERS_PATH = "/calendar"  # the list of reminders, with read / unread switches


def unread_for(account: Any) -> int:
    """Return how many unread reminders the signed-in person has (0 when nobody is)."""
    if account is None or account.id is None:
        return 0
    return notifications.unread_count(engine=current_engine(), user_id=account.id)


def create_bell_content(count: int) -> list[Any]:
    """Build the bell's icon, its count badge, and the sentence screen readers hear."""
    children: list[Any] = [html.Img(src="/assets/icons/bell.svg", alt="", width=22, height=22)]
    if count:
        shown = "99+" if count > 99 else str(count)
        children.append(html.Span(shown, className="cti-bell-count", **{"aria-hidden": "true"}))
    children.append(
        html.Span(
            ngettext("Rappels : {n} non lu", "Rappels : {n} non lus", count),
            className="cti-sr-only",
        )
    )
    return children


def create_notification_bell(account: Any, count: int) -> Any:
    """Build the header's link to the reminders, with the unread count (nothing if signed out)."""
    if account is None:
        return html.Span(id=BELL_ID)
    return dcc.Link(
        create_bell_content(count),
        href=REMINDERS_PATH,
        id=BELL_ID,
        className="cti-bell",
        title=_("Mes rappels"),
    )


def refresh_bell(_trigger: object) -> list[Any]:
    """Count the signed-in person's unread reminders again."""
    return create_bell_content(unread_for(current_account()))


def register_callbacks() -> None:
    """Redraw the bell after a move between pages and after a reminder is marked read."""
    dash.callback(
        Output(BELL_ID, "children"),
        Input("_pages_location", "pathname"),
        prevent_initial_call=True,
    )(refresh_bell)
    dash.callback(
        Output(BELL_ID, "children", allow_duplicate=True),
        Input("calendar-unread", "children"),
        prevent_initial_call=True,
    )(refresh_bell)
