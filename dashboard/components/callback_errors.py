"""What a person sees when a callback fails: one notification on every page, never a traceback.

Dash calls `on_callback_error` (``Dash(on_error=...)``, app.py) with any exception a callback
lets through. The callback's outputs stay as they were (no_update); the notification area of
the page frame (`create_notification_area`, components/shell.py) says what happened, through
``dash.set_props``: a busy or read-only database in words a person can act on, a refusal
with its own message, anything else with a short reference that the server log carries with
the traceback, so that support can find it.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import dash
import dash_mantine_components as dmc
from flask import Response, has_request_context, jsonify, request

from dashboard.i18n import _
from dashboard.services.errors import UserError

log = logging.getLogger(__name__)

NOTIFICATIONS_ID = "shell-notifications"
BUSY, READ_ONLY, REFUSED, UNEXPECTED = "busy", "read_only", "refused", "unexpected"
# SQLite's primary result codes (the extended ones carry them in their low byte).
_SQLITE_CODES = {5: BUSY, 6: BUSY, 8: READ_ONLY}  # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY
_SQLITE_WORDS = (("is locked", BUSY), ("readonly database", READ_ONLY))
# PostgreSQL's SQLSTATE codes: another transaction holds what this one needs, or the server
# (a standby, a database set read-only) refuses every write.
_PG_CODES = {
    "40001": BUSY,  # serialization_failure
    "40P01": BUSY,  # deadlock_detected
    "55P03": BUSY,  # lock_not_available
    "25006": READ_ONLY,  # read_only_sql_transaction
}


@dataclass(frozen=True)
class Failure:
    """A failed callback as a person is told about it."""

    kind: str
    message: str
    reference: str | None = None


def create_notification_area() -> Any:
    """Build the area where failures are announced, on every page (top of the window)."""
    return dmc.NotificationContainer(
        id=NOTIFICATIONS_ID, position="top-center", autoClose=False, limit=3, containerWidth=560
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """Yield the error, the driver's error behind it (SQLAlchemy's .orig) and their causes."""
    seen: set[int] = set()
    queue: list[BaseException | None] = [error]
    while queue:
        current = queue.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        queue += [orig if isinstance(orig, BaseException) else None]
        queue += [current.__cause__, current.__context__]


def database_problem(error: BaseException) -> str | None:
    """Tell whether the error is a busy (BUSY) or read-only (READ_ONLY) database, else None."""
    for cause in _causes(error):
        if isinstance(cause, sqlite3.Error):
            code = getattr(cause, "sqlite_errorcode", None)
            if isinstance(code, int) and code & 0xFF in _SQLITE_CODES:
                return _SQLITE_CODES[code & 0xFF]
            text = str(cause).lower()
            found = next((kind for words, kind in _SQLITE_WORDS if words in text), None)
            if found:
                return found
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and state in _PG_CODES:
            return _PG_CODES[state]
    return None


def describe_failure(error: BaseException) -> Failure:
    """Say in the user's language what went wrong; an unknown error gets a new reference."""
    if isinstance(error, UserError):
        return Failure(REFUSED, str(error))
    problem = database_problem(error)
    if problem == BUSY:
        return Failure(BUSY, _("La base est occupée : réessayez dans un instant."))
    if problem == READ_ONLY:
        return Failure(READ_ONLY, _("La base est en lecture seule : prévenez l'administrateur."))
    reference = secrets.token_hex(3).upper()
    message = _(
        "Une erreur inattendue est survenue (référence {reference}). Réessayez ; si elle se"
        " reproduit, donnez cette référence au support.",
        reference=reference,
    )
    return Failure(UNEXPECTED, message, reference)


def notification(failure: Failure) -> dict[str, Any]:
    """Return the Mantine notification that shows a failure (text only, never HTML)."""
    title = _("Opération refusée") if failure.kind == REFUSED else _("Opération non effectuée")
    return {
        "action": "show",
        "id": f"failure-{secrets.token_hex(4)}",
        "title": title,
        "message": failure.message,
        "color": "red",
        "autoClose": False,
        "withCloseButton": True,
        "className": "cti-failure",  # its text darker than Mantine's (assets/cti.css)
    }


def notification_props(failure: Failure) -> dict[str, Any]:
    """Return the properties to set on the notification area to show a failure."""
    return {"sendNotifications": [notification(failure)]}


def refusal_answer(message: str) -> Response:
    """Answer a callback request refused before Dash, as Dash answers a callback that failed.

    The outputs stay as they were and the notification area shows the refusal: the same
    answer as a callback that raised PermissionDenied (see `on_callback_error`).
    """
    return _failure_answer(Failure(REFUSED, message))


def _failure_answer(failure: Failure) -> Response:
    """Answer as Dash does for a callback that changed nothing and set the notification area."""
    side = {NOTIFICATIONS_ID: notification_props(failure)}
    return jsonify({"multi": True, "response": {}, "sideUpdate": side})


def _callback_name() -> str:
    """Name the failing callback in the log by its outputs, as Dash's request names it."""
    if not has_request_context():
        return "?"
    body = request.get_json(silent=True)
    output = body.get("output") if isinstance(body, dict) else None
    return str(output)[:200] if output else request.path


def _logged(error: BaseException) -> Failure:
    """Describe a failure and log it: an unexpected one with its reference and traceback."""
    failure = describe_failure(error)
    name = _callback_name()
    if failure.kind == UNEXPECTED:
        log.error("Callback %s failed (reference %s)", name, failure.reference, exc_info=error)
    elif failure.kind != REFUSED:
        # The driver's own words, not SQLAlchemy's message, which quotes the statement's values.
        driver = getattr(error, "orig", None) or error
        log.warning("Callback %s failed: database %s (%s)", name, failure.kind, driver)
    return failure


def on_callback_error(error: Exception) -> Any:
    """Tell the person what failed, log it (with its reference), keep the outputs unchanged."""
    dash.set_props(NOTIFICATIONS_ID, notification_props(_logged(error)))
    return dash.no_update


def answer_escaped_failure(error: Exception) -> Response:
    """Answer a callback request that failed outside its callback as a failed callback.

    Flask calls this for any exception no other handler takes. Before Dash runs the callback,
    the request has its account loaded (a write, once a minute) and its page's permission
    checked: a busy base there would otherwise answer 500, which the page shows nowhere.
    Any other request is left to Flask (logged, and the error page of auth/errors.py).
    """
    if not (has_request_context() and request.path.endswith("/_dash-update-component")):
        raise error
    return _failure_answer(_logged(error))
