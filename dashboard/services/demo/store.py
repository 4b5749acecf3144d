"""The database side of the demo: find what it builds on, write its rows, remove them again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from dashboard.db.models import (
    Amendment,
    AuditEvent,
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    NetworkFigure,
    Origin,
    Plan,
    PlanSpending,
    ProgressUpdate,
)
from dashboard.i18n import _
from dashboard.services.demo.common import ContractRef
from dashboard.services.demo.indicators import IndicatorSpec
from dashboard.services.demo.recipe import DemoDataError, Recipe

ILLUSTRATIVE = Origin.ILLUSTRATIVE.value
# AuditEvent has no origin column: the illustrative trail (scale > 1) starts its detail so.
AUDIT_MARK = "illustratif"
# The tables the demo writes to, children before their parents (the order deletes need).
DEMO_TABLES = (
    ProgressUpdate,
    BudgetMovement,
    IndicatorTarget,
    Indicator,
    EnvelopeLine,
    PlanSpending,
)


@dataclass(frozen=True)
class Setting:
    """The reference rows the demo builds on: plans, axes and the current plan's contracts."""

    plan: Plan
    baseline_plan: Plan
    axis_ids: dict[int, int]  # axis number -> id
    contracts: list[ContractRef]  # in acronym order, so the draws never depend on row ids
    signed_on: dict[str, date]
    network: dict[str, tuple[float, float]]  # metric -> (baseline total, growth factor)

    @property
    def years(self) -> list[int]:
        """Return the years of the current plan."""
        return list(range(self.plan.first_year, self.plan.last_year + 1))


def _plan(session: Session, code: str) -> Plan:
    plan = session.exec(select(Plan).where(Plan.code == code)).first()
    if plan is None:
        raise DemoDataError(
            _("Plan « {code} » absent : chargez d'abord les données de référence.", code=code)
        )
    return plan


def load_setting(session: Session, recipe: Recipe) -> Setting:
    """Read the plans, axes, contracts and network figures loaded by ``seed_reference``."""
    plan = _plan(session, recipe.params.text("plan"))
    baseline_plan = _plan(session, recipe.params.text("baseline_plan"))
    axes = session.exec(select(Axis).where(Axis.plan_id == plan.id)).all()
    rows = session.exec(
        select(Contract, Cti)
        .join(Cti)
        .where(Contract.plan_id == plan.id)
        .order_by(col(Cti.acronym))
    ).all()
    if not rows or not axes:
        raise DemoDataError(
            _(
                "Aucun contrat ou axe pour le plan {code} : chargez d'abord les données de "
                "référence.",
                code=plan.code,
            )
        )
    fallback = plan.signed_on or date(plan.first_year, 1, 1)
    return Setting(
        plan=plan,
        baseline_plan=baseline_plan,
        axis_ids={axis.number: axis.id or 0 for axis in axes},
        contracts=[
            ContractRef(cti.acronym, contract.id or 0, recipe.cti_sizes.get(cti.acronym, 1.0))
            for contract, cti in rows
        ],
        signed_on={cti.acronym: contract.signed_on or fallback for contract, cti in rows},
        network=_network(session, recipe),
    )


def _network(session: Session, recipe: Recipe) -> dict[str, tuple[float, float]]:
    """Return (baseline total, growth factor) per network metric, public figures first."""
    metrics = recipe.params.section("network").section("metrics")
    result = {}
    for metric in map(str, metrics.data):
        figures = session.exec(
            select(NetworkFigure)
            .where(NetworkFigure.metric == metric)
            .order_by(col(NetworkFigure.year))
        ).all()
        actual = [f.value for f in figures if f.kind == "actual"]
        growth = [f.value for f in figures if f.kind == "growth_target"]
        total = actual[-1] if actual else metrics.section(metric).number("baseline_total")
        pct = growth[-1] if growth else metrics.section(metric).number("growth_pct")
        result[metric] = (total, 1.0 + pct / 100.0)
    return result


def insert_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert many rows in one statement (far faster than one ORM object per row)."""
    if rows:
        session.exec(insert(table), params=list(rows))
    return len(rows)


def reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """Return ``count`` new primary keys for a table, so that rows can point at each other.

    PostgreSQL hands them out from the table's sequence (safe beside other writers); SQLite
    has one writer at a time, and this transaction already holds the write lock.
    """
    if count == 0:
        return []
    name = table.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(f'"{name}"', "id")
        values = session.exec(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        ).all()
        return sorted(int(value) for value in values)
    highest = session.exec(select(func.coalesce(func.max(table.id), 0))).one()
    return list(range(int(highest) + 1, int(highest) + 1 + count))


def _bind_processor(column: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """Return the conversion SQLAlchemy applies to a column's values for this database."""
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(
        dialect
    )
    return processor


