"""The sheets of the Excel report: summary, indicators, budget, progress history, sources."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dashboard.domain.indicators import Status
from dashboard.i18n import N_
from dashboard.services.palette import STATUS_COLORS
from dashboard.services.reports.content import (
    Content,
    filters_used,
    illustrative_note,
    method_lines,
    report_content,
    report_title,
)
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.language import Formats, speaking
from dashboard.services.reports.summary import kpis, messages, period_label
from dashboard.services.reports.tables import Column, Table
from dashboard.services.reports.xlsx import Book, excel_number

Progress = Callable[[int, str], None]


def _ignore(_percent: int, _step: str) -> None:
    """Report no progress."""


def _summary(book: Book, data: ReportData, content: Content) -> None:
    f = book.f
    subtitle = f"{period_label(data, f)} · {data.request.cti or f._('Situation nationale')}"
    ws = book.sheet(f._("Synthèse"), report_title(data, f), subtitle, width=6)
    row = 4
    if data.illustrative:
        row = book.note_row(ws, row, f._("Données illustratives") + " : " + illustrative_note(f))
    figures = kpis(data, f)
    table = Table(
        "key_figures",
        f._("Chiffres clés"),
        (
            Column("label", f._("Chiffre clé"), "text", 32),
            Column("value", f._("Valeur"), "value", 16),
            Column("detail", f._("Détail"), "text", 62),
        ),
        # The values are written below, each with its own format (MDH, %, count or text).
        [{"label": k.label, "value": None, "detail": k.detail} for k in figures],
    )
    header, _end = book.table(ws, row, table)
    for index, kpi in enumerate(figures):
        at = header + 1 + index
        if kpi.value is None or kpi.key in ("contracts", "time_left"):
            ws.write_string(at, 1, kpi.text)
        else:
            ws.write_number(at, 1, excel_number(float(kpi.value)), book.formats[kpi.kind])
    row = header + len(figures) + 2
    ws.write(row, 0, f._("À retenir"), book.heading)
    for line in messages(data, f):
        row += 1
        ws.merge_range(row, 0, row, 6, f"• {line}", book.wrap)
        ws.set_row(row, 30)
    status = content.tables["status"]
    header, _end = book.table(ws, row + 2, status)
    chart = book.wb.add_chart({"type": "doughnut"})
    chart.add_series(
        {
            "name": status.title,
            "categories": [ws.name, header + 1, 0, header + len(status.rows), 0],
            "values": [ws.name, header + 1, 1, header + len(status.rows), 1],
            "points": [
                {"fill": {"color": STATUS_COLORS[Status(r["status"])]}} for r in status.rows
            ],
        }
    )
    chart.set_title({"name": status.title, "name_font": {"size": 11}})
    ws.insert_chart(header - 1, 3, chart, {"x_scale": 0.8, "y_scale": 0.8})
    for col, width in enumerate((32, 16, 62)):
        ws.set_column(col, col, width)


def _data_sheet(book: Book, name: str, data: ReportData, table: Table, lead: str) -> None:
    """Write one long table on its own sheet, its header row frozen."""
    ws = book.sheet(name, table.title, lead, width=max(len(table.xlsx_columns) - 1, 6))
    row = 4
    if data.illustrative:
        row = book.note_row(
            ws, row, book.f._("Données illustratives") + " : " + illustrative_note(book.f)
        )
    header, _end = book.table(ws, row, table, heading=False)
    ws.freeze_panes(header + 1, 3)
    book.widths(ws, table)


def _budget(book: Book, data: ReportData, content: Content) -> None:
    f = book.f
    ws = book.sheet(
        f._("Budget"),
        f._("Budget"),
        f._(
            "Montants validés en MDH ; les montants en attente de validation sont indiqués à part."
        ),
        width=8,
    )
    row = 4
    widest: Table | None = None
    for key in content.budget:
        table = content.tables[key]
        header, end = book.table(ws, row, table)
        if {"envelope", "committed", "disbursed"} <= {c.key for c in table.xlsx_columns}:
            chart = book.bar_chart(
                ws, header, table, ["envelope", "committed", "disbursed"], table.title
            )
            ws.insert_chart(end, 0, chart)
            end += max(14, 3 + 2 * len(table.rows))
        row = end + 1
        widest = (
            table
            if widest is None or len(table.xlsx_columns) > len(widest.xlsx_columns)
            else widest
        )
    series = data.national.overview.series if data.national else data.cti.series  # type: ignore[union-attr]
    pace = Table(
        "pace",
        f._("Engagements et décaissements cumulés (MDH)"),
        (
            Column("date", f._("Fin de mois"), "date", 14),
            Column("committed", f._("Engagé (cumul)"), "mdh", 16),
            Column("disbursed", f._("Décaissé (cumul)"), "mdh", 16),
        ),
        [
            {"date": d, "committed": excel_number(c), "disbursed": excel_number(v)}
            for d, c, v in zip(
                series["date"], series["committed"], series["disbursed"], strict=True
            )
        ],
    )
    header, end = book.table(ws, row, pace)
    if pace.rows:
        chart = book.wb.add_chart({"type": "line"})
        for col, color in ((1, "#56B4E9"), (2, "#0072B2")):
            chart.add_series(
                {
                    "name": [ws.name, header, col],
                    "categories": [ws.name, header + 1, 0, header + len(pace.rows), 0],
                    "values": [ws.name, header + 1, col, header + len(pace.rows), col],
                    "line": {"color": color, "width": 2},
                }
            )
        chart.set_title({"name": pace.title, "name_font": {"size": 11}})
        chart.set_x_axis({"date_axis": True, "num_format": "mm/yyyy"})
        chart.set_y_axis({"num_format": "#,##0"})
        chart.set_legend({"position": "top"})
        chart.set_size({"width": 620, "height": 320})
        ws.insert_chart(header, 4, chart)
    if widest is not None:
        book.widths(ws, widest)


def _sources(book: Book, data: ReportData) -> None:
    f = book.f
    ws = book.sheet(
        f._("Sources"), f._("Filtres, méthode et sources"), period_label(data, f), width=2
    )
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 110)
    row = 4
    ws.write(row, 0, f._("Filtres utilisés"), book.heading)
    for label, value in filters_used(data, f):
        row += 1
        ws.write_string(row, 0, label)
        ws.write_string(row, 1, value)
    row += 2
    ws.write(row, 0, f._("Méthode"), book.heading)
    for line in method_lines(f, data.request.thresholds):
        row += 1
        ws.write_string(row, 1, line, book.wrap)
    row += 2
    if data.illustrative:
        ws.write(row, 0, f._("Données illustratives"), book.heading)
        ws.write_string(row + 1, 1, illustrative_note(f), book.wrap)
        ws.set_row(row + 1, 48)
        row += 3
    ws.write(row, 0, f._("Sources publiques"), book.heading)
    for citation in sorted(set(data.citations.values())):
        row += 1
        ws.write_string(row, 1, citation)
    row += 2
    if data.notes:
        ws.write(row, 0, f._("Là où les sources divergent"), book.heading)
        for note in data.notes:
            row += 1
            ws.write_string(row, 0, note.topic, book.wrap)
            text = f"{note.text}\n" + f._("Retenu : {followed}", followed=note.followed)
            text += "".join("\n" + f._("Source : {citation}", citation=c) for c in note.sources)
            ws.write_string(row, 1, text, book.wrap)
            ws.set_row(row, 15 * (2 + len(note.sources)))


def build_xlsx(data: ReportData, progress: Progress = _ignore) -> bytes:
    """Return the report as an .xlsx workbook."""
    f = Formats(data.request.lang)
    stream = io.BytesIO()
    with speaking(f.lang):
        content = report_content(data, f, fmt="xlsx")
        book = Book(stream, f)
        _summary(book, data, content)
        progress(40, N_("Feuille des indicateurs"))
        _data_sheet(
            book, f._("Indicateurs"), data, content.tables["indicators"], period_label(data, f)
        )
        progress(60, N_("Feuille du budget"))
        _budget(book, data, content)
        progress(75, N_("Historique des valeurs"))
        _data_sheet(
            book,
            f._("Historique"),
            data,
            content.tables["history"],
            f._(
                "Toutes les valeurs saisies jusqu'à la période du rapport (hors versions "
                "remplacées), avec leur état."
            ),
        )
        _sources(book, data)
        book.wb.set_properties(_properties(data, f))
        book.wb.close()
    return stream.getvalue()


def _properties(data: ReportData, f: Formats) -> dict[str, Any]:
    ministry = f._("Ministère de l'Industrie et du Commerce")
    return {
        "title": report_title(data, f),
        "subject": period_label(data, f),
        "author": ministry,
        "company": ministry,
        "comments": f._("Généré par le tableau de bord du plan CTI."),
        "created": datetime.combine(data.today, datetime.min.time()),
    }
