"""The PDF report: an HTML page (Jinja2) laid out for A4 paper by WeasyPrint."""

from __future__ import annotations

import base64
import json
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from dashboard.i18n import N_
from dashboard.services.palette import STATUS_ORDER, status_label
from dashboard.services.reports import digest, indicators
from dashboard.services.reports.content import (
    filters_used,
    illustrative_note,
    method_lines,
    report_content,
    report_title,
)
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.figures import draw, figure_specs
from dashboard.services.reports.language import MISSING, Formats, speaking
from dashboard.services.reports.pdf_widths import ColumnLayout, column_layout
from dashboard.services.reports.summary import kpis, messages, period_label
from dashboard.services.reports.tables import Column, Table

TEMPLATES = Path(__file__).resolve().parent / "templates"
EMBLEM = Path(__file__).resolve().parents[2] / "assets" / "icons" / "emblem.svg"
NUMERIC = {"mdh", "mdh2", "pct", "int", "year", "value", "bare"}
Progress = Callable[[int, str], None]


def _ignore(_percent: int, _step: str) -> None:
    """Report no progress (the command line does not show any)."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _emblem_uri() -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(EMBLEM.read_bytes()).decode("ascii")


def _formatters(f: Formats) -> dict[str, Callable[[Any, dict[str, Any]], str]]:
    """Return how each kind of column is written (``bare``: the unit is in the label)."""
    return {
        "mdh": lambda v, _row: f.mdh(float(v)),
        "mdh2": lambda v, _row: f.mdh(float(v), 2),
        "pct": lambda v, _row: f.pct(float(v)),
        "int": lambda v, _row: f.number(float(v)),
        "year": lambda v, _row: str(int(v)),
        "value": lambda v, row: f.value(float(v), str(row.get("unit") or "")),
        "bare": lambda v, row: f.value(float(v), "%" if row.get("unit") == "%" else ""),
        "date": lambda v, _row: f.date(v),
        "datetime": lambda v, _row: f"{v:%Y-%m-%d %H:%M}",
        "flag": lambda v, _row: f._("oui") if v else f._("non"),
        "status": lambda v, _row: status_label(str(v)),
    }


# Codes ("CETIA-A1-01") are left-to-right words: in an Arabic report, a code broken at its
# hyphen was drawn as "-CETIA" over "A1-01"; its cell is laid out left to right.
CODE_KEYS = frozenset({"code", "acronym"})
# What people typed (a comment in French in an Arabic report): its own direction, from its text.
FREE_TEXT_KEYS = frozenset({"comment"})


def _cell_class(column: Column, row: dict[str, Any] | None = None) -> str:
    """Return the class of a column's cells: numbers aligned to the end, codes left to right.

    Given the row, a comment is laid out in its own direction (its first strong letter).
    """
    if column.kind in NUMERIC:
        return "num"
    if column.key == "period":
        return "period"
    if column.key in CODE_KEYS:
        return "code"
    if column.key in FREE_TEXT_KEYS and row is not None:
        return f"free {_text_direction(str(row.get(column.key) or ''))}"
    return ""


def _column_layout(table: Table, f: Formats, compact: bool) -> ColumnLayout:
    """Return a table's column widths in %, wide enough for its words and unbroken cells."""

    def unbroken(column: Column) -> bool:
        # report.css: numbers and codes stay on one line; periods too, except in Arabic.
        return _cell_class(column) in {"num", "code"} or (
            _cell_class(column) == "period" and f.dir == "ltr"
        )

    return column_layout(
        table, lambda column, row: cell_text(column, row, f), unbroken, compact=compact
    )


def _text_direction(text: str) -> str:
    """Return "rtl" or "ltr" after the first letter with a strong direction ("ltr" if none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def cell_text(column: Column, row: dict[str, Any], f: Formats) -> str:
    """Format one cell of a table for the PDF, by its column's kind."""
    value = row.get(column.key)
    if value is None or value == "":
        return MISSING if column.kind != "text" else ""
    write = _formatters(f).get(column.kind)
    return str(value) if write is None else write(value, row)


