"""Evidence files are read by the owning CTI's editors, analysts and admins; others are refused.

The download callbacks (history of /updates, validation queue) are replayed with each role's
session, as a curious account would send them with any value's id. A refusal is audited, as
every download is.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent
from dashboard.services.evidence import Upload
from dashboard.services.progress import Attachment, save_progress
from tests.db.entry_support import FREE_PERIOD, TODAY, indicator_of, make_account
from tests.web.conftest import callback_body

PDF = b"%PDF-1.7\n% bilan confidentiel du CETIA\n%%EOF\n"


def _value_with_evidence(engine: Engine, settings: Settings) -> int:
    """Enter a CETIA value with a PDF as its evidence; return the value's id."""
    editor = make_account(engine, "saisie-cetia-auteur", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA")
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=10,
            today=TODAY,
            attachment=Attachment(Upload("bilan.pdf", PDF), settings.evidence_dir),
        ).entry
        assert row.id is not None
        return row.id


# Where a file can be downloaded: the history of /updates, the validation queue.
ROUTES = {
    "updates": ("updates-evidence-download", "updates-evidence-button", "updates-history-grid"),
    "queue": (
        "validation-evidence-download",
        "validation-evidence-button",
        "validation-queue-grid",
    ),
}


def _download(app: Dash, client: FlaskClient, route: str, update_id: int) -> Any:
    """Replay a download button for a chosen value, as the browser would send it."""
    download, button, grid = ROUTES[route]
    key = next(k for k in app.callback_map if f"{download}.data" in k)
    body = callback_body(key, app.callback_map[key])
    values = {(button, "n_clicks"): 1, (grid, "selectedRows"): [{"id": update_id}]}
    for item in body["inputs"] + body["state"]:
        item["value"] = values.get((item["id"], item["property"]), item["value"])
    body["changedPropIds"] = [f"{button}.n_clicks"]
    return client.post("/_dash-update-component", json=body)


def _events(engine: Engine, username: str) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.username == username)).all()
        return [(e.action, e.outcome) for e in rows if "evidence" in e.action]


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize(
    ("role", "cti", "allowed"),
    [
        ("viewer", None, False),
        ("cti_editor", "CTIBA", False),
        ("cti_editor", "CETIA", True),
        ("analyst", None, True),
        ("admin", None, True),
    ],
)
def test_evidence_is_served_to_the_owning_cti_and_the_ministry_only(
    app: Dash,
    client: FlaskClient,
    engine: Engine,
    settings: Settings,
    signed_in: Any,
    role: str,
    cti: str | None,
    allowed: bool,
    route: str,
) -> None:
    update_id = _value_with_evidence(engine, settings)
    name = f"{role}-{cti or 'ministere'}".lower()
    signed_in(role, cti, username=name)
    response = _download(app, client, route, update_id)
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    served = base64.b64encode(PDF).decode()
    if route == "queue" and role not in ("analyst", "admin"):
        # The queue's callbacks answer its page's users only (validators): refused earlier.
        assert served not in text and "Accès refusé" in text
        return
    if allowed:
        assert served in text
        assert _events(engine, name) == [("evidence.download", "ok")]
    else:
        assert served not in text and "confidentiel" not in text
        # The refusal says the file exists (its name and size), not what it holds.
        assert "Accès refusé" in text and "bilan.pdf" in text
        assert _events(engine, name) == [("evidence.download", "refused")]
