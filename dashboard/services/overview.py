"""Read model of the overview page: the whole plan at a glance for the year viewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, Status, StatusThresholds
from dashboard.services import aggregates
from dashboard.services.budget_views import (
    BudgetTotals,
    budget_frame_and_series,
    group_budget,
    has_illustrative_money,
    reference_paths,
    totals,
)
from dashboard.services.monitoring import count_statuses, indicator_table
from dashboard.services.scope import PlanScope, load_scope
from dashboard.services.structure import (
    AxisInfo,
    axis_name,
    list_axes,
    list_contracts,
    source_citations,
)


@dataclass(frozen=True)
class OverviewView:
    """The numbers behind the overview page (amounts in MDH)."""

    scope: PlanScope
    plan_citation: str
    axes: list[AxisInfo]
    budget: BudgetTotals
    contracts_signed: int
    contracts_total: int
    last_signed_on: date | None
    status: dict[Status, int]
    by_axis: pd.DataFrame
    by_cti: pd.DataFrame
    series: pd.DataFrame
    paths: pd.DataFrame
    matrix: pd.DataFrame
    late: pd.DataFrame
    money_results: pd.DataFrame
    tolerance: float


def overview_view(
    *,
    engine: Engine,
    today: date,
    year: object = None,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    tolerance: float = 0.15,
) -> OverviewView:
    """Return the overview of the current plan at the end of ``year`` (or to date)."""
    scope = load_scope(engine=engine, today=today, year=year)
    axes = list_axes(engine=engine, plan_id=scope.plan_id)
    labels = {a.number: a.label for a in axes}
    contracts = list_contracts(engine=engine, plan_id=scope.plan_id)
    signed = [
        c.signed_on for c in contracts if c.signed_on is not None and c.signed_on <= scope.cutoff
    ]
    frame = indicator_table(engine=engine, scope=scope, thresholds=thresholds)
    money, series = budget_frame_and_series(engine=engine, scope=scope)
    by_axis = group_budget(money, "axis")
    by_axis["label"] = [labels.get(int(a), axis_name(a)) for a in by_axis["axis"]]
    by_cti = group_budget(money, "acronym").sort_values("envelope", ascending=False)
    by_cti["label"] = by_cti["acronym"]
    return OverviewView(
        scope=scope,
        plan_citation=source_citations(engine=engine).get(scope.source, scope.source),
        axes=axes,
        budget=totals(
            money, illustrative=has_illustrative_money(engine=engine, plan_id=scope.plan_id)
        ),
        contracts_signed=len(signed),
        contracts_total=len(contracts),
        last_signed_on=max(signed) if signed else None,
        status=count_statuses(frame),
        by_axis=by_axis,
        by_cti=by_cti,
        series=series,
        paths=reference_paths(engine=engine, scope=scope, envelope=scope.envelope),
        matrix=aggregates.achievement_matrix(frame, labels),
        late=aggregates.most_late(frame),
        money_results=aggregates.money_results(by_cti, frame, tolerance),
        tolerance=tolerance,
    )
