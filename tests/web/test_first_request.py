"""A fresh worker answers whatever its first request is (gunicorn starts and restarts them)."""

from __future__ import annotations

from typing import Any

from dash import Dash
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from tests.web.test_render_cache import open_page


def test_a_fresh_worker_answers_a_page_change_as_its_first_request(
    app: Dash, signed_in: Any, settings: Settings, engine: Engine
) -> None:
    # Dash registers its pages router's callback on the first request a process serves; the
    # guard ran before that and refused it as unknown (400 "Requête mal formée") when a
    # worker's first request was a page change, as after each gunicorn worker start.
    cookie = signed_in("analyst").get_cookie("cti_session")
    assert cookie is not None
    worker = create_app(settings, engine=engine)  # another worker: nothing served yet
    assert not any("_pages_content" in key for key in worker.callback_map)
    fresh = worker.server.test_client()
    fresh.set_cookie(cookie.key, cookie.value)
    # The request the browser sends on a page change (built from the warm app's router).
    assert "axes-query" in open_page(app, fresh, "/axes")
