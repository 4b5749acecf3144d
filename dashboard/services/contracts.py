"""Read models of the contract pages: the nine contracts, and one CTI's contract in detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain.budget import linear_path
from dashboard.domain.indicators import DEFAULT_THRESHOLDS, Status, StatusThresholds
from dashboard.services import aggregates
from dashboard.services.budget_views import (
    BudgetTotals,
    budget_frame,
    budget_frame_and_series,
    envelope_grid,
    group_budget,
    has_illustrative_money,
    totals,
)
from dashboard.services.monitoring import (
    IndicatorRow,
    count_statuses,
    indicator_choices,
    indicator_rows,
    indicator_rows_and_table,
    indicator_table,
)
from dashboard.services.scope import PlanScope, load_scope
from dashboard.services.structure import (
    AxisInfo,
    ContractInfo,
    axis_name,
    get_contract,
    list_axes,
    list_contracts,
    source_citations,
)
from dashboard.services.trajectory import TrajectoryView, trajectory_view


@dataclass(frozen=True)
class ContractSummary:
    """One contract in the list: envelope and execution (MDH), results, statuses."""

    info: ContractInfo
    budget: BudgetTotals
    status: dict[Status, int]
    mean_achievement: float | None
    worst_status: str


@dataclass(frozen=True)
class ContractsView:
    """The numbers behind /ctis."""

    scope: PlanScope
    contracts: list[ContractSummary]
    shown: list[ContractSummary]
    status_by_cti: pd.DataFrame
    by_cti: pd.DataFrame
    citation: str
    illustrative: bool


@dataclass(frozen=True)
class CtiView:
    """The numbers behind /ctis/<ACRONYM> (amounts in MDH)."""

    scope: PlanScope
    info: ContractInfo
    axes: list[AxisInfo]
    budget: BudgetTotals
    by_axis: pd.DataFrame
    grid: pd.DataFrame
    series: pd.DataFrame
    paths: pd.DataFrame
    rows: list[IndicatorRow]
    indicators: pd.DataFrame
    status: dict[Status, int]
    mean_achievement: float | None
    trajectory: TrajectoryView | None
    citations: dict[str, str]
    illustrative: bool


def contracts_view(
    *,
    engine: Engine,
    today: date,
    year: object = None,
    status: object = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> ContractsView:
    """Return the contracts of the current plan with their execution and results.

    ``shown`` keeps the contracts with at least one indicator in ``status`` (all without it).
    """
    scope = load_scope(engine=engine, today=today, year=year)
    infos = list_contracts(engine=engine, plan_id=scope.plan_id)
    frame = indicator_table(engine=engine, scope=scope, thresholds=thresholds)
    money = budget_frame(engine=engine, scope=scope)
    illustrative = has_illustrative_money(engine=engine, plan_id=scope.plan_id)
    by_acronym = dict(list(frame.groupby("acronym", sort=False)))
    summaries = []
    for info in infos:
        own = by_acronym.get(info.acronym, frame.iloc[0:0])
        summaries.append(
            ContractSummary(
                info=info,
                budget=totals(money[money["acronym"] == info.acronym], illustrative=illustrative),
                status=count_statuses(own),
                mean_achievement=aggregates.overall_achievement(own),
                worst_status=aggregates.worst_status(own["status"]),
            )
        )
    acronyms = [info.acronym for info in infos]
    pivot = aggregates.status_pivot(frame, "acronym", acronyms).rename(columns={"acronym": "label"})
    citations = source_citations(engine=engine)
    keys = sorted({info.source for info in infos if info.source})
    by_cti = group_budget(money, "acronym").sort_values("envelope", ascending=False)
    by_cti["label"] = by_cti["acronym"]
    return ContractsView(
        scope=scope,
        contracts=summaries,
        shown=[c for c in summaries if c.status[Status(status)] > 0]
        if status in {s.value for s in Status}
        else summaries,
        status_by_cti=pivot,
        by_cti=by_cti.reset_index(drop=True),
        citation="; ".join(citations.get(k, k) for k in keys),
        illustrative=illustrative,
    )


def cti_paths(scope: PlanScope, envelope: float) -> pd.DataFrame:
    """Return the steady pace of a CTI's envelope at the ends of the plan's years (MDH)."""
    ends = [scope.first_year, *[y + 1 for y in scope.years]]
    return pd.DataFrame(
        {
            "date": [date(y, 1, 1) for y in ends],
            "linear": [linear_path(envelope, scope.first_year, scope.last_year, y) for y in ends],
        }
    )


def cti_view(
    *,
    engine: Engine,
    today: date,
    acronym: str,
    year: object = None,
    indicator: object = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> CtiView | None:
    """Return one CTI's contract in detail, or None when no contract has this acronym.

    The trajectory is that of ``indicator`` (a code), or of the indicator furthest behind.
    """
    scope = load_scope(engine=engine, today=today, year=year)
    info = get_contract(engine=engine, plan_id=scope.plan_id, acronym=acronym)
    if info is None:
        return None
    axes = list_axes(engine=engine, plan_id=scope.plan_id)
    labels = {a.number: a.label for a in axes}
    rows, frame = indicator_rows_and_table(
        engine=engine, scope=scope, thresholds=thresholds, acronym=info.acronym
    )
    money, series = budget_frame_and_series(engine=engine, scope=scope, acronym=info.acronym)
    by_axis = group_budget(money, "axis")
    by_axis["label"] = [labels.get(int(a), axis_name(a)) for a in by_axis["axis"]]
    budget = totals(
        money, illustrative=has_illustrative_money(engine=engine, plan_id=scope.plan_id)
    )
    selected = pick_indicator(rows, indicator)
    return CtiView(
        scope=scope,
        info=info,
        axes=axes,
        budget=budget,
        by_axis=by_axis,
        grid=envelope_grid(engine=engine, scope=scope, acronym=info.acronym),
        series=series,
        paths=cti_paths(scope, budget.envelope),
        rows=rows,
        indicators=frame,
        status=count_statuses(frame),
        mean_achievement=aggregates.overall_achievement(frame),
        trajectory=None
        if selected is None
        else trajectory_view(engine=engine, scope=scope, row=selected),
        citations=source_citations(engine=engine),
        illustrative=budget.illustrative,
    )


def pick_indicator(rows: list[IndicatorRow], code: object) -> IndicatorRow | None:
    """Return the indicator with this code, else the one furthest behind, else the first."""
    by_code = {row.code: row for row in rows}
    if isinstance(code, str) and code in by_code:
        return by_code[code]
    if not rows:
        return None
    severity = aggregates.SEVERITY
    return min(
        rows, key=lambda r: (severity[r.status], r.pace_ratio if r.pace_ratio is not None else 9.0)
    )


def indicator_trajectory(
    *,
    engine: Engine,
    today: date,
    acronym: str,
    code: object,
    year: object = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> TrajectoryView | None:
    """Return the trajectory of one indicator of a CTI (the default one if code is unknown)."""
    scope = load_scope(engine=engine, today=today, year=year)
    rows = indicator_rows(
        engine=engine, scope=scope, thresholds=thresholds, acronym=acronym.strip().upper()
    )
    row = pick_indicator(rows, code)
    return None if row is None else trajectory_view(engine=engine, scope=scope, row=row)


def contract_indicator_choices(
    *, engine: Engine, today: date, acronym: str, year: object = None
) -> list[tuple[str, str]]:
    """Return the code and label of each indicator of a CTI's contract, as its page lists them."""
    scope = load_scope(engine=engine, today=today, year=year)
    return indicator_choices(engine=engine, scope=scope, acronym=acronym.strip().upper())
