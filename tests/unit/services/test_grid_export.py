"""A grid's rows as a workbook: numbers stay numbers, text stays inert, names stay harmless."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from dashboard.services.reports.grid_export import MAX_ROWS, grid_workbook, safe_filename

COLUMNS = [{"field": "cti", "header": "CTI"}, {"field": "value", "header": "Valeur"}]


def _sheet(content: bytes) -> object:
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_rows_keep_their_order_numbers_and_headers() -> None:
    rows = [{"cti": "CTTH", "value": 12.5, "hidden": "x"}, {"cti": "CETIA", "value": 3}]
    sheet = _sheet(grid_workbook(columns=COLUMNS, rows=rows, title="Saisie"))
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [  # type: ignore[attr-defined]
        ("CTI", "Valeur"),
        ("CTTH", 12.5),
        ("CETIA", 3),
    ]
    assert sheet.freeze_panes == "A2"  # type: ignore[attr-defined]
    assert sheet.auto_filter.ref == "A1:B3"  # type: ignore[attr-defined]


def test_a_cell_that_looks_like_a_formula_stays_text() -> None:
    rows = [{"cti": '=HYPERLINK("http://exemple","clic")', "value": None}]
    sheet = _sheet(grid_workbook(columns=COLUMNS, rows=rows, title="x"))
    cell = sheet["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_an_oversized_grid_is_refused() -> None:
    with pytest.raises(ValueError):
        grid_workbook(columns=COLUMNS, rows=[{}] * (MAX_ROWS + 1), title="x")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("journal-audit", "journal-audit-20261129.xlsx"),
        ("../../etc/passwd", "etc-passwd-20261129.xlsx"),
        ("", "export-20261129.xlsx"),
        (None, "export-20261129.xlsx"),
    ],
)
def test_file_names_are_harmless(name: object, expected: str) -> None:
    assert safe_filename(name, date(2026, 11, 29), "xlsx") == expected
