"""Access to the running application's engine and settings from services and callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from dashboard.config import Settings
    from dashboard.services.cache import RenderCache

EXTENSION = "cti_dashboard"


def current_engine() -> Engine:
    """Return the database engine of the Flask app handling this request."""
    engine: Engine = current_app.extensions[EXTENSION]["engine"]
    return engine


def current_settings() -> Settings:
    """Return the settings of the Flask app handling this request."""
    settings: Settings = current_app.extensions[EXTENSION]["settings"]
    return settings


def current_render_cache() -> RenderCache | None:
    """Return the page cache of the Flask app handling this request (None if it has none)."""
    cache: RenderCache | None = current_app.extensions[EXTENSION].get("render_cache")
    return cache


def render_cache_for(engine: Engine) -> RenderCache | None:
    """Return the running app's page cache if it serves ``engine`` and is on, else None.

    For read models called with an engine, from a request or elsewhere (the command line,
    a report job, a test): they keep their results only in the cache of the app whose
    database they read.
    """
    if not has_app_context():
        return None
    state = current_app.extensions.get(EXTENSION) or {}
    cache: RenderCache | None = state.get("render_cache")
    if cache is None or cache.max_entries <= 0 or state.get("engine") is not engine:
        return None
    return cache
