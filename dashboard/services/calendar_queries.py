"""The two aggregate queries behind the reporting calendar (see ``services.calendar``).

The calendar needs, per CTI and period, how many indicators stand in each value state, and per
indicator, its latest validated period. The first is kept by the database as values are
written (migration 0010), the second is one index seek per indicator, so that a network of
thousands of indicators and hundreds of thousands of values returns a few hundred rows (or
one per indicator), not every value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, func, table
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dashboard.db.models import Contract
from dashboard.domain.calendar import PRECEDENCE, ValueState
from dashboard.services.latest_values import WHOLE_YEAR_ORDER
from dashboard.services.latest_values import latest_validated as latest_validated_seek

PeriodKey = tuple[int, int]  # (year, quarter) as stored: quarter 0 for a whole year
CountKey = tuple[int, int, int]  # (cti_id, year, quarter)


# Kept by the database's triggers on every write to the progress values (migration 0010): per
# contract, period and state (its rank in PRECEDENCE), how many indicators stand in it.
STATE_COUNTS = table(
    "periodstatecount",
    column("contract_id"),
    column("year"),
    column("quarter"),
    column("state"),
    column("n"),
)


def state_counts(
    session: Session, *, plan_id: int, cti_id: int | None, years: tuple[int, int]
) -> dict[CountKey, dict[ValueState, int]]:
    """Return, per CTI and period, how many indicators have a value in each state.

    An indicator's state for a period is the best status among its rows not superseded
    (``domain.calendar.value_state``); indicators without any row are not counted here. The
    database keeps these counts as values are written: a few hundred rows to read.
    """
    counts_ = STATE_COUNTS.c
    query = (
        sa_select(
            col(Contract.cti_id), counts_.year, counts_.quarter, counts_.state, func.sum(counts_.n)
        )
        .join(Contract, col(Contract.id) == counts_.contract_id)
        .where(
            col(Contract.plan_id) == plan_id,
            counts_.year.between(*years),
            counts_.n > 0,
        )
        .group_by(col(Contract.cti_id), counts_.year, counts_.quarter, counts_.state)
    )
    if cti_id is not None:
        query = query.where(col(Contract.cti_id) == cti_id)
    counts: dict[CountKey, dict[ValueState, int]] = {}
    for cti_key, year, quarter, state, n in session.execute(query).all():
        counts.setdefault((cti_key, year, quarter), {})[PRECEDENCE[state]] = int(n)
    return counts


def latest_score(years: tuple[int, int]) -> Any:
    """Return, for the correlated indicator, its latest validated period within ``years``.

    One backward seek in progress_latest_validated: the latest validated row's year and period
    order (a whole year after its fourth quarter), as year * 10 + order (``score_period``).
    Periods compare by their last day; between a whole year and its fourth quarter, the year.
    """
    return latest_validated_seek(
        lambda row, order: col(row.year) * 10 + order, first_year=years[0], last_year=years[1]
    )


def score_period(score: int) -> PeriodKey:
    """Return the period a ``latest_score`` stands for, as stored (quarter 0: a whole year)."""
    year, order = divmod(int(score), 10)
    return (year, 0 if order == WHOLE_YEAR_ORDER else order)
