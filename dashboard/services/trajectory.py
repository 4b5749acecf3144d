"""Read model of one indicator's trajectory: plan line, measured values and projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.models import EntryStatus, ProgressUpdate
from dashboard.services.formatting import fmt_period
from dashboard.services.monitoring import PENDING, IndicatorRow
from dashboard.services.scope import PlanScope

POINT_COLUMNS = ["date", "value", "period", "state"]


@dataclass(frozen=True)
class TrajectoryView:
    """Everything the trajectory chart of one indicator draws.

    ``plan`` holds the baseline (start of the plan) and each year's target (end of its year),
    ``points`` the measured values (state "validated" or "pending"), ``projection`` the line
    from the latest validated value to the end of the plan at the current pace.
    """

    row: IndicatorRow
    plan: pd.DataFrame
    points: pd.DataFrame
    projection: pd.DataFrame


def period_end_date(year: int, quarter: int) -> date:
    """Return the last day of a quarter, or of the year for quarter 0."""
    last_month = 12 if quarter == 0 else quarter * 3
    first_of_next = date(year + last_month // 12, last_month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def trajectory_view(*, engine: Engine, scope: PlanScope, row: IndicatorRow) -> TrajectoryView:
    """Return the trajectory of one indicator up to the year viewed."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                col(ProgressUpdate.year),
                col(ProgressUpdate.quarter),
                col(ProgressUpdate.value),
                col(ProgressUpdate.status),
            )
            .where(
                col(ProgressUpdate.indicator_id) == row.indicator_id,
                col(ProgressUpdate.status).in_((EntryStatus.VALIDATED.value, *PENDING)),
                col(ProgressUpdate.is_superseded).is_(False),
                col(ProgressUpdate.year) <= scope.year,
            )
            .order_by(col(ProgressUpdate.year), col(ProgressUpdate.quarter))
        ).all()
    points = pd.DataFrame.from_records(
        [
            (
                period_end_date(int(y), int(q)),
                float(v),
                fmt_period(int(y), int(q)),
                "validated" if s == EntryStatus.VALIDATED.value else "pending",
            )
            for y, q, v, s in rows
        ],
        columns=POINT_COLUMNS,
    )
    plan = pd.DataFrame(
        {
            "date": [date(scope.first_year, 1, 1), *[date(y, 12, 31) for y in row.targets]],
            "value": [row.baseline, *row.targets.values()],
            "kind": ["baseline", *["target"] * len(row.targets)],
            "year": [scope.first_year - 1, *row.targets.keys()],
        }
    )
    projection = pd.DataFrame(columns=["date", "value"])
    if row.latest_value is not None and row.projected_end is not None and row.latest_year:
        start = period_end_date(row.latest_year, row.latest_quarter or 0)
        end = date(scope.last_year, 12, 31)
        if start < end:
            projection = pd.DataFrame(
                {"date": [start, end], "value": [row.latest_value, row.projected_end]}
            )
    return TrajectoryView(row=row, plan=plan, points=points, projection=projection)
