"""Access to the running application's engine and settings from services and callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
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
