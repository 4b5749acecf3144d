"""Install sign-in, the request guard, error pages and security headers on the Flask server."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response
from sqlalchemy.engine import Engine

from dashboard.auth.errors import install_error_handlers
from dashboard.auth.guard import guard
from dashboard.auth.headers import add_security_headers
from dashboard.auth.session import install_login_manager
from dashboard.auth.views import bp
from dashboard.config import Settings


def init_auth(server: Flask, settings: Settings, engine: Engine) -> None:
    """Install authentication and hardening on the server: the one place for all of it."""
    server.config.update(
        # Behind HTTPS the __Host- prefix makes browsers refuse the cookie unless it is
        # Secure, for this exact host and path /: no sibling domain can plant or read it.
        SESSION_COOKIE_NAME="__Host-cti_session" if settings.is_production else "cti_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_PATH="/",
    )
    if settings.is_production:
        server.debug = False  # never the interactive debugger or tracebacks in production
    install_login_manager(server, engine, timedelta(minutes=settings.session_minutes))
    server.register_blueprint(bp)
    server.before_request(guard)  # moved after Dash's hooks by put_guard_last
    install_error_handlers(server)

    @server.after_request
    def _headers(response: Response) -> Response:
        return add_security_headers(response, production=settings.is_production)


def put_guard_last(server: Flask) -> None:
    """Run the guard after the request hooks Dash adds to the server (once Dash is built).

    Dash registers its pages router's callback in a hook on the first request a process
    serves. Placed before that hook, the guard refused a worker's first request when it was a
    page change (the router's callback still unknown: 400 "Requête mal formée"), as after
    each gunicorn worker start. Dash's hooks serve nothing: every request still meets the
    guard before any view.
    """
    hooks = server.before_request_funcs.setdefault(None, [])
    hooks.remove(guard)
    hooks.append(guard)
