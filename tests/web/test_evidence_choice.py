"""A file chosen for one value is never attached to another (issue 19.5).

The save callback of /updates is replayed as the browser sends it: the picker still holds a
file chosen for another indicator (or period, or CTI) than the value being saved.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import Contract, Cti, Indicator, ProgressUpdate
from tests.web.conftest import callback_body

PDF = b"%PDF-1.7\n% justificatif\n%%EOF\n"
PERIOD = "2024"  # the demo enters quarters only: the whole year is free


def _cetia(engine: Engine) -> tuple[str, str, str]:
    """Return CETIA's id and the ids of two of its indicators."""
    with Session(engine) as session:
        cti = session.exec(select(Cti).where(Cti.acronym == "CETIA")).one()
        first, second = session.exec(
            select(Indicator.id)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .where(Contract.cti_id == cti.id)
            .order_by(col(Indicator.code))
        ).all()[:2]
        return str(cti.id), str(first), str(second)


def _save(app: Dash, client: FlaskClient, values: dict[tuple[str, str], Any]) -> str:
    """Replay "Enregistrer le brouillon" with values by (component id, property)."""
    key = next(
        k
        for k, s in app.callback_map.items()
        if "updates-form-message.children" in k
        and any(i["id"] == "updates-save-button" for i in s["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        item["value"] = values.get((item["id"], item["property"]), item["value"])
    body["changedPropIds"] = ["updates-save-button.n_clicks"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def _rows(engine: Engine, indicator: str) -> list[ProgressUpdate]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(ProgressUpdate).where(
                    ProgressUpdate.indicator_id == int(indicator),
                    ProgressUpdate.year == 2024,
                    ProgressUpdate.quarter == 0,
                )
            ).all()
        )


@pytest.mark.parametrize("other", ["indicator", "period", "cti"])
def test_a_file_chosen_for_another_value_is_refused_and_nothing_is_saved(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, other: str
) -> None:
    signed_in("cti_editor", "CETIA")
    cti, first, second = _cetia(engine)
    # The file was picked while another indicator, period or CTI was on screen.
    chosen_for = {"cti": cti, "indicator": first, "period": PERIOD, "filename": "bilan.pdf"}
    chosen_for[other] = {"indicator": second, "period": "2024-T1", "cti": "999"}[other]
    text = _save(app, client, _values(cti, first, chosen_for))
    assert "choisi pour une autre valeur" in text
    assert _rows(engine, first) == []


def test_a_file_chosen_for_the_value_is_attached_to_it(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("cti_editor", "CETIA")
    cti, first, _second = _cetia(engine)
    chosen_for = {"cti": cti, "indicator": first, "period": PERIOD, "filename": "bilan.pdf"}
    text = _save(app, client, _values(cti, first, chosen_for))
    assert "Opération refusée" not in text
    [row] = _rows(engine, first)
    assert row.evidence_name == "bilan.pdf"


def _values(cti: str, indicator: str, chosen_for: dict[str, str]) -> dict[tuple[str, str], Any]:
    return {
        ("updates-save-button", "n_clicks"): 1,
        ("updates-value-input", "value"): "10",
        ("updates-evidence-upload", "contents"): "data:application/pdf;base64,"
        + base64.b64encode(PDF).decode(),
        ("updates-evidence-upload", "filename"): "bilan.pdf",
        ("updates-indicator-select", "value"): indicator,
        ("updates-period-select", "value"): PERIOD,
        ("updates-cti-select", "value"): cti,
        ("updates-entry-store", "data"): {
            "mode": "new",
            "update_id": None,
            "version": None,
            "indicator": indicator,
            "period": PERIOD,
        },
        ("updates-evidence-store", "data"): chosen_for,
    }
