"""Read model of the indicators: where each one stands at the end of the year viewed.

One query (indicators with their CTI and axis, their yearly targets pivoted, and the latest
validated and latest pending value of each, picked by one index seek per indicator), then the
domain calculations on arrays, all indicators at once (``domain.indicator_arrays``). Only
validated values count; pending ones (draft or submitted) are carried beside them so pages
can show them as such.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Select, case, cast, func, literal, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased
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
from dashboard.domain import indicator_arrays as arrays
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
    trajectory_ratio,
)
from dashboard.domain.periods import Period
from dashboard.i18n import current_lang, term
from dashboard.services.context import render_cache_for
from dashboard.services.indicator_parts import Part, composed_frame, composed_table, kept_parts
from dashboard.services.latest_values import latest_validated, period_order
from dashboard.services.scope import PlanScope

PENDING = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of the plan at the end of the year viewed (values in the indicator's unit).

    ``achievement`` is the share of the planned change reached against the target of the year
    viewed, ``achievement_final`` against the end-of-plan target, ``pace_ratio`` the progress
    made against what the trajectory expected when the value was measured (the ratio the status
    grades). Their names and definitions: ``services/measures.py``.
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
        pace_ratio=None if at is None else trajectory_ratio(traj, actual, at, direction),
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


# Rows rank by period (a whole year after its fourth quarter), then by id: one number.
_ID_SPAN = 10_000_000_000


def _pending(scope: PlanScope) -> Any:
    """Return per indicator its count of pending rows and the id of the latest one.

    Pending rows are few: one GROUP BY over them (the partial index progress_one_pending),
    the latest picked as the largest rank x id number.
    """
    order = period_order(ProgressUpdate)
    # 64-bit arithmetic: PostgreSQL's integer (32 bits) would overflow.
    span = literal(_ID_SPAN, BigInteger)
    rank = (cast(col(ProgressUpdate.year), BigInteger) * 10 + order) * span + col(ProgressUpdate.id)
    return (
        select(
            col(ProgressUpdate.indicator_id),
            func.count().label("n"),
            (func.max(rank) % span).label("latest_id"),
        )
        .where(
            col(ProgressUpdate.status).in_(PENDING),
            col(ProgressUpdate.is_superseded).is_(False),
            col(ProgressUpdate.year) <= scope.year,
        )
        .group_by(col(ProgressUpdate.indicator_id))
        .subquery()
    )


def _target_pivot(scope: PlanScope, ids: Select[*tuple[Any, ...]]) -> Any:
    """Return one row per indicator: its target of each plan year, and how many it has."""
    year, value = col(IndicatorTarget.year), col(IndicatorTarget.value)
    return (
        select(
            col(IndicatorTarget.indicator_id),
            func.count().label("n_targets"),
            *[func.max(case((year == y, value))).label(f"t_{y}") for y in scope.years],
        )
        .where(col(IndicatorTarget.indicator_id).in_(ids))
        .group_by(col(IndicatorTarget.indicator_id))
        .subquery()
    )


# Statements are immutable: built once per scope and filter (~4 ms each), then reused (one
# per contract and scope for the parts kept per contract: room for many scopes).
@functools.lru_cache(maxsize=256)
def _indicator_query(
    scope: PlanScope, acronym: str | None, axis: int | None
) -> Select[*tuple[Any, ...]]:
    """Return one row per indicator with its targets pivoted and its latest values."""
    query = _plan_indicators(scope)
    if acronym is not None:
        query = query.where(col(Cti.acronym) == acronym)
    if axis is not None:
        query = query.where(col(Axis.number) == axis)
    ids = query.with_only_columns(col(Indicator.id))
    targets = _target_pivot(scope, ids)
    validated, pending = aliased(ProgressUpdate), aliased(ProgressUpdate)
    waiting = _pending(scope)
    # The latest validated id in the select list of the indicators' subquery, then a join on
    # the key: in the join condition itself, PostgreSQL hashed the whole history (460 ms at
    # N=100); joined back to a second list of the indicators, SQLite scanned that list for
    # each indicator (900 x 900 for a CTI at N=100).
    latest_id = latest_validated(lambda row, _order: col(row.id), last_year=scope.year)
    base = query.add_columns(latest_id.label("v_id"))
    # OFFSET 0 keeps the subquery whole: PostgreSQL pulled it up and ran the seek twice.
    indicators = base.offset(0).subquery()
    row = indicators.c
    return (
        select(
            *[c for c in indicators.c if c.name != "v_id"],
            func.coalesce(targets.c.n_targets, 0).label("n_targets"),
            *[targets.c[f"t_{y}"] for y in scope.years],
            col(validated.year).label("v_year"),
            col(validated.quarter).label("v_quarter"),
            col(validated.value).label("v_value"),
            col(pending.year).label("p_year"),
            col(pending.quarter).label("p_quarter"),
            col(pending.value).label("p_value"),
            func.coalesce(waiting.c.n, 0).label("p_count"),
        )
        .select_from(indicators)
        .outerjoin(targets, targets.c.indicator_id == row.indicator_id)
        .outerjoin(validated, col(validated.id) == row.v_id)
        .outerjoin(waiting, waiting.c.indicator_id == row.indicator_id)
        .outerjoin(pending, col(pending.id) == waiting.c.latest_id)
        .order_by(row.acronym, row.axis, row.code)
    )


def _translated(values: list[Any], keep: frozenset[str] = frozenset()) -> list[Any]:
    """Translate stored French names, once per distinct name rather than once per row."""
    lang = current_lang()  # once: thousands of distinct labels at scale
    names = {v: (v if v in keep else term(v, lang)) for v in set(values)}
    return [names[v] for v in values]


def _or_none(values: Any, missing: Any) -> list[Any]:
    """Return an array as a list with None where ``missing`` is true."""
    return [None if m else v for v, m in zip(values.tolist(), missing.tolist(), strict=True)]


def _parts(
    *, engine: Engine, scope: PlanScope, thresholds: StatusThresholds, acronym: str | None
) -> list[Part] | None:
    """Return each contract's evaluated indicators as kept in the page cache of an app serving
    ``engine`` until a write changes them (``services/indicator_parts.py``); elsewhere None.
    """
    cache = render_cache_for(engine)
    if cache is None:
        return None
    return kept_parts(
        engine=engine,
        cache=cache,
        key=(scope, thresholds, current_lang()),
        plan_id=scope.plan_id,
        acronym=acronym,
        evaluate=lambda cti: _evaluate_table(
            engine=engine, scope=scope, thresholds=thresholds, acronym=cti, axis=None
        ),
    )


def _table(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds,
    acronym: str | None,
    axis: int | None,
    parts: list[Part] | None = None,
) -> tuple[dict[str, list[Any]], dict[int, list[float | None]]]:
    """Evaluate the plan's indicators column-wise: fields by name, and targets by year.

    From each contract's evaluation as kept (``_parts``, or the ``parts`` given), else from
    the database.
    """
    if parts is None:
        parts = _parts(engine=engine, scope=scope, thresholds=thresholds, acronym=acronym)
    if parts is None:
        return _evaluate_table(
            engine=engine, scope=scope, thresholds=thresholds, acronym=acronym, axis=axis
        )
    return composed_table(parts, axis=axis, names=INDICATOR_COLUMNS, years=scope.years)


def _evaluate_table(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds,
    acronym: str | None,
    axis: int | None,
) -> tuple[dict[str, list[Any]], dict[int, list[float | None]]]:
    """Evaluate the indicators from the database: one query, then the array rules.

    Indicators with a target for every year of the plan (all of them in practice) go through
    the array rules at once; otherwise every one goes through the scalar rules, one at a time.
    """
    with engine.connect() as conn:
        result = conn.execute(_indicator_query(scope, acronym, axis))
        keys, found = list(result.keys()), result.all()
        # Columns rather than rows: reading a Row's fields by name costs a microsecond each.
        fields = [list(c) for c in zip(*found, strict=True)] or [[] for _key in keys]
        raw = dict(zip(keys, fields, strict=True))
        n, years = len(found), scope.years
        targets = np.array([raw[f"t_{y}"] for y in years], dtype=float).reshape(len(years), n).T
        regular = bool(years) and all(c == len(years) for c in raw["n_targets"])
        if not regular or np.isnan(targets).any():
            return _scalar_table(found, _targets(conn, scope), scope=scope, thresholds=thresholds)

    def floats(name: str) -> Any:
        return np.array(raw[name], dtype=float).reshape(n)

    baseline, actual = floats("baseline"), floats("v_value")
    v_year, v_quarter = floats("v_year"), floats("v_quarter")
    at = np.where(v_quarter == 0, v_year + 1.0, v_year + v_quarter / 4)
    sign = np.where(np.array(raw["direction"]) == Direction.HIGHER.value, 1.0, -1.0)
    result_ = arrays.evaluate(
        start=float(scope.first_year),
        years=years,
        baseline=baseline,
        targets=targets,
        actual=actual,
        at=at,
        sign=sign,
        thresholds=thresholds,
    )
    no_value = np.isnan(actual)
    target_year = targets[:, years.index(scope.year)] if scope.year in years else None
    final = targets[:, -1]
    pending = [y is not None for y in raw["p_year"]]

    def share(target: Any) -> list[Any]:
        values = arrays.achievements(baseline, target, actual, sign)
        return _or_none(values, np.isnan(values))

    columns = {name: raw[name] for name in ("indicator_id", "code", "direction", "acronym")}
    columns.update(
        axis=raw["axis"],
        label=_translated(raw["label"]),
        unit=_translated(raw["unit"], frozenset({"%"})),
        axis_short=_translated(raw["axis_short"]),
        baseline=baseline.tolist(),
        target_year=[None] * n if target_year is None else target_year.tolist(),
        final_target=final.tolist(),
        latest_value=_or_none(actual, no_value),
        latest_year=[None if m else int(y) for y, m in zip(raw["v_year"], no_value, strict=True)],
        latest_quarter=[
            None if m else int(q) for q, m in zip(raw["v_quarter"], no_value, strict=True)
        ],
        expected=_or_none(result_.expected, no_value),
        achievement=[None] * n if target_year is None else share(target_year),
        achievement_final=share(final),
        pace_ratio=_or_none(result_.ratio, np.isnan(result_.ratio)),
        status=result_.status,
        projected_end=_or_none(result_.projected_end, np.isnan(result_.projected_end)),
        pace_current=_or_none(result_.pace_current, np.isnan(result_.pace_current)),
        # Once the plan is over no pace can still reach its targets: none is "needed".
        pace_needed=[None] * n
        if scope.to_date and scope.ended
        else _or_none(result_.pace_needed, np.isnan(result_.pace_needed)),
        reaches_target=result_.reaches_target,
        pending_count=[int(c) for c in raw["p_count"]],
        pending_value=[
            float(v) if p else None for v, p in zip(raw["p_value"], pending, strict=True)
        ],
        pending_year=[int(v) if p else None for v, p in zip(raw["p_year"], pending, strict=True)],
        pending_quarter=[
            int(v) if p else None for v, p in zip(raw["p_quarter"], pending, strict=True)
        ],
        network_metric=[m or "" for m in raw["network_metric"]],
        baseline_measure=_translated(raw["baseline_measure"]),
        like_for_like=[bool(v) for v in raw["like_for_like"]],
        illustrative=[o == Origin.ILLUSTRATIVE.value for o in raw["origin"]],
    )
    by_year = {y: targets[:, i].tolist() for i, y in enumerate(years)}
    return {name: columns[name] for name in INDICATOR_COLUMNS}, by_year


def _scalar_table(
    found: Sequence[Any],
    all_targets: dict[int, dict[int, float]],
    *,
    scope: PlanScope,
    thresholds: StatusThresholds,
) -> tuple[dict[str, list[Any]], dict[int, list[float | None]]]:
    """Evaluate each indicator with the scalar rules (targets missing for some years)."""
    rows = [
        _evaluate(
            base,
            all_targets.get(base.indicator_id, {}),
            None
            if base.v_year is None
            else SimpleNamespace(year=base.v_year, quarter=base.v_quarter, value=base.v_value),
            None
            if base.p_year is None
            else SimpleNamespace(
                year=base.p_year, quarter=base.p_quarter, value=base.p_value, n=base.p_count
            ),
            scope=scope,
            thresholds=thresholds,
        )
        for base in found
    ]
    years = sorted({year for row in rows for year in row.targets})
    columns = {name: [getattr(row, name) for row in rows] for name in INDICATOR_COLUMNS}
    return columns, {y: [row.targets.get(y) for row in rows] for y in years}


def _frame(columns: dict[str, list[Any]], targets: dict[int, list[float | None]]) -> pd.DataFrame:
    data = {**columns, **{f"target_{year}": values for year, values in targets.items()}}
    return pd.DataFrame(data, columns=[*INDICATOR_COLUMNS, *(f"target_{y}" for y in targets)])


def _rows(
    columns: dict[str, list[Any]], targets: dict[int, list[float | None]]
) -> list[IndicatorRow]:
    names = list(columns)
    return [
        IndicatorRow(
            **dict(zip(names, values, strict=True)),
            targets={y: float(v) for y, t in targets.items() if (v := t[i]) is not None},
        )
        for i, values in enumerate(zip(*columns.values(), strict=True))
    ]


def indicator_table(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    acronym: str | None = None,
    axis: int | None = None,
) -> pd.DataFrame:
    """Return the indicators as ``indicator_frame(indicator_rows(...))`` does, faster."""
    parts = (
        None
        if axis is not None
        else _parts(engine=engine, scope=scope, thresholds=thresholds, acronym=acronym)
    )
    if parts is None:
        return _frame(
            *_table(engine=engine, scope=scope, thresholds=thresholds, acronym=acronym, axis=axis)
        )
    return composed_frame(parts, make=_frame, names=INDICATOR_COLUMNS, years=scope.years)


def indicator_choices(*, engine: Engine, scope: PlanScope, acronym: str) -> list[tuple[str, str]]:
    """Return the code and label of a CTI's indicators in the plan, in ``indicator_rows`` order.

    For a list to choose from: names only, without the values and targets of the rows.
    """
    query = (
        _plan_indicators(scope)
        .where(col(Cti.acronym) == acronym)
        .with_only_columns(col(Indicator.code), col(Indicator.label))
        .order_by(col(Axis.number), col(Indicator.code))
    )
    with engine.connect() as conn:
        found = conn.execute(query).all()
    labels = _translated([label for _code, label in found])
    return [(str(code), label) for (code, _label), label in zip(found, labels, strict=True)]


def indicator_rows(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    acronym: str | None = None,
    axis: int | None = None,
) -> list[IndicatorRow]:
    """Return the plan's indicators (optionally of one CTI or axis), by CTI, axis and code."""
    return _rows(
        *_table(engine=engine, scope=scope, thresholds=thresholds, acronym=acronym, axis=axis)
    )


def indicator_rows_and_table(
    *,
    engine: Engine,
    scope: PlanScope,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    acronym: str | None = None,
) -> tuple[list[IndicatorRow], pd.DataFrame]:
    """Return ``indicator_rows`` and ``indicator_table`` of one evaluation (one query)."""
    parts = _parts(engine=engine, scope=scope, thresholds=thresholds, acronym=acronym)
    columns, targets = _table(
        engine=engine, scope=scope, thresholds=thresholds, acronym=acronym, axis=None, parts=parts
    )
    if parts is None:
        return _rows(columns, targets), _frame(columns, targets)
    frame = composed_frame(parts, make=_frame, names=INDICATOR_COLUMNS, years=scope.years)
    return _rows(columns, targets), frame


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


def count_statuses(frame: pd.DataFrame) -> dict[Status, int]:
    """Count the indicators of a frame per status (every status present, zero included)."""
    counts = dict.fromkeys(Status, 0)
    for value, number in frame["status"].value_counts().items():
        counts[Status(str(value))] = int(number)
    return counts


def status_counts(rows: list[IndicatorRow]) -> dict[Status, int]:
    """Count the indicators per status (every status present, zero included)."""
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[Status(row.status)] += 1
    return counts
