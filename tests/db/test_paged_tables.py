"""Paged indicator tables on the demo database: the page callbacks and the full exports."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.components import paged_table
from dashboard.config import Settings
from dashboard.services.axes import axis_view
from dashboard.services.contracts import cti_view
from tests.web.conftest import callback_body, create_account, login


@pytest.fixture
def app(settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Dash:
    monkeypatch.setattr(paged_table, "PAGE_SIZE", 3)  # the demo's lists fill a few pages
    dash_app = create_app(settings, engine=engine)
    dash_app.server.test_client().get("/healthz")
    return dash_app


@pytest.fixture
def client(app: Dash, engine: Engine) -> FlaskClient:
    test_client = app.server.test_client()
    create_account(engine, "lecteur", "viewer")
    assert login(test_client, "lecteur").status_code == 302
    return test_client


def _call(client: FlaskClient, app: Dash, output: str, values: dict[str, Any], trigger: str) -> Any:
    """Post the callback writing ``output`` with values by component id; return its response."""
    key = next(k for k in app.callback_map if k.startswith(output))
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [trigger]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _codes(frame: Any) -> list[str]:
    return [str(code) for code in frame["code"]]


def test_the_axis_page_callback_returns_the_requested_page(
    app: Dash, client: FlaskClient, settings: Settings, engine: Engine
) -> None:
    view = axis_view(
        engine=engine, today=settings.today(), number=2, thresholds=settings.thresholds
    )
    assert view is not None and len(view.indicators) > 6
    out = _call(
        client,
        app,
        "axis-indicators-table-page.children",
        {"axis-indicators-table-pagination": 2, "axis-number": 2},
        "axis-indicators-table-pagination.value",
    )
    text = json.dumps(out, ensure_ascii=False)
    codes = _codes(view.indicators)
    assert f"4-6 sur {len(codes)} indicateurs" in text
    assert all(code in text for code in codes[3:6])
    assert not any(f'"{code}"' in text for code in codes[:3] + codes[6:])


@pytest.mark.parametrize(
    ("path", "table"),
    [("/axes/2", "axis-indicators-table"), ("/ctis/CETIA", "cti-indicators-table")],
)
def test_the_first_page_of_rows_is_in_the_page_and_the_callback_waits_for_another(
    app: Dash, client: FlaskClient, path: str, table: str
) -> None:
    layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"})
    box = _component(layout.get_json(), f"{table}-page")
    assert box is not None
    shown = json.dumps(box).replace('\\"', '"')  # the rows' HTML, its quotes unescaped
    assert f'<table id="{table}"' in shown and shown.count("</td></tr>") == 3  # 3 rows
    [page] = [c for c in app._callback_list if c["output"] == f"{table}-page.children"]
    assert page["prevent_initial_call"]  # not run again on load for the rows already there


def test_the_contract_page_callback_and_the_export_of_the_whole_list(
    app: Dash, client: FlaskClient, settings: Settings, engine: Engine
) -> None:
    view = cti_view(
        engine=engine, today=settings.today(), acronym="CETIA", thresholds=settings.thresholds
    )
    assert view is not None
    codes = _codes(view.indicators)
    out = _call(
        client,
        app,
        "cti-indicators-table-page.children",
        {"cti-indicators-table-pagination": 2, "cti-acronym": "CETIA"},
        "cti-indicators-table-pagination.value",
    )
    text = json.dumps(out, ensure_ascii=False)
    assert all(code in text for code in codes[3:6]) and f'"{codes[0]}"' not in text
    exported = _call(
        client,
        app,
        "cti-indicators-table-download.data",
        {"cti-indicators-table-export-csv": 1, "cti-acronym": "CETIA"},
        "cti-indicators-table-export-csv.n_clicks",
    )
    download = exported["cti-indicators-table-download"]["data"]
    lines = base64.b64decode(download["content"]).decode("utf-8-sig").strip().splitlines()
    assert download["filename"].endswith(".csv") and len(lines) == len(codes) + 1


def test_the_contract_page_lists_its_indicators_when_the_select_is_reached(
    app: Dash, client: FlaskClient, settings: Settings, engine: Engine
) -> None:
    view = cti_view(
        engine=engine, today=settings.today(), acronym="CETIA", thresholds=settings.thresholds
    )
    assert view is not None and view.trajectory is not None and len(view.rows) > 3
    # The layout holds the indicator shown only; every indicator comes by the callback, which
    # cti.js sets off (through the Store inside the redrawn content) when the select is reached.
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/ctis/CETIA"})
    select = _component(layout.get_json(), "cti-indicator")
    assert [o["value"] for o in select["props"]["data"]] == [view.trajectory.row.code]
    assert _component(layout.get_json(), "cti-indicator-wanted")["props"]["data"] is False
    out = _call(
        client,
        app,
        "cti-indicator.data",
        {"cti-indicator-wanted": True, "cti-acronym": "CETIA"},
        "cti-indicator-wanted.data",
    )
    options = out["cti-indicator"]["data"]
    assert [o["value"] for o in options] == [row.code for row in view.rows]
    assert options[0]["label"] == f"{view.rows[0].code} · {view.rows[0].label}"


def _component(node: Any, component_id: str) -> Any:
    """Return the component with this id in a serialised layout (None if absent)."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _component(child, component_id)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize(
    ("module", "function", "path", "output", "values"),
    [
        (
            "dashboard.services.axes",
            "axis_view",
            "/axes/2",
            "axis-indicators-table-page.children",
            {"axis-number": 2, "axis-cti": "", "axis-status": ""},
        ),
        (
            "dashboard.services.contracts",
            "cti_view",
            "/ctis/CETIA",
            "cti-indicators-table-page.children",
            {"cti-acronym": "CETIA"},
        ),
    ],
)
def test_a_page_and_its_table_build_the_read_model_once(
    settings: Settings,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    function: str,
    path: str,
    output: str,
    values: dict[str, Any],
) -> None:
    # The page's layout (no year in the address) and the table's first page (the year the
    # page shows, as its year control sends it) share one read model until the data changes.
    import importlib

    source = importlib.import_module(module)
    real = getattr(source, function)
    calls: list[dict[str, Any]] = []

    def counted(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(source, function, counted)
    dash_app = create_app(settings, engine=engine)
    client = dash_app.server.test_client()
    create_account(engine, "lecteur", "viewer")
    assert login(client, "lecteur").status_code == 302
    layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"})
    assert layout.status_code == 200 and len(calls) == 1
    prefix = output.split("-page.", maxsplit=1)[0]
    year_id = f"{prefix.split('-')[0]}-year"
    year = _component(layout.get_json(), year_id)["props"]["value"]
    page = {f"{prefix}-pagination": 1, year_id: year, **values}
    out = _call(client, dash_app, output, page, f"{prefix}-pagination.value")
    assert "sur" in json.dumps(out, ensure_ascii=False) or "Tr" in json.dumps(out)
    assert len(calls) == 1
