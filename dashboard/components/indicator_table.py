"""The indicator table shared by the overview, axis and contract pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from dash import html
from markupsafe import Markup

from dashboard.components.exports import create_table_exports
from dashboard.components.indicators import indicator_href, measure_head
from dashboard.components.markup import (
    create_html_block,
    cti_label,
    join,
    stale_badge,
    status_badge,
    table_head,
    tag,
)
from dashboard.i18n import N_, _
from dashboard.services.formatting import fmt_number, fmt_pct, fmt_period, fmt_value
from dashboard.services.freshness_views import StaleMark, row_mark
from dashboard.services.measures import ACHIEVEMENT, TRAJECTORY, Measure
from dashboard.services.reports.grid_export import indicator_export

FULL = ("indicator", "cti", "axis", "baseline", "latest", "target", "achievement", "status")


def _num(value: object) -> float | None:
    """Return a float, or None for a missing value (None or NaN)."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Cells:
    """Cell builders (HTML, components/markup.py): values with their unit, or bare numbers."""

    units: bool
    stale: dict[int, StaleMark] = field(default_factory=dict)

    def value(self, row: Any, value: object) -> str:
        """Format a value of the row's indicator."""
        number = _num(value)
        if self.units:
            return fmt_value(number, row.unit)
        return fmt_value(number, "")

    def indicator(self, row: Any) -> Markup:
        """Show the code (a link to the trajectory) and the label, and the unit if needed."""
        label = row.label if self.units else f"{row.label} · {row.unit}"
        href = indicator_href(row.acronym, row.code)
        return tag("a", row.code, href=href, class_="cti-link") + _sub(label)

    def latest(self, row: Any) -> Markup:
        """Show the latest validated value, its period, and any pending value."""
        parts: list[Any] = [self.value(row, row.latest_value)]
        if _num(row.latest_year) is not None:
            parts.append(_sub(fmt_period(int(row.latest_year), int(row.latest_quarter))))
            mark = row_mark(self.stale, row)
            if mark is not None:
                parts.append(tag("div", stale_badge(mark)))
        if row.pending_count:
            pending = _("{n} en attente", n=int(row.pending_count))
            parts.append(_sub(pending, "cti-pending"))
        return join(parts)

    def projection(self, row: Any) -> Markup:
        """Show the end-of-plan projection, whether it reaches the target, and the pace needed.

        The pace needed is left out once the plan is over (nothing can still be caught up).
        """
        parts: list[Any] = [self.value(row, row.projected_end)]
        if row.reaches_target is not None and not pd.isna(row.reaches_target):
            verdict = _("atteint l'objectif") if row.reaches_target else _("sous l'objectif")
            parts.append(_sub(verdict, "cti-reaches" if row.reaches_target else "cti-misses"))
        needed = _num(row.pace_needed)
        if needed is not None and not row.reaches_target:
            parts.append(_sub(_("il faudrait {value} par an", value=self.value(row, needed))))
        return join(parts)

    def pace(self, row: Any) -> Markup:
        """Show the current yearly pace and the pace needed to reach the target."""
        current, needed = _num(row.pace_current), _num(row.pace_needed)
        head = fmt_number(None) if current is None else self.value(row, current)
        if needed is None:
            return join([head])
        return join([head, _sub(_("nécessaire : {value}", value=self.value(row, needed)))])


def _sub(text: str, tone: str = "") -> Markup:
    """Return a secondary line of a cell (a period, a label, a verdict)."""
    return tag("div", text, class_=f"cti-sub {tone}".strip())


Column = tuple[str, bool, Callable[[Any], Any]]


