"""The Excel round trip: template, edit, preview, apply; the same file twice changes nothing."""

from __future__ import annotations

import io
import warnings
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import BudgetMovement, ProgressUpdate
from dashboard.services.excel_import import apply_import, preview_import
from dashboard.services.import_report import ImportErrors
from tests.db.entry_support import TODAY, audit_events, indicator_of, make_account, snapshot
from tests.db.excel_support import column, edit, find_row, first_blank, set_cells, template


@pytest.fixture
def analyst(engine: Engine):  # type: ignore[no-untyped-def]
    return make_account(engine, "analyste", "analyst")


def _open(content: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(content))


def test_template_is_prefilled_locked_and_explained(engine: Engine) -> None:
    book = _open(template(engine))
    assert book.sheetnames[:3] == ["Instructions", "Saisie", "Budget"]
    assert "Modèle de saisie" in book["Instructions"]["A1"].value
    ws = book["Saisie"]
    assert ws.protection.sheet, "key columns are protected"
    assert ws["A2"].protection.locked and ws["B2"].protection.locked and ws["E2"].protection.locked
    assert not ws.cell(2, column(ws, "Valeur")).protection.locked
    codes = {ws.cell(r, 2).value for r in range(2, ws.max_row + 1)} - {None}
    assert codes and all(code.startswith("CETIA-") for code in codes)
    periods = {ws.cell(r, 5).value for r in range(2, ws.max_row + 1)} - {None}
    assert "2022-T1" in periods and "2025-T4" in periods and "2026-T1" not in periods
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert "list" in kinds, "drop-downs for new lines"


