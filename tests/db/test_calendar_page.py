"""The /calendar page on the demo database, through HTTP as a browser would use it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.services import calendar
from dashboard.services.reminders import run_reminders
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import PASSWORD, make_person, notifications
from tests.web.conftest import callback_body, login, logout


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    dash_app = create_app(settings, engine=engine)
    dash_app.server.test_client().get("/healthz")  # Dash registers its routes on first request
    return dash_app


@pytest.fixture
def client(app: Dash) -> Iterator[FlaskClient]:
    with app.server.test_client() as test_client:
        yield test_client


def _sign_in(
    client: FlaskClient, engine: Engine, name: str, role: str, cti: str | None = None
) -> Any:
    account = make_person(engine, name, role, cti)
    assert login(client, name, PASSWORD).status_code == 302
    return account


def _call(client: FlaskClient, app: Dash, output: str, values: dict[str, Any], trigger: Any) -> str:
    """Post the callback writing ``output`` with values by component id; return its answer."""
    key = next(k for k in app.callback_map if output in k)
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if isinstance(item, dict) and item["id"] in values:
            item["value"] = values[item["id"]]
    if isinstance(trigger, dict):
        body["inputs"][0] = [{"id": trigger, "property": "n_clicks", "value": 1}]
        body["changedPropIds"] = [
            json.dumps(trigger, separators=(",", ":"), sort_keys=True) + ".n_clicks"
        ]
    else:
        body["changedPropIds"] = [
            f"{trigger}.n_clicks" if "button" in trigger else f"{trigger}.value"
        ]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    return (
        json.dumps(response.get_json(), ensure_ascii=False) if response.status_code == 200 else ""
    )


def _page(client: FlaskClient, app: Dash) -> str:
    return _call(client, app, "_pages_content.children", {"_pages_location": "/calendar"}, "x")


def test_the_page_shows_what_is_due_and_how_old_each_figure_is(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    editor = _sign_in(client, engine, "amina", "cti_editor", "CETIA")
    run_reminders(engine=engine, today=DEMO_TODAY, smtp=None)
    text = _page(client, app)
    assert "Calendrier de saisie" in text and "Situation au 29 novembre 2026" in text
    assert (
        "Saisie trimestrielle : les valeurs d'une période sont attendues au plus tard 15 jours"
        in text
    )
    assert "En retard (318 j)" in text and "2025-T4" in text and "CERIMME" in text
    assert "Saisie en retard : CETIA 2025-T4" in text  # the editor's own reminder
    assert "Indicateurs périmés" in text and "Périmée" in text
    assert "Règle de saisie" not in text  # only administrators change the rule

    [reminder] = notifications(engine, editor.id)
    out = _call(
        client,
        app,
        "calendar-notifications.children",
        {},
        {"type": "calendar-read-button", "index": reminder.id},
    )
    assert "Marquer non lu" in out and "0 non lu" in out
    assert notifications(engine, editor.id)[0].read_at is not None


def test_filtering_the_freshness_by_cti(app: Dash, client: FlaskClient, engine: Engine) -> None:
    _sign_in(client, engine, "lecteur", "viewer")
    view = calendar.freshness(engine=engine, today=DEMO_TODAY)
    ctth = next(c for c in view.ctis if c.acronym == "CTTH")
    out = _call(
        client,
        app,
        "calendar-indicator-grid.rowData",
        {"calendar-cti-select": str(ctth.cti_id)},
        "calendar-cti-select",
    )
    rows = json.loads(out)["response"]["calendar-indicator-grid"]["rowData"]
    assert {r["cti"] for r in rows} == {"CTTH"} and len(rows) == ctth.indicators


def test_an_admin_changes_the_due_days_and_a_viewer_cannot(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    values = {"calendar-rule-due-days": 30, "calendar-rule-lead-days": 5}
    _sign_in(client, engine, "lecteur", "viewer")
    refused = _call(
        client, app, "calendar-rule-message.children", values, "calendar-rule-save-button"
    )
    assert "Accès refusé" in refused
    logout(client)

    _sign_in(client, engine, "admin", "admin")
    assert "Règle de saisie" in _page(client, app)
    saved = _call(
        client, app, "calendar-rule-message.children", values, "calendar-rule-save-button"
    )
    assert "Règle enregistrée" in saved and "au plus tard 30 jours" in saved
    with session_scope(engine) as session:
        plan = calendar.current_plan(session)
        assert plan.id is not None
        assert calendar.load_rule(session, plan.id).due_days == 30
    bad = _call(
        client,
        app,
        "calendar-rule-message.children",
        {**values, "calendar-rule-due-days": 900},
        "calendar-rule-save-button",
    )
    assert "Délai de saisie invalide" in bad
