"""The Excel report: one sheet per topic, raw numbers with MDH and % formats, native charts.

Every table is an Excel table (its own autofilter and banding) under frozen title rows; numbers
are written as numbers, never as text, so that they can be summed and checked.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import xlsxwriter

from dashboard.services.palette import STATUS_COLORS, status_label
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import Column, Table

Progress = Callable[[int, str], None]
NAVY = "#0B2545"
NUMBER_FORMATS = {
    "mdh": '#,##0.0" MDH"',
    "mdh2": '#,##0.00" MDH"',
    "pct": "0.0%",
    "pct1": "0.0%",
    "int": "#,##0",
    "year": "0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}


def excel_number(value: float) -> float:
    """Return a float with the 15 significant digits Excel keeps (sums leave noise beyond).

    204.35299999999998 (a sum of amounts) is written 204.353: the number Excel would keep
    anyway, so that a cell equals the screen's figure to its last significant digit.
    """
    return float(f"{value:.15g}")


class Book:
    """A workbook with the report's formats, and helpers to write titled sheets and tables."""

    def __init__(self, stream: io.BytesIO, f: Formats) -> None:
        self.f = f
        self.wb = xlsxwriter.Workbook(stream, {"in_memory": True, "remove_timezone": True})
        add = self.wb.add_format
        self.band = add({"bold": True, "font_color": "white", "bg_color": NAVY, "font_size": 10})
        self.title = add({"bold": True, "font_size": 15, "font_color": NAVY})
        self.muted = add({"font_size": 9, "font_color": "#5B6675"})
        self.note = add(
            {
                "font_size": 9,
                "bg_color": "#FFF8E1",
                "font_color": "#5C4400",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
                "border_color": "#D9A400",
            }
        )
        self.heading = add({"bold": True, "font_size": 11, "font_color": "#13315C"})
        self.header = add(
            {"bold": True, "font_color": "white", "bg_color": "#13315C", "text_wrap": True}
        )
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.formats = {kind: add({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.totals = {
            kind: add({"num_format": fmt, "bold": True, "top": 1})
            for kind, fmt in NUMBER_FORMATS.items()
        }
        self.total_text = add({"bold": True, "top": 1})
        self.values = (add({"num_format": "#,##0"}), add({"num_format": "#,##0.0"}))
        self.status = {
            s.value: add(
                {
                    "bold": True,
                    "bg_color": color,
                    "font_color": "white" if s.value in ("on_track", "late") else "black",
                }
            )
            for s, color in STATUS_COLORS.items()
        }

    def sheet(self, name: str, title: str, subtitle: str, *, width: int = 8) -> Any:
        """Add a sheet with the ministry's band, a title and a subtitle (rows 1 to 3, frozen)."""
        ws = self.wb.add_worksheet(name[:31])
        if self.f.dir == "rtl":
            ws.right_to_left()
        ws.hide_gridlines(2)
        ministry = self.f._("Royaume du Maroc · Ministère de l'Industrie et du Commerce")
        ws.merge_range(0, 0, 0, width, ministry, self.band)
        ws.set_row(0, 20)
        ws.write(1, 0, title, self.title)
        ws.set_row(1, 22)
        ws.write(2, 0, subtitle, self.muted)
        ws.freeze_panes(3, 0)
        return ws

    def note_row(self, ws: Any, row: int, text: str, *, width: int = 6, height: int = 45) -> int:
        """Write a highlighted note across the sheet; return the next free row."""
        ws.merge_range(row, 0, row, width, text, self.note)
        ws.set_row(row, height)
        return row + 2

    def cell(
        self, ws: Any, row: int, col: int, column: Column, record: dict[str, Any], *, total: bool
    ) -> None:
        """Write one value with the format of its column's kind."""
        value, kind = record.get(column.key), column.kind
        if value is None or value == "":
            ws.write_blank(row, col, None, self.total_text if total else None)
        elif kind == "status" and not total:
            ws.write_string(row, col, status_label(str(value)), self.status[str(value)])
        elif kind in ("value", "bare"):
            number = excel_number(float(value))
            ws.write_number(row, col, number, self.values[0 if number.is_integer() else 1])
        elif kind == "flag":
            ws.write_string(row, col, self.f._("oui") if value else self.f._("non"))
        elif kind in ("date", "datetime") and isinstance(value, date | datetime):
            ws.write_datetime(row, col, value, self.formats[kind])
        elif kind in NUMBER_FORMATS and isinstance(value, int | float):
            formats = self.totals if total else self.formats
            ws.write_number(row, col, excel_number(float(value)), formats[kind])
        else:
            ws.write_string(row, col, str(value), self.total_text if total else None)

    def table(self, ws: Any, top: int, table: Table, *, heading: bool = True) -> tuple[int, int]:
        """Write a table as an Excel table at ``top``; return (its header row, next free row)."""
        columns = table.xlsx_columns
        if heading:
            ws.write(top, 0, table.title, self.heading)
            top += 1
        last = top + max(len(table.rows), 1)
        ws.add_table(
            top,
            0,
            last,
            len(columns) - 1,
            {
                "columns": [{"header": c.header, "header_format": self.header} for c in columns],
                "style": "Table Style Light 9",
                "autofilter": True,
                "name": f"{table.key}_{ws.index}_{top}",
            },
        )
        for index, record in enumerate(table.rows):
            for col, column in enumerate(columns):
                self.cell(ws, top + 1 + index, col, column, record, total=False)
        end = last + 1
        if table.total is not None:
            total = {**table.total, columns[0].key: table.total.get("label", "")}
            for col, column in enumerate(columns):
                self.cell(ws, end, col, column, total, total=True)
            end += 1
        if table.note:
            ws.write(end, 0, self.f._("Source : {citation}", citation=table.note), self.muted)
            end += 1
        return top, end + 1

    def widths(self, ws: Any, table: Table) -> None:
        """Size the sheet's columns for a table."""
        for col, column in enumerate(table.xlsx_columns):
            ws.set_column(col, col, max(column.width, min(len(column.header) * 0.9 + 2, 24)))

    def bar_chart(self, ws: Any, header: int, table: Table, keys: list[str], title: str) -> Any:
        """Return a clustered bar chart of some columns of a table written at ``header``."""
        columns = [c.key for c in table.xlsx_columns]
        chart = self.wb.add_chart({"type": "bar"})
        colors = {"envelope": "#C9D3E0", "committed": "#56B4E9", "disbursed": "#0072B2"}
        rows = len(table.rows)
        for key in keys:
            col = columns.index(key)
            chart.add_series(
                {
                    "name": [ws.name, header, col],
                    "categories": [ws.name, header + 1, 0, header + rows, 0],
                    "values": [ws.name, header + 1, col, header + rows, col],
                    "fill": {"color": colors.get(key, NAVY)},
                    "gap": 60,
                }
            )
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"name": "MDH", "num_format": "#,##0"})
        chart.set_legend({"position": "top"})
        chart.set_size({"width": 620, "height": max(260, 60 + 34 * rows)})
        return chart
