"""Writing the entry template with xlsxwriter: formats, drop-downs, locked keys, protection."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter

from dashboard.domain.periods import Period
from dashboard.domain.validation import UnitKind, bounds_for, fmt_num, unit_kind
from dashboard.i18n import _, is_rtl, term
from dashboard.services.excel_format import (
    BLANK_ROWS,
    BUDGET_COLUMNS,
    BUDGET_SHEET,
    INSTRUCTIONS_SHEET,
    LABEL_BY_KIND,
    LISTS_SHEET,
    PROGRESS_COLUMNS,
    PROGRESS_SHEET,
    Column,
)
from dashboard.services.excel_instructions import INSTRUCTIONS


class SheetWriter:
    """Writes the workbook with xlsxwriter (formats, validations, protection)."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        self.header = self.book.add_format({"bold": True, "bg_color": "#d2deef", "locked": True})
        self.locked = self.book.add_format({"locked": True, "bg_color": "#f2f2f2"})
        self.locked_date = self.book.add_format(
            {"locked": True, "bg_color": "#f2f2f2", "num_format": "dd/mm/yyyy"}
        )
        self.open = self.book.add_format({"locked": False, "bg_color": "#fff8dc"})
        self.open_date = self.book.add_format(
            {"locked": False, "bg_color": "#fff8dc", "num_format": "dd/mm/yyyy"}
        )
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(self, name: str, columns: tuple[Column, ...] = ()) -> Any:
        """Add a sheet named in the language in force, with its translated header row."""
        ws = self.book.add_worksheet(_(name))
        if is_rtl():
            ws.right_to_left()
        for index, column in enumerate(columns):
            ws.set_column(index, index, column.width)
            ws.write_string(0, index, _(column.header), self.header)
        if columns:
            ws.freeze_panes(1, 0)
        return ws

    def protect(self, ws: Any, last_row: int, width: int) -> None:
        ws.autofilter(0, 0, max(last_row, 1), width - 1)
        ws.protect("", {"autofilter": True, "sort": False, "format_columns": True})

    def cell(self, ws: Any, row: int, col_: int, value: Any, fmt: Any) -> None:
        if value is None or value == "":
            ws.write_blank(row, col_, None, fmt)
        elif isinstance(value, date):
            ws.write_datetime(row, col_, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col_, value, fmt)
        else:
            ws.write_string(row, col_, str(value), fmt)


TRANSLATED_NAMES = frozenset({"label", "unit"})


def _value_rule(unit: str) -> dict[str, Any]:
    """Return the Excel data validation of the Valeur column: the bounds the import applies."""
    kind, bounds = unit_kind(unit), bounds_for(unit)
    message = {"error_title": _("Valeur refusée"), "error_type": "stop"}
    if kind is UnitKind.PERCENT:
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_message": _("Pourcentage entre 0 et 100."),
            **message,
        }
    if kind is UnitKind.COUNT:
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": bounds.maximum,
            "error_message": _("Nombre entier de 0 à {maximum}.", maximum=fmt_num(bounds.maximum)),
            **message,
        }
    if kind in (UnitKind.AMOUNT, UnitKind.DURATION):
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": bounds.maximum,
            "error_message": _("Nombre de 0 à {maximum}.", maximum=fmt_num(bounds.maximum)),
            **message,
        }
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": bounds.minimum,
        "maximum": bounds.maximum,
        "error_message": _("Saisissez un nombre."),
        **message,
    }


def _list_columns(
    rows: Sequence[Any], periods: list[Period], ctis: list[str]
) -> dict[str, list[str]]:
    return {
        "codes": sorted({r.code for r in rows}) or [""],
        "periods": [p.label() for p in periods] or [""],
        "ctis": ctis or [""],
        "kinds": [_(label) for label in LABEL_BY_KIND.values()],
    }


def _list_refs(columns: dict[str, list[str]]) -> dict[str, str]:
    refs = {}
    for index, (name, values) in enumerate(columns.items()):
        letter = chr(65 + index)
        refs[name] = f"={LISTS_SHEET}!${letter}$1:${letter}${len(values)}"
    return refs


