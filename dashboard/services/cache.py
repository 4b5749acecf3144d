"""Rendered-content cache of the monitoring pages, correct after every write and across workers.

Each worker keeps, in memory, the content it built for a page (as the plain JSON tree Dash
sends to the browser), keyed by what the content depends on: the page and its filters, the
language, the day, who is asking (their role and centre), and the database's data version.
The data version is a counter in the database that triggers move on every write to the
plan's data (migration 0007), whoever writes: another worker, the command line, an import, a
restore. Reading it is one primary-key lookup, so a cached page costs one tiny query and
stays exact: any write makes every worker rebuild on its next request.

To rebuild it, the read models take from the same cache what the write did not touch: kept
under finer counters (migration 0011), per contract for its progress values
(``kept_by_contract``), for the money, and for the plan's structure.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Engine

T = TypeVar("T")
DataVersion = tuple[str, int]
MISSING_VERSION: DataVersion = ("", -1)


def data_version(engine: Engine) -> DataVersion:
    """Return the database's (epoch, counter); a schema without the counter gives no version."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT epoch, version FROM dataversion WHERE id = 1")).first()
    return (str(row[0]), int(row[1])) if row else MISSING_VERSION


class ContractVersion(NamedTuple):
    """A contract of the plan, its CTI, and the counter its progress values move."""

    contract_id: int
    cti_id: int
    acronym: str
    version: int


@dataclass(frozen=True)
class EvaluationVersions:
    """What a plan's read models per contract depend on (migration 0011), read in one query.

    ``structure`` moves on any write to the plan's structure (plans, axes, CTIs, contracts,
    indicators, targets); ``contracts`` holds the plan's contracts in the order of their CTI's
    acronym, each with the counter its progress values move.
    """

    epoch: str
    structure: int
    contracts: tuple[ContractVersion, ...]


EVALUATION_VERSIONS = text(
    "SELECT d.epoch, d.structure, c.id, c.cti_id, cti.acronym, COALESCE(v.version, 0) "
    "FROM contract AS c JOIN cti ON cti.id = c.cti_id "
    "LEFT JOIN contractversion AS v ON v.contract_id = c.id "
    "LEFT JOIN dataversion AS d ON d.id = 1 "
    "WHERE c.plan_id = :plan ORDER BY cti.acronym"
)


def evaluation_versions(engine: Engine, plan_id: int) -> EvaluationVersions:
    """Return the versions of a plan's structure and of each of its contracts' values.

    Without the data version's row, the epoch is empty (``MISSING_VERSION``): nothing can be
    kept under it.
    """
    with engine.connect() as conn:
        rows = conn.execute(EVALUATION_VERSIONS, {"plan": plan_id}).all()
    known = bool(rows) and rows[0][0] is not None
    epoch, structure = (str(rows[0][0]), int(rows[0][1])) if known else MISSING_VERSION
    return EvaluationVersions(
        epoch,
        structure,
        tuple(ContractVersion(int(c), int(t), str(a), int(v)) for _e, _s, c, t, a, v in rows),
    )


MONEY_VERSION = text("SELECT epoch, structure, money FROM dataversion WHERE id = 1")


def money_version(engine: Engine) -> tuple[str, int, int] | None:
    """Return what the money read models depend on (migration 0011); None without a counter."""
    with engine.connect() as conn:
        row = conn.execute(MONEY_VERSION).first()
    return None if row is None else (str(row[0]), int(row[1]), int(row[2]))


def kept_by_contract(
    *,
    engine: Engine,
    cache: RenderCache,
    plan_id: int,
    key: Hashable,
    build: Callable[[ContractVersion], T],
    weigh: Callable[[T], int],
    keep: Callable[[ContractVersion], bool] = lambda _contract: True,
) -> list[T]:
    """Return ``build(contract)`` for each contract of the plan ``keep`` keeps, by acronym.

    Each result is kept in ``cache`` under ``key`` and the versions the database moves when
    what it depends on may have changed: the contract's progress values, or the plan's
    structure (read models of one contract's indicators and their values: the evaluated
    indicators, their latest validated periods). After a write to one CTI's figures, only
    that CTI's is built again. Callers must not change what they get. The versions are read
    first: a part built while a write commits may hold the newer data under the older key,
    never the reverse, so a request racing a write may mix both moments, and the next sees
    the write everywhere.
    """
    versions = evaluation_versions(engine, plan_id)
    if versions.epoch == MISSING_VERSION[0]:  # no counter to key them: built each time
        return [build(contract) for contract in versions.contracts if keep(contract)]
    return [
        cache.get_or_build(
            (key, versions.epoch, versions.structure, contract.contract_id, contract.version),
            functools.partial(build, contract),
            weigh=weigh,
        )
        for contract in versions.contracts
        if keep(contract)
    ]


def to_json_text(value: Any) -> str:
    """Return a value as the JSON text Dash would send (components become dicts)."""
    from plotly.io.json import to_json_plotly

    return str(to_json_plotly(value))


# What an entry of unknown size (a read model kept as an object) counts for.
NOMINAL_BYTES = 1 << 20


@dataclass
class RenderCache:
    """A bounded, thread-safe map from keys to built content, least recently used out first.

    Bounded twice: ``max_entries`` entries and ``max_bytes`` bytes (pages are kept as JSON
    text, whose length is their size; other entries weigh what their ``weigh`` says, or
    ``NOMINAL_BYTES``), so a worker's
    memory stays within bounds however many filters, languages and roles people use.
    ``hits`` and ``misses`` count lookups, for the benchmark and the tests.
    """

    max_entries: int = 256
    max_bytes: int = 64 << 20
    hits: int = 0
    misses: int = 0
    size: int = 0
    _entries: OrderedDict[Hashable, tuple[Any, int]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_build(
        self, key: Hashable, build: Callable[[], Any], weigh: Callable[[Any], int] | None = None
    ) -> Any:
        """Return the content cached under ``key``, building and keeping it on a miss.

        Two requests missing at once both build (no lock held while building): the result is
        the same, and a slow build never blocks other pages. ``weigh`` estimates the size of
        an object that is not text (``NOMINAL_BYTES`` without it).
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key][0]
            self.misses += 1
        value = build()
        if isinstance(value, str):
            weight = len(value)
        else:
            weight = NOMINAL_BYTES if weigh is None else weigh(value)
        if weight > self.max_bytes:
            return value
        with self._lock:
            if key in self._entries:
                self.size -= self._entries.pop(key)[1]
            self._entries[key] = (value, weight)
            self.size += weight
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                self.size -= self._entries.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)
