"""Revising a target on /updates/validation: the CTI first, then its indicators, then a year."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import AuditEvent, Contract, Cti, Indicator, IndicatorTarget, Plan
from tests.web.conftest import callback_body


def _call(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> Any:
    """Post the callback whose first input is ``trigger``, with values by component id."""
    key = next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == trigger)
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _open_page(client: FlaskClient, app: Dash) -> str:
    """Render /updates/validation as the pages router does; return the layout as JSON text."""
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = callback_body(key, app.callback_map[key])
    body["inputs"][0]["value"] = "/updates/validation"
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _component(tree: Any, ident: str) -> dict[str, Any]:
    """Find a component by id in a layout's JSON."""
    children: list[Any] = []
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == ident:
            return tree
        children = list(tree.values())
    elif isinstance(tree, list):
        children = tree
    for child in children:
        try:
            return _component(child, ident)
        except LookupError:
            continue
    raise LookupError(ident)


def _cti_id(engine: Engine, acronym: str) -> int:
    with Session(engine) as session:
        cti = session.exec(select(Cti).where(Cti.acronym == acronym)).one()
        assert cti.id is not None
        return cti.id


def _indicators(engine: Engine, acronym: str) -> dict[str, str]:
    """Return the ids and codes of a CTI's indicators in the current plan, queried directly."""
    with Session(engine) as session:
        rows = session.exec(
            select(Indicator.id, Indicator.code)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .join(Plan, col(Plan.id) == col(Contract.plan_id))
            .where(Cti.acronym == acronym, col(Plan.is_baseline).is_(False))
        ).all()
    return {str(i): code for i, code in rows}


def test_the_page_carries_the_ctis_but_no_indicator(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("analyst")
    text = _open_page(client, app)
    layout = json.loads(text)
    assert _component(layout, "targets-indicator-select")["props"]["data"] == []
    with Session(engine) as session:
        acronyms = set(session.exec(select(Cti.acronym)).all())
    ctis = _component(layout, "targets-cti-select")["props"]["data"]
    assert {c["label"].split(" — ")[0] for c in ctis} == acronyms
    assert _component(layout, "targets-cti-select")["props"]["value"] is None  # several CTIs
    for acronym in ("CETIA", "CERIC"):
        assert not any(code in text for code in _indicators(engine, acronym).values())


@pytest.mark.parametrize("acronym", ["CETIA", "CERIC"])
def test_choosing_a_cti_lists_exactly_its_indicators(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, acronym: str
) -> None:
    signed_in("analyst")
    expected = _indicators(engine, acronym)
    assert expected
    out = _call(
        client, app, "targets-cti-select", {"targets-cti-select": str(_cti_id(engine, acronym))}
    )
    options = out["targets-indicator-select"]["data"]
    assert {o["value"]: o["label"].split(" — ")[0] for o in options} == expected
    assert len(options) == len(expected)
    assert out["targets-indicator-select"]["value"] is None
    assert out["targets-cti-select"]["error"] is None


@pytest.mark.parametrize("raw", ["abc", "999999", "9" * 30, "1 OR 1=1", "-1"])
def test_an_unknown_cti_is_refused_with_a_message(
    app: Dash, client: FlaskClient, signed_in: Any, raw: str
) -> None:
    signed_in("analyst")
    out = _call(client, app, "targets-cti-select", {"targets-cti-select": raw})
    assert out["targets-indicator-select"]["data"] == []
    assert "CTI inconnu" in out["targets-cti-select"]["error"]
    assert "choisissez-le dans la liste" in out["targets-cti-select"]["error"]


def test_analyst_revises_a_target_after_choosing_cti_indicator_and_year(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("analyst", username="analyste-plan")
    out = _call(
        client, app, "targets-cti-select", {"targets-cti-select": str(_cti_id(engine, "CETIA"))}
    )
    indicator = out["targets-indicator-select"]["data"][0]["value"]
    shown = _call(
        client,
        app,
        "targets-indicator-select",
        {"targets-indicator-select": indicator, "targets-message": None},
    )
    assert shown["targets-year-select"]["value"] is None  # a year of another indicator is cleared
    with Session(engine) as session:
        target = session.exec(
            select(IndicatorTarget)
            .where(IndicatorTarget.indicator_id == int(indicator))
            .order_by(col(IndicatorTarget.year))
        ).first()
    assert target is not None
    years = shown["targets-year-select"]["data"]
    assert years[0]["value"] == str(target.id) and years[0]["label"].startswith(str(target.year))
    values = {
        "targets-save-button": 1,
        "targets-year-select": str(target.id),
        "targets-value-input": f"{target.value + 5:g}",
        "targets-reason-input": "Report du salon professionnel",
        "targets-store": shown["targets-store"]["data"],
    }
    saved = _call(client, app, "targets-save-button", values)
    assert "Objectif révisé." in json.dumps(saved, ensure_ascii=False)
    history = _call(
        client,
        app,
        "targets-indicator-select",
        {"targets-indicator-select": indicator, "targets-message": "Objectif révisé."},
    )
    assert "Report du salon professionnel" in json.dumps(history, ensure_ascii=False)
    with Session(engine) as session:
        revised = session.get(IndicatorTarget, target.id)
        assert revised is not None and revised.value == pytest.approx(target.value + 5)


def _show_targets(client: FlaskClient, app: Dash, indicator: str) -> Any:
    """Choose an indicator in the revision form, as the select does."""
    values = {"targets-indicator-select": indicator, "targets-message": None}
    return _call(client, app, "targets-indicator-select", values)


@pytest.mark.parametrize(
    ("role", "cti"), [("viewer", None), ("cti_editor", "CETIA"), ("cti_editor", "CERIC")]
)
def test_an_indicators_targets_are_read_only_for_those_who_may_revise_them(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, role: str, cti: str | None
) -> None:
    # The select lists indicators only to those who may amend, but a forged request can name
    # any indicator: the server checks before reading its targets and their history. These
    # roles may not open the page: the guard refuses every callback of it (auth/callbacks.py),
    # before the service's own check, and says so in the notification area.
    signed_in(role, cti)
    indicator = next(iter(_indicators(engine, "CETIA")))
    out = _show_targets(client, app, indicator)
    assert out == {}  # no year, no version, no revision of the indicator
    with Session(engine) as session:
        refused = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "validate_progress", AuditEvent.outcome == "refused"
            )
        ).all()
    assert refused and "targets-year-select" in refused[-1].detail


@pytest.mark.parametrize("indicator", ["999999", "x' OR 1=1", "1" * 30])
def test_an_unknown_or_unreadable_indicator_gets_a_message(
    app: Dash, client: FlaskClient, signed_in: Any, indicator: str
) -> None:
    signed_in("analyst")
    out = _show_targets(client, app, indicator)
    assert out["targets-year-select"]["data"] == []
    assert "Indicateur inconnu" in json.dumps(out["targets-history"], ensure_ascii=False)


def test_an_analyst_reads_the_targets_of_any_indicator(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("analyst")
    indicator = next(iter(_indicators(engine, "CETIA")))
    out = _show_targets(client, app, indicator)
    years = out["targets-year-select"]["data"]
    assert [y["label"][:4] for y in years] == ["2022", "2023", "2024", "2025"]
    assert set(out["targets-store"]["data"]) == {y["value"] for y in years}