def _progress_sheet(w: SheetWriter, rows: Sequence[Any], refs: dict[str, str]) -> None:
    ws = w.sheet(PROGRESS_SHEET, PROGRESS_COLUMNS)
    value_col = [c.key for c in PROGRESS_COLUMNS].index("value")
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(PROGRESS_COLUMNS):
            value = getattr(row, column.key)
            if column.key in TRANSLATED_NAMES:
                value = term(value)  # names stored in French; the import does not read them
            w.cell(ws, r, c, value, w.open if column.editable else w.locked)
    start = 1
    for r in range(1, len(rows) + 2):
        if r == len(rows) + 1 or rows[r - 1].unit != rows[start - 1].unit:
            if rows:
                ws.data_validation(
                    start, value_col, r - 1, value_col, _value_rule(rows[start - 1].unit)
                )
            start = r
    first, last = len(rows) + 1, len(rows) + BLANK_ROWS
    for c, column in enumerate(PROGRESS_COLUMNS):
        fmt = (
            w.open
            if column.key in ("cti", "code", "period", "value", "comment", "reason")
            else w.locked
        )
        for r in range(first, last + 1):
            ws.write_blank(r, c, None, fmt)
    for key, ref in (("cti", refs["ctis"]), ("code", refs["codes"]), ("period", refs["periods"])):
        c = [col_.key for col_ in PROGRESS_COLUMNS].index(key)
        ws.data_validation(first, c, last, c, {"validate": "list", "source": ref})
    ws.data_validation(first, value_col, last, value_col, _value_rule(""))
    w.protect(ws, last, len(PROGRESS_COLUMNS))


def _budget_sheet(
    w: SheetWriter, moves: list[dict[str, Any]], refs: dict[str, str], first_year: int
) -> None:
    ws = w.sheet(BUDGET_SHEET, BUDGET_COLUMNS)
    for r, move in enumerate(moves, start=1):
        for c, column in enumerate(BUDGET_COLUMNS):
            w.cell(ws, r, c, move[column.key], w.locked_date if column.kind == "date" else w.locked)
    first, last = len(moves) + 1, len(moves) + BLANK_ROWS
    for c, column in enumerate(BUDGET_COLUMNS):
        fmt = w.open_date if column.kind == "date" else (w.open if column.editable else w.locked)
        for r in range(first, last + 1):
            ws.write_blank(r, c, None, fmt)
    index = {c.key: i for i, c in enumerate(BUDGET_COLUMNS)}
    rules = {
        "cti": {"validate": "list", "source": refs["ctis"]},
        "axis": {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5},
        "kind": {"validate": "list", "source": refs["kinds"]},
        "on_date": {
            "validate": "date",
            "criteria": ">=",
            "value": date(first_year, 1, 1),
            "error_message": _("Saisissez une date (JJ/MM/AAAA)."),
        },
        "amount": {
            "validate": "decimal",
            "criteria": ">",
            "value": 0,
            "error_message": _("Montant positif en MDH."),
        },
        "reference": {"validate": "length", "criteria": "<=", "value": 60},
    }
    for key, rule in rules.items():
        ws.data_validation(first, index[key], last, index[key], rule)
    w.protect(ws, last, len(BUDGET_COLUMNS))


def write_workbook(
    *,
    rows: Sequence[Any],
    moves: list[dict[str, Any]],
    periods: list[Period],
    ctis: list[str],
    first_year: int,
    last_year: int,
) -> bytes:
    """Write the instructions, entry, budget and (hidden) list sheets; return .xlsx bytes."""
    buffer = io.BytesIO()
    w = SheetWriter(buffer)
    intro = w.sheet(INSTRUCTIONS_SHEET)
    intro.set_column(0, 0, 110, w.wrap)
    for r, line in enumerate(INSTRUCTIONS):
        intro.write_string(r, 0, _(line, first=first_year, last=last_year) if line else "")
    columns = _list_columns(rows, periods, ctis)
    refs = _list_refs(columns)
    _progress_sheet(w, rows, refs)
    _budget_sheet(w, moves, refs, first_year)
    lists = w.book.add_worksheet(LISTS_SHEET)  # hidden; its name is in the formulas
    for index, values in enumerate(columns.values()):
        lists.write_column(0, index, values)
    lists.hide()
    intro.activate()
    w.book.close()
    return buffer.getvalue()
