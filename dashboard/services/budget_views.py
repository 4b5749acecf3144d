"""Read models of the money: envelopes against commitments and disbursements (MDH).

Everything is aggregated in SQL: one GROUP BY over the envelope lines (contract x axis x year),
and one over the movements (contract x axis x kind x status x day) up to the cutoff of the
year viewed, from which the totals and the monthly curve are summed. Only validated movements
count as committed or disbursed; drafts and submitted ones are reported apart as pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dashboard.db.models import (
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EntryStatus,
    EnvelopeLine,
    MovementKind,
    Origin,
    Plan,
    PlanSpending,
)
from dashboard.domain.budget import Execution, linear_path, yearly_intensity
from dashboard.services.context import render_cache_for
from dashboard.services.scope import PlanScope
from dashboard.services.versions import money_version

BUDGET_COLUMNS = [
    "acronym",
    "axis",
    "envelope",
    "scheduled",
    "committed",
    "disbursed",
    "pending_committed",
    "pending_disbursed",
]
AMOUNTS = BUDGET_COLUMNS[2:]
VALIDATED = EntryStatus.VALIDATED.value
PENDING = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value)


@dataclass(frozen=True)
class BudgetTotals:
    """Totals of a set of budget lines (MDH), with the execution rates of the domain."""

    envelope: float
    scheduled: float
    committed: float
    disbursed: float
    pending_committed: float
    pending_disbursed: float
    illustrative: bool

    @property
    def execution(self) -> Execution:
        """Return the domain's view of these amounts (rates against the envelope)."""
        return Execution(self.envelope, self.committed, self.disbursed)


def budget_frame(*, engine: Engine, scope: PlanScope, acronym: str | None = None) -> pd.DataFrame:
    """Return one row per CTI and axis: envelope, scheduled to date, committed, disbursed."""
    return budget_frame_and_series(engine=engine, scope=scope, acronym=acronym)[0]


