"""The tables of a report, defined once for both formats: raw values plus how to show them.

The PDF formats each cell by its column's kind (French or English typography); the workbook
writes the raw number with an Excel number format of the same kind. Both read the same rows,
so the two files cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.services.axes import AxesView
from dashboard.services.baseline import BaselineView
from dashboard.services.budget_views import BudgetTotals
from dashboard.services.contracts import ContractsView
from dashboard.services.measures import MEAN_ACHIEVEMENT
from dashboard.services.palette import STATUS_ORDER, status_label
from dashboard.services.reports.language import Formats

# Kinds: text, mdh and mdh2 (amounts, 1 or 2 decimals), pct (ratio), int, year, value (in the
# row's unit), bare (in the row's unit, shown without it), status (indicator status code),
# date, datetime, flag (yes/no).
ENTRY_STATES = {
    "draft": "Brouillon",
    "submitted": "Soumise",
    "validated": "Validée",
    "rejected": "Rejetée",
}


@dataclass(frozen=True)
class Column:
    """A column: its key in the rows, header, kind, width, and which formats show it."""

    key: str
    header: str
    kind: str = "text"
    width: float = 12
    pdf: bool = True
    xlsx: bool = True


@dataclass(frozen=True)
class Table:
    """A titled table of raw rows, with an optional total row."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    note: str = ""
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def pdf_columns(self) -> tuple[Column, ...]:
        """Return the columns the PDF shows."""
        return tuple(c for c in self.columns if c.pdf)

    @property
    def xlsx_columns(self) -> tuple[Column, ...]:
        """Return the columns the workbook shows."""
        return tuple(c for c in self.columns if c.xlsx)

    @property
    def pdf_widths(self) -> list[float]:
        """Return the PDF columns' widths in % of the table, in proportion to their widths.

        Fixed widths spare WeasyPrint measuring every cell twice (a third of its time).
        """
        total = sum(c.width for c in self.pdf_columns) or 1.0
        return [round(100 * c.width / total, 2) for c in self.pdf_columns]


def _value(value: Any) -> Any:
    """Return None for a missing value (None, NaN, pandas NA), the value otherwise."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def _plain(column: pd.Series) -> list[Any]:
    """Return a column as plain Python values, None where one is missing."""
    values = column.tolist()  # Python numbers; Timestamps, strings or objects as they are
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iub":
        return values  # NumPy integers and booleans are never missing
    missing = column.isna().tolist()
    if pd.api.types.is_object_dtype(column.dtype):  # may hold NumPy scalars
        return [None if m else _value(v) for v, m in zip(values, missing, strict=True)]
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a frame's rows as dicts of plain values (None for missing ones).

    Column by column rather than cell by cell: a workbook's history has a hundred thousand
    rows at scale, and a check per cell cost seconds.
    """
    keys = [str(k) for k in frame.columns]
    columns = [_plain(frame.iloc[:, i]) for i in range(len(keys))]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def budget_table(
    frame: pd.DataFrame, f: Formats, *, key: str, title: str, first: str, totals: BudgetTotals
) -> Table:
    """Return envelope, committed and disbursed per row, with the totals of the read model."""
    columns = (
        Column("label", first, "text", 38),
        Column("envelope", f._("Enveloppe"), "mdh"),
        Column("scheduled", f._("Programmé à date"), "mdh", pdf=False),
        Column("committed", f._("Engagé"), "mdh"),
        Column("commitment_rate", f._("Taux d'engagement"), "pct", 14),
        Column("disbursed", f._("Décaissé"), "mdh"),
        Column("disbursement_rate", f._("Taux de décaissement"), "pct", 14),
        Column("pending_disbursed", f._("Décaissé en attente"), "mdh", 14),
    )
    execution = totals.execution
    total = {
        "label": f._("Total"),
        "envelope": totals.envelope,
        "scheduled": totals.scheduled,
        "committed": totals.committed,
        "commitment_rate": execution.commitment_rate,
        "disbursed": totals.disbursed,
        "disbursement_rate": execution.disbursement_rate,
        "pending_disbursed": totals.pending_disbursed,
    }
    return Table(key, title, columns, records(frame), total=total)


def status_table(counts: dict[Any, int], f: Formats) -> Table:
    """Return the number of indicators per status, worst first."""
    rows = [{"status": s.value, "count": counts.get(s, 0)} for s in STATUS_ORDER]
    columns = (
        Column("status", f._("Statut"), "status", 18),
        Column("count", f._("Indicateurs"), "int"),
    )
    total = {"status": None, "label": f._("Total"), "count": sum(counts.values())}
    return Table("status", f._("Indicateurs par statut"), columns, rows, total=total)


def status_columns() -> tuple[Column, ...]:
    """Return one count column per status, worst first."""
    return (
        Column("late", status_label("late"), "int", 11),
        Column("watch", status_label("watch"), "int", 11),
        Column("on_track", status_label("on_track"), "int", 11),
        Column("no_data", status_label("no_data"), "int", 11),
    )


