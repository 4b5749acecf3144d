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

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.services.cache import RenderCache
from dashboard.services.versions import ContractVersion, kept_by_contract

Columns = dict[str, list[Any]]
Targets = dict[int, list[float | None]]
Table = tuple[Columns, Targets]

# What a kept row weighs in the cache, roughly: about 40 fields, measured ~1.4 KB at N=100,
# and ~0.95 KB more in its frame (its text copied into pandas' strings).
ROW_BYTES = 2500


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


class Part:
    """One contract's evaluated table as kept, with its frame once a page has asked for it.

    The frame of the plan is the parts' frames one after the other (``composed_frame``):
    after a write to one CTI, one frame of ~900 rows is built rather than one of 8,400.
    Kept objects: nobody changes them (pandas copies a frame on write).
    """

    __slots__ = ("_frame", "_lock", "table")

    def __init__(self, table: Table) -> None:
        self.table = table
        self._frame: pd.DataFrame | None = None
        self._lock = threading.Lock()

    def frame(self, make: Callable[[Columns, Targets], pd.DataFrame]) -> pd.DataFrame:
        """Return the table as ``make`` frames it, built once (callers all pass ``_frame``)."""
        with self._lock:
            if self._frame is None:
                self._frame = make(*self.table)
            return self._frame


def _size(part: Part) -> int:
    # The table's rows, and their frame: numbers, and text copied into pandas' strings.
    return 1024 + ROW_BYTES * len(part.table[0]["indicator_id"])


def kept_parts(
    *,
    engine: Engine,
    cache: RenderCache,
    key: Hashable,
    plan_id: int,
    acronym: str | None,
    evaluate: Callable[[str | None], Table],
) -> list[Part]:
    """Return each contract's evaluated table (of one CTI's contract if ``acronym``), as kept.

    ``evaluate(acronym)`` evaluates one CTI's indicators (all its axes), or the whole plan's
    with None (when several contracts are missing: one query, split by CTI); ``key`` holds
    what else the evaluation depends on (scope, thresholds, language).
    """

    def build(contracts: Sequence[ContractVersion]) -> list[Part]:
        if len(contracts) == 1:
            return [Part(evaluate(contracts[0].acronym))]
        whole = evaluate(None)
        return [Part(_only(whole, "acronym", contract.acronym)) for contract in contracts]

    return kept_by_contract(
        engine=engine,
        cache=cache,
        plan_id=plan_id,
        key=("evaluated", key),
        build=build,
        weigh=_size,
        keep=lambda contract: acronym is None or contract.acronym == acronym,
    )


def composed_table(
    parts: Sequence[Part], *, axis: int | None, names: Sequence[str], years: Sequence[int]
) -> Table:
    """Return the parts' tables (their rows of one axis if ``axis``) as one evaluation."""
    tables = [part.table for part in parts]
    if axis is not None:
        tables = [_only(table, "axis", axis) for table in tables]
    return compose(tables, names=names, years=years)


def composed_frame(
    parts: Sequence[Part],
    *,
    make: Callable[[Columns, Targets], pd.DataFrame],
    names: Sequence[str],
    years: Sequence[int],
) -> pd.DataFrame:
    """Return ``make(*composed_table(parts))``, from each part's frame as kept.

    Columns and their types as one frame of all the rows has them: each part's frame infers
    its own, so a column a part has only None in (object) is inferred again once together.
    """
    frames = [part.frame(make) for part in parts if part.table[0]["indicator_id"]]
    if not frames:
        return make(*composed_table(parts, axis=None, names=names, years=years))
    whole = (frames[0] if len(frames) == 1 else pd.concat(frames)).reset_index(drop=True)
    fields = set(names)  # the rest are the targets by year (target_2023...)
    years_found = sorted(int(c.removeprefix("target_")) for c in whole.columns if c not in fields)
    # Only the years with a target among the rows, as one evaluation of them gives.
    kept = [f"target_{y}" for y in years_found if whole[f"target_{y}"].notna().any()]
    whole = whole[[*names, *kept]]
    mixed = [c for c in whole.columns if whole[c].dtype == object]
    if mixed and len(frames) > 1:
        whole[mixed] = whole[mixed].infer_objects()
    return whole
