"""Read model of the indicators: where each one stands at the end of the year viewed.

Three aggregated queries (indicators with their CTI and axis, their yearly targets, and the
latest validated and latest pending value of each, picked in SQL by a window function), then
the domain calculations per indicator. Only validated values count; pending ones (draft or
submitted) are carried beside them so pages can show them as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from dashboard.db.models import (
    Axis,
    Contract,
    Cti,
    EntryStatus,
    Indicator,
    IndicatorTarget,
    Origin,
    ProgressUpdate,
)
from dashboard.domain.indicators import (
    DEFAULT_THRESHOLDS,
    Direction,
    Status,
    StatusThresholds,
    Trajectory,
    achievement,
    expected_value,
    project,
    status,
)
from dashboard.domain.periods import Period
from dashboard.i18n import term
from dashboard.services.scope import PlanScope

PENDING = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of the plan at the end of the year viewed (values in the indicator's unit).

    ``achievement`` is the share of the planned change reached against the target of the year
    viewed, ``achievement_final`` against the end-of-plan target, ``pace_ratio`` against what the
    trajectory expected when the value was measured (the basis of the status).
    """

    indicator_id: int
    code: str
    label: str
    unit: str
    direction: str
    acronym: str
    axis: int
    axis_short: str
    baseline: float
    targets: dict[int, float]
    target_year: float | None
    final_target: float | None
    latest_value: float | None
    latest_year: int | None
    latest_quarter: int | None
    expected: float | None
    achievement: float | None
    achievement_final: float | None
    pace_ratio: float | None
    status: str
    projected_end: float | None
    pace_current: float | None
    pace_needed: float | None
    reaches_target: bool | None
    pending_count: int
    pending_value: float | None
    pending_year: int | None
    pending_quarter: int | None
    network_metric: str
    baseline_measure: str
    like_for_like: bool
    illustrative: bool


def _plan_indicators(scope: PlanScope) -> Select[*tuple[Any, ...]]:
    return (
        select(
            col(Indicator.id).label("indicator_id"),
            col(Indicator.code),
            col(Indicator.label),
            col(Indicator.unit),
            col(Indicator.direction),
            col(Indicator.baseline_value).label("baseline"),
            col(Indicator.network_metric),
            col(Indicator.baseline_measure),
            col(Indicator.like_for_like),
            col(Indicator.origin),
            col(Cti.acronym),
            col(Axis.number).label("axis"),
            col(Axis.short_fr).label("axis_short"),
        )
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(Indicator.axis_id))
        .where(col(Contract.plan_id) == scope.plan_id)
    )


def _latest(scope: PlanScope, statuses: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    """Return the latest value per indicator among rows in ``statuses`` up to the year viewed."""
    # A whole-year value (quarter 0) is measured when its year ends: after its fourth quarter.
    order = case((col(ProgressUpdate.quarter) == 0, 5), else_=col(ProgressUpdate.quarter))
    ranked = (
        select(
            col(ProgressUpdate.indicator_id),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.value),
            func.count().over(partition_by=col(ProgressUpdate.indicator_id)).label("n"),
            func.row_number()
            .over(
                partition_by=col(ProgressUpdate.indicator_id),
                order_by=(
                    col(ProgressUpdate.year).desc(),
                    order.desc(),
                    col(ProgressUpdate.id).desc(),
                ),
            )
            .label("rn"),
        )
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .where(
            col(Contract.plan_id) == scope.plan_id,
            col(ProgressUpdate.status).in_(statuses),
            col(ProgressUpdate.is_superseded).is_(False),
            col(ProgressUpdate.year) <= scope.year,
        )
        .subquery()
    )
    return select(
        ranked.c.indicator_id, ranked.c.year, ranked.c.quarter, ranked.c.value, ranked.c.n
    ).where(ranked.c.rn == 1)


