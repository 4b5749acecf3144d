"""Helpers for the Excel tests: build the template, edit it, and build bad files."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.excel_format import BUDGET_COLUMNS, PROGRESS_COLUMNS
from dashboard.services.excel_template import build_template
from tests.db.entry_support import TODAY

HEADERS = [c.header for c in PROGRESS_COLUMNS]
BUDGET_HEADERS = [c.header for c in BUDGET_COLUMNS]


def template(engine: Engine, cti: str | None = "CETIA") -> bytes:
    """Build the entry template from the database."""
    with session_scope(engine) as session:
        return build_template(session=session, cti=cti, today=TODAY)


def edit(content: bytes, change: Callable[[Any], None]) -> bytes:
    """Open a workbook, let ``change`` edit it, and return the saved bytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(content))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column(sheet: Any, header: str) -> int:
    """Return the 1-based index of a header in the first row."""
    for cell in sheet[1]:
        if cell.value == header:
            return int(cell.column)
    raise KeyError(header)


def find_row(sheet: Any, **wanted: object) -> int:
    """Return the first row whose cells match ``wanted`` (header -> value)."""
    indexes = {column(sheet, h): v for h, v in wanted.items()}
    for row in range(2, sheet.max_row + 1):
        if all(sheet.cell(row, i).value == v for i, v in indexes.items()):
            return row
    raise LookupError(wanted)


def first_blank(sheet: Any) -> int:
    """Return the first row with no indicator code (the empty rows for new lines)."""
    code = column(sheet, "CTI")
    for row in range(2, sheet.max_row + 2):
        if sheet.cell(row, code).value in (None, ""):
            return row
    return sheet.max_row + 1


def set_cells(sheet: Any, row: int, **values: object) -> None:
    """Write values by header in one row."""
    for header, value in values.items():
        sheet.cell(row, column(sheet, header), value)


def book_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """Build a workbook from rows per sheet (the first row is the header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Build a zip archive (not a workbook)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def many_rows(count: int) -> bytes:
    """Build a workbook whose "Saisie" sheet has ``count`` data rows (streamed, quick)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = book.add_worksheet("Saisie")
    ws.write_row(0, 0, HEADERS)
    for r in range(1, count + 1):
        ws.write_row(r, 0, ["CETIA", "X", "", "", "2024-T1"])
    book.close()
    return out.getvalue()