def contracts_table(view: ContractsView, f: Formats) -> Table:
    """Return the nine contracts: envelope, execution, achievement and statuses."""
    rows = []
    for summary in view.contracts:
        money, info = summary.budget, summary.info
        rows.append(
            {
                "acronym": info.acronym,
                "name": f.term(info.name),
                "signed_on": info.signed_on,
                "envelope": money.envelope,
                "committed": money.committed,
                "disbursed": money.disbursed,
                "disbursement_rate": money.execution.disbursement_rate,
                "achievement": summary.mean_achievement,
                **{s.value: n for s, n in summary.status.items()},
                "worst": summary.worst_status,
            }
        )
    columns = (
        Column("acronym", f._("CTI"), "text", 11),
        Column("name", f._("Centre technique"), "text", 44, pdf=False),
        Column("signed_on", f._("Signé le"), "date", 14, pdf=False),
        Column("envelope", f._("Enveloppe"), "mdh"),
        Column("committed", f._("Engagé"), "mdh"),
        Column("disbursed", f._("Décaissé"), "mdh"),
        Column("disbursement_rate", f._("Exécution"), "pct"),
        Column("achievement", MEAN_ACHIEVEMENT.name(f.lang), "pct"),
        *status_columns(),
        Column("worst", f._("Statut le plus grave"), "status", 16, pdf=False),
    )
    title = f._("Les contrats-objectifs")
    return Table("contracts", title, columns, rows, note=view.citation)


def axes_table(view: AxesView, f: Formats) -> Table:
    """Return each axis: envelope, execution, mean achievement and statuses."""
    rows = [
        {
            "label": summary.info.label,
            "title": summary.info.title,
            "envelope": summary.budget.envelope,
            "committed": summary.budget.committed,
            "disbursed": summary.budget.disbursed,
            "disbursement_rate": summary.budget.execution.disbursement_rate,
            "achievement": summary.mean_achievement,
            **{s.value: n for s, n in summary.status.items()},
        }
        for summary in view.axes
    ]
    columns = (
        Column("label", f._("Axe"), "text", 38),
        Column("title", f._("Intitulé officiel"), "text", 60, pdf=False),
        Column("envelope", f._("Enveloppe"), "mdh"),
        Column("committed", f._("Engagé"), "mdh", pdf=False),
        Column("disbursed", f._("Décaissé"), "mdh"),
        Column("disbursement_rate", f._("Exécution"), "pct"),
        Column("achievement", MEAN_ACHIEVEMENT.name(f.lang), "pct"),
        *status_columns(),
    )
    return Table("axes", f._("Les cinq axes stratégiques"), columns, rows, note=view.citation)


def envelope_grid_table(
    grid: pd.DataFrame, labels: dict[int, str], years: Sequence[int], f: Formats
) -> Table:
    """Return a contract's envelope by axis and year, with totals."""
    rows: list[dict[str, Any]] = []
    for record in records(grid):
        row: dict[str, Any] = {"label": labels.get(int(record["axis"]), str(record["axis"]))}
        row.update({str(y): record.get(str(y)) for y in years})
        row["total"] = sum(float(row[str(y)] or 0.0) for y in years)
        rows.append(row)
    total: dict[str, Any] = {"label": f._("Total")}
    total.update({str(y): float(grid[y].sum()) if y in grid else 0.0 for y in years})
    total["total"] = sum(float(total[str(y)]) for y in years)
    columns = (
        Column("label", f._("Axe"), "text", 38),
        *(Column(str(y), str(y), "mdh2", 11) for y in years),
        Column("total", f._("Total"), "mdh2", 12),
    )
    title = f._("Enveloppe par axe et par année (MDH)")
    return Table("envelope_grid", title, columns, rows, total=total)


def baseline_tables(view: BaselineView, f: Formats) -> list[Table]:
    """Return the two plans' envelopes and intensities, and the network figures."""
    intensity = Table(
        "intensity",
        f._("Enveloppe et intensité annuelle des deux plans"),
        (
            Column("plan", f._("Plan"), "text", 14),
            Column("envelope", f._("Enveloppe"), "mdh"),
            Column("years", f._("Années"), "int", 8),
            Column("intensity", f._("Intensité prévue (par an)"), "mdh", 14),
            Column("spent", f._("Dépensé"), "mdh", 12),
            Column("actual_years", f._("Années couvertes"), "bare", 10),
            Column("actual_intensity", f._("Intensité réalisée (par an)"), "mdh", 14),
        ),
        records(view.intensity),
        note=" ".join(
            [
                f._(
                    "Intensité prévue : enveloppe divisée par les années du plan (chiffres "
                    "publics : {sources}).",
                    sources=view.baseline.citation + " ; " + view.current.citation,
                ),
                f._(
                    "Intensité réalisée : dépenses divisées par les années couvertes "
                    "(données illustratives)."
                )
                if view.spending_illustrative or view.current.actual_illustrative
                else f._("Intensité réalisée : dépenses divisées par les années couvertes."),
            ]
        ),
    )
    network = records(view.network)
    for row in network:
        index = row.get("latest_index")
        row["change"] = None if index is None else index - 1
    figures = Table(
        "network",
        f._("Indicateurs du réseau : référence, objectif et dernière valeur"),
        (
            Column("label", f._("Indicateur du réseau"), "text", 34),
            Column("unit", f._("Unité"), "text", 12, pdf=False),
            Column("reference", f._("Référence"), "value", 14),
            Column("reference_year", f._("Année"), "year", 8),
            Column("ctis_target", f._("Objectif des contrats"), "value", 16),
            Column("latest", f._("Dernière valeur"), "value", 14),
            Column("change", f._("Évolution depuis la référence"), "pct", 14),
            Column("reference_source", f._("Source"), "text", 50, pdf=False),
        ),
        network,
    )
    return [intensity, figures]