def _targets(conn: Connection, scope: PlanScope) -> dict[int, dict[int, float]]:
    rows = conn.execute(
        select(
            col(IndicatorTarget.indicator_id), col(IndicatorTarget.year), col(IndicatorTarget.value)
        )
        .join(Indicator, col(Indicator.id) == col(IndicatorTarget.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .where(col(Contract.plan_id) == scope.plan_id)
    ).all()
    targets: dict[int, dict[int, float]] = {}
    for indicator_id, year, value in rows:
        targets.setdefault(int(indicator_id), {})[int(year)] = float(value)
    return targets


def _period_end(year: int, quarter: int) -> float:
    return Period(year, quarter or None).end()


def _evaluate(
    base: Any,
    targets: dict[int, float],
    validated: Any,
    pending: Any,
    *,
    scope: PlanScope,
    thresholds: StatusThresholds,
) -> IndicatorRow:
    """Apply the domain calculations to one indicator's rows."""
    direction = Direction(base.direction)
    traj = Trajectory(float(base.baseline), float(scope.first_year), targets)
    actual = None if validated is None else float(validated.value)
    at = None if validated is None else _period_end(validated.year, validated.quarter)
    expected = None if at is None else expected_value(traj, at)
    target_year = targets.get(scope.year)
    final = traj.final_target if targets else None
    projection = project(traj, actual, at if at is not None else scope.first_year, direction)
    return IndicatorRow(
        indicator_id=int(base.indicator_id),
        code=base.code,
        # Names stored in French, shown in the reader's language where the catalog knows them.
        label=term(base.label),
        unit=term(base.unit) if base.unit != "%" else base.unit,
        direction=base.direction,
        acronym=base.acronym,
        axis=int(base.axis),
        axis_short=term(base.axis_short),
        baseline=float(base.baseline),
        targets=targets,
        target_year=target_year,
        final_target=final,
        latest_value=actual,
        latest_year=None if validated is None else int(validated.year),
        latest_quarter=None if validated is None else int(validated.quarter),
        expected=expected,
        achievement=None
        if target_year is None
        else achievement(traj.baseline, target_year, actual, direction),
        achievement_final=None
        if final is None
        else achievement(traj.baseline, final, actual, direction),
        pace_ratio=None
        if expected is None
        else achievement(traj.baseline, expected, actual, direction),
        status=status(traj, actual, at or scope.at, direction, thresholds).value,
        projected_end=projection.projected_end_value,
        pace_current=projection.pace_current,
        # Once the plan is over no pace can still reach its targets: none is "needed".
        pace_needed=None if scope.to_date and scope.ended else projection.pace_needed,
        reaches_target=projection.reaches_target,
        pending_count=0 if pending is None else int(pending.n),
        pending_value=None if pending is None else float(pending.value),
        pending_year=None if pending is None else int(pending.year),
        pending_quarter=None if pending is None else int(pending.quarter),
        network_metric=base.network_metric or "",
        baseline_measure=term(base.baseline_measure),
        like_for_like=bool(base.like_for_like),
        illustrative=base.origin == Origin.ILLUSTRATIVE.value,
    )


def indicator_rows(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    acronym: str | None = None,
    axis: int | None = None,
) -> list[IndicatorRow]:
    """Return the plan's indicators (optionally of one CTI or axis), by CTI, axis and code."""
    query = _plan_indicators(scope)
    if acronym is not None:
        query = query.where(col(Cti.acronym) == acronym)
    if axis is not None:
        query = query.where(col(Axis.number) == axis)
    with engine.connect() as conn:
        bases = conn.execute(
            query.order_by(col(Cti.acronym), col(Axis.number), col(Indicator.code))
        ).all()
        targets = _targets(conn, scope)
        validated = {
            r.indicator_id: r for r in conn.execute(_latest(scope, (EntryStatus.VALIDATED.value,)))
        }
        pending = {r.indicator_id: r for r in conn.execute(_latest(scope, PENDING))}
    return [
        _evaluate(
            base,
            targets.get(base.indicator_id, {}),
            validated.get(base.indicator_id),
            pending.get(base.indicator_id),
            scope=scope,
            thresholds=thresholds,
        )
        for base in bases
    ]


INDICATOR_COLUMNS = [name for name in IndicatorRow.__dataclass_fields__ if name != "targets"]


def indicator_frame(rows: list[IndicatorRow]) -> pd.DataFrame:
    """Return the rows as a frame: one column per field, and one target_<year> per target year."""
    years = sorted({year for row in rows for year in row.targets})
    # A shallow read of the fields: dataclasses.asdict deep-copies and costs ten times more.
    records = [
        {
            **{name: getattr(row, name) for name in INDICATOR_COLUMNS},
            **{f"target_{year}": row.targets.get(year) for year in years},
        }
        for row in rows
    ]
    columns = INDICATOR_COLUMNS + [f"target_{year}" for year in years]
    return pd.DataFrame.from_records(records, columns=columns)


def status_counts(rows: list[IndicatorRow]) -> dict[Status, int]:
    """Count the indicators per status (every status present, zero included)."""
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[Status(row.status)] += 1
    return counts