def test_unchanged_template_imports_as_nothing(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    content = template(engine)
    before = snapshot(engine, exclude=())
    with session_scope(engine) as session:
        report = apply_import(session=session, account=analyst, content=content, today=TODAY)
    assert report.ok and not report.changes and report.unchanged > 50
    assert snapshot(engine, exclude=()) == before, "not even an audit line"


def _changes(book: Any) -> None:
    ws = book["Saisie"]
    value = column(ws, "Valeur")
    draft = find_row(ws, Statut="Brouillon")
    ws.cell(draft, value, ws.cell(draft, value).value + 2)
    official = find_row(ws, Statut="Validée")
    ws.cell(official, value, ws.cell(official, value).value + 1)
    ws.cell(official, column(ws, "Motif de correction"), "Double comptage corrigé")
    code = ws.cell(2, column(ws, "Code indicateur")).value
    set_cells(
        ws,
        first_blank(ws),
        **{"CTI": "CETIA", "Code indicateur": code, "Période": "2024", "Valeur": 150},
    )
    budget = book["Budget"]
    set_cells(
        budget,
        first_blank(budget),
        **{
            "CTI": "CETIA",
            "Axe": 2,
            "Type": "Engagement",
            "Date": date(2025, 2, 3),
            "Montant (MDH)": 0.25,
            "Référence": "ENG-IMPORT-1",
            "Commentaire": "Import",
        },
    )


def test_round_trip_applies_all_and_second_import_changes_nothing(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    content = edit(template(engine), _changes)
    before = snapshot(engine, exclude=())
    with session_scope(engine) as session:
        preview = preview_import(session=session, account=analyst, content=content, today=TODAY)
    assert snapshot(engine, exclude=()) == before, "a dry run changes nothing"
    assert sorted(c.action for c in preview.changes) == ["add", "add", "change", "correct"]
    with session_scope(engine) as session:
        report = apply_import(
            session=session, account=analyst, content=content, today=TODAY, filename="t.xlsx"
        )
    assert report.applied and [c.action for c in report.changes] == [
        c.action for c in preview.changes
    ]
    assert audit_events(engine)[-1].action == "import.apply"
    with Session(engine) as session:
        fix = session.exec(
            select(ProgressUpdate).where(
                ProgressUpdate.correction_reason == "Double comptage corrigé"
            )
        ).one()
        assert fix.status == "draft" and fix.supersedes_id is not None
        moved = session.exec(
            select(BudgetMovement).where(BudgetMovement.reference == "ENG-IMPORT-1")
        ).one()
        assert (moved.amount_mdh, moved.status) == (0.25, "draft")
    after_first = snapshot(engine, exclude=())
    with session_scope(engine) as session:
        again = apply_import(session=session, account=analyst, content=content, today=TODAY)
    assert not again.changes
    assert snapshot(engine, exclude=()) == after_first


def test_submit_option_submits_the_drafts(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA")

    def annual(book: Any) -> None:
        ws = book["Saisie"]
        set_cells(
            ws,
            first_blank(ws),
            **{"CTI": "CETIA", "Code indicateur": indicator.code, "Période": "2023", "Valeur": 40},
        )

    content = edit(template(engine), annual)
    with session_scope(engine) as session:
        report = apply_import(
            session=session, account=editor, content=content, today=TODAY, submit=True
        )
    assert [c.action for c in report.changes if c.what.endswith(" 2023")] == ["add"]
    with Session(engine) as session:
        row = session.exec(
            select(ProgressUpdate).where(
                ProgressUpdate.indicator_id == indicator.id,
                ProgressUpdate.year == 2023,
                ProgressUpdate.quarter == 0,
            )
        ).one()
        assert row.status == "submitted" and row.created_by_id == editor.id


def test_validated_value_changed_without_reason_is_an_error(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    def change(book: Any) -> None:
        ws = book["Saisie"]
        row = find_row(ws, Statut="Validée")
        ws.cell(row, column(ws, "Valeur"), ws.cell(row, column(ws, "Valeur")).value + 5)

    content = edit(template(engine), change)
    before = snapshot(engine)
    with pytest.raises(ImportErrors) as info, session_scope(engine) as session:
        apply_import(session=session, account=analyst, content=content, today=TODAY)
    [error] = info.value.report.errors
    assert error.column == "J (Motif de correction)" and "motif de correction" in error.message
    assert "Saisie, ligne" in str(error)
    assert snapshot(engine) == before


def test_cleared_value_is_refused(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    def clear(book: Any) -> None:
        ws = book["Saisie"]
        ws.cell(find_row(ws, Statut="Validée"), column(ws, "Valeur")).value = None

    with session_scope(engine) as session:
        report = preview_import(
            session=session, account=analyst, content=edit(template(engine), clear), today=TODAY
        )
    assert [e.message.split(" :")[0] for e in report.errors] == ["Valeur effacée"]


def test_rules_apply_across_rows_of_the_same_file(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    """Two commitments each within the envelope but not together: the second is refused."""

    def big(book: Any) -> None:
        ws = book["Budget"]
        for n in range(2):
            set_cells(
                ws,
                first_blank(ws),
                **{
                    "CTI": "CETIA",
                    "Axe": 3,
                    "Type": "Engagement",
                    "Date": date(2025, 5, 5),
                    "Montant (MDH)": 60,
                    "Référence": f"ENG-BIG-{n}",
                },
            )

    with session_scope(engine) as session:
        report = preview_import(
            session=session, account=analyst, content=edit(template(engine), big), today=TODAY
        )
    messages = [e.message for e in report.errors]
    assert messages and all("au-delà de l'enveloppe" in m for m in messages)
    with Session(engine) as session:
        assert not session.exec(
            select(BudgetMovement).where(col(BudgetMovement.reference).like("ENG-BIG-%"))
        ).all()


def test_a_text_starting_with_equals_round_trips(engine: Engine, analyst) -> None:  # type: ignore[no-untyped-def]
    """Issue 20.7: a comment « =... » made the unchanged template fail to import again."""
    texts = ['=HYPERLINK("http://x.example","voir")', "+212 5 22", "@note", "-1 point"]
    with session_scope(engine) as session:
        pending = session.exec(
            select(ProgressUpdate)
            .where(col(ProgressUpdate.status).in_(("draft", "submitted")))
            .where(col(ProgressUpdate.is_superseded).is_(False))
            .limit(len(texts))
        ).all()
        for row, text in zip(pending, texts, strict=True):
            row.comment = text
            session.add(row)
    content = template(engine, cti=None)
    ws = _open(content)["Saisie"]
    comments = {ws.cell(r, column(ws, "Commentaire")).value for r in range(2, ws.max_row + 1)}
    assert set(texts) <= comments, "written as texts, not formulas"
    with session_scope(engine) as session:
        report = preview_import(session=session, account=analyst, content=content, today=TODAY)
    assert report.ok, [str(e) for e in report.errors]
    assert not report.changes
