"""A grid's rows, as the user sees them (filters and sort applied), as an Excel workbook or CSV.

People's text never runs as a formula (domain/spreadsheet.py): in CSV it gets an apostrophe in
front, in the workbook it is a text cell marked as typed with one (Excel's "quote prefix"), so
that editing the cell does not turn it into a formula either. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import xlsxwriter

from dashboard.domain.csv_cells import csv_inert_text
from dashboard.domain.spreadsheet import is_formula_like
from dashboard.i18n import N_, _, translate
from dashboard.services.formatting import (
    GRID_DECIMALS,
    UNGROUPED_FIELDS,
    csv_separator,
    format_plain,
)

# A grid holds what a page shows: a few thousand rows at most. More is a forged request.
MAX_ROWS = 100_000
MAX_COLUMNS = 100
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def safe_filename(name: object, today: date, extension: str) -> str:
    """Return a harmless file name: "journal-audit-20261129.xlsx" (no path, no odd character)."""
    stem = _UNSAFE_NAME.sub("-", str(name or "export")).strip("-.")[:60] or "export"
    return f"{stem}-{today:%Y%m%d}.{extension}"


def _cell(value: Any) -> Any:
    """Return a value Excel can hold: numbers stay numbers, everything else becomes text."""
    if isinstance(value, bool):
        return translate("oui") if value else translate("non")
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _csv_cell(value: Any, lang: str) -> str:
    """Return one CSV field: a number as the language's spreadsheets read it, inert text."""
    cell = _cell(value)
    if cell is None:
        return ""
    if isinstance(cell, int | float):
        return format_plain(cell, lang)
    return csv_inert_text(cell)


def grid_workbook(
    *, columns: list[dict[str, Any]], rows: list[dict[str, Any]], title: str, rtl: bool = False
) -> bytes:
    """Write the rows under the columns' headers: frozen header, autofilter, sized columns.

    ``columns`` are {"field", "header"} in the order shown; ``rows`` the grid's row data.
    """
    if len(rows) > MAX_ROWS or len(columns) > MAX_COLUMNS:
        raise ValueError(_("grille trop grande"))
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(
        (title or "Export")[:31].translate(str.maketrans("[]:*?/\\", "       "))
    )
    if rtl:
        sheet.right_to_left()
    header = book.add_format(
        {"bold": True, "font_color": "white", "bg_color": "#13315C", "text_wrap": True}
    )
    # Excel shows these with the separators of the reader's own settings, as it should.
    decimals = book.add_format({"num_format": "#,##0." + "#" * GRID_DECIMALS})
    whole = book.add_format({"num_format": "#,##0"})
    bare = book.add_format({"num_format": "0"})  # a year is 2025, as on the grid
    typed = book.add_format({"quote_prefix": True})
    ungrouped = [str(column.get("field")) in UNGROUPED_FIELDS for column in columns]
    widths = []
    for col, column in enumerate(columns):
        label = str(column.get("header") or column.get("field") or "")
        sheet.write_string(0, col, label, header)
        widths.append(min(max(len(label), 8), 40))
    for index, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            value = _cell(row.get(str(column.get("field")))) if isinstance(row, dict) else None
            if value is None:
                continue
            if isinstance(value, int | float):
                fmt = (bare if ungrouped[col] else whole) if float(value).is_integer() else decimals
                sheet.write_number(index, col, value, fmt)
            else:
                # Written as text, never as a formula: a cell starting with "=" stays inert.
                sheet.write_string(index, col, value, typed if is_formula_like(value) else None)
                widths[col] = min(max(widths[col], len(value)), 60)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    book.close()
    return stream.getvalue()


def grid_csv(*, columns: list[dict[str, Any]], rows: list[dict[str, Any]], lang: str) -> bytes:
    """Write the rows as CSV for a spreadsheet: ";" in French and Arabic, "," in English.

    Numbers with the language's decimal mark and no grouping, text never as a formula, even
    in a spreadsheet that splits on the other list separator (``csv_inert_text``).
    UTF-8 with a byte order mark, so that Excel reads the accents and the Arabic.
    """
    if len(rows) > MAX_ROWS or len(columns) > MAX_COLUMNS:
        raise ValueError(_("grille trop grande"))
    out = io.StringIO()
    # Every field quoted, so that a spreadsheet splitting on the other list separator keeps
    # the fields that start a line whole (domain/csv_cells.py for the rest of the line).
    writer = csv.writer(
        out, delimiter=csv_separator(lang), lineterminator="\r\n", quoting=csv.QUOTE_ALL
    )
    writer.writerow([csv_inert_text(str(c.get("header") or c.get("field") or "")) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(str(c.get("field"))), lang) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# The indicator tables of the pages: each column key, and the raw fields it shows.
INDICATOR_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "indicator": (("code", N_("Code")), ("label", N_("Indicateur")), ("unit", N_("Unité"))),
    "cti": (("acronym", N_("CTI")),),
    "axis": (("axis", N_("Axe")),),
    "baseline": (("baseline", N_("Référence")),),
    "latest": (
        ("latest_value", N_("Dernière valeur validée")),
        ("period", N_("Période")),
        ("pending_count", N_("Valeurs en attente")),
    ),
    "expected": (("expected", N_("Attendu à cette date")),),
    "target": (("target_year", N_("Objectif de l'année")),),
    "achievement": (("achievement", N_("Réalisation de l'objectif de l'année (part)")),),
    "pace": (("pace_ratio", N_("Respect de la trajectoire (part)")),),
    "status": (("status_label", N_("Statut")),),
    "projection": (("projected_end", N_("Projection fin de plan")),),
    "pace_current": (
        ("pace_current", N_("Rythme actuel (par an)")),
        ("pace_needed", N_("Rythme nécessaire (par an)")),
    ),
}


def indicator_export(
    frame: Any, keys: Sequence[str]
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Return the columns and rows an indicator table shows, as raw values, for its exports."""
    from dashboard.services.formatting import fmt_period
    from dashboard.services.palette import status_label

    fields: list[tuple[str, str]] = []
    for key in keys:
        year = key.removeprefix("target_")
        fields.extend(
            ((key, year),)
            if key.startswith("target_") and year.isdigit()
            else INDICATOR_FIELDS.get(key, ())
        )
    columns = [
        {"field": field, "header": translate(header) if not header.isdigit() else header}
        for field, header in fields
    ]
    rows = []
    for record in frame.to_dict("records"):
        row = {field: _plain(record.get(field)) for field, _header in fields}
        if "period" in row:
            row["period"] = fmt_period(
                _plain(record.get("latest_year")), _plain(record.get("latest_quarter"))
            )
        if "status_label" in row:
            row["status_label"] = status_label(str(record.get("status")))
        rows.append(row)
    return columns, rows


def _plain(value: Any) -> Any:
    """Return a JSON-friendly value: None for missing ones, Python numbers for numpy ones."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value.item() if hasattr(value, "item") else value
