"""Application factory: the Flask server, the Dash app, its pages and its guards."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from dash import Dash, _callback
from flask import Flask, g, request, session
from sqlalchemy.engine import Engine

from dashboard.auth.setup import init_auth
from dashboard.components.shell import create_shell
from dashboard.config import Settings
from dashboard.db.engine import make_engine
from dashboard.i18n import LANGUAGES, _
from dashboard.services.context import EXTENSION

PACKAGE_DIR = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


def create_server(settings: Settings, engine: Engine) -> Flask:
    """Create the Flask server with secure session settings and the request language."""
    server = Flask("dashboard", root_path=str(PACKAGE_DIR))
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_minutes),
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        PROPAGATE_EXCEPTIONS=False,
    )
    server.extensions[EXTENSION] = {"engine": engine, "settings": settings}

    @server.before_request
    def _pick_language() -> None:
        asked = request.args.get("lang")
        if asked in LANGUAGES:
            session["lang"] = asked
        g.lang = session.get("lang", settings.lang)

    return server


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> Dash:
    """Build the Dash app on its own Flask server and database engine."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    server = create_server(settings, engine)
    init_auth(server, settings, engine)
    # Dash keeps `@dash.callback` registrations in module globals and hands them to the first
    # app that serves a request; page modules are re-executed for each new app, so clearing
    # first gives every app (one per test) exactly one copy of each callback.
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()
    app = Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(PACKAGE_DIR / "assets"),
        title=_("Plan CTI"),
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=True,
    )
    app.layout = create_shell
    with server.test_request_context():
        app._setup_server()  # claim this app's callbacks now, before another app is built
    return app
