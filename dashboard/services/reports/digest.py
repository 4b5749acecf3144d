"""Long lists on paper: above a size, the PDF summarises a list that the workbook keeps whole.

A meeting report lists every indicator of the demo plan (84, about four pages) and every value
a CTI declared for the period (under fifty). At a hundred times that, a list of thousands of
rows is unreadable and takes WeasyPrint minutes to lay out: the PDF then counts the rows by
status, shows the ones furthest behind, and points to the Excel report of the same scope.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from dashboard.domain.indicators import Status
from dashboard.services import aggregates
from dashboard.services.palette import STATUS_ORDER
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.indicators import late_table
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import ENTRY_STATES, Column, Table, status_columns

# Rows a PDF table lists at most; a longer list is summarised. The demo's national list (84
# indicators, grouped by CTI) stays whole, as does every CTI's: the PDF keeps their detail.
PDF_ROW_LIMIT = 120
# Indicators furthest behind shown in place of a list too long for paper.
LATE_ROWS = 20


def too_long(rows: int) -> bool:
    """Tell whether a list of ``rows`` rows is summarised in the PDF."""
    return rows > PDF_ROW_LIMIT


def axis_labels(data: ReportData) -> dict[int, str]:
    """Return the label of each axis of a CTI's report ("Axe 1 · ...")."""
    assert data.cti is not None
    return {a.number: a.label for a in data.cti.axes}


def _grouped(
    frame: pd.DataFrame, by: str, keys: list[str], field: str
) -> list[tuple[Any, dict[str, int]]]:
    """Count the rows of each group by the value of ``field``: one dict of counts per group."""
    found: dict[Any, dict[Any, Any]] = (
        pd.crosstab(frame[by], frame[field]).to_dict(orient="index") if len(frame) else {}
    )
    return [(group, {k: int(found[group].get(k, 0)) for k in keys}) for group in sorted(found)]


def _total(rows: list[dict[str, Any]], keys: list[str], f: Formats) -> dict[str, Any]:
    return {"label": f._("Total"), **{k: sum(int(r[k]) for r in rows) for k in (*keys, "total")}}


def status_counts_table(data: ReportData, f: Formats) -> Table:
    """Return the number of indicators per status, per CTI (national) or per axis (a CTI)."""
    national = data.national is not None
    keys = [s.value for s in STATUS_ORDER]
    by = "acronym" if national else "axis"
    labels = {} if national else axis_labels(data)
    rows = [
        {"label": labels.get(int(group), str(group)) if labels else str(group)}
        | counts
        | {"total": sum(counts.values())}
        for group, counts in _grouped(data.indicators, by, keys, "status")
    ]
    columns = (
        Column("label", f._("CTI") if national else f._("Axe"), "text", 16 if national else 44),
        *status_columns(),
        Column("total", f._("Total"), "int", 10),
    )
    title = (
        f._("Indicateurs par statut et par CTI")
        if national
        else f._("Indicateurs par statut et par axe")
    )
    return Table("indicator_counts", title, columns, rows, total=_total(rows, keys, f))


def most_late_table(data: ReportData, f: Formats) -> Table:
    """Return the ``LATE_ROWS`` indicators furthest behind their trajectory, worst first."""
    behind = aggregates.most_late(data.indicators, limit=LATE_ROWS)
    table = late_table(behind, f, national=data.national is not None)
    # Codes grow with the numbering of a large plan ("CETEMCO-A5-01-S10"), and "À surveiller"
    # is wider than "En retard": they get room to keep to one line, taken from the label.
    widths = {"acronym": 11, "code": 23, "label": 37, "latest_value": 15, "period": 12}
    widths |= {"expected": 15, "status": 17}
    columns = tuple(replace(c, width=widths.get(c.key, c.width)) for c in table.columns)
    title = f.ngettext(
        "L'indicateur le plus en retard",
        "Les {n} indicateurs les plus en retard",
        len(table.rows),
        n=f.number(len(table.rows)),
    )
    return Table("indicator_late", title, columns, table.rows)


def _glued(text: str) -> str:
    """Tie guillemets to the words they quote, so that no line ends with an opening one."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def indicators_note(data: ReportData, f: Formats) -> str:
    """Say where the full list of indicators is."""
    return _glued(
        f._(
            "La liste complète des {n} indicateurs, avec leurs objectifs et leurs dernières "
            "valeurs, figure dans le rapport Excel de même périmètre (feuille « {sheet} »).",
            n=f.number(len(data.indicators)),
            sheet=f._("Indicateurs"),
        )
    )


def indicators_lead(data: ReportData, f: Formats) -> str:
    """Say what the summary of the indicators shows."""
    late = int((data.indicators["status"] == Status.LATE.value).sum())
    if data.national is not None:
        return f._(
            "{n} indicateurs suivis, dont {late} en retard : nombre d'indicateurs par statut "
            "pour chaque CTI, au regard de la trajectoire attendue, puis ceux qui sont le plus "
            "en retard.",
            n=f.number(len(data.indicators)),
            late=f.number(late),
        )
    return f._(
        "{n} indicateurs suivis, dont {late} en retard : nombre d'indicateurs par statut pour "
        "chaque axe, au regard de la trajectoire attendue, puis ceux qui sont le plus en retard.",
        n=f.number(len(data.indicators)),
        late=f.number(late),
    )


def values_counts_table(rows: pd.DataFrame, data: ReportData, f: Formats) -> Table:
    """Return a CTI's values declared for the period, counted per axis and per state."""
    keys = list(ENTRY_STATES)
    labels = axis_labels(data)
    counts = [
        {"label": labels.get(int(axis), str(axis))} | found | {"total": sum(found.values())}
        for axis, found in _grouped(rows, "axis", keys, "status")
    ]
    order = ("validated", "submitted", "draft", "rejected")
    columns = (
        Column("label", f._("Axe"), "text", 44),
        *(Column(key, f._(ENTRY_STATES[key]), "int", 11) for key in order),
        Column("total", f._("Total"), "int", 10),
    )
    return Table(
        "history_pdf", f._("Valeurs déclarées"), columns, counts, total=_total(counts, keys, f)
    )


def values_note(rows: int, f: Formats) -> str:
    """Say where each of the values declared is listed."""
    return _glued(
        f._(
            "Le détail des {n} valeurs déclarées, une par ligne, figure dans le rapport Excel de "
            "même périmètre (feuille « {sheet} »).",
            n=f.number(rows),
            sheet=f._("Historique"),
        )
    )
