"""Versions of what the read models depend on, and read models kept per contract under them.

Migration 0011's triggers move, whoever writes: a counter per contract (its indicators'
progress values), one for the plan's structure (plans, axes, CTIs, contracts, indicators,
targets) and one for the money (budget movements, envelope lines). Read models kept in a
worker's page cache (``services/cache.py``) under them are exact after any write, and after a
write to one CTI's figures only that CTI's are built again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar, cast

from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.services.cache import MISSING_VERSION, RenderCache

T = TypeVar("T")


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
    build: Callable[[Sequence[ContractVersion]], list[T]],
    weigh: Callable[[T], int],
    keep: Callable[[ContractVersion], bool] = lambda _contract: True,
) -> list[T]:
    """Return one result for each contract of the plan ``keep`` keeps, by acronym.

    Each result is kept in ``cache`` under ``key`` and the versions the database moves when
    what it depends on may have changed: the contract's progress values, or the plan's
    structure (read models of one contract's indicators and their values: the evaluated
    indicators, their latest validated periods). After a write to one CTI's figures, only
    that CTI's is built again. ``build(contracts)`` builds those missing, all at once (one
    query for the plan after a structure write or in a fresh worker, rather than one per
    contract). Callers must not change what they get. The versions are read first: a part
    built while a write commits may hold the newer data under the older key, never the
    reverse, so a request racing a write may mix both moments, and the next sees the write
    everywhere.
    """
    versions = evaluation_versions(engine, plan_id)
    wanted = [contract for contract in versions.contracts if keep(contract)]
    if versions.epoch == MISSING_VERSION[0]:  # no counter to key them: built each time
        return build(wanted) if wanted else []

    def key_of(contract: ContractVersion) -> Hashable:
        return (key, versions.epoch, versions.structure, contract.contract_id, contract.version)

    found = [cache.lookup(key_of(contract)) for contract in wanted]
    missing = [contract for contract, part in zip(wanted, found, strict=True) if part is None]
    built: dict[ContractVersion, T] = (
        dict(zip(missing, build(missing), strict=True)) if missing else {}
    )
    for contract, part in built.items():
        cache.keep(key_of(contract), part, weigh)
    return [
        built[contract] if part is None else cast(T, part)
        for contract, part in zip(wanted, found, strict=True)
    ]
