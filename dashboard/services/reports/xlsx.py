"""The Excel report: one sheet per topic, raw numbers with MDH and % formats, native charts.

Every table is an Excel table (its own autofilter and banding) under frozen title rows; numbers
are written as numbers, never as text, so that they can be summed and checked.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter

from dashboard.services.palette import STATUS_COLORS, status_label
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import Column, Table

Progress = Callable[[int, str], None]
Write = Callable[[Any, int, int, Any], None]
# Day 1 of Excel's calendar is 1 January 1900: day 0 is the eve.
EXCEL_EPOCH = datetime(1899, 12, 31)
NAVY = "#0B2545"
NUMBER_FORMATS = {
    "mdh": '#,##0.0" {unit}"',  # {unit}: the language's, as the pages write it (Formats.mdh_unit)
    "mdh2": '#,##0.00" {unit}"',
    "pct": "0.0%",
    "pct1": "0.0%",
    "int": "#,##0",
    "year": "0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}


def number_format(kind: str, f: Formats) -> str:
    """Return a kind's Excel number format, amounts with the language's unit (« مليون درهم »)."""
    unit = f.mdh_unit.replace('"', "")
    return NUMBER_FORMATS[kind].replace("{unit}", unit)


def excel_date(value: date) -> float:
    """Return a date or a datetime (its zone dropped) as the serial number Excel stores.

    What ``write_datetime`` stores, computed without its checks of every kind of date and
    time: they cost more than writing the cell, for a quarter of a million cells at scale.
    """
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    if isinstance(moment, pd.Timestamp):
        moment = moment.to_pydatetime()
    delta = moment.replace(tzinfo=None) - EXCEL_EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    return serial + 1 if serial > 59 else serial  # Excel counts a 29 February 1900


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
        self.wb = xlsxwriter.Workbook(  # text stays text, never a formula (issue 20.2)
            stream, {"in_memory": True, "remove_timezone": True, "strings_to_formulas": False}
        )
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
        formats = {kind: number_format(kind, f) for kind in NUMBER_FORMATS}
        self.formats = {kind: add({"num_format": fmt}) for kind, fmt in formats.items()}
        self.totals = {
            kind: add({"num_format": fmt, "bold": True, "top": 1}) for kind, fmt in formats.items()
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
        value = record.get(column.key)
        if value is None or value == "":
            ws.write_blank(row, col, None, self.total_text if total else None)
        else:
            self.writer(column.kind, total=total)(ws, row, col, value)

    def writer(self, kind: str, *, total: bool = False) -> Write:
        """Return how a column of this kind writes a value that is there.

        Chosen once per column rather than once per cell: the workbook's history has over a
        million cells at scale.
        """
        text = self.total_text if total else None
        if kind == "text":
            return lambda ws, r, c, v: ws.write_string(r, c, str(v), text)
        if kind == "status" and not total:
            styles = self.status
            return lambda ws, r, c, v: ws.write_string(r, c, status_label(str(v)), styles[str(v)])
        if kind in ("value", "bare"):
            whole, decimal = self.values

            def value(ws: Any, r: int, c: int, v: Any) -> None:
                number = excel_number(float(v))
                ws.write_number(r, c, number, whole if number.is_integer() else decimal)

            return value
        if kind == "flag":
            yes, no = self.f._("oui"), self.f._("non")
            return lambda ws, r, c, v: ws.write_string(r, c, yes if v else no)
        form = (self.totals if total else self.formats).get(kind)
        dated = kind in ("date", "datetime")

        def other(ws: Any, r: int, c: int, v: Any) -> None:
            if dated and isinstance(v, date | datetime):
                ws.write_number(r, c, excel_date(v), self.formats[kind])
            elif form is not None and isinstance(v, int | float):
                ws.write_number(r, c, excel_number(float(v)), form)
            else:
                ws.write_string(r, c, str(v), text)

        return other

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
        writers = [(col, c.key, self.writer(c.kind)) for col, c in enumerate(columns)]
        for row, record in enumerate(table.rows, start=top + 1):
            for col, key, write in writers:
                value = record.get(key)
                if value is not None and value != "":  # a blank without a format is no cell
                    write(ws, row, col, value)
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
        chart.set_x_axis({"name": self.f.mdh_unit, "num_format": "#,##0"})
        chart.set_legend({"position": "top"})
        chart.set_size({"width": 620, "height": max(260, 60 + 34 * rows)})
        return chart
