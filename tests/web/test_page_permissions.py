"""A page's callbacks answer only those who may open the page (issue 20.7).

The validation queue's callback sent the submitted values to viewers and CTI editors, who
may not open /updates/validation: replayed with their session, it is now refused on the
server, nothing of the page's data in the answer, and the refusal is in the audit trail.
The same holds for every callback of a page that declares its permission (auth/callbacks.py).
"""

from __future__ import annotations

import json
from typing import Any

import dash
import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.auth.callbacks import page_permission
from dashboard.components.callback_errors import NOTIFICATIONS_ID
from dashboard.db.models import AuditEvent
from tests.web.conftest import callback_body, create_account, login

OUTSIDERS = [("viewer", None), ("cti_editor", "CETIA")]


def _key(app: Dash, output: str) -> str:
    return next(k for k in app.callback_map if output in k)


def _replay(client: FlaskClient, app: Dash, key: str, values: dict[str, Any]) -> Any:
    """Post a callback as the browser would, with chosen values (by component id)."""
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    return client.post("/_dash-update-component", json=body)


def _assert_refused(response: Any) -> str:
    """Check a refusal: nothing of the page's outputs, a message on screen; return its text."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert answer["response"] == {}
    [shown] = answer["sideUpdate"][NOTIFICATIONS_ID]["sendNotifications"]
    assert "Accès refusé" in shown["message"]
    return json.dumps(answer, ensure_ascii=False)


def _refusals(engine: Engine, username: str) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(
            AuditEvent.outcome == "refused", AuditEvent.username == username
        )
        return list(session.exec(query).all())


def _queue_codes(client: FlaskClient, app: Dash) -> list[str]:
    """The codes of the queue's rows, as an analyst's replay returns them."""
    response = _replay(client, app, _key(app, "validation-queue-grid.rowData"), {})
    assert response.status_code == 200
    rows = response.get_json()["response"]["validation-queue-grid"]["rowData"]
    return [row["code"] for row in rows]


def test_an_analyst_gets_the_queue(app: Dash, client: FlaskClient, signed_in: Any) -> None:
    signed_in("analyst")
    assert _queue_codes(client, app), "the demo data has values waiting for validation"


@pytest.mark.parametrize(("role", "cti"), OUTSIDERS)
def test_the_validation_queue_is_refused_to_those_who_may_not_open_it(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    role: str,
    cti: str | None,
) -> None:
    analyst = app.server.test_client()
    create_account(engine, "temoin", "analyst")
    login(analyst, "temoin")
    codes = _queue_codes(analyst, app)
    signed_in(role, cti, username="curieux")
    response = _replay(client, app, _key(app, "validation-queue-grid.rowData"), {})
    text = _assert_refused(response)
    assert "rowData" not in text
    assert not any(code in text for code in codes)
    [refusal] = _refusals(engine, "curieux")
    assert refusal.action == "validate_progress" and "validation-queue-grid" in refusal.detail


@pytest.mark.parametrize(("role", "cti"), OUTSIDERS)
@pytest.mark.parametrize(
    ("output", "values"),
    [
        ("audit-grid.rowData", {"audit-outcome-select": None}),
        ("audit-download.data", {"audit-export-button": 1}),
    ],
)
def test_the_audit_trail_is_refused_to_those_who_may_not_open_it(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    role: str,
    cti: str | None,
    output: str,
    values: dict[str, Any],
) -> None:
    signed_in(role, cti, username="curieux")
    text = _assert_refused(_replay(client, app, _key(app, output), values))
    assert "curieux" not in text.replace("curieux-", "")  # no event (its sign-in) shown
    assert "auth.login" not in text and "date_utc" not in text
    [refusal] = _refusals(engine, "curieux")
    assert refusal.action == "view_audit"


def test_an_analyst_still_reads_the_audit_trail(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("analyst", username="controleur")
    response = _replay(client, app, _key(app, "audit-grid.rowData"), {})
    rows = response.get_json()["response"]["audit-grid"]["rowData"]
    assert any(row["username"] == "controleur" for row in rows)  # its own sign-in


def test_every_callback_of_a_restricted_page_is_refused_to_a_viewer(
    app: Dash, client: FlaskClient, engine: Engine, signed_in: Any
) -> None:
    signed_in("viewer", username="curieux")
    restricted = {
        key: page_permission(spec)
        for key, spec in app.callback_map.items()
        if page_permission(spec) is not None
    }
    modules = {
        app.callback_map[key]["callback"].__module__.rsplit(".", 1)[-1] for key in restricted
    }
    assert {"updates_validation", "audit"} <= modules
    for key in restricted:
        _assert_refused(_replay(client, app, key, {}))
    assert len(_refusals(engine, "curieux")) == len(restricted)
    # The pages router itself and the pages without a declared permission are not affected.
    assert all(
        page.get("permission") is None
        for page in dash.page_registry.values()
        if page["module"].rsplit(".", 1)[-1] not in modules
    )
