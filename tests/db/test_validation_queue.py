"""The validation queue (issue 19.9): what a reviewer compares, and several values at once.

The callbacks are replayed over HTTP with the analyst's session, as the browser sends them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import session_scope
from dashboard.db.models import AuditEvent, IndicatorTarget, Notification, ProgressUpdate
from dashboard.domain.indicators import Trajectory, expected_value
from dashboard.domain.periods import Period
from dashboard.services.evidence import Upload
from dashboard.services.progress import Attachment, save_progress
from tests.db.entry_support import TODAY, indicator_of, make_account
from tests.web.conftest import callback_body, login

PDF = b"%PDF-1.7\n% rapport trimestriel\n%%EOF\n"
PERIOD = Period(2024)  # the demo data enters quarters only: a whole year is free


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: Dash) -> Iterator[FlaskClient]:
    with app.server.test_client() as test_client:
        yield test_client


def _submit(engine: Engine, settings: Settings, acronym: str, nth: int, value: float) -> int:
    """Submit a value for 2024 of the nth indicator of a CTI (with a PDF); return its id."""
    editor = make_account(engine, f"saisie-{acronym.lower()}", "cti_editor", acronym)
    with Session(engine) as session:
        from dashboard.db.models import Contract, Cti, Indicator

        indicator_id = session.exec(
            select(Indicator.id)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(Cti.acronym == acronym)
            .order_by(col(Indicator.id))
        ).all()[nth]
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator_id,
            period=PERIOD,
            value=value,
            today=TODAY,
            submit=True,
            attachment=Attachment(Upload("rapport.pdf", PDF), settings.evidence_dir),
        ).entry
        assert row.id is not None
        return row.id


def _post(client: FlaskClient, app: Dash, output: str, trigger: str, values: dict[str, Any]) -> Any:
    """Replay the callback writing ``output`` as fired by ``trigger``; return the JSON answer."""
    key = next(k for k in app.callback_map if output in k and "allow" not in k)
    body = callback_body(key, app.callback_map[key])
    for item in body["inputs"] + body["state"]:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    body["changedPropIds"] = [trigger]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _queue(client: FlaskClient, app: Dash) -> tuple[list[dict[str, Any]], str]:
    answer = _post(
        client, app, "validation-queue-grid.rowData", "validation-refresh-store.data", {}
    )["response"]
    return answer["validation-queue-grid"]["rowData"], answer["validation-queue-note"]["children"]


def test_the_queue_shows_unit_target_expected_previous_author_and_evidence(
    app: Dash, client: FlaskClient, engine: Engine, settings: Settings
) -> None:
    update_id = _submit(engine, settings, "CETIA", 0, 1234)
    make_account(engine, "analyste", "analyst")
    assert login(client, "analyste").status_code == 302
    rows, note = _queue(client, app)
    [mine] = [r for r in rows if r["id"] == update_id]
    indicator = indicator_of(engine, "CETIA")
    with Session(engine) as session:
        targets = {
            t.year: t.value
            for t in session.exec(
                select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
            )
        }
        pending = len(
            session.exec(
                select(ProgressUpdate.id).where(ProgressUpdate.status == "submitted")
            ).all()
        )
    expected = expected_value(Trajectory(indicator.baseline_value, 2022.0, targets), 2025.0)
    assert mine["unit"] and mine["value_text"] == "1\xa0234"
    assert mine["target"] == targets[2024] and mine["expected"] == pytest.approx(expected)
    assert mine["expected_text"] and mine["previous_text"] not in ("", "—")
    assert (mine["by"], mine["evidence"]) == ("saisie-cetia", "rapport.pdf")
    assert mine["submitted"].startswith("20") and mine["period"] == "2024"
    assert f"Valeurs en attente de validation : {pending}." in note
    # The file name is a link: clicking it sends the evidence.
    sent = _post(
        client,
        app,
        "validation-evidence-download.data",
        "validation-queue-grid.cellClicked",
        {"validation-queue-grid": {"colId": "evidence", "rowId": str(update_id), "value": "x"}},
    )["response"]["validation-evidence-download"]["data"]
    assert sent["filename"] == "rapport.pdf" and base64.b64decode(sent["content"]) == PDF


def test_several_values_are_validated_together_each_checked_and_audited(
    app: Dash, client: FlaskClient, engine: Engine, settings: Settings
) -> None:
    ids = [_submit(engine, settings, "CETIA", n, 10 + n) for n in range(3)]
    stale = _submit(engine, settings, "CTTH", 0, 7)
    make_account(engine, "analyste", "analyst")
    assert login(client, "analyste").status_code == 302
    rows, _note = _queue(client, app)
    chosen = [dict(r) for r in rows if r["id"] in {*ids, stale}]
    for row in chosen:
        if row["id"] == stale:
            row["version"] = row["version"] - 1  # someone changed it since the page was read
    answer = _post(
        client,
        app,
        "validation-message.children",
        "validation-validate-button.n_clicks",
        {"validation-validate-button": 1, "validation-queue-grid": chosen},
    )
    text = json.dumps(answer, ensure_ascii=False)
    assert "3 validées, 1 refusée :" in text and "CTTH-" in text
    with Session(engine) as session:
        status = {
            r.id: r.status
            for r in session.exec(
                select(ProgressUpdate).where(col(ProgressUpdate.id).in_([*ids, stale]))
            )
        }
        events = session.exec(
            select(AuditEvent.action, AuditEvent.outcome, AuditEvent.entity_id).where(
                AuditEvent.username == "analyste", AuditEvent.action == "progress.validate"
            )
        ).all()
    assert [status[i] for i in ids] == ["validated"] * 3 and status[stale] == "submitted"
    assert sorted((o, e) for _a, o, e in events) == sorted(
        [("ok", str(i)) for i in ids] + [("refused", str(stale))]
    )


def test_several_values_are_returned_with_the_reason_and_a_return_needs_one(
    app: Dash, client: FlaskClient, engine: Engine, settings: Settings
) -> None:
    ids = [_submit(engine, settings, "CETIA", n, 20 + n) for n in range(2)]
    make_account(engine, "analyste", "analyst")
    assert login(client, "analyste").status_code == 302
    rows, _note = _queue(client, app)
    chosen = [r for r in rows if r["id"] in ids]
    values = {"validation-reject-button": 1, "validation-queue-grid": chosen}
    answer = _post(
        client, app, "validation-message.children", "validation-reject-button.n_clicks", values
    )
    assert answer["response"]["validation-reason-input"]["error"]
    assert "0 renvoyée, 2 refusées" in json.dumps(answer, ensure_ascii=False)
    values["validation-reason-input"] = "Pièce justificative illisible"
    answer = _post(
        client, app, "validation-message.children", "validation-reject-button.n_clicks", values
    )
    assert "2 renvoyées." in json.dumps(answer, ensure_ascii=False)
    with Session(engine) as session:
        returned = session.exec(
            select(ProgressUpdate.status, ProgressUpdate.rejection_reason).where(
                col(ProgressUpdate.id).in_(ids)
            )
        ).all()
        bell = session.exec(select(Notification.kind)).all()
    assert returned == [("rejected", "Pièce justificative illisible")] * 2
    assert bell.count("value_returned") == 2
