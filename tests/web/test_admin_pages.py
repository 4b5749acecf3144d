"""The accounts and audit pages, used by the roles that may: each change lands and is logged."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import AuditEvent, User
from tests.web.conftest import callback_body, create_account, login


def _call(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> Any:
    """Post the callback that `trigger` fires, with values by component id; return its output."""
    key = next(
        k for k, spec in app.callback_map.items() if any(i["id"] == trigger for i in spec["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [f"{trigger}.{body['inputs'][0]['property']}"]
    for item in body["inputs"]:
        if item["id"] == trigger:
            body["changedPropIds"] = [f"{trigger}.{item['property']}"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _user(engine: Engine, username: str) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def _actions(engine: Engine, actor: str) -> list[str]:
    with Session(engine) as session:
        query = select(AuditEvent.action).where(AuditEvent.username == actor)
        return list(session.exec(query.order_by(AuditEvent.id)).all())


def _act(client: FlaskClient, app: Dash, button: str, username: str, **edit: Any) -> str:
    values = {
        button: 1,
        "admin-users-grid": [{"username": username}],
        "admin-users-edit-role": edit.get("role"),
        "admin-users-edit-cti": edit.get("cti"),
    }
    return _text(_call(client, app, button, values))


def test_admin_manages_an_account_from_creation_to_reset(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("admin", username="chef")
    created = _call(
        client,
        app,
        "admin-users-create-button",
        {
            "admin-users-create-button": 1,
            "admin-users-new-username": "salma",
            "admin-users-new-fullname": "Salma B.",
            "admin-users-new-role": "cti_editor",
            "admin-users-new-cti": "CETIA",
        },
    )
    first_password = created["admin-users-message"]["children"]["props"]["children"]
    assert "Compte créé" in _text(first_password)
    assert any(row["username"] == "salma" for row in created["admin-users-grid"]["rowData"])
    salma = _user(engine, "salma")
    assert salma.role == "cti_editor" and salma.cti_id is not None

    assert "Rôle de salma enregistré" in _act(
        client, app, "admin-users-save-button", "salma", role="analyst", cti=None
    )
    assert _user(engine, "salma").role == "analyst" and _user(engine, "salma").cti_id is None

    reset = _act(client, app, "admin-users-reset-button", "salma")
    assert "Mot de passe réinitialisé" in reset
    new_password = _password_in(reset)
    assert "désactivé" in _act(client, app, "admin-users-disable-button", "salma")
    assert not _user(engine, "salma").is_active
    assert "réactivé" in _act(client, app, "admin-users-enable-button", "salma")

    assert _actions(engine, "chef")[-5:] == [
        "user.create",
        "user.change_role",
        "user.set_password",
        "user.disable",
        "user.enable",
    ]
    # A second browser (no `with`: nested test clients would share Flask's context).
    assert login(app.server.test_client(), "salma", new_password).status_code == 302


def _password_in(text: str) -> str:
    """Find the one-time password shown in the notice (the Code component's children)."""
    notice = json.loads(text)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "admin-users-new-password":
                found.append(props["children"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(notice)
    assert len(found) == 1
    return found[0]


def test_admin_mistakes_get_a_french_reason_and_change_nothing(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("admin", username="chef")
    missing_cti = _call(
        client,
        app,
        "admin-users-create-button",
        {
            "admin-users-create-button": 1,
            "admin-users-new-username": "karim",
            "admin-users-new-role": "cti_editor",
        },
    )
    assert "rattaché à un CTI" in _text(missing_cti)
    assert "admin-users-grid" not in missing_cti
    # The only administrator cannot disable himself nor lose his role.
    assert "propre compte" in _act(client, app, "admin-users-disable-button", "chef")
    assert "dernier administrateur" in _act(
        client, app, "admin-users-save-button", "chef", role="viewer"
    )
    assert _user(engine, "chef").role == "admin" and _user(engine, "chef").is_active
    assert "Sélectionnez" in _text(
        _call(client, app, "admin-users-reset-button", {"admin-users-reset-button": 1})
    )


def test_audit_page_lists_filters_and_exports(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    create_account(engine, "amina", "viewer")
    login(client, "amina", "mauvais-mot-de-passe")
    signed_in("analyst", username="auditrice")
    everything = _call(client, app, "audit-outcome-select", {})
    rows = everything["audit-grid"]["rowData"]
    assert {("amina", "failed"), ("auditrice", "ok")} <= {
        (r["username"], r["outcome"]) for r in rows
    }
    assert any(r["action_label"] == "Connexion" and r["outcome_label"] == "Échec" for r in rows)
    failed = _call(client, app, "audit-outcome-select", {"audit-outcome-select": "failed"})
    assert {r["username"] for r in failed["audit-grid"]["rowData"]} == {"amina"}
    none_then = _call(client, app, "audit-dates", {"audit-dates": ["2001-01-01", "2001-12-31"]})
    assert none_then["audit-grid"]["rowData"] == []

    export = _call(
        client,
        app,
        "audit-export-button",
        {"audit-export-button": 1, "audit-outcome-select": "failed"},
    )
    download = export["audit-download"]["data"]
    assert download["filename"].endswith(".csv") and download["type"] == "text/csv"
    # Every field quoted (a spreadsheet splitting on "," keeps them whole): read it as CSV.
    lines = list(csv.reader(io.StringIO(download["content"].lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:4] == ["date_utc", "utilisateur", "action", "resultat"]
    assert len(lines) == 2 and lines[1][1:4] == ["amina", "auth.login", "failed"]
    assert "audit.export" in _actions(engine, "auditrice")
