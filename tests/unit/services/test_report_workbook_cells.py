"""The workbook's cells hold what the tables hold: dates read back as written, blanks stay blank."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import Column, Table, records
from dashboard.services.reports.xlsx import Book


def test_dates_times_and_numbers_read_back_as_written() -> None:
    stream = io.BytesIO()
    book = Book(stream, Formats("fr"))
    ws = book.sheet("Valeurs", "Valeurs", "Essai")
    rows: list[dict[str, Any]] = [
        {
            "day": date(2024, 3, 1),
            "at": datetime(2025, 6, 30, 14, 5, 30),
            "stamp": pd.Timestamp("2023-01-02 08:15", tz="UTC"),  # written without its zone
            "count": 3,
            "status": "late",
            "label": "Essais",
        },
        {"day": None, "at": None, "stamp": None, "count": None, "status": None, "label": ""},
    ]
    columns = (
        Column("day", "Jour", "date"),
        Column("at", "Saisie le", "datetime"),
        Column("stamp", "Validée le", "datetime"),
        Column("count", "Nombre", "int"),
        Column("status", "Statut", "status"),
        Column("label", "Libellé", "text"),
    )
    header, _end = book.table(ws, 4, Table("values", "Valeurs", columns, rows), heading=False)
    book.wb.close()
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Valeurs"]
    first = [cell.value for cell in sheet[header + 2][:6]]
    assert first == [
        datetime(2024, 3, 1),
        datetime(2025, 6, 30, 14, 5, 30),
        datetime(2023, 1, 2, 8, 15),
        3,
        "En retard",
        "Essais",
    ]
    assert [cell.value for cell in sheet[header + 3][:6]] == [None] * 6
    assert sheet.cell(header + 2, 1).number_format == "dd/mm/yyyy"


def test_records_are_plain_python_values_with_none_for_missing_ones() -> None:
    frame = pd.DataFrame(
        {
            "n": np.array([1, 2], dtype="int64"),
            "x": [1.5, np.nan],
            "s": pd.array(["a", None], dtype="string"),
            "o": pd.Series([np.float64(2.5), None], dtype=object),
            "flag": [True, False],
        }
    )
    first, second = records(frame)
    assert first == {"n": 1, "x": 1.5, "s": "a", "o": 2.5, "flag": True}
    assert second == {"n": 2, "x": None, "s": None, "o": None, "flag": False}
    assert [type(v) for v in first.values()] == [int, float, str, float, bool]