def _columns(cells: Cells) -> dict[str, Column]:
    """Return each column key's header (a French message id), alignment and cell builder."""
    return {
        "indicator": (N_("Indicateur"), False, cells.indicator),
        "cti": (N_("CTI"), False, lambda r: cti_label(r.acronym, f"/ctis/{r.acronym}")),
        "axis": (N_("Axe"), False, lambda r: str(r.axis)),
        "baseline": (N_("Référence"), True, lambda r: cells.value(r, r.baseline)),
        "latest": (N_("Dernière valeur validée"), True, cells.latest),
        "expected": (N_("Attendu à cette date"), True, lambda r: cells.value(r, r.expected)),
        "target": (N_("Objectif de l'année"), True, lambda r: cells.value(r, r.target_year)),
        "achievement": (ACHIEVEMENT.name_id, True, lambda r: fmt_pct(_num(r.achievement))),
        "pace": (TRAJECTORY.name_id, True, lambda r: fmt_pct(_num(r.pace_ratio))),
        "status": (N_("Statut"), False, lambda r: status_badge(r.status)),
        "projection": (N_("Projection fin de plan"), True, cells.projection),
        "pace_current": (N_("Rythme actuel (par an)"), True, cells.pace),
    }


# Columns showing a measure: their header carries its definition (hover and focus).
MEASURE_COLUMNS: dict[str, Measure] = {"achievement": ACHIEVEMENT, "pace": TRAJECTORY}


def _column(key: str, cells: Cells) -> Column:
    """Return a column, including the yearly target columns named target_<year>."""
    year = key.removeprefix("target_")
    if key.startswith("target_") and year.isdigit():
        return (year, True, lambda r: cells.value(r, getattr(r, key)))
    header, numeric, cell = _columns(cells)[key]
    measure = MEASURE_COLUMNS.get(key)
    return (measure_head(measure) if measure else _(header), numeric, cell)


def _header(columns: Sequence[str], specs: list[Column]) -> Markup:
    """Build the header; yearly target columns sit under one "Objectifs annuels" heading."""
    align = {True: "cti-th cti-num", False: "cti-th"}
    targets = [i for i, key in enumerate(columns) if key.startswith("target_")]
    if not targets:
        return table_head([(h, n) for h, n, _c in specs])
    top: list[Any] = []
    for index, (header, numeric, _cell) in enumerate(specs):
        if index == targets[0]:
            label = _("Objectifs annuels")
            group = "cti-th cti-group-head"
            top.append(tag("th", label, colspan=len(targets), class_=group, scope="colgroup"))
        elif index not in targets:
            top.append(tag("th", header, rowspan=2, class_=align[numeric], scope="col"))
    second = [tag("th", specs[i][0], class_="cti-th cti-num", scope="col") for i in targets]
    return tag("thead", tag("tr", join(top)) + tag("tr", join(second)))


def create_indicator_table(
    frame: pd.DataFrame,
    *,
    table_id: str,
    columns: Sequence[str] = FULL,
    units: bool = True,
    stale: dict[int, StaleMark] | None = None,
) -> Any:
    """Build a table of indicators (one row each, linked) with the chosen columns.

    "achievement" and "pace" are the measures of ``services/measures.py`` (« Réalisation de
    l'objectif de l'année », « Respect de la trajectoire »: the basis of the status), each
    header with its definition. With ``units=False`` the values are bare numbers
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

    The table is one block of HTML (components/markup.py), styled as Mantine's tables
    (assets/cti.css ``cti-html-table``): a page of 50 indicators was some 1,000 components for
    React to draw, 0.6 s at scale 100.
    """
    cells = Cells(units, stale or {})
    specs = [_column(key, cells) for key in columns]
    cell_specs = [
        (_cell_class(key, numeric), cell)
        for key, (_h, numeric, cell) in zip(columns, specs, strict=True)
    ]
    rows = [
        tag("tr", join([tag("td", cell(row), class_=c) for c, cell in cell_specs]))
        for row in frame.itertuples()
    ]
    if not rows:
        empty = tag("td", _("Aucun indicateur pour cette sélection."), colspan=len(specs))
        rows = [tag("tr", empty, class_="cti-empty-row")]
    table = tag(
        "table",
        _header(columns, specs) + tag("tbody", join(rows), class_="cti-rows"),
        id=table_id,
        class_="cti-table cti-html-table",
    )
    return create_html_block(tag("div", table, class_="cti-table-scroll"))


def _cell_class(key: str, numeric: bool) -> str | None:
    if key == "indicator":
        return "cti-indicator-cell"
    return "cti-num" if numeric else None
