"""The Excel import applies the bounds of the forms to each row (issue 20.4), cell by cell."""

from __future__ import annotations

import io
import warnings
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.excel_import import preview_import
from tests.db.entry_support import TODAY, make_account, snapshot
from tests.db.excel_support import column, edit, first_blank, set_cells, template


def _value_row(ws: Any, unit: str) -> int:
    """Return a row of the Saisie sheet with no value yet, for an indicator of ``unit``."""
    unit_col, value_col = column(ws, "Unité"), column(ws, "Valeur")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, unit_col).value == unit and ws.cell(row, value_col).value is None:
            return row
    raise LookupError(unit)


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("essais", 1e28, "Valeur trop grande"),
        ("essais", 99_999_999, "Valeur trop grande"),
        ("essais", -5, "Valeur négative"),
        ("%", 1e308, "entre 0 et 100"),
    ],
)
def test_an_implausible_value_in_a_workbook_is_refused_at_its_cell(
    engine: Engine, unit: str, value: float, expected: str
) -> None:
    analyst = make_account(engine, "analyste", "analyst")

    def put(book: Any) -> None:
        ws = book["Saisie"]
        ws.cell(_value_row(ws, unit), column(ws, "Valeur")).value = value

    before = snapshot(engine)
    with session_scope(engine) as session:
        report = preview_import(
            session=session, account=analyst, content=edit(template(engine), put), today=TODAY
        )
    assert [e.column.endswith("(Valeur)") for e in report.errors] == [True], report.errors
    assert expected in report.errors[0].message
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("amount", "on_date", "expected"),
    [
        (1e308, date(2025, 5, 5), "Montant trop grand"),
        (0.5, date(1900, 1, 1), "Date hors des limites"),
    ],
)
def test_an_implausible_movement_in_a_workbook_is_refused_at_its_cell(
    engine: Engine, amount: float, on_date: date, expected: str
) -> None:
    analyst = make_account(engine, "analyste", "analyst")

    def put(book: Any) -> None:
        ws = book["Budget"]
        set_cells(
            ws,
            first_blank(ws),
            **{
                "CTI": "CETIA",
                "Axe": 3,
                "Type": "Engagement",
                "Date": on_date,
                "Montant (MDH)": amount,
                "Référence": "ENG-BORNES-1",
            },
        )

    with session_scope(engine) as session:
        report = preview_import(
            session=session, account=analyst, content=edit(template(engine), put), today=TODAY
        )
    assert report.errors and expected in report.errors[0].message, report.errors


def test_the_templates_value_column_carries_the_same_bounds(engine: Engine) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(template(engine)))
    rules = book["Saisie"].data_validations.dataValidation
    counts = [r for r in rules if r.type == "whole"]
    assert counts and all((r.formula1, r.formula2) == ("0", "1000000") for r in counts)
