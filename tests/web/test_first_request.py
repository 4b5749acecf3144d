"""A fresh worker answers whatever its first request is (gunicorn starts and restarts them)."""

from __future__ import annotations

from typing import Any

from dash import Dash
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.auth.guard import guard
from dashboard.config import Settings
from tests.web.conftest import open_page


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


def test_the_guard_runs_after_every_hook_dash_adds(app: Dash) -> None:
    hooks = app.server.before_request_funcs[None]
    assert hooks[-1] is guard
    # Nothing else may answer before it: only Dash's own set-up hooks and the language pick.
    assert [hook.__qualname__ for hook in hooks[:-1]] == [
        "install_language.<locals>._pick_language",
        "Dash._setup_server",
        "Dash.enable_pages.<locals>.router_sync",
    ]


def test_an_anonymous_first_request_to_a_fresh_worker_is_refused(
    app: Dash, settings: Settings, engine: Engine
) -> None:
    worker = create_app(settings, engine=engine)
    anonymous = worker.server.test_client()
    key = next(k for k in app.callback_map if "_pages_content" in k)
    response = anonymous.post("/_dash-update-component", json={"output": key, "inputs": []})
    assert response.status_code == 401
    assert anonymous.get("/_dash-layout").status_code == 401
