"""The indicator table shared by the overview, axis and contract pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dash_mantine_components as dmc
import pandas as pd
from dash import html

from dashboard.components.blocks import create_status_badge
from dashboard.components.exports import create_table_exports
from dashboard.components.freshness import create_stale_badge
from dashboard.components.indicators import create_cti_label, indicator_href
from dashboard.i18n import N_, _
from dashboard.services.formatting import fmt_number, fmt_pct, fmt_period, fmt_value
from dashboard.services.freshness_views import StaleMark, row_mark
from dashboard.services.reports.grid_export import indicator_export

FULL = ("indicator", "cti", "axis", "baseline", "latest", "target", "achievement", "status")


def _num(value: object) -> float | None:
    """Return a float, or None for a missing value (None or NaN)."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Cells:
    """Cell builders for one table: values with their unit, or bare (unit under the label)."""

    units: bool
    stale: dict[int, StaleMark] = field(default_factory=dict)

    def value(self, row: Any, value: object) -> str:
        """Format a value of the row's indicator."""
        number = _num(value)
        if self.units:
            return fmt_value(number, row.unit)
        return fmt_value(number, "")

    def indicator(self, row: Any) -> Any:
        """Show the code (a link to the trajectory) and the label, and the unit if needed."""
        label = row.label if self.units else f"{row.label} · {row.unit}"
        return html.Div(
            [
                html.A(row.code, href=indicator_href(row.acronym, row.code), className="cti-link"),
                html.Div(label, className="cti-sub"),
            ],
            className="cti-indicator-cell",
        )

    def latest(self, row: Any) -> Any:
        """Show the latest validated value, its period, and any pending value."""
        children: list[Any] = [self.value(row, row.latest_value)]
        if _num(row.latest_year) is not None:
            period = fmt_period(int(row.latest_year), int(row.latest_quarter))
            children.append(html.Div(period, className="cti-sub"))
            mark = row_mark(self.stale, row)
            if mark is not None:
                children.append(create_stale_badge(mark))
        if row.pending_count:
            pending = _("{n} en attente", n=int(row.pending_count))
            children.append(html.Div(pending, className="cti-sub cti-pending"))
        return html.Div(children)

    def projection(self, row: Any) -> Any:
        """Show the end-of-plan projection, whether it reaches the target, and the pace needed.

        The pace needed is left out once the plan is over (nothing can still be caught up).
        """
        children: list[Any] = [self.value(row, row.projected_end)]
        if row.reaches_target is not None and not pd.isna(row.reaches_target):
            verdict = _("atteint l'objectif") if row.reaches_target else _("sous l'objectif")
            tone = "cti-reaches" if row.reaches_target else "cti-misses"
            children.append(html.Div(verdict, className=f"cti-sub {tone}"))
        needed = _num(row.pace_needed)
        if needed is not None and not row.reaches_target:
            pace = _("il faudrait {value} par an", value=self.value(row, needed))
            children.append(html.Div(pace, className="cti-sub"))
        return html.Div(children)

    def pace(self, row: Any) -> Any:
        """Show the current yearly pace and the pace needed to reach the target."""
        current, needed = _num(row.pace_current), _num(row.pace_needed)
        head = fmt_number(None) if current is None else self.value(row, current)
        if needed is None:
            return head
        more = _("nécessaire : {value}", value=self.value(row, needed))
        return html.Div([head, html.Div(more, className="cti-sub")])


Column = tuple[str, bool, Callable[[Any], Any]]


def _columns(cells: Cells) -> dict[str, Column]:
    """Return each column key's header (a French message id), alignment and cell builder."""
    return {
        "indicator": (N_("Indicateur"), False, cells.indicator),
        "cti": (N_("CTI"), False, lambda r: create_cti_label(r.acronym, f"/ctis/{r.acronym}")),
        "axis": (N_("Axe"), False, lambda r: str(r.axis)),
        "baseline": (N_("Référence"), True, lambda r: cells.value(r, r.baseline)),
        "latest": (N_("Dernière valeur validée"), True, cells.latest),
        "expected": (N_("Attendu à cette date"), True, lambda r: cells.value(r, r.expected)),
        "target": (N_("Objectif de l'année"), True, lambda r: cells.value(r, r.target_year)),
        "achievement": (N_("Réalisation"), True, lambda r: fmt_pct(_num(r.achievement))),
        "pace": (N_("Progrès / attendu"), True, lambda r: fmt_pct(_num(r.pace_ratio))),
        "status": (N_("Statut"), False, lambda r: create_status_badge(r.status)),
        "projection": (N_("Projection fin de plan"), True, cells.projection),
        "pace_current": (N_("Rythme actuel (par an)"), True, cells.pace),
    }