def copy_rows(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Insert many rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    Several times faster than SQLAlchemy's executemany, which processes every value in Python;
    for the million-row audit trail of ``--scale 100``. Every row must have the same keys;
    values go through the column types' own conversions, so times must be timezone-aware.
    """
    if not rows:
        return 0
    name = table.__tablename__
    # The driver knows nothing of the models' defaults: add the plain ones the rows leave out.
    defaults = {
        column.name: column.default.arg
        for column in table.__table__.columns
        if column.default is not None and column.default.is_scalar and column.name not in rows[0]
    }
    columns = [*rows[0], *defaults]
    rows = [{**defaults, **row} for row in rows] if defaults else rows
    names = ", ".join(f'"{column}"' for column in columns)
    dialect = session.get_bind().dialect
    # The column types' own conversions for this database (UTC times, booleans...), applied
    # once per value without the per-row work of a SQLAlchemy statement.
    processors = [
        (i, processor)
        for i, column in enumerate(columns)
        if (processor := _bind_processor(table.__table__.columns[column], dialect)) is not None
    ]
    values = []
    for row in rows:
        record = [row[column] for column in columns]
        for i, processor in processors:
            record[i] = processor(record[i])
        values.append(record)
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a live DBAPI connection: the session is in a transaction
    if dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
            for record in values:
                copy.write_row(record)
        return len(rows)
    marks = ", ".join("?" for _ in columns)
    cursor = driver.cursor()
    try:
        cursor.executemany(
            f'INSERT INTO "{name}" ({names}) VALUES ({marks})',  # noqa: S608 - our own names
            values,
        )
    finally:
        cursor.close()
    return len(rows)


def set_contract_envelopes(session: Session, totals_mdh: dict[int, float]) -> int:
    """Set each contract's envelope to the sum of its lines; return how many were set."""
    for contract_id, total in totals_mdh.items():
        contract = session.get(Contract, contract_id)
        if contract is not None:
            contract.envelope_mdh = total
            session.add(contract)
    return len(totals_mdh)


def write_indicators(
    session: Session, specs: Sequence[IndicatorSpec], axis_ids: dict[int, int]
) -> tuple[list[int], int]:
    """Insert the indicators and their yearly targets; return the ids and the target count."""
    indicators = [
        Indicator(
            contract_id=spec.contract_id,
            axis_id=axis_ids[spec.entry.axis],
            code=spec.code,
            label=spec.label,
            unit=spec.entry.unit,
            direction=spec.entry.direction,
            baseline_value=spec.baseline,
            network_metric=spec.network_metric,
            baseline_measure=spec.entry.baseline_measure,
            like_for_like=spec.entry.like_for_like,
            origin=ILLUSTRATIVE,
        )
        for spec in specs
    ]
    session.add_all(indicators)
    session.flush()
    ids = [indicator.id or 0 for indicator in indicators]
    targets = [
        {"indicator_id": indicator_id, "year": year, "value": value, "origin": ILLUSTRATIVE}
        for spec, indicator_id in zip(specs, ids, strict=True)
        for year, value in sorted(spec.targets.items())
    ]
    return ids, insert_rows(session, IndicatorTarget, targets)


def has_demo_data(session: Session) -> bool:
    """Tell whether any illustrative row written by the demo is in the database."""
    return any(
        session.exec(
            select(col(table.id)).where(col(table.origin) == ILLUSTRATIVE).limit(1)
        ).first()
        is not None
        for table in DEMO_TABLES
    )


def clear_demo(session: Session) -> None:
    """Delete the illustrative rows the demo wrote, refusing if real entries depend on them."""
    demo_indicators = select(col(Indicator.id)).where(col(Indicator.origin) == ILLUSTRATIVE)
    entered = session.exec(
        select(col(ProgressUpdate.id))
        .where(col(ProgressUpdate.indicator_id).in_(demo_indicators))
        .where(col(ProgressUpdate.origin) != ILLUSTRATIVE)
        .limit(1)
    ).first()
    if entered is not None:
        raise DemoDataError(
            _(
                "Des valeurs saisies portent sur des indicateurs illustratifs : supprimez-les ou "
                "remplacez ces indicateurs avant de régénérer les données de démonstration."
            )
        )
    demo_targets = select(col(IndicatorTarget.id)).where(
        or_(
            col(IndicatorTarget.origin) == ILLUSTRATIVE,
            col(IndicatorTarget.indicator_id).in_(demo_indicators),
        )
    )
    demo_lines = select(col(EnvelopeLine.id)).where(col(EnvelopeLine.origin) == ILLUSTRATIVE)
    # Amendments point at targets and lines by id without a foreign key: drop them with them.
    session.exec(
        delete(Amendment).where(
            or_(
                and_(col(Amendment.kind) == "target", col(Amendment.ref_id).in_(demo_targets)),
                and_(col(Amendment.kind) == "envelope", col(Amendment.ref_id).in_(demo_lines)),
            )
        )
    )
    session.exec(delete(IndicatorTarget).where(col(IndicatorTarget.id).in_(demo_targets)))
    session.exec(delete(AuditEvent).where(col(AuditEvent.detail).startswith(AUDIT_MARK)))
    for table in DEMO_TABLES:
        session.exec(delete(table).where(col(table.origin) == ILLUSTRATIVE))
    session.flush()
    session.expire_all()
