"""Helpers for the entry tests: accounts, a small plan on an empty database, table snapshots."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.tokens import to_account
from dashboard.db.engine import session_scope
from dashboard.db.models import (
    AuditEvent,
    Axis,
    Contract,
    Cti,
    EntryStatus,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    Plan,
    ProgressUpdate,
)
from dashboard.domain.periods import Period
from dashboard.services.users import create_user, find_user

PASSWORD = "motdepasse-de-test-1"
TODAY = date(2026, 11, 29)


def make_account(engine: Engine, username: str, role: str, cti: str | None = None) -> Account:
    """Create a user (or reuse it) and return the Account services receive."""
    with session_scope(engine) as session:
        user = find_user(session, username)
        if user is None:
            user = create_user(session, username=username, role=role, password=PASSWORD, cti=cti)
            session.flush()
        return to_account(session, user)


def seed_small_plan(engine: Engine) -> dict[str, int]:
    """Load the reference facts and give CETIA two indicators and an envelope line per axis."""
    from dashboard.services.reference import seed_reference

    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "2022-2025")).one()
        cti = session.exec(select(Cti).where(Cti.acronym == "CETIA")).one()
        contract = session.exec(
            select(Contract).where(Contract.cti_id == cti.id, Contract.plan_id == plan.id)
        ).one()
        axis = session.exec(select(Axis).where(Axis.plan_id == plan.id, Axis.number == 1)).one()
        firms = Indicator(
            contract_id=contract.id,
            axis_id=axis.id,
            code="CETIA-A1-01",
            label="Entreprises bénéficiaires",
            unit="entreprises",
            baseline_value=100,
        )
        share = Indicator(
            contract_id=contract.id,
            axis_id=axis.id,
            code="CETIA-A1-02",
            label="Part du personnel qualifié",
            unit="%",
            baseline_value=40,
        )
        session.add_all([firms, share])
        session.flush()
        for year, value in ((2022, 120), (2023, 150), (2024, 200), (2025, 260)):
            session.add(IndicatorTarget(indicator_id=firms.id, year=year, value=value))
        line = EnvelopeLine(contract_id=contract.id, axis_id=axis.id, year=2023, amount_mdh=10.0)
        session.add(line)
        contract.envelope_mdh = 10.0
        session.add(contract)
        session.flush()
        assert firms.id and share.id and contract.id and axis.id and line.id
        return {
            "firms": firms.id,
            "share": share.id,
            "contract": contract.id,
            "axis": axis.id,
            "line": line.id,
        }


def indicator_of(engine: Engine, acronym: str, unit: str | None = None) -> Indicator:
    """Return the first indicator of a CTI (with that unit, if given)."""
    with Session(engine) as session:
        query = (
            select(Indicator)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(Cti.acronym == acronym)
            .order_by(col(Indicator.id))
        )
        if unit is not None:
            query = query.where(Indicator.unit == unit)
        return session.exec(query).first()  # type: ignore[return-value]


def row_of(engine: Engine, update_id: int) -> ProgressUpdate:
    """Read a progress row afresh."""
    with Session(engine) as session:
        row = session.get(ProgressUpdate, update_id)
        assert row is not None
        return row


def validated_row(engine: Engine, indicator_id: int) -> ProgressUpdate:
    """Return the latest official value of an indicator."""
    with Session(engine) as session:
        return session.exec(
            select(ProgressUpdate)
            .where(
                ProgressUpdate.indicator_id == indicator_id,
                ProgressUpdate.status == EntryStatus.VALIDATED.value,
                col(ProgressUpdate.is_superseded).is_(False),
            )
            .order_by(col(ProgressUpdate.year).desc(), col(ProgressUpdate.quarter).desc())
        ).first()  # type: ignore[return-value]


FREE_PERIOD = Period(2024)  # the demo data enters quarters only: a whole year is free


def snapshot(engine: Engine, *, exclude: tuple[str, ...] = ("auditevent",)) -> dict[str, Any]:
    """Return every row of every table (but the audit log) to compare before and after."""
    tables = [t for t in inspect(engine).get_table_names() if t not in exclude]
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in sorted(tables):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def audit_events(engine: Engine, *, outcome: str | None = None) -> list[AuditEvent]:
    """Return the audit events, oldest first."""
    with Session(engine) as session:
        query = select(AuditEvent).order_by(col(AuditEvent.id))
        if outcome is not None:
            query = query.where(AuditEvent.outcome == outcome)
        return list(session.exec(query).all())