def _column(key: str, cells: Cells) -> Column:
    """Return a column, including the yearly target columns named target_<year>."""
    year = key.removeprefix("target_")
    if key.startswith("target_") and year.isdigit():
        return (year, True, lambda r: cells.value(r, getattr(r, key)))
    header, numeric, cell = _columns(cells)[key]
    return (_(header), numeric, cell)


def _header(columns: Sequence[str], specs: list[Column]) -> Any:
    """Build the header; yearly target columns sit under one "Objectifs annuels" heading.

    Plain HTML cells: Mantine's table cells take neither colSpan nor rowSpan.
    """
    align = {True: "cti-num", False: ""}
    targets = [i for i, key in enumerate(columns) if key.startswith("target_")]
    if not targets:
        cells = [dmc.TableTh(h, className=align[n]) for h, n, _c in specs]
        return dmc.TableThead(dmc.TableTr(cells))
    top: list[Any] = []
    for index, (header, numeric, _cell) in enumerate(specs):
        if index == targets[0]:
            label = _("Objectifs annuels")
            top.append(html.Th(label, colSpan=len(targets), className="cti-th cti-group-head"))
        elif index not in targets:
            top.append(html.Th(header, rowSpan=2, className=f"cti-th {align[numeric]}"))
    second = [html.Th(specs[i][0], className="cti-th cti-num") for i in targets]
    return html.Thead([html.Tr(top), html.Tr(second)])


def create_indicator_table(
    frame: pd.DataFrame,
    *,
    table_id: str,
    columns: Sequence[str] = FULL,
    units: bool = True,
    stale: dict[int, StaleMark] | None = None,
) -> Any:
    """Build a table of indicators (one row each, linked) with the chosen columns.

    "pace" is the progress made against the progress the trajectory expected when the value
    was measured: the basis of the status. With ``units=False`` the values are bare numbers
    and the unit is given once, beside the label: narrower, for tables with many columns.
    ``stale`` (from ``freshness_views.stale_marks``) marks the latest values that are stale.
    """
    table = create_indicator_rows(
        frame, table_id=table_id, columns=columns, units=units, stale=stale
    )
    # CSV and Excel of the rows shown (the page's filters are already applied to ``frame``).
    fields, records = indicator_export(frame, columns)
    return html.Div(
        [create_table_exports(table_id, fields, records, table_id), table],
        className="cti-grid-block",
    )


def create_indicator_rows(
    frame: pd.DataFrame,
    *,
    table_id: str,
    columns: Sequence[str] = FULL,
    units: bool = True,
    stale: dict[int, StaleMark] | None = None,
) -> Any:
    """Build the table itself: one row per indicator of ``frame`` (see create_indicator_table).

    Rows and cells are plain HTML styled as Mantine's (assets/cti.css ``cti-rows``): a page
    of 50 indicators was some 400 Mantine components for React to draw before the charts.
    """
    cells = Cells(units, stale or {})
    specs = [_column(key, cells) for key in columns]
    align = {True: "cti-num", False: ""}
    rows = [
        html.Tr([html.Td(cell(row), className=align[numeric]) for _h, numeric, cell in specs])
        for row in frame.itertuples()
    ]
    if not rows:
        empty = html.Td(_("Aucun indicateur pour cette sélection."), colSpan=len(specs))
        rows = [html.Tr(empty, className="cti-empty-row")]
    return dmc.TableScrollContainer(
        dmc.Table(
            [_header(columns, specs), html.Tbody(rows, className="cti-rows")],
            striped=True,
            highlightOnHover=True,
            withTableBorder=True,
            verticalSpacing=6,
            fz="sm",
            id=table_id,
            className="cti-table",
        ),
        minWidth=720,
    )
