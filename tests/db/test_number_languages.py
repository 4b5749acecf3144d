"""Numbers typed in the pages are read with the separators of the reader's language.

Review of issue 20: "1,250" was read as 1.25 whatever the language, so an English reader's
1,250 (or an Arabic reader's 1.250) was saved 1,000 times too small. Replayed here as the
browser sends it: a signed-in editor, the language chosen with ?lang=, the entry grid saved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.models import Cti, ProgressUpdate
from tests.db.entry_support import indicator_of, snapshot
from tests.web.conftest import callback_body, create_account, login


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: Dash) -> Iterator[FlaskClient]:
    with app.server.test_client() as test_client:
        yield test_client


def _save_grid(client: FlaskClient, app: Dash, engine: Engine, row: dict[str, Any]) -> str:
    key = next(
        k
        for k, spec in app.callback_map.items()
        if any(i["id"] == "grid-save-button" for i in spec["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    with Session(engine) as session:
        cti_id = session.exec(select(Cti.id).where(Cti.acronym == "CETIA")).one()
    values = {
        "grid-save-button": 1,
        "grid-cti-select": str(cti_id),
        "grid-period-select": "2024",
        "grid-entry-grid": [row],
    }
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = ["grid-save-button.n_clicks"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json(), ensure_ascii=False)


def _latest(engine: Engine, indicator_id: int) -> float | None:
    with Session(engine) as session:
        row = session.exec(
            select(ProgressUpdate)
            .where(ProgressUpdate.indicator_id == indicator_id)
            .order_by(col(ProgressUpdate.id).desc())
        ).first()
        return None if row is None else row.value


@pytest.mark.parametrize(
    ("lang", "typed", "saved", "unit"),
    [
        ("en", "1,250", 1250.0, "entreprises"),
        ("ar", "1.250", 1250.0, "entreprises"),
        ("fr", "1 250", 1250.0, "entreprises"),
        ("fr", "12,5", 12.5, "%"),
        ("fr", "12.5", 12.5, "%"),
        ("en", "1,234.5", 1234.5, "tonnes"),
    ],
)
def test_a_value_typed_in_the_grid_is_read_in_the_reader_language(
    app: Dash, client: FlaskClient, engine: Engine, lang: str, typed: str, saved: float, unit: str
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    assert login(client, "saisie-cetia").status_code == 302
    client.get(f"/updates/grid?lang={lang}")
    indicator = indicator_of(engine, "CETIA", unit) or indicator_of(engine, "CETIA", "MDH")
    row = {"indicator_id": indicator.id, "value": typed, "comment": "saisie"}
    text = _save_grid(client, app, engine, row)
    assert _latest(engine, indicator.id) == saved, text


@pytest.mark.parametrize(("lang", "typed"), [("fr", "1,250"), ("en", "1.250"), ("ar", "1,250")])
def test_an_ambiguous_value_is_refused_and_nothing_is_saved(
    app: Dash, client: FlaskClient, engine: Engine, lang: str, typed: str
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    assert login(client, "saisie-cetia").status_code == 302
    client.get(f"/updates/grid?lang={lang}")
    indicator = indicator_of(engine, "CETIA")
    before = snapshot(engine)
    text = _save_grid(client, app, engine, {"indicator_id": indicator.id, "value": typed})
    assert "1250" in text and ("1,25" in text or "1.25" in text)
    assert snapshot(engine) == before
