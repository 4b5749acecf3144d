"""After an import, a CTI editor knows where the values stand and can submit them (issue 19.10)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Contract, Cti, Indicator, ProgressUpdate
from dashboard.services.excel_cli import report_lines
from dashboard.services.excel_import import apply_import, preview_import
from dashboard.services.import_report import ImportedDraft
from dashboard.services.import_submit import drafts_from, submit_imported
from dashboard.services.progress_workflow import reject_progress, submit_progress
from tests.db.entry_support import TODAY, audit_events, indicator_of, make_account
from tests.db.excel_support import column, edit, find_row, first_blank, set_cells, template
from tests.db.test_excel_import import _open


def _new_value(code: str, period: str, value: float) -> Any:
    def change(book: Any) -> None:
        ws = book["Saisie"]
        set_cells(
            ws,
            first_blank(ws),
            **{"CTI": "CETIA", "Code indicateur": code, "Période": period, "Valeur": value},
        )

    return change


def test_an_import_says_its_values_stay_drafts_and_offers_to_submit_them(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA")
    content = edit(template(engine), _new_value(indicator.code, "2023", 40))
    with session_scope(engine) as session:
        preview = preview_import(session=session, account=editor, content=content, today=TODAY)
    assert "1 valeur restera en brouillon" in preview.state_note()
    with session_scope(engine) as session:
        report = apply_import(session=session, account=editor, content=content, today=TODAY)
    note = report.state_note()
    assert "1 valeur reste en brouillon" in note and "ne compte pas" in note
    assert any("--submit" in line for line in report_lines(report, outcome="appliqué"))
    [draft] = report.drafts
    # The page keeps the drafts in the browser: what comes back is checked, not trusted.
    kept = [{"kind": d.kind, "id": d.id, "version": d.version} for d in report.drafts]
    assert drafts_from([*kept, {"kind": "sql", "id": "1; drop"}, "x"]) == [draft]
    with session_scope(engine) as session:
        outcome = submit_imported(session=session, account=editor, drafts=[draft])
    assert outcome.submitted == 1 and not outcome.refused
    with Session(engine) as session:
        assert session.get(ProgressUpdate, draft.id).status == "submitted"  # type: ignore[union-attr]
    event = audit_events(engine)[-1]
    assert (event.action, event.outcome, event.entity_id) == (
        "progress.submit",
        "ok",
        str(draft.id),
    )


def test_submitting_imported_drafts_checks_each_value_on_the_server(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    other = make_account(engine, "saisie-ceric", "cti_editor", "CERIC")
    content = edit(template(engine), _new_value(indicator_of(engine, "CETIA").code, "2023", 40))
    with session_scope(engine) as session:
        drafts = apply_import(session=session, account=editor, content=content, today=TODAY).drafts
    stale = [ImportedDraft(d.kind, d.id, d.version + 1) for d in drafts]
    for account, forged in ((other, drafts), (editor, stale)):
        with session_scope(engine) as session:
            outcome = submit_imported(session=session, account=account, drafts=forged)
        assert outcome.submitted == 0 and len(outcome.refused) == 1
        assert audit_events(engine)[-1].outcome == "refused"
    with Session(engine) as session:
        assert session.get(ProgressUpdate, drafts[0].id).status == "draft"  # type: ignore[union-attr]


def test_the_template_shows_a_returned_value_with_its_reason(engine: Engine) -> None:
    analyst = make_account(engine, "analyste", "analyst")
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    with Session(engine) as session:
        sent = session.exec(
            select(ProgressUpdate)
            .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(Cti.acronym == "CETIA")
            .where(col(ProgressUpdate.status).in_(("draft", "submitted")))
            .where(ProgressUpdate.quarter > 0)
        ).first()
        assert sent is not None and sent.id is not None
        indicator = session.get(Indicator, sent.indicator_id)
        assert indicator is not None
    if sent.status == "draft":
        with session_scope(engine) as session:
            sent = submit_progress(
                session=session, account=editor, update_id=sent.id, version=sent.version
            )
    assert sent is not None and sent.id is not None
    with session_scope(engine) as session:
        reject_progress(
            session=session,
            account=analyst,
            update_id=sent.id,
            version=sent.version,
            reason="Pièce justificative absente",
        )
    again = template(engine)
    ws = _open(again)["Saisie"]
    r = find_row(
        ws, **{"Code indicateur": indicator.code, "Période": f"{sent.year}-T{sent.quarter}"}
    )
    assert ws.cell(r, column(ws, "Statut")).value in ("Rejetée", "Validée")
    returned = ws.cell(r, column(ws, "Motif du retour")).value
    assert "renvoyée" in returned and "Pièce justificative absente" in returned
    with session_scope(engine) as session:
        report = preview_import(session=session, account=editor, content=again, today=TODAY)
    assert report.ok and not report.changes, "the unchanged template still changes nothing"
