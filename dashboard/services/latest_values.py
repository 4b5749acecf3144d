"""The latest validated value of each indicator: one backward seek per indicator.

The partial index progress_latest_validated (migration 0009) holds the validated values in
force by indicator, year, period order (a whole year after its fourth quarter) and id. The
order expression and the index predicate are written as constants, not parameters, so that
SQLite and PostgreSQL recognise the index's own text and read its last entry at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import case, literal_column, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from dashboard.db.models import EntryStatus, Indicator, ProgressUpdate

WHOLE_YEAR_ORDER = 5  # a whole year (quarter 0) is measured when it ends: after its Q4


def period_order(row: Any) -> Any:
    """Return the rank of a value's period within its year (quarter 0 -> after Q4)."""
    return case(
        (col(row.quarter) == literal_column("0"), literal_column(str(WHOLE_YEAR_ORDER))),
        else_=col(row.quarter),
    )


def latest_validated(
    pick: Callable[[Any, Any], Any], *, last_year: int, first_year: int | None = None
) -> Any:
    """Return, for the correlated indicator, ``pick(row, order)`` of its latest validated value.

    A scalar subquery on ``Indicator.id``: None when no validated value is in the years.
    """
    row = aliased(ProgressUpdate)
    order = period_order(row)
    years = [col(row.year) <= last_year]
    if first_year is not None:
        years.append(col(row.year) >= first_year)
    return (
        select(pick(row, order))
        .where(
            col(row.indicator_id) == col(Indicator.id),
            col(row.status) == literal_column(f"'{EntryStatus.VALIDATED.value}'"),
            col(row.is_superseded).is_(False),
            *years,
        )
        .order_by(col(row.year).desc(), order.desc(), col(row.id).desc())
        .limit(1)
        .correlate(Indicator)
        .scalar_subquery()
    )
