"""Reminders over HTTP: the header's bell counts one's own, nobody marks another's read."""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from dashboard.services.reminders import run_reminders
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import make_person, notifications
from tests.web.conftest import callback_body, login

READ_BUTTON = "calendar-read-button"


def _post(client: FlaskClient, app: Dash, key: str, trigger: tuple[Any, str, Any]) -> Any:
    """Post the callback ``key`` as if ``trigger`` (id, property, value) had just changed."""
    body = callback_body(key, app.callback_map[key])
    ident, prop, value = trigger
    for index, dep in enumerate(app.callback_map[key]["inputs"]):
        matches = dep["id"] == ident or (isinstance(ident, dict) and dep["id"].startswith("{"))
        if matches:
            item = {"id": ident, "property": prop, "value": value}
            body["inputs"][index] = [item] if isinstance(ident, dict) else item
    name = (
        json.dumps(ident, separators=(",", ":"), sort_keys=True)
        if isinstance(ident, dict)
        else ident
    )
    body["changedPropIds"] = [f"{name}.{prop}"]
    return client.post("/_dash-update-component", json=body)


def _key(app: Dash, output: str, first_input: str) -> str:
    return next(
        k
        for k, spec in app.callback_map.items()
        if output in k and first_input in spec["inputs"][0]["id"]
    )


def _bell(client: FlaskClient, app: Dash) -> str:
    key = _key(app, "shell-bell.children", "_pages_location")
    response = _post(client, app, key, ("_pages_location", "pathname", "/ctis"))
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_marking_another_persons_reminder_is_refused(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    amina = make_person(engine, "amina", "cti_editor", "CETIA")
    karim = make_person(engine, "karim", "cti_editor", "CTTH")
    run_reminders(engine=engine, today=DEMO_TODAY, smtp=None)
    [theirs] = notifications(engine, amina.id)
    assert notifications(engine, karim.id)  # karim has reminders of his own
    assert login(client, "karim").status_code == 302

    key = _key(app, "calendar-notifications.children", READ_BUTTON)
    trigger = ({"type": READ_BUTTON, "index": theirs.id}, "n_clicks", 1)
    answer = _post(client, app, key, trigger)
    assert answer.status_code == 200
    assert "Rappel introuvable" in answer.get_data(as_text=True)
    assert notifications(engine, amina.id)[0].read_at is None  # untouched

    _post(client, app, key, ("calendar-read-all-button", "n_clicks", 1))
    assert notifications(engine, amina.id)[0].read_at is None
    assert all(n.read_at is not None for n in notifications(engine, karim.id))


def test_the_bell_counts_ones_own_unread_reminders(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    amina = make_person(engine, "amina", "cti_editor", "CETIA")
    make_person(engine, "karim", "cti_editor", "CTTH")
    run_reminders(engine=engine, today=DEMO_TODAY, smtp=None)
    assert login(client, "amina").status_code == 302
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Rappels : 1 non lu" in layout and "cti-bell-count" in layout
    assert "Rappels : 1 non lu" in _bell(client, app)

    [mine] = notifications(engine, amina.id)
    key = _key(app, "calendar-notifications.children", READ_BUTTON)
    _post(client, app, key, ({"type": READ_BUTTON, "index": mine.id}, "n_clicks", 1))
    after = _bell(client, app)
    assert "Rappels : 0 non lu" in after and "cti-bell-count" not in after
