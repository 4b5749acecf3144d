"""The one gate in front of every request: same-site writes only, and a signed-in user.

Everything but the sign-in page, its static files, sign-out and the health check needs an
active signed-in account. A browser navigating to a page is sent to /login?next=...; every
other request (Dash's /_dash-* endpoints, component suites, assets, downloads, callbacks)
gets 401 with no data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, g, jsonify, redirect, request, session, url_for

from dashboard.auth.callbacks import page_permission, runnable_callback
from dashboard.auth.headers import dash_app
from dashboard.auth.permissions import can, require
from dashboard.auth.session import current_account
from dashboard.auth.views import OPEN_ENDPOINTS, safe_next
from dashboard.components.callback_errors import refusal_answer
from dashboard.db.engine import session_scope
from dashboard.i18n import _
from dashboard.services.context import current_engine
from dashboard.services.errors import PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths Dash serves to its own front end: never a page, so never a redirect.
DASH_PREFIXES = ("/_", "/assets/")


def _same_site(value: str) -> bool:
    """Tell whether an Origin or Referer value names this host.

    The host alone is compared (not the scheme) so that it holds behind a TLS-terminating
    proxy, where the browser says https and Flask sees http.
    """
    try:
        netloc = urlsplit(value).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == request.host.lower()


def cross_site_write() -> bool:
    """Tell whether this is a state-changing request sent from another site.

    Browsers send Origin (or at least Referer) with every POST they make; a request with
    neither did not come from a browser page, so it cannot be a cross-site forgery.
    """
    if request.method in SAFE_METHODS:
        return False
    origin = request.headers.get("Origin")
    if origin is not None:
        return not _same_site(origin)
    referer = request.headers.get("Referer")
    if referer is not None:
        return not _same_site(referer)
    return False


def _wants_page() -> bool:
    """Tell whether a browser is navigating to a page (as opposed to fetching data)."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(DASH_PREFIXES):
        return False
    return request.accept_mimetypes.accept_html


def guard() -> Response | None:
    """Refuse cross-site writes (403) and anonymous requests (redirect or 401)."""
    if cross_site_write():
        return _json(403, _("Requête refusée : elle ne vient pas de ce site."))
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_account() is not None:
        return _checked_callback()
    ended = g.get("auth_end_reason") in ("expired", "disabled", "ended")
    if "_user_id" in session:
        lang = session.get("lang")
        session.clear()  # a stale token: forget it rather than look it up on every request
        if lang:
            session["lang"] = lang
        if ended:
            # The page's next load (after a refused callback) says why it has to sign in.
            session["session_ended"] = True
    if _wants_page():
        ended = bool(session.pop("session_ended", False)) or ended
        query = request.query_string.decode("latin-1")
        target = safe_next(request.path + (f"?{query}" if query else ""))
        args: dict[str, Any] = {"next": target} if target != "/" else {}
        if ended:
            args["expired"] = "1"
        return redirect(url_for("auth.login", **args))  # type: ignore[return-value]
    if ended:
        return _json(401, _("Votre session a pris fin : reconnectez-vous."))
    return _json(401, _("Connexion requise : connectez-vous pour continuer."))


def _checked_callback() -> Response | None:
    """Refuse a callback request Dash cannot answer (400) or its page's reader may not make.

    Runs before Dash reads the request. The browser always sends a JSON object naming a
    callback of this app, with its outputs as declared and one entry per input and state;
    anything else is a forged request or a page from an older version, which Dash would
    answer with an error 500. A callback of a page that declares a permission (see
    `page_permission`) runs only for accounts that may open that page.
    """
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    app = dash_app(current_app)
    if app is None:
        return None
    output = runnable_callback(request.get_json(silent=True), app.callback_map)
    if output is None:
        return _json(400, _("Requête mal formée : rechargez la page et recommencez."))
    action = page_permission(app.callback_map[output])
    account = current_account()
    if action is None or can(account, action):
        return None
    try:
        with session_scope(current_engine()) as session:
            require(account, action, session=session, detail=f"callback {output[:200]}")
    except PermissionDenied as refused:
        return refusal_answer(str(refused))
    return None


def _json(status: int, message: str) -> Response:
    response = jsonify({"erreur": message})
    response.status_code = status
    return response
