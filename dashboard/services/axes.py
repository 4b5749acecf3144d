"""Read models of the axes pages: every axis, and one axis across the CTIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, Status, StatusThresholds
from dashboard.services import aggregates
from dashboard.services.budget_views import (
    BudgetTotals,
    budget_frame,
    group_budget,
    has_illustrative_money,
    totals,
)
from dashboard.services.monitoring import count_statuses, indicator_table
from dashboard.services.scope import PlanScope, load_scope
from dashboard.services.structure import AxisInfo, axis_name, list_axes, source_citations


@dataclass(frozen=True)
class AxisSummary:
    """One axis: its budget (MDH) and where its indicators stand."""

    info: AxisInfo
    budget: BudgetTotals
    status: dict[Status, int]
    mean_achievement: float | None


@dataclass(frozen=True)
class AxesView:
    """The numbers behind /axes."""

    scope: PlanScope
    axes: list[AxisSummary]
    by_axis: pd.DataFrame
    spread: pd.DataFrame
    citation: str
    illustrative: bool


@dataclass(frozen=True)
class AxisView:
    """The numbers behind /axes/<n>, with the CTI and status filters applied to the table."""

    scope: PlanScope
    summary: AxisSummary
    by_cti: pd.DataFrame
    spread: pd.DataFrame
    status_by_cti: pd.DataFrame
    indicators: pd.DataFrame
    ctis: list[str]
    citation: str
    illustrative: bool


def _summary(
    info: AxisInfo, money: pd.DataFrame, frame: pd.DataFrame, illustrative: bool
) -> AxisSummary:
    return AxisSummary(
        info=info,
        budget=totals(money, illustrative=illustrative),
        status=count_statuses(frame),
        mean_achievement=aggregates.overall_achievement(frame),
    )


def spread_frame(frame: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """Return the columns the spread chart needs, with ``group`` as its rows."""
    columns = ["code", "label", "acronym", "achievement", "status"]
    return frame[columns].assign(group=list(group)).reset_index(drop=True)


def axes_view(
    *,
    engine: Engine,
    today: date,
    year: object = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> AxesView:
    """Return every axis of the current plan with its budget and indicators."""
    scope = load_scope(engine=engine, today=today, year=year)
    infos = list_axes(engine=engine, plan_id=scope.plan_id)
    table = indicator_table(engine=engine, scope=scope, thresholds=thresholds)
    money = budget_frame(engine=engine, scope=scope)
    illustrative = has_illustrative_money(engine=engine, plan_id=scope.plan_id)
    summaries = [
        _summary(
            info,
            money[money["axis"] == info.number],
            table[table["axis"] == info.number],
            illustrative,
        )
        for info in infos
    ]
    by_axis = group_budget(money, "axis")
    labels = {a.number: a.label for a in infos}
    by_axis["label"] = [labels.get(int(a), axis_name(a)) for a in by_axis["axis"]]
    frame = table.sort_values(["axis", "acronym", "code"])
    names = {a: axis_name(a) for a in frame["axis"].unique()}  # one label per axis, not per row
    return AxesView(
        scope=scope,
        axes=summaries,
        by_axis=by_axis,
        spread=spread_frame(frame, frame["axis"].map(names)),
        citation=_axis_citation(engine, infos),
        illustrative=illustrative,
    )


def _axis_citation(engine: Engine, infos: list[AxisInfo]) -> str:
    keys = {info.source for info in infos if info.source}
    citations = source_citations(engine=engine)
    return "; ".join(citations.get(key, key) for key in sorted(keys))


def axis_view(
    *,
    engine: Engine,
    today: date,
    number: object,
    year: object = None,
    cti: str | None = None,
    status: str | None = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> AxisView | None:
    """Return one axis across the CTIs, or None when the plan has no such axis."""
    scope = load_scope(engine=engine, today=today, year=year)
    infos = {a.number: a for a in list_axes(engine=engine, plan_id=scope.plan_id)}
    try:
        info = infos[int(str(number))]
    except (KeyError, ValueError):
        return None
    frame = indicator_table(engine=engine, scope=scope, thresholds=thresholds, axis=info.number)
    money = budget_frame(engine=engine, scope=scope)
    money = money[money["axis"] == info.number]
    illustrative = has_illustrative_money(engine=engine, plan_id=scope.plan_id)
    ctis = sorted(set(money["acronym"]) | set(frame["acronym"]))
    by_cti = group_budget(money, "acronym").sort_values("envelope", ascending=False)
    by_cti["label"] = by_cti["acronym"]
    shown = frame
    if cti in ctis:
        shown = shown[shown["acronym"] == cti]
    if status in {s.value for s in Status}:
        shown = shown[shown["status"] == status]
    return AxisView(
        scope=scope,
        summary=_summary(info, money, frame, illustrative),
        by_cti=by_cti.reset_index(drop=True),
        spread=spread_frame(frame, frame["acronym"]),
        status_by_cti=aggregates.status_pivot(frame, "acronym", ctis).rename(
            columns={"acronym": "label"}
        ),
        indicators=shown.sort_values(["acronym", "code"]).reset_index(drop=True),
        ctis=ctis,
        citation=_axis_citation(engine, [info]),
        illustrative=illustrative,
    )
