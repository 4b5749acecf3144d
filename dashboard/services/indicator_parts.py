"""The plan's evaluated indicators put together from each contract's, kept per worker.

``services/monitoring.py`` evaluates indicators column-wise: a table is a pair (fields by
name, targets by year), rows ordered by CTI acronym, axis and code. Evaluating the whole plan
at N=100 takes ~150 ms; a write to the values of one CTI changes that CTI's rows only. So each
contract's table is kept in the worker's page cache under the versions the database moves
(migration 0011: the contract's values, the plan's structure), and the plan's table, or one
axis', is put together from them: after a value is entered for one CTI, the next page
evaluates that CTI again, and takes the other eight as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy.engine import Engine

from dashboard.services.cache import RenderCache
from dashboard.services.versions import ContractVersion, kept_by_contract

Columns = dict[str, list[Any]]
Targets = dict[int, list[float | None]]
Table = tuple[Columns, Targets]

# What a kept row weighs in the cache, roughly (about 40 fields, measured ~1.4 KB at N=100).
ROW_BYTES = 1600


def _size(table: Table) -> int:
    return 1024 + ROW_BYTES * len(table[0]["indicator_id"])


def _only(table: Table, field: str, value: object) -> Table:
    """Return the rows of a table whose ``field`` is ``value``."""
    columns, targets = table
    keep = [i for i, found in enumerate(columns[field]) if found == value]
    return (
        {name: [values[i] for i in keep] for name, values in columns.items()},
        {year: [values[i] for i in keep] for year, values in targets.items()},
    )


def compose(parts: Sequence[Table], *, names: Sequence[str], years: Sequence[int]) -> Table:
    """Return the tables one after the other, as one evaluation of their rows would give them.

    Target years: those with a target among the rows (one evaluation has the same); with no
    row at all, the plan's ``years``, as the evaluation of no row gives.
    """
    rows = [len(columns["indicator_id"]) for columns, _targets in parts]
    if not any(rows):
        return {name: [] for name in names}, {year: [] for year in years}
    if len(parts) == 1:
        columns, targets = parts[0]
    else:
        columns = {name: [v for part, _t in parts for v in part[name]] for name in names}
        found = sorted({year for _c, part_targets in parts for year in part_targets})
        targets = {
            year: [
                v
                for (_c, part), n in zip(parts, rows, strict=True)
                for v in part.get(year, [None] * n)
            ]
            for year in found
        }
    # Only the years with a target among the rows, as one evaluation of them gives.
    return columns, {
        y: values for y, values in targets.items() if any(v is not None for v in values)
    }


def evaluated_by_contract(
    *,
    engine: Engine,
    cache: RenderCache,
    key: Hashable,
    plan_id: int,
    acronym: str | None,
    axis: int | None,
    evaluate: Callable[[str | None], Table],
    names: Sequence[str],
    years: Sequence[int],
) -> Table:
    """Return the plan's table (or one CTI's, or one axis'), from each contract's as kept.

    ``evaluate(acronym)`` evaluates one CTI's indicators (all its axes), or the whole plan's
    with None (when several contracts are missing: one query, split by CTI); ``key`` holds
    what else the evaluation depends on (scope, thresholds, language).
    """

    def build(contracts: Sequence[ContractVersion]) -> list[Table]:
        if len(contracts) == 1:
            return [evaluate(contracts[0].acronym)]
        whole = evaluate(None)
        return [_only(whole, "acronym", contract.acronym) for contract in contracts]

    parts = kept_by_contract(
        engine=engine,
        cache=cache,
        plan_id=plan_id,
        key=("evaluated", key),
        build=build,
        weigh=_size,
        keep=lambda contract: acronym is None or contract.acronym == acronym,
    )
    if axis is not None:
        parts = [_only(part, "axis", axis) for part in parts]
    return compose(parts, names=names, years=years)
