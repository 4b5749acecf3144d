"""What a report shows, taken from the very read models the pages use (same numbers, same rules).

The national report reads the overview, axes, contracts and baseline read models; a CTI's report
reads its contract page's read model. Only the progress history is queried here: no page lists
every value of every indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import col

from dashboard.db.models import Axis, Contract, Cti, Indicator, ProgressUpdate, User
from dashboard.domain.indicators import Status
from dashboard.i18n import translate
from dashboard.services import aggregates
from dashboard.services.axes import AxesView, axes_view
from dashboard.services.baseline import BaselineView, baseline_view
from dashboard.services.budget_views import BudgetTotals
from dashboard.services.contracts import ContractsView, CtiView, contracts_view, cti_view
from dashboard.services.errors import NotFoundError
from dashboard.services.monitoring import IndicatorRow, indicator_table
from dashboard.services.overview import OverviewView, overview_view
from dashboard.services.reports.request import ReportRequest
from dashboard.services.scope import PlanScope
from dashboard.services.structure import NoteInfo, source_citations, source_notes
from dashboard.services.trajectory import TrajectoryView, trajectory_view

# Trajectory charts in a CTI's report: the indicators furthest behind, at most this many.
TRAJECTORIES = 3
HISTORY_COLUMNS = [
    "acronym",
    "axis",
    "code",
    "label",
    "unit",
    "year",
    "quarter",
    "value",
    "status",
    "comment",
    "entered_by",
    "entered_at",
    "reviewed_by",
    "reviewed_at",
    "origin",
]


@dataclass(frozen=True)
class NationalData:
    """The read models of the national pages."""

    overview: OverviewView
    axes: AxesView
    contracts: ContractsView
    baseline: BaselineView | None


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows; ``national`` or ``cti`` is set, never both."""

    request: ReportRequest
    today: date
    scope: PlanScope
    budget: BudgetTotals
    status: dict[Status, int]
    indicators: pd.DataFrame
    late: pd.DataFrame
    history: pd.DataFrame  # a PDF's: the values of its period only (it shows no others)
    citations: dict[str, str]
    notes: list[NoteInfo]
    illustrative: bool
    national: NationalData | None = None
    cti: CtiView | None = None
    trajectories: tuple[TrajectoryView, ...] = ()

    @property
    def plan_citation(self) -> str:
        """Return the citation of the plan's public source."""
        return self.citations.get(self.scope.source, self.scope.source)


def progress_history(
    *,
    engine: Engine,
    scope: PlanScope,
    acronym: str | None = None,
    quarter: int = 0,
    period_only: bool = False,
) -> pd.DataFrame:
    """Return the current version of every value entered up to the period viewed, oldest first.

    Values replaced by a correction are left out (the audit log keeps them). With a quarter,
    the history stops at that quarter of the year viewed (a whole-year value of that year,
    measured when the year ends, is left out). ``period_only`` leaves out the earlier years.
    """
    author, reviewer = aliased(User), aliased(User)
    until = col(ProgressUpdate.year) < scope.year
    if quarter:
        same_year = and_(
            col(ProgressUpdate.year) == scope.year,
            col(ProgressUpdate.quarter) > 0,
            col(ProgressUpdate.quarter) <= quarter,
        )
    else:
        same_year = col(ProgressUpdate.year) == scope.year
    query = (
        select(
            col(Cti.acronym),
            col(Axis.number),
            col(Indicator.code),
            col(Indicator.label),
            col(Indicator.unit),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.value),
            col(ProgressUpdate.status),
            col(ProgressUpdate.comment),
            col(author.username),
            col(ProgressUpdate.created_at),
            col(reviewer.username),
            col(ProgressUpdate.reviewed_at),
            col(ProgressUpdate.origin),
        )
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(Indicator.axis_id))
        .outerjoin(author, col(author.id) == col(ProgressUpdate.created_by_id))
        .outerjoin(reviewer, col(reviewer.id) == col(ProgressUpdate.reviewed_by_id))
        .where(
            col(Contract.plan_id) == scope.plan_id,
            col(ProgressUpdate.is_superseded).is_(False),
            same_year if period_only else or_(until, same_year),
        )
        .order_by(
            col(Cti.acronym),
            col(Indicator.code),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.id),
        )
    )
    if acronym is not None:
        query = query.where(col(Cti.acronym) == acronym)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=HISTORY_COLUMNS)


def _trajectories(engine: Engine, view: CtiView) -> tuple[TrajectoryView, ...]:
    """Return the trajectories of the indicators furthest behind (or the first ones)."""
    behind = aggregates.most_late(view.indicators, limit=TRAJECTORIES)
    codes = list(behind["code"])
    by_code: dict[str, IndicatorRow] = {row.code: row for row in view.rows}
    for row in view.rows:
        if len(codes) >= TRAJECTORIES:
            break
        if row.code not in codes:
            codes.append(row.code)
    return tuple(
        trajectory_view(engine=engine, scope=view.scope, row=by_code[code]) for code in codes
    )


def _period_only(request: ReportRequest) -> bool:
    """Tell whether the report shows only the values of its period (the PDF; Excel has all)."""
    return request.fmt == "pdf"


def national_data(*, engine: Engine, today: date, request: ReportRequest) -> ReportData:
    """Gather the national report from the overview, axes, contracts and baseline models."""
    thresholds = request.thresholds
    overview = overview_view(engine=engine, today=today, year=request.year, thresholds=thresholds)
    axes = axes_view(engine=engine, today=today, year=request.year, thresholds=thresholds)
    contracts = contracts_view(engine=engine, today=today, year=request.year, thresholds=thresholds)
    baseline = baseline_view(engine=engine, today=today, thresholds=thresholds)
    # Every indicator, as the pages' read models compute them (the axis pages list them).
    frame = indicator_table(engine=engine, scope=overview.scope, thresholds=thresholds)
    frame = frame.sort_values(["acronym", "axis", "code"])
    return ReportData(
        request=request,
        today=today,
        scope=overview.scope,
        budget=overview.budget,
        status=overview.status,
        indicators=frame,
        late=overview.late,
        history=progress_history(
            engine=engine,
            scope=overview.scope,
            quarter=request.quarter,
            period_only=_period_only(request),
        ),
        citations=source_citations(engine=engine),
        notes=source_notes(engine=engine),
        illustrative=overview.budget.illustrative,
        national=NationalData(overview, axes, contracts, baseline),
    )


def cti_data(*, engine: Engine, today: date, request: ReportRequest) -> ReportData:
    """Gather one CTI's report from its contract page's read model."""
    assert request.cti is not None
    view = cti_view(
        engine=engine,
        today=today,
        acronym=request.cti,
        year=request.year,
        thresholds=request.thresholds,
    )
    if view is None:  # checked with the request; a contract deleted since then
        raise NotFoundError(
            translate("Aucun contrat-objectifs pour le CTI « {cti} ».", cti=request.cti)
        )
    return ReportData(
        request=request,
        today=today,
        scope=view.scope,
        budget=view.budget,
        status=view.status,
        indicators=view.indicators,
        late=aggregates.most_late(view.indicators),
        history=progress_history(
            engine=engine,
            scope=view.scope,
            acronym=view.info.acronym,
            quarter=request.quarter,
            period_only=_period_only(request),
        ),
        citations=view.citations,
        notes=source_notes(engine=engine),
        illustrative=view.illustrative,
        cti=view,
        trajectories=_trajectories(engine, view),
    )
