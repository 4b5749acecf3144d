"""Application factory: the Flask server, the Dash app, its pages and its guards."""

from __future__ import annotations

import functools
import gc
import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dash
import plotly
from dash import Dash, _callback
from dash.fingerprint import build_fingerprint
from flask import Flask
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.auth.setup import init_auth, put_guard_last
from dashboard.components.callback_errors import answer_escaped_failure, on_callback_error
from dashboard.components.shell import create_shell
from dashboard.config import Settings
from dashboard.db.engine import make_engine
from dashboard.i18n import _
from dashboard.i18n.web import install_language, localize_document
from dashboard.services.cache import RenderCache
from dashboard.services.context import EXTENSION

PACKAGE_DIR = Path(__file__).resolve().parent
# The output of the clientside callback with which Dash's pages router sets the page's title.
PAGES_TITLE_OUTPUT = "_pages_dummy"
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
        # A 10 MB upload (evidence, Excel import) travels base64-encoded in a Dash callback.
        MAX_CONTENT_LENGTH=15 * 1024 * 1024,
        PROPAGATE_EXCEPTIONS=False,
    )
    server.extensions[EXTENSION] = {
        "engine": engine,
        "settings": settings,
        "render_cache": RenderCache(
            max_entries=settings.render_cache_entries, max_bytes=settings.render_cache_mb << 20
        ),
    }
    if settings.trusted_proxies > 0:
        # Behind nginx, take the client's address, scheme and host from the X-Forwarded-*
        # headers the proxy sets (only that many hops are believed): throttling and the audit
        # trail then see each person's address rather than the proxy's.
        hops = settings.trusted_proxies
        proxied = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        server.wsgi_app = proxied  # type: ignore[method-assign]
    install_language(server, settings)
    return server


def plotly_script() -> dict[str, str]:
    """Return the script tag that loads Plotly.js with the page, under its fingerprinted name.

    dcc.Graph fetches Plotly.js itself only once the page content has arrived and a chart is
    mounted, then parses it (3.5 MB) before drawing: loaded with the page (deferred, in
    parallel with the requests for the layout and the content) it is ready when the content
    comes, and dcc.Graph uses ``window.Plotly``. The fingerprint lets the browser keep it.
    """
    relative = "package_data/plotly.min.js"
    mtime = int((Path(plotly.__file__).parent / relative).stat().st_mtime)
    name = build_fingerprint(f"plotly/{relative}", plotly.__version__, mtime)
    return {"src": f"/_dash-component-suites/{name}", "defer": "defer"}


# dcc's components that load their code on first use, which the pages use at once: the charts.
EARLY_CHUNKS = ("graph",)


def dcc_chunk_scripts() -> list[dict[str, str]]:
    """Return the script tags that load dcc's chart code with the page.

    dcc asks for it only when the first chart is mounted, then waits for it (0.1-0.25 s on
    the contract page at scale 100, the charts' data already there); deferred with the page,
    it registers itself with dcc's loader, which then has it.
    """
    folder = Path(dash.__file__).parent / "dcc"
    scripts = []
    for chunk in EARLY_CHUNKS:
        relative = f"dcc/async-{chunk}.js"
        mtime = int((folder / f"async-{chunk}.js").stat().st_mtime)
        name = build_fingerprint(relative, dash.__version__, mtime)
        scripts.append({"src": f"/_dash-component-suites/dash/{name}", "defer": "defer"})
    return scripts


def preload_links(prefix: str) -> str:
    """Return the tags that fetch Dash's layout and callback list with the page.

    Dash asks for them only once its scripts have run (a few hundred milliseconds): fetched
    from the start, they are built on the server meanwhile, and Dash's own requests (same URL,
    same credentials) take the preloaded answers.
    """
    return "".join(
        f'<link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">'
        for name in ("_dash-layout", "_dash-dependencies")
    )


KEEP_NATIVES = "natives-keep.js"  # served from assets/, placed by hand before Dash's polyfill


def keep_natives_script(prefix: str, scripts: str) -> str:
    """Put assets/natives-keep.js just before Dash's @babel/polyfill in the page's scripts.

    The polyfill swaps a few correct built-ins for slow copies; the script keeps the browser's
    own, and assets/natives.js (loaded with the other assets, after the polyfill) puts them
    back. Stamped with its modification time, as Dash stamps assets, so browsers keep it.
    """
    at = scripts.find("/polyfill@")
    start = scripts.rfind("<script", 0, at)
    if at < 0 or start < 0:
        return scripts
    tag = f'<script src="{prefix}assets/{KEEP_NATIVES}?m={_keep_natives_mtime()}"></script>\n'
    return scripts[:start] + tag + scripts[start:]


@functools.cache
def _keep_natives_mtime() -> float:
    """Return the script's modification time, read once (not on every page served)."""
    return (PACKAGE_DIR / "assets" / KEEP_NATIVES).stat().st_mtime


class CtiDash(Dash):  # type: ignore[misc]
    """Dash, serving its HTML page with the request's language, direction and page title."""

    def interpolate_index(self, **kwargs: Any) -> str:
        """Build Dash's page, then set ``<html lang dir>`` and the translated title."""
        prefix = self.config.requests_pathname_prefix
        kwargs["css"] = preload_links(prefix) + kwargs.get("css", "")
        kwargs["scripts"] = keep_natives_script(prefix, kwargs.get("scripts", ""))
        index: str = super().interpolate_index(**kwargs)
        return localize_document(index, str(kwargs.get("title", "")))

    def clientside_callback(self, clientside_function: Any, *args: Any, **kwargs: Any) -> Any:
        """Register a clientside callback; Dash's page-title one waits for a move between pages.

        The title is in the HTML document already, and the first page comes with the layout
        (components/page_container.py): run on load, that callback would only set the same
        title again, at the cost of a round of Dash's callback machinery before the charts.
        """
        output = args[0] if args else kwargs.get("output")
        if getattr(output, "component_id", None) == PAGES_TITLE_OUTPUT:
            kwargs.setdefault("prevent_initial_call", True)
        return super().clientside_callback(clientside_function, *args, **kwargs)


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
    app = CtiDash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(PACKAGE_DIR / "assets"),
        assets_ignore=re.escape(KEEP_NATIVES),  # placed before the polyfill instead
        title=_("Plan CTI"),
        update_title=None,
        serve_locally=True,
        external_scripts=[plotly_script(), *dcc_chunk_scripts()],
        suppress_callback_exceptions=True,
        # A failing callback leaves its outputs as they were and says why, on every page.
        on_error=on_callback_error,
    )
    app.layout = create_shell
    # The same answer when a callback request fails before its callback (loading the account).
    server.register_error_handler(Exception, answer_escaped_failure)
    put_guard_last(server)
    with server.test_request_context():
        app._setup_server()  # claim this app's callbacks now, before another app is built
    return app


# Young objects collected after this many allocations (Python's default: 700). A cold page at
# N=100 allocates a few hundred thousand objects; fewer, larger collections cost less.
GC_YOUNG_THRESHOLD = 20_000


def settle_for_serving() -> None:
    """Prepare a serving process: keep its start-up objects out of the garbage collector's way.

    Once the app is built, the process holds a few million long-lived objects (Dash, Plotly's
    validators, pandas, the layouts). Each full collection walked them all: a page now and then
    took ~100 ms more at N=100 (`make bench`, p95 against p50). Frozen, they are never
    walked again (nor copied into gunicorn's forked workers by the collector's writes).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
