"""Numbers typed as text in a workbook are read with the template's language (issue 20.4).

A French template writes 1 250,5, an English one 1,250.5, an Arabic one 1.250,5: a number
typed as text in a cell is read with the separators of the language the template is in (its
headers say which), never with the screen's; an ambiguous one is refused at its cell with the
domain's message; a number beyond any float is refused at its cell, never a traceback.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from dashboard.__main__ import main
from dashboard.db.engine import session_scope
from dashboard.domain.bounds import bounds_for
from dashboard.i18n import translate, use_lang
from dashboard.services.excel_format import PROGRESS_COLUMNS
from dashboard.services.excel_import import preview_import
from dashboard.services.excel_reader import ParsedWorkbook, read_workbook
from dashboard.services.excel_template import build_template
from dashboard.services.import_budget import import_budget
from dashboard.services.import_progress import import_progress
from dashboard.services.import_report import ImportReport
from dashboard.services.progress_rules import current_plan
from tests.db.entry_support import TODAY, make_account, snapshot
from tests.db.excel_bombs import build, header_row
from tests.db.excel_support import column, edit

VALUE = PROGRESS_COLUMNS[[c.key for c in PROGRESS_COLUMNS].index("value")]
HUGE = "1" + "0" * 400  # an integer beyond any float


@pytest.fixture(autouse=True)
def _analyst(engine: Engine) -> None:
    """Create the accounts first, so that a snapshot taken before an import compares data."""
    make_account(engine, "analyste", "analyst")
    make_account(engine, "karim", "analyst")


def _template(engine: Engine, lang: str) -> bytes:
    with session_scope(engine) as session:
        return build_template(session=session, cti="CETIA", today=TODAY, lang=lang)


def _open(content: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(content))


def _free_row(engine: Engine) -> int:
    """Return a row with no value yet whose unit takes 1250.5 (same row in every language)."""
    ws = _open(_template(engine, "fr"))["Saisie"]
    unit, value, official = column(ws, "Unité"), column(ws, "Valeur"), column(ws, "Valeur validée")
    for row in range(2, ws.max_row + 1):
        bounds = bounds_for(str(ws.cell(row, unit).value or ""))
        empty = ws.cell(row, value).value is None and ws.cell(row, official).value is None
        if empty and not bounds.integer and bounds.maximum > 2000 and bounds.minimum <= 0:
            return row
    raise LookupError("no free row for a decimal value")


def _typed(engine: Engine, lang: str, text: str) -> tuple[bytes, int]:
    """Return the template in ``lang`` with ``text`` typed as text in one free Valeur cell."""
    row = _free_row(engine)

    def put(book: Any) -> None:
        ws = book.worksheets[1]  # Instructions, Saisie, Budget: named in the template's language
        cell = ws.cell(row, column(ws, translate(VALUE.header, lang)))
        cell.value = text
        cell.data_type = "s"

    return edit(_template(engine, lang), put), row


def _preview(engine: Engine, content: bytes, screen: str = "fr") -> ImportReport:
    analyst = make_account(engine, "analyste", "analyst")
    with use_lang(screen), session_scope(engine) as session:
        return preview_import(session=session, account=analyst, content=content, today=TODAY)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fr", "1 250,5"), ("fr", "1\u202f250,5"), ("en", "1,250.5"), ("ar", "1.250,5")],
)
@pytest.mark.parametrize("screen", ["fr", "en"])
def test_a_text_number_is_read_with_the_template_language(
    engine: Engine, lang: str, text: str, screen: str
) -> None:
    content, row = _typed(engine, lang, text)
    before = snapshot(engine)
    report = _preview(engine, content, screen)
    assert not report.errors, report.errors
    [change] = [c for c in report.changes if c.row == row]
    assert change.action == "add"
    with use_lang(screen):
        assert change.after == {"fr": "1\u00a0250,5", "en": "1,250.5"}[screen]
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("lang", "text", "words"),
    [
        ("fr", "1,250", "prête à confusion"),  # French groups with spaces: 1,25 or 1 250?
        ("fr", "1.250", "prête à confusion"),
        ("en", "1.250", "is ambiguous"),  # the point is English's decimal mark
        ("ar", "1,250", "ملتبسة"),  # the comma is Arabic's decimal mark
        ("fr", "douze", "n'est pas un nombre"),
        ("fr", "1e400", "n'est pas un nombre fini"),
    ],
)
def test_an_ambiguous_or_bad_text_number_is_refused_at_its_cell(
    engine: Engine, lang: str, text: str, words: str
) -> None:
    content, row = _typed(engine, lang, text)
    before = snapshot(engine)
    report = _preview(engine, content)
    assert [(e.row, e.column.endswith("(Valeur)")) for e in report.errors] == [(row, True)]
    assert words in report.errors[0].message
    assert not [c for c in report.changes if c.row == row]
    assert snapshot(engine) == before


def test_the_language_is_the_template_one_not_the_screen_one(engine: Engine) -> None:
    # On an English screen, "1.250" in a French template is not read as 1.25.
    content, row = _typed(engine, "fr", "1.250")
    report = _preview(engine, content, screen="en")
    assert [e.row for e in report.errors] == [row]


def _huge_value_file(engine: Engine) -> bytes:
    """A Saisie sheet whose Valeur cell holds <v>1 followed by 400 zeros</v>."""
    ws = _open(_template(engine, "fr"))["Saisie"]
    code = ws.cell(_free_row(engine), column(ws, "Code indicateur")).value
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>CETIA</t></is></c>'
        f'<c r="B2" t="inlineStr"><is><t>{code}</t></is></c>'
        '<c r="E2" t="inlineStr"><is><t>2024-T1</t></is></c>'
        f'<c r="H2"><v>{HUGE}</v></c></row>'
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{header_row()}{row}</sheetData></worksheet>"
    )
    return build({"xl/worksheets/sheet1.xml": sheet})


def test_an_integer_beyond_any_float_is_refused_at_its_cell(engine: Engine) -> None:
    content = _huge_value_file(engine)
    parsed = read_workbook(content)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "H (Valeur)")]
    assert "n'est pas un nombre fini" in parsed.errors[0].message
    before = snapshot(engine)
    report = _preview(engine, content)
    assert [(e.row, e.column) for e in report.errors] == [(2, "H (Valeur)")]
    assert "n'est pas un nombre fini" in report.errors[0].message
    assert snapshot(engine) == before


def test_the_import_services_refuse_a_huge_integer_they_are_handed(engine: Engine) -> None:
    # Rows that reached the services without the reader (a caller's own ParsedWorkbook).
    ws = _open(_template(engine, "fr"))["Saisie"]
    code = ws.cell(_free_row(engine), column(ws, "Code indicateur")).value
    parsed = ParsedWorkbook()
    huge = int(HUGE)
    parsed.sheets["Saisie"] = read_workbook(_huge_value_file(engine)).sheets["Saisie"]
    parsed.sheets["Saisie"].rows = [
        (2, {"cti": "CETIA", "code": code, "period": "2024-T1", "value": huge})
    ]
    budget = {"cti": "CETIA", "axis": huge, "kind": "Engagement", "amount": huge}
    parsed.sheets["Budget"] = type(parsed.sheets["Saisie"])(
        "Budget", {"axis": "B (Axe)", "amount": "E (Montant (MDH))"}, [(3, budget)]
    )
    budget["on_date"] = TODAY
    budget["reference"] = "ENG-HUGE"
    analyst = make_account(engine, "analyste", "analyst")
    report = ImportReport(sha256="")
    with session_scope(engine) as session:
        plan = current_plan(session)
        assert plan.id is not None
        import_progress(
            session, analyst, parsed, report, plan_id=plan.id, today=TODAY, submit=False
        )
        import_budget(session, analyst, parsed, report, plan_id=plan.id, today=TODAY, submit=False)
        session.rollback()
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "H (Valeur)"),
        (3, "B (Axe)"),
        (3, "E (Montant (MDH))"),
    ], report.errors
    assert all("n'est pas un nombre fini" in e.message for e in report.errors)


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the command line at the demo database, on the demo date."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-29")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    return engine


def test_command_line_dry_run_reads_text_numbers_by_the_template_language(
    cli_env: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english, _row = _typed(cli_env, "en", "1,250.5")
    path = tmp_path / "english.xlsx"
    path.write_bytes(english)
    before = snapshot(cli_env, exclude=())
    assert main(["import", str(path), "--dry-run", "--user", "karim"]) == 0
    assert "1\u00a0250,5" in capsys.readouterr().out
    assert snapshot(cli_env, exclude=()) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [("ambiguous", "prête à confusion"), ("huge", "n'est pas un nombre fini")],
)
def test_command_line_dry_run_names_the_bad_cell(
    cli_env: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    data = (
        _typed(cli_env, "fr", "1,250")[0] if content == "ambiguous" else _huge_value_file(cli_env)
    )
    path = tmp_path / "faux.xlsx"
    path.write_bytes(data)
    assert main(["import", str(path), "--dry-run", "--user", "karim"]) == 2
    captured = capsys.readouterr()
    assert "colonne H (Valeur)" in captured.out and words in captured.out
    assert "Traceback" not in captured.out + captured.err
