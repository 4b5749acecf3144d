"""Security headers on every response, with a Content-Security-Policy as strict as Dash allows.

Scripts: only files from this server, plus Dash's own inline scripts, allowed one by one by
their SHA-256 (`Dash.csp_hashes()`: the renderer bootstrap and any inline clientside
callbacks). No 'unsafe-inline' and no 'unsafe-eval' for scripts: Dash, Mantine, AG Grid and
Plotly's default traces run without them (checked in the browser tests).
Styles need 'unsafe-inline': Mantine and AG Grid inject <style> elements and style
attributes at run time. Images allow data: and blob: for Plotly's icons and PNG exports.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.serving import WSGIRequestHandler

CSP_CACHE = "cti_auth_csp"
_BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-src": ["'none'"],
    "frame-ancestors": ["'none'"],
}
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
NO_STORE_TYPES = ("text/html", "application/json", "text/csv")


def build_policy(script_hashes: list[str]) -> str:
    """Write the Content-Security-Policy header value, with these inline-script hashes."""
    policy = {k: list(v) for k, v in _BASE_POLICY.items()}
    policy["script-src"] += script_hashes
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())


def dash_app(server: Flask) -> Any | None:
    """Find the Dash app served by this Flask server (it owns the /_dash-layout view)."""
    view = server.view_functions.get("/_dash-layout")
    return getattr(view, "__self__", None)


def current_policy(server: Flask) -> str:
    """Return this server's policy, computed once Dash has collected its inline scripts."""
    cached = server.extensions.get(CSP_CACHE)
    if isinstance(cached, str):
        return cached
    app = dash_app(server)
    if app is None:
        return build_policy([])
    # Dash adds inline scripts until its first request has set up the server and the pages
    # router (whose clientside callback sets the title): cache only once both are done.
    started = app._got_first_request
    ready = started.get("setup_server") and (started.get("pages") or not app.use_pages)
    policy = build_policy(list(app.csp_hashes()))
    if ready:
        server.extensions[CSP_CACHE] = policy
    return policy


def add_security_headers(response: Response, *, production: bool) -> Response:
    """Set the security headers on a response (every response passes here)."""
    response.headers["Content-Security-Policy"] = current_policy(current_app)
    for name, value in STATIC_HEADERS.items():
        response.headers[name] = value
    if production:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype in NO_STORE_TYPES:
        # Pages and Dash answers hold signed-in data: never keep them in a shared cache.
        response.headers["Cache-Control"] = "no-store"
    elif response.status_code == 200 and request.path.startswith("/assets/"):
        # Our own styles, scripts and icons: without this, every page view asked for each of
        # them again (a round trip through the sign-in check apiece, before the page could
        # draw). Dash stamps styles and scripts with their modification time (?m=), so those
        # can be kept for good; icons are named without a stamp, so a day.
        stamped = "m" in request.args
        response.headers["Cache-Control"] = (
            "private, max-age=31536000, immutable" if stamped else "private, max-age=86400"
        )
    return response


# What the development server says it is: no product or version for an attacker to look up.
# (gunicorn's own header is "gunicorn", without its version.)
SERVER_BANNER = "cti-dashboard"


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its "Werkzeug/x Python/y" Server header."""

    def version_string(self) -> str:
        """Return the Server header's value."""
        return SERVER_BANNER