def budget_frame_and_series(
    *, engine: Engine, scope: PlanScope, acronym: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``budget_frame`` and ``disbursement_series`` from one read of the movements.

    The series is made of the validated movements the frame reads anyway (a page showing both
    read them twice: ~16 ms at N=100).
    Served by an app, the result is kept until the movements, the envelope lines or the
    plan's structure change (migration 0011): the first view after a value is entered does
    not sum the movements again (~30 ms at N=100). Callers get their own copies.
    """
    cache = render_cache_for(engine)
    version = None if cache is None else money_version(engine)
    if cache is None or version is None:
        return _budget_frame_and_series(engine=engine, scope=scope, acronym=acronym)
    frame, curve = cache.get_or_build(
        ("money", version, scope, acronym),
        lambda: _budget_frame_and_series(engine=engine, scope=scope, acronym=acronym),
        weigh=lambda found: 1024 + sum(int(f.memory_usage(deep=True).sum()) for f in found),
    )
    return frame.copy(), curve.copy()


def _budget_frame_and_series(
    *, engine: Engine, scope: PlanScope, acronym: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    only = [] if acronym is None else [col(Cti.acronym) == acronym]
    lines: Select[*tuple[Any, ...]] = (
        select(
            col(Cti.acronym),
            col(Axis.number).label("axis"),
            col(EnvelopeLine.year),
            func.sum(EnvelopeLine.amount_mdh).label("amount"),
        )
        .join(Contract, col(Contract.id) == col(EnvelopeLine.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(EnvelopeLine.axis_id))
        .where(col(Contract.plan_id) == scope.plan_id, *only)
        .group_by(col(Cti.acronym), col(Axis.number), col(EnvelopeLine.year))
    )
    with engine.connect() as conn:
        line_rows = conn.execute(lines).all()
        move_rows = conn.execute(_movement_sums(scope, (VALIDATED, *PENDING), acronym)).all()
    sums: dict[tuple[str, int], dict[str, float]] = {}

    def cell(key: tuple[str, int]) -> dict[str, float]:
        return sums.setdefault(key, dict.fromkeys(AMOUNTS, 0.0))

    for cti, axis, year, amount in line_rows:
        row = cell((cti, int(axis)))
        row["envelope"] += float(amount)
        if year <= scope.year:
            row["scheduled"] += float(amount)
    for cti, axis, kind, state, _day, amount in move_rows:
        stem = "committed" if kind == MovementKind.COMMITMENT.value else "disbursed"
        name = stem if state == VALIDATED else f"pending_{stem}"
        cell((cti, int(axis)))[name] += float(amount)
    records = [{"acronym": k[0], "axis": k[1], **v} for k, v in sorted(sums.items())]
    validated = [row for row in move_rows if row[3] == VALIDATED]
    return (
        pd.DataFrame.from_records(records, columns=BUDGET_COLUMNS),
        _cumulative_series(validated),
    )


def _movement_sums(
    scope: PlanScope, statuses: tuple[str, ...], acronym: str | None = None
) -> Select[*tuple[Any, ...]]:
    """Return the current movements up to the cutoff summed per CTI, axis, kind, status and day.

    A few thousand rows at most (days with movements), for every read model of the money. The
    sums are made over the movements alone, in the order of the covering index movement_sums
    (status, is_superseded, contract, axis, kind, day, amount): no sort and no table read;
    the names of the CTIs and axes are joined to the sums afterwards.
    """
    contracts = select(col(Contract.id)).where(col(Contract.plan_id) == scope.plan_id)
    if acronym is not None:
        contracts = contracts.join(Cti, col(Cti.id) == col(Contract.cti_id)).where(
            col(Cti.acronym) == acronym
        )
    keys = (
        col(BudgetMovement.status),
        col(BudgetMovement.contract_id),
        col(BudgetMovement.axis_id),
        col(BudgetMovement.kind),
        col(BudgetMovement.on_date),
    )
    sums = (
        select(*keys, func.sum(BudgetMovement.amount_mdh).label("amount"))
        .where(
            col(BudgetMovement.status).in_(statuses),
            col(BudgetMovement.is_superseded).is_(False),
            col(BudgetMovement.contract_id).in_(contracts),
            col(BudgetMovement.on_date) <= scope.cutoff,
        )
        .group_by(*keys)
        .subquery()
    )
    return (
        select(
            col(Cti.acronym),
            col(Axis.number).label("axis"),
            sums.c.kind,
            sums.c.status,
            sums.c.on_date,
            sums.c.amount,
        )
        .join(Contract, col(Contract.id) == sums.c.contract_id)
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == sums.c.axis_id)
    )


def movement_days(
    *, engine: Engine, scope: PlanScope, kind: str, acronym: str | None = None
) -> dict[date, float]:
    """Return the validated movements of one kind up to the cutoff, summed per day (MDH)."""
    with engine.connect() as conn:
        rows = conn.execute(_movement_sums(scope, (VALIDATED,), acronym)).all()
    days: dict[date, float] = {}
    for _cti, _axis, row_kind, _state, day, amount in rows:
        if row_kind == kind:
            days[day] = days.get(day, 0.0) + float(amount)
    return days


def group_budget(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sum a budget frame by "axis" or "acronym", adding the commitment and disbursement rates."""
    grouped = frame.groupby(by, as_index=False)[AMOUNTS].sum().sort_values(by)
    envelope = grouped["envelope"].where(grouped["envelope"] > 0)
    grouped["commitment_rate"] = grouped["committed"] / envelope
    grouped["disbursement_rate"] = grouped["disbursed"] / envelope
    return grouped.reset_index(drop=True)


def totals(frame: pd.DataFrame, *, illustrative: bool = True) -> BudgetTotals:
    """Return the totals of a budget frame."""
    sums = {name: float(frame[name].sum()) for name in AMOUNTS}
    return BudgetTotals(**sums, illustrative=illustrative)


def envelope_grid(*, engine: Engine, scope: PlanScope, acronym: str) -> pd.DataFrame:
    """Return one CTI's envelope as a table: one row per axis, one column per year (MDH)."""
    query: Select[*tuple[Any, ...]] = (
        select(
            col(Axis.number).label("axis"),
            col(EnvelopeLine.year),
            func.sum(EnvelopeLine.amount_mdh).label("amount"),
        )
        .join(Contract, col(Contract.id) == col(EnvelopeLine.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(EnvelopeLine.axis_id))
        .where(col(Contract.plan_id) == scope.plan_id, col(Cti.acronym) == acronym)
        .group_by(col(Axis.number), col(EnvelopeLine.year))
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    cells: dict[int, dict[int, float]] = {}
    for axis, year, amount in rows:
        line = cells.setdefault(int(axis), dict.fromkeys(scope.years, 0.0))
        if int(year) in line:
            line[int(year)] += float(amount)
    records = [{"axis": axis, **cells[axis]} for axis in sorted(cells)]
    return pd.DataFrame.from_records(records, columns=["axis", *scope.years])


def disbursement_series(
    *, engine: Engine, scope: PlanScope, acronym: str | None = None
) -> pd.DataFrame:
    """Return cumulative validated commitments and disbursements at each month end (MDH)."""
    with engine.connect() as conn:
        rows = conn.execute(_movement_sums(scope, (VALIDATED,), acronym)).all()
    return _cumulative_series(rows)


def _cumulative_series(rows: Sequence[Any]) -> pd.DataFrame:
    """Sum validated movement rows (``_movement_sums``) into cumulative month-end amounts."""
    monthly: dict[date, list[float]] = {}
    for _cti, _axis, kind, _state, day, amount in rows:
        cell = monthly.setdefault(_month_end(day.year, day.month), [0.0, 0.0])
        cell[0 if kind == MovementKind.COMMITMENT.value else 1] += float(amount)
    records, committed, disbursed = [], 0.0, 0.0
    for day in sorted(monthly):
        committed += monthly[day][0]
        disbursed += monthly[day][1]
        records.append((day, committed, disbursed))
    return pd.DataFrame.from_records(records, columns=["date", "committed", "disbursed"])


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def reference_paths(*, engine: Engine, scope: PlanScope, envelope: float) -> pd.DataFrame:
    """Return the cumulative amounts a steady pace and the 2014-2020 pace would reach (MDH).

    Points are the ends of the plan's years. The 2014-2020 pace is that plan's recorded
    yearly spending, aligned by plan year (its 1st year against this plan's 1st year); without
    recorded spending, its envelope spread evenly over its years.
    """
    baseline_years, baseline_spent = baseline_spending(engine=engine)
    ends = [scope.first_year, *[y + 1 for y in scope.years]]
    running = 0.0
    pace: list[float] = [0.0]
    for index, _ in enumerate(scope.years):
        running += baseline_spent[index] if index < len(baseline_spent) else 0.0
        pace.append(running)
    if not any(baseline_spent) and baseline_years:
        first, last, amount = baseline_years
        pace = [yearly_intensity(amount, first, last) * i for i in range(len(ends))]
    return pd.DataFrame(
        {
            "date": [date(y, 1, 1) for y in ends],
            "linear": [linear_path(envelope, scope.first_year, scope.last_year, y) for y in ends],
            "baseline_pace": pace,
        }
    )


def baseline_spending(*, engine: Engine) -> tuple[tuple[int, int, float] | None, list[float]]:
    """Return the baseline plan's (first year, last year, envelope) and its yearly spending."""
    with engine.connect() as conn:
        plan = conn.execute(
            select(col(Plan.id), col(Plan.first_year), col(Plan.last_year), col(Plan.envelope_mdh))
            .where(col(Plan.is_baseline).is_(True))
            .order_by(col(Plan.first_year).desc())
        ).first()
        if plan is None:
            return None, []
        rows = conn.execute(
            select(col(PlanSpending.year), col(PlanSpending.amount_mdh)).where(
                col(PlanSpending.plan_id) == plan[0]
            )
        ).all()
    by_year = {int(y): float(v) for y, v in rows}
    spent = [by_year.get(y, 0.0) for y in range(plan[1], plan[2] + 1)]
    return (int(plan[1]), int(plan[2]), float(plan[3])), spent


def has_illustrative_money(*, engine: Engine, plan_id: int) -> bool:
    """Tell whether any envelope line of the plan is illustrative demo data."""
    with engine.connect() as conn:
        row = conn.execute(
            select(col(EnvelopeLine.id))
            .join(Contract, col(Contract.id) == col(EnvelopeLine.contract_id))
            .where(
                col(Contract.plan_id) == plan_id,
                col(EnvelopeLine.origin) == Origin.ILLUSTRATIVE.value,
            )
            .limit(1)
        ).first()
    return row is not None
