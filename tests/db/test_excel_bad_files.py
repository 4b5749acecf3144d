"""Bad files are refused with a clear message and leave the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.excel_format import MAX_BYTES, MAX_ROWS
from dashboard.services.excel_import import apply_import, preview_import
from dashboard.services.excel_reader import ImportRefused
from dashboard.services.import_report import ImportErrors
from tests.db.entry_support import TODAY, audit_events, make_account, snapshot
from tests.db.excel_support import (
    BUDGET_HEADERS,
    HEADERS,
    book_bytes,
    column,
    edit,
    find_row,
    first_blank,
    many_rows,
    set_cells,
    template,
    zip_bytes,
)

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _renamed(headers: list[str], old: str, new: str) -> list[object]:
    return [new if h == old else h for h in headers]


# Whole-file refusals: (id, builder from the template bytes, words of the message).
WHOLE_FILE: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("csv-named-xlsx", lambda _t: b"CTI;Valeur\nCETIA;12\n", "n'est pas un classeur Excel"),
    (
        "encrypted",
        lambda _t: OLE + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512,
        "mot de passe",
    ),
    ("legacy-xls", lambda _t: OLE + b"\0" * 512, "(.xls)"),
    ("zip-not-xlsx", lambda _t: zip_bytes({"notes.txt": b"hello"}), "n'est pas un classeur"),
    ("too-big", lambda _t: b"PK\x03\x04" + b"\0" * MAX_BYTES, "trop volumineux"),
    ("empty-file", lambda _t: b"", "Fichier vide"),
    (
        "missing-column",
        lambda _t: book_bytes({"Saisie": [[h for h in HEADERS if h != "Valeur"], ["CETIA"]]}),
        "« Valeur »",
    ),
    (
        "renamed-column",
        lambda _t: book_bytes({"Saisie": [_renamed(HEADERS, "Valeur", "Valeurs"), ["CETIA"]]}),
        "« Valeurs »",
    ),
    ("no-known-sheet", lambda _t: book_bytes({"Feuil1": [["a", "b"], [1, 2]]}), "sans feuille"),
    (
        "empty-workbook",
        lambda _t: book_bytes({"Saisie": [HEADERS], "Budget": [BUDGET_HEADERS]}),
        "Classeur vide",
    ),
    ("merged-cells", lambda t: edit(t, lambda b: b["Saisie"].merge_cells("I2:J2")), "fusionnées"),
    ("too-many-rows", lambda _t: many_rows(MAX_ROWS + 1), "Trop de lignes"),
]


@pytest.fixture
def analyst(engine: Engine):  # type: ignore[no-untyped-def]
    return make_account(engine, "analyste", "analyst")


@pytest.fixture(scope="module")
def cetia_template(sqlite_templates: Any, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from dashboard.db.engine import make_engine

    copy = tmp_path_factory.mktemp("tpl") / "demo.db"
    copy.write_bytes(sqlite_templates["demo"].read_bytes())
    eng = make_engine(f"sqlite:///{copy}")
    try:
        return template(eng)
    finally:
        eng.dispose()


@pytest.mark.parametrize(
    ("build", "words"), [(b, w) for _i, b, w in WHOLE_FILE], ids=[i for i, _b, _w in WHOLE_FILE]
)
def test_bad_file_is_refused_whole_and_changes_nothing(
    engine: Engine, analyst, cetia_template: bytes, build: Callable[[bytes], bytes], words: str
) -> None:  # type: ignore[no-untyped-def]
    content = build(cetia_template)
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as preview, session_scope(engine) as session:
        preview_import(session=session, account=analyst, content=content, today=TODAY)
    assert words in str(preview.value)
    with pytest.raises(ImportRefused) as applied, session_scope(engine) as session:
        apply_import(session=session, account=analyst, content=content, today=TODAY)
    assert words in str(applied.value)
    assert snapshot(engine) == before
    refusal = audit_events(engine)[-1]
    assert (refusal.action, refusal.outcome) == ("import.apply", "refused")
    assert words in refusal.detail


def _value_cell(book: Any, value: object) -> None:
    ws = book["Saisie"]
    ws.cell(2, column(ws, "Valeur"), value)


def _budget_row(book: Any, when: object) -> None:
    ws = book["Budget"]
    set_cells(
        ws,
        first_blank(ws),
        **{
            "CTI": "CETIA",
            "Axe": 1,
            "Type": "Engagement",
            "Date": when,
            "Montant (MDH)": 0.5,
            "Référence": "ENG-TEST-1",
        },
    )


# Cell-level errors: every one is listed with sheet, row and column, and nothing is applied.
CELL_ERRORS: list[tuple[str, Callable[[Any], None], str, str]] = [
    ("text-in-number", lambda b: _value_cell(b, "douze"), "colonne H (Valeur)", "texte « douze »"),
    ("formula", lambda b: _value_cell(b, "=1+1"), "colonne H (Valeur)", "formule interdite"),
    (
        "date-as-text",
        lambda b: _budget_row(b, "12/05/2024"),
        "colonne D (Date)",
        "date saisie comme du texte",
    ),
    (
        "bad-period",
        lambda b: set_cells(
            b["Saisie"],
            first_blank(b["Saisie"]),
            **{"CTI": "CETIA", "Code indicateur": "CETIA-A1-01", "Période": "2024-T7", "Valeur": 3},
        ),
        "colonne E (Période)",
        "Trimestre invalide",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [(c, w, m) for _i, c, w, m in CELL_ERRORS],
    ids=[i for i, *_ in CELL_ERRORS],
)
def test_bad_cells_are_listed_with_their_place_and_nothing_applies(
    engine: Engine,
    analyst,
    cetia_template: bytes,
    change: Callable[[Any], None],
    where: str,
    words: str,
) -> None:  # type: ignore[no-untyped-def]
    def both(book: Any) -> None:
        ws = book["Saisie"]
        # A good change in the same file: it must not be applied either.
        row = find_row(ws, **{"Statut": "Brouillon"})
        ws.cell(row, column(ws, "Valeur"), (ws.cell(row, column(ws, "Valeur")).value or 0) + 1)
        change(book)

    content = edit(cetia_template, both)
    before = snapshot(engine)
    with session_scope(engine) as session:
        report = preview_import(session=session, account=analyst, content=content, today=TODAY)
    [error] = [e for e in report.errors if words in e.message]
    assert where in str(error) and error.sheet in ("Saisie", "Budget") and error.row >= 2
    assert report.changes, "the preview still shows the good rows"
    assert snapshot(engine) == before
    with (
        pytest.raises(ImportErrors, match="rien n'a été modifié"),
        session_scope(engine) as session,
    ):
        apply_import(session=session, account=analyst, content=content, today=TODAY)
    assert snapshot(engine) == before


def test_editor_rows_for_another_cti_are_errors(engine: Engine, cetia_template: bytes) -> None:
    editor = make_account(engine, "saisie-ceric", "cti_editor", "CERIC")
    content = edit(cetia_template, lambda b: _value_cell(b, 999))
    with session_scope(engine) as session:
        report = preview_import(session=session, account=editor, content=content, today=TODAY)
    assert any(
        "Vous ne pouvez pas saisir" in e.message and "CETIA" in e.message for e in report.errors
    )


def test_viewer_cannot_import(engine: Engine, cetia_template: bytes) -> None:
    from dashboard.services.errors import PermissionDenied

    viewer = make_account(engine, "lecteur", "viewer")
    before = snapshot(engine)
    with pytest.raises(PermissionDenied), session_scope(engine) as session:
        apply_import(session=session, account=viewer, content=cetia_template, today=TODAY)
    assert snapshot(engine) == before
    assert audit_events(engine)[-1].outcome == "refused"


def test_dates_in_the_budget_sheet_are_real_dates(
    engine: Engine, analyst, cetia_template: bytes
) -> None:  # type: ignore[no-untyped-def]
    content = edit(cetia_template, lambda b: _budget_row(b, date(2025, 3, 3)))
    with session_scope(engine) as session:
        report = preview_import(session=session, account=analyst, content=content, today=TODAY)
    assert report.ok, report.errors
    assert [c.action for c in report.changes] == ["add"]
