"""The entry template is sent to those who may import, for the CTIs they may import for.

The template holds drafts, comments and the reasons values were returned: its callback,
replayed by a viewer, or by a CTI editor with another CTI (or "all"), is refused on the server
and the refusal audited, whatever the page shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import AuditEvent, Cti
from tests.web.conftest import callback_body


def _cti_id(engine: Engine, acronym: str) -> str:
    with Session(engine) as session:
        return str(session.exec(select(Cti.id).where(Cti.acronym == acronym)).one())


def _download(app: Dash, client: FlaskClient, cti: str | None) -> Any:
    key = next(k for k in app.callback_map if "import-template-download.data" in k)
    body = callback_body(key, app.callback_map[key])
    body["inputs"][0]["value"] = 1
    body["state"][0]["value"] = cti
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _refused(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        query = select(AuditEvent).where(
            AuditEvent.outcome == "refused", AuditEvent.username == username
        )
        return len(session.exec(query).all())


@pytest.mark.parametrize(
    ("role", "cti", "asked"),
    [("viewer", None, "CETIA"), ("cti_editor", "CETIA", "CTTH"), ("cti_editor", "CETIA", "")],
)
def test_the_template_is_refused_beyond_what_the_account_may_import(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    role: str,
    cti: str | None,
    asked: str,
) -> None:
    signed_in(role, cti, username="curieux")
    answer = _download(app, client, _cti_id(engine, asked) if asked else "")
    assert "import-template-download" not in answer
    assert "Accès refusé" in str(answer["import-message"]["children"])
    assert _refused(engine, "curieux") == 1


@pytest.mark.parametrize(
    ("role", "cti", "asked"), [("cti_editor", "CETIA", "CETIA"), ("analyst", None, "")]
)
def test_the_template_is_sent_to_those_who_may_import(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    signed_in: Any,
    role: str,
    cti: str | None,
    asked: str,
) -> None:
    signed_in(role, cti, username="saisie")
    answer = _download(app, client, _cti_id(engine, asked) if asked else "")
    sent = answer["import-template-download"]["data"]
    assert sent["filename"].startswith(f"modele-saisie-{asked or 'tous'}-")
    assert _refused(engine, "saisie") == 0
