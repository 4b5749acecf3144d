"""Forged callbacks: the browser may send anything; the server checks the role and logs refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import AuditEvent, Contract, Cti, Indicator, User
from tests.web.conftest import callback_body, create_account


def _key_for_input(app: Dash, component_id: str) -> str:
    """Return the callback that the component triggers."""
    return next(
        key
        for key, spec in app.callback_map.items()
        if any(i["id"] == component_id for i in spec["inputs"])
    )


def _post(client: FlaskClient, app: Dash, key: str, values: dict[str, Any]) -> Any:
    """Post a callback with chosen values for its inputs and states (by component id)."""
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    trigger = next((i for i in body["inputs"] if i["id"] in values), None)
    if trigger:
        body["changedPropIds"] = [f"{trigger['id']}.{trigger['property']}"]
    return client.post("/_dash-update-component", json=body)


def _text(response: Any) -> str:
    """Return a Dash answer as readable text (Dash escapes accents in its JSON)."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def create_payload(username: str) -> dict[str, Any]:
    return {
        "admin-users-create-button": 1,
        "admin-users-new-username": username,
        "admin-users-new-fullname": "Intrus",
        "admin-users-new-role": "admin",
        "admin-users-new-cti": None,
    }


def _refusals(engine: Engine, username: str) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(
            AuditEvent.outcome == "refused", AuditEvent.username == username
        )
        return list(session.exec(query).all())


def _user(engine: Engine, username: str) -> User | None:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).first()


@pytest.mark.parametrize(
    ("role", "cti"), [("viewer", None), ("cti_editor", "CETIA"), ("analyst", None)]
)
def test_non_admin_cannot_create_an_account_by_forging_the_callback(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, role: str, cti: str | None
) -> None:
    signed_in(role, cti, username="forgeur")
    key = _key_for_input(app, "admin-users-create-button")
    response = _post(client, app, key, create_payload("intrus"))
    assert response.status_code == 200
    text = _text(response)
    assert "Accès refusé" in text
    assert "rowData" not in text  # the account list is not sent either
    assert _user(engine, "intrus") is None
    [refusal] = _refusals(engine, "forgeur")
    assert refusal.action == "manage_users" and "intrus" in refusal.detail


def test_admin_creates_an_account_with_the_same_payload(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("admin", username="chef")
    key = _key_for_input(app, "admin-users-create-button")
    response = _post(client, app, key, create_payload("nouvelle"))
    assert response.status_code == 200
    created = _user(engine, "nouvelle")
    assert created is not None and created.role == "admin"
    assert "admin-users-new-password" in _text(response)


@pytest.mark.parametrize("button", ["admin-users-disable-button", "admin-users-reset-button"])
def test_viewer_cannot_disable_or_reset_an_account(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, button: str
) -> None:
    create_account(engine, "victime", "admin")
    before = _user(engine, "victime")
    signed_in("viewer", username="forgeur")
    key = _key_for_input(app, button)
    values = {button: 1, "admin-users-grid": [{"username": "victime"}]}
    response = _post(client, app, key, values)
    assert "Accès refusé" in _text(response)
    after = _user(engine, "victime")
    assert after is not None and before is not None
    assert after.is_active and after.password_hash == before.password_hash
    assert len(_refusals(engine, "forgeur")) == 1


def test_viewer_cannot_export_the_audit_trail(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("viewer", username="forgeur")
    key = next(k for k in app.callback_map if "audit-download.data" in k)
    response = _post(client, app, key, {"audit-export-button": 1})
    text = _text(response)
    assert "Accès refusé" in text and "date_utc" not in text and "auth.login" not in text
    assert len(_refusals(engine, "forgeur")) == 1


def test_viewer_cannot_read_the_audit_trail(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("viewer", username="forgeur")
    key = next(k for k in app.callback_map if "audit-grid.rowData" in k)
    response = _post(client, app, key, {"audit-outcome-select": None})
    text = _text(response)
    assert "auth.login" not in text and "Accès refusé" in text


@pytest.mark.parametrize("path", ["/admin/users", "/audit"])
def test_restricted_pages_show_a_refusal_to_a_viewer(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any, path: str
) -> None:
    create_account(engine, "temoin", "analyst")
    signed_in("viewer")
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = callback_body(key, app.callback_map[key])
    body["inputs"][0]["value"] = path
    text = _text(client.post("/_dash-update-component", json=body))
    assert "Accès refusé" in text
    assert "temoin" not in text and "auth.login" not in text


@pytest.mark.parametrize(
    ("role", "cti", "asked"),
    [("viewer", None, "CERIC"), ("cti_editor", "CETIA", "CERIC"), ("cti_editor", "CETIA", "CETIA")],
)
def test_only_analysts_get_a_ctis_indicators_for_a_target_revision(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    role: str,
    cti: str | None,
    asked: str,
) -> None:
    signed_in(role, cti, username="forgeur")
    with Session(engine) as session:
        asked_cti = session.exec(select(Cti).where(Cti.acronym == asked)).one()
        codes = session.exec(
            select(Indicator.code)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .where(Contract.cti_id == asked_cti.id)
        ).all()
    assert codes
    key = _key_for_input(app, "targets-cti-select")
    response = _post(client, app, key, {"targets-cti-select": str(asked_cti.id)})
    assert response.status_code == 200
    # These roles may not open /updates/validation: the guard refuses every callback of the
    # page (auth/callbacks.py) before the service's own check, outputs unchanged.
    assert response.get_json()["response"] == {}
    text = _text(response)
    assert "Accès refusé" in text
    assert not any(code in text for code in codes)
    [refusal] = _refusals(engine, "forgeur")
    assert refusal.action == "validate_progress" and "targets-indicator-select" in refusal.detail
