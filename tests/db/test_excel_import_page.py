"""The import page over HTTP: it says the values stay drafts and submits them on request (19.10)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import ProgressUpdate
from dashboard.services.excel_import import apply_import
from tests.db.entry_support import TODAY, audit_events, indicator_of, make_account
from tests.db.excel_support import edit, first_blank, set_cells, template
from tests.web.conftest import callback_body, create_account, login


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: Dash) -> Iterator[FlaskClient]:
    with app.server.test_client() as test_client:
        yield test_client


def _post(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> Any:
    """Post the callback that ``trigger`` fires, with chosen values; return its response."""
    prop = trigger.split(".")[1]
    key = next(
        k
        for k, spec in app.callback_map.items()
        if spec["inputs"]
        and f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}" == trigger
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        item["value"] = values.get(f"{item['id']}.{item['property']}", item["value"])
    body["changedPropIds"] = [trigger]
    assert prop
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _file(engine: Engine) -> str:
    code = indicator_of(engine, "CETIA").code

    def change(book: Any) -> None:
        ws = book["Saisie"]
        set_cells(
            ws,
            first_blank(ws),
            **{"CTI": "CETIA", "Code indicateur": code, "Période": "2023", "Valeur": 40},
        )

    content = edit(template(engine), change)
    return "data:application/octet-stream;base64," + base64.b64encode(content).decode()


def test_import_page_says_drafts_and_submits_them(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    assert login(client, "saisie-cetia").status_code == 302
    preview = _post(
        client,
        app,
        "import-upload.contents",
        {"import-upload.contents": _file(engine), "import-upload.filename": "cetia.xlsx"},
    )
    assert "restera en brouillon" in json.dumps(preview, ensure_ascii=False)
    token = preview["import-token-store"]["data"]
    applied = _post(client, app, "import-apply-button.n_clicks", {"import-token-store.data": token})
    text = json.dumps(applied, ensure_ascii=False)
    assert "reste en brouillon" in text and "Soumettre les brouillons importés" in text
    assert applied["import-submit-drafts-button"]["display"] == "inline-block"
    [draft] = applied["import-drafts-store"]["data"]
    submitted = _post(
        client,
        app,
        "import-submit-drafts-button.n_clicks",
        {"import-drafts-store.data": [draft]},
    )
    assert "1 valeur soumise pour validation" in json.dumps(submitted, ensure_ascii=False)
    with Session(engine) as session:
        assert session.get(ProgressUpdate, draft["id"]).status == "submitted"  # type: ignore[union-attr]
    assert audit_events(engine)[-1].action == "progress.submit"


def test_a_forged_draft_list_is_checked_value_by_value(
    app: Dash, client: FlaskClient, engine: Engine
) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    content = base64.b64decode(_file(engine).split(",", 1)[1])
    with session_scope(engine) as session:
        report = apply_import(session=session, account=editor, content=content, today=TODAY)
    drafts = [{"kind": d.kind, "id": d.id, "version": d.version} for d in report.drafts]
    create_account(engine, "saisie-ceric", "cti_editor", "CERIC")
    assert login(client, "saisie-ceric").status_code == 302  # another CTI replays the list
    answer = _post(
        client, app, "import-submit-drafts-button.n_clicks", {"import-drafts-store.data": drafts}
    )
    assert "0 valeur soumise" in json.dumps(answer, ensure_ascii=False)
    with Session(engine) as session:
        assert session.get(ProgressUpdate, drafts[0]["id"]).status == "draft"  # type: ignore[union-attr]
    assert audit_events(engine)[-1].outcome == "refused"
