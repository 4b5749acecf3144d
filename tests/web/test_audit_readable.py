"""The audit page in words (issue 19.11): actions, objects named, changes before → after.

Real writes go through the services (a value entered, submitted and validated, a role changed,
a target revised); the page's callbacks are replayed over HTTP with an analyst's session, in
French and in Arabic. The CSV export keeps the technical columns and adds the words.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import IndicatorTarget
from dashboard.services.amendments import amend_target
from dashboard.services.progress import save_progress
from dashboard.services.progress_workflow import validate_progress
from dashboard.services.users import change_role
from tests.db.entry_support import FREE_PERIOD, TODAY, indicator_of, make_account
from tests.web.conftest import callback_body


def _call(client: FlaskClient, app: Dash, trigger: str, values: dict[str, Any]) -> Any:
    """Post the callback that ``trigger`` fires (its first input), with values by id."""
    key = next(
        k for k, spec in app.callback_map.items() if any(i["id"] == trigger for i in spec["inputs"])
    )
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    prop = next(i["property"] for i in body["inputs"] if i["id"] == trigger)
    body["changedPropIds"] = [f"{trigger}.{prop}"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _writes(engine: Engine) -> tuple[str, int]:
    """Enter, submit and validate a CETIA value; change a role; revise a target."""
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    analyst = make_account(engine, "analyste-audit", "analyst")
    admin = make_account(engine, "chef", "admin")
    make_account(engine, "lecteur", "viewer")
    indicator = indicator_of(engine, "CETIA", "entreprises")
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=140,
            today=TODAY,
            submit=True,
        ).entry
        update_id, version = row.id, row.version
    with session_scope(engine) as session:
        validate_progress(session=session, account=analyst, update_id=update_id, version=version)
    with session_scope(engine) as session:
        change_role(session, actor=admin, username="lecteur", role="analyst", cti=None)
    with Session(engine) as session:
        target = session.exec(
            select(IndicatorTarget)
            .where(IndicatorTarget.indicator_id == indicator.id)
            .order_by(col(IndicatorTarget.year).desc())
        ).first()
        assert target is not None and target.id is not None
    with session_scope(engine) as session:
        amend_target(
            session=session,
            account=analyst,
            target_id=target.id,
            version=target.version,
            new_value=str(int(target.value) + 10),
            reason="Avenant du comité",
        )
    return indicator.code, target.year


def _row(rows: list[dict[str, str]], action: str) -> dict[str, str]:
    return next(r for r in rows if r["action"] == action)


def test_the_audit_grid_says_what_happened_in_words(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    code, year = _writes(engine)
    signed_in("analyst", username="auditrice")
    rows = _call(client, app, "audit-outcome-select", {})["audit-grid"]["rowData"]

    validated = _row(rows, "progress.validate")
    assert validated["action_label"] == "Validation d'une valeur"
    assert validated["object_label"] == f"{code} · 2024 (CETIA)"
    assert "Statut : soumise → validée" in validated["changes"]
    created = _row(rows, "progress.create")
    assert created["action_label"] == "Saisie d'une valeur" and "Valeur : 140" in created["changes"]
    role = _row(rows, "user.change_role")
    assert (role["action_label"], role["object_label"]) == ("Changement de rôle", "lecteur")
    assert role["changes"] == "Rôle : Lecteur → Analyste"
    target = _row(rows, "amend.target")
    assert target["action_label"] == "Modification d'un objectif"
    assert target["object_label"] == f"Objectif {year} de {code}"
    assert "Valeur : " in target["changes"] and "Motif : Avenant du comité" in target["changes"]
    login = _row(rows, "auth.login")
    assert (login["action_label"], login["object_label"]) == ("Connexion", "auditrice")
    # No raw JSON nor ids among the words.
    for row in rows:
        assert "{" not in row["changes"] and '"' not in row["changes"]
        assert not row["object_label"].startswith(("progress ", "user ", "target "))

    client.get("/audit?lang=ar")
    arabic = _call(client, app, "audit-outcome-select", {})["audit-grid"]["rowData"]
    assert _row(arabic, "progress.validate")["action_label"] == "المصادقة على قيمة"
    assert "الحالة" in _row(arabic, "progress.validate")["changes"]


def test_the_csv_keeps_the_technical_columns_and_adds_the_words(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    code, _year = _writes(engine)
    signed_in("analyst", username="auditrice")
    export = _call(client, app, "audit-export-button", {"audit-export-button": 1})
    content = export["audit-download"]["data"]["content"].lstrip("\ufeff")
    table = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    header = next(csv.reader(io.StringIO(content), delimiter=";"))  # every field quoted
    assert header[:10] == [
        "date_utc",
        "utilisateur",
        "action",
        "resultat",
        "objet",
        "identifiant",
        "avant",
        "apres",
        "adresse",
        "detail",
    ]
    assert header[10:] == ["Action en clair", "Résultat en clair", "Objet en clair", "Changements"]
    validated = next(r for r in table if r["action"] == "progress.validate")
    assert validated["objet"] == "progress" and validated["identifiant"].isdigit()
    assert json.loads(validated["apres"])["status"] == "validated"
    assert validated["Action en clair"] == "Validation d'une valeur"
    assert validated["Objet en clair"] == f"{code} · 2024 (CETIA)"
    assert "Statut : soumise → validée" in validated["Changements"]