def _cover(data: ReportData, f: Formats) -> dict[str, Any]:
    scope = data.scope
    # The plan's title and place are stored in French: the reference terms give the others.
    signed = f._(
        "signée le {day} à {place}",
        day=f.date(scope.signed_on),
        place=f.term(scope.signed_at_place),
    )
    facts = [
        (f._("Plan"), f.term(scope.title)),
        (f._("Convention-cadre"), signed),
        (f._("Enveloppe du plan"), f.mdh(scope.envelope, 0)),
    ]
    if data.national is not None:
        overview = data.national.overview
        subtitle, detail = (
            f._("Situation nationale"),
            f._(
                "{axes} axes stratégiques · {contracts} contrats-objectifs",
                axes=len(overview.axes),
                contracts=overview.contracts_total,
            ),
        )
        facts.append(
            (f._("Périmètre"), f._("Les {n} contrats-objectifs", n=overview.contracts_total))
        )
    else:
        info = data.cti.info  # type: ignore[union-attr]
        subtitle = f"{info.acronym} · {f.term(info.name)}"
        detail = " · ".join(
            f.term(part) for part in (info.sector, info.federation_name or info.federation) if part
        )
        facts.append(
            (
                f._("Contrat-objectifs"),
                f._("signé le {day}", day=f.date(info.signed_on))
                + (f" · {info.signatories}" if info.signatories else ""),
            )
        )
    return {
        "short_title": report_title(data, f),
        "subtitle": subtitle,
        "subtitle_detail": detail,
        "cover_facts": facts,
    }


def render_html(data: ReportData, f: Formats, progress: Progress = _ignore) -> str:
    """Return the report as one HTML document (charts drawn), ready for WeasyPrint."""
    specs = figure_specs(data, f)
    done = [0]

    def step(_key: str) -> None:
        done[0] += 1
        progress(15 + 60 * done[0] // max(len(specs), 1), N_("Dessin des graphiques"))

    charts = draw(specs, step)
    content = report_content(data, f, fmt="pdf")
    national = data.national is not None
    group_names = (
        {
            c.info.acronym: f"{c.info.acronym} · {f.term(c.info.name)}"
            for c in data.national.contracts.contracts
        }
        if data.national is not None
        else {}
    )
    context = {
        "_": f._,
        "lang": f.lang,
        "dir": f.dir,
        "css": _css(f),
        "emblem": _emblem_uri(),
        "today": data.today,
        "scope": data.scope,
        "title": f._("Plan de développement des CTI {code}", code=data.scope.code),
        "period": period_label(data, f),
        "illustrative": data.illustrative,
        "national": national,
        "kpis": kpis(data, f),
        "messages": messages(data, f),
        "status_counts": [(s.value, data.status.get(s, 0)) for s in STATUS_ORDER],
        "status_total": max(sum(data.status.values()), 1),
        "charts": charts,
        "tables": content.tables,
        "budget_tables": content.budget,
        "baseline_tables": content.baseline,
        **_list_texts(data, f, content.summarised),
        "illustrative_note": illustrative_note(f),
        "filters": filters_used(data, f),
        "method": method_lines(f, data.request.thresholds),
        "citations": sorted(set(data.citations.values())),
        "notes": data.notes,
        "fmt": lambda column, row: cell_text(column, row, f),
        "cell_class": _cell_class,
        "column_layout": lambda table, compact: _column_layout(table, f, compact),
        "status_label": status_label,
        "group_label": lambda key: group_names.get(key, key),
        "fmt_date": f.date,
        **_cover(data, f),
    }
    return _environment().get_template("report.html").render(**context)


def _list_texts(data: ReportData, f: Formats, summarised: tuple[str, ...]) -> dict[str, str]:
    """Return the leads of the indicator and values sections, and where a summarised list is."""
    listed = "indicators" not in summarised
    counted = "history" in summarised
    return {
        "indicators_lead": indicators.indicators_lead(data, f)
        if listed
        else digest.indicators_lead(data, f),
        "indicators_note": "" if listed else digest.indicators_note(data, f),
        "history_lead": indicators.history_lead(data, f, counted=counted),
        "history_note": digest.values_note(len(indicators.period_rows(data)), f) if counted else "",
    }


def _css(f: Formats) -> str:
    base = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    label = json.dumps(f._("Page"), ensure_ascii=False)
    counter = f'{label} " " counter(page) " / " counter(pages)'
    return f"{base}\n@page {{ @bottom-right {{ content: {counter}; }} }}\n"


def build_pdf(data: ReportData, progress: Progress = _ignore) -> bytes:
    """Return the report as PDF bytes."""
    f = Formats(data.request.lang)
    with speaking(f.lang):
        html = render_html(data, f, progress)
    progress(80, N_("Mise en page du PDF"))
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
    progress(95, N_("Écriture du fichier"))
    pdf: bytes = document.write_pdf()
    return pdf
