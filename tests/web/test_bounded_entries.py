"""Numbers and dates out of bounds, replayed through each entry form's callback (issue 20.4).

Each entry is refused with a message next to its field, the database is unchanged, and the
pages that show the figures keep rendering (a target of 1e308 used to blank the CTI's page).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import (
    Axis,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    Plan,
)
from tests.db.entry_support import snapshot
from tests.web.conftest import callback_body, open_page


def _post(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> str:
    """Post the callback ``trigger`` fires, with chosen values; return the answer as text."""
    key = next(
        k for k, spec in app.callback_map.items() if any(i["id"] == trigger for i in spec["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [f"{trigger}.n_clicks"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[-600:]
    return json.dumps(response.get_json(), ensure_ascii=False)


def _indicator(engine: Engine, acronym: str, unit: str) -> Indicator:
    with Session(engine) as session:
        found = session.exec(
            select(Indicator)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .join(Plan, col(Plan.id) == col(Contract.plan_id))
            .where(Cti.acronym == acronym, Indicator.unit == unit, col(Plan.is_baseline).is_(False))
            .order_by(col(Indicator.id))
        ).first()
    assert found is not None
    return found


def _target(engine: Engine, indicator_id: int) -> IndicatorTarget:
    with Session(engine) as session:
        found = session.exec(
            select(IndicatorTarget)
            .where(IndicatorTarget.indicator_id == indicator_id)
            .order_by(col(IndicatorTarget.year))
        ).first()
    assert found is not None
    return found


def _revise_target(client: FlaskClient, app: Dash, target: IndicatorTarget, raw: str) -> str:
    return _post(
        client,
        app,
        "targets-save-button",
        {
            "targets-save-button": 1,
            "targets-year-select": str(target.id),
            "targets-value-input": raw,
            "targets-reason-input": "Révision demandée par le comité",
            "targets-store": {str(target.id): target.version},
        },
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1e308", "Objectif trop grand"),
        ("1e28", "Objectif trop grand"),
        ("-5", "négati"),
        ("0", "Objectif nul"),
        ("12,5", "entier"),
    ],
)
def test_an_implausible_target_is_refused_and_the_ctis_page_still_renders(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, raw: str, expected: str
) -> None:
    signed_in("analyst")
    target = _target(engine, _indicator(engine, "CETIA", "entreprises").id or 0)
    before = snapshot(engine)
    out = _revise_target(client, app, target, raw)
    assert "Objectif non révisé" in out and expected in out, out
    assert snapshot(engine) == before
    assert "CETIA" in open_page(app, client, "/ctis/CETIA")


def test_a_percentage_target_stays_within_0_and_100(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("analyst")
    target = _target(engine, _indicator(engine, "CETIA", "%").id or 0)
    out = _revise_target(client, app, target, "140")
    assert "Objectif non révisé" in out and "entre 0 et 100" in out
    assert "Objectif révisé." in _revise_target(client, app, target, "55")


def _save_value(client: FlaskClient, app: Dash, indicator: Indicator, raw: str) -> str:
    store = {
        "mode": "new",
        "update_id": None,
        "version": None,
        "indicator": str(indicator.id),
        "period": "2024",
    }
    return _post(
        client,
        app,
        "updates-save-button",
        {
            "updates-save-button": 1,
            "updates-value-input": raw,
            "updates-comment-input": "",
            "updates-indicator-select": str(indicator.id),
            "updates-period-select": "2024",
            "updates-entry-store": store,
        },
    )


@pytest.mark.parametrize(
    ("unit", "raw", "expected"),
    [
        ("essais", "1e308", "Valeur trop grande"),
        ("essais", "1e28", "Valeur trop grande"),
        ("essais", "1e12", "Valeur trop grande"),
        ("essais", "99 999 999", "Valeur trop grande"),
        ("essais", "-5", "négative"),
        ("%", "1e28", "entre 0 et 100"),
        ("jours", "1e28", "Valeur trop grande"),
    ],
)
def test_an_implausible_progress_value_is_refused(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    unit: str,
    raw: str,
    expected: str,
) -> None:
    signed_in("analyst")
    before = snapshot(engine)
    out = _save_value(client, app, _indicator(engine, "CETIA", unit), raw)
    assert "Valeur non enregistrée" in out and expected in out, out
    assert snapshot(engine) == before


def test_a_plausible_but_unusual_value_is_saved_and_the_message_says_it_is_flagged(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("analyst")
    out = _save_value(client, app, _indicator(engine, "CETIA", "essais"), "900000")
    assert "Brouillon enregistré" in out and "signalée" in out, out
    assert "vous pouvez l'enregistrer" not in out  # it is already saved


def _contract_axis(engine: Engine, acronym: str) -> tuple[int, int]:
    with Session(engine) as session:
        line = session.exec(
            select(EnvelopeLine)
            .join(Contract, col(Contract.id) == col(EnvelopeLine.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .join(Axis, col(Axis.id) == col(EnvelopeLine.axis_id))
            .where(Cti.acronym == acronym)
            .order_by(col(EnvelopeLine.id))
        ).first()
    assert line is not None
    return line.contract_id, line.axis_id


def _save_movement(
    client: FlaskClient, app: Dash, engine: Engine, *, amount: str, on_date: str
) -> str:
    contract, axis = _contract_axis(engine, "CETIA")
    return _post(
        client,
        app,
        "budget-save-button",
        {
            "budget-save-button": 1,
            "budget-contract-select": str(contract),
            "budget-axis-select": str(axis),
            "budget-kind-select": "commitment",
            "budget-date-input": on_date,
            "budget-amount-input": amount,
            "budget-reference-input": "ENG-TEST-1",
            "budget-comment-input": "",
            "budget-form-store": {"mode": "new"},
        },
    )


@pytest.mark.parametrize(
    ("amount", "on_date", "expected"),
    [
        ("1e308", "2024-03-01", "Montant trop grand"),
        ("1e28", "2024-03-01", "Montant trop grand"),
        ("-5", "2024-03-01", "Montant invalide"),
        ("0,5", "2025-02-30", "n'existe pas"),
        ("0,5", "2025-13-01", "n'existe pas"),
        ("0,5", "0001-01-01", "Date hors des limites"),
    ],
)
def test_an_implausible_budget_movement_is_refused(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    amount: str,
    on_date: str,
    expected: str,
) -> None:
    signed_in("analyst")
    before = snapshot(engine)
    out = _save_movement(client, app, engine, amount=amount, on_date=on_date)
    assert "Mouvement non enregistré" in out and expected in out, out
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("amount", "expected"), [("1e308", "Montant trop grand"), ("-5", "Montant invalide")]
)
def test_an_implausible_envelope_line_is_refused(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, amount: str, expected: str
) -> None:
    signed_in("analyst")
    with Session(engine) as session:
        line = session.exec(select(EnvelopeLine).order_by(col(EnvelopeLine.id))).first()
    assert line is not None
    before = snapshot(engine)
    out = _post(
        client,
        app,
        "envelopes-save-button",
        {
            "envelopes-save-button": 1,
            "envelopes-grid": [{"id": line.id, "version": line.version}],
            "envelopes-amount-input": amount,
            "envelopes-reason-input": "Révision demandée par le comité",
        },
    )
    assert "Ligne non révisée" in out and expected in out, out
    assert snapshot(engine) == before
