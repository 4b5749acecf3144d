"""The entry pages' callbacks over HTTP: the account comes from the session, never the browser."""

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
from tests.db.entry_support import audit_events, indicator_of, snapshot
from tests.web.conftest import callback_body, create_account, login


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: Dash) -> Iterator[FlaskClient]:
    with app.server.test_client() as test_client:
        yield test_client


def _post(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> str:
    """Post the callback that ``trigger`` fires, with chosen values; return the answer as text."""
    key = next(
        k for k, spec in app.callback_map.items() if any(i["id"] == trigger for i in spec["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [f"{trigger}.n_clicks"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json(), ensure_ascii=False)


def _cti_id(engine: Engine, acronym: str) -> int:
    from sqlmodel import Session, select

    from dashboard.db.models import Cti

    with Session(engine) as session:
        return session.exec(select(Cti.id).where(Cti.acronym == acronym)).one()  # type: ignore[return-value]


def test_editor_cannot_save_another_ctis_grid_by_forging_the_request(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    assert login(client, "saisie-cetia").status_code == 302
    other = indicator_of(engine, "CERIC")
    before = snapshot(engine)
    text = _post(
        client,
        app,
        "grid-save-button",
        {
            "grid-save-button": 1,
            "grid-cti-select": str(_cti_id(engine, "CERIC")),
            "grid-period-select": "2024",
            "grid-entry-grid": [{"indicator_id": other.id, "value": 12, "comment": ""}],
        },
    )
    assert "propre CTI" in text
    assert snapshot(engine) == before
    refusal = audit_events(engine)[-1]
    assert (refusal.username, refusal.outcome) == ("saisie-cetia", "refused")


def test_editor_saves_own_grid_through_the_page(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    assert login(client, "saisie-cetia").status_code == 302
    own = indicator_of(engine, "CETIA", "%")
    text = _post(
        client,
        app,
        "grid-save-button",
        {
            "grid-save-button": 1,
            "grid-cti-select": str(_cti_id(engine, "CETIA")),
            "grid-period-select": "2024",
            "grid-entry-grid": [{"indicator_id": own.id, "value": "150", "comment": ""}],
        },
    )
    assert "Rien n'a été enregistré" in text and "entre 0 et 100" in text
    text = _post(
        client,
        app,
        "grid-save-button",
        {
            "grid-save-button": 1,
            "grid-cti-select": str(_cti_id(engine, "CETIA")),
            "grid-period-select": "2024",
            "grid-entry-grid": [{"indicator_id": own.id, "value": "55,5", "comment": "ok"}],
        },
    )
    assert "1 valeur enregistrée" in text
    assert audit_events(engine)[-1].username == "saisie-cetia"


def test_viewer_cannot_validate_through_the_queue(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "lecteur", "viewer")
    assert login(client, "lecteur").status_code == 302
    before = snapshot(engine)
    text = _post(
        client,
        app,
        "validation-validate-button",
        {"validation-validate-button": 1, "validation-queue-grid": [{"id": 1, "version": 1}]},
    )
    assert "Accès refusé" in text
    assert snapshot(engine) == before
