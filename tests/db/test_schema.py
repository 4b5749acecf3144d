"""The database enforces what it can, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.migrate import downgrade, upgrade
from dashboard.db.models import (
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    Indicator,
    IndicatorTarget,
    Plan,
    ProgressUpdate,
)
from dashboard.services.reference import seed_reference


def _world(engine: Engine) -> dict[str, int]:
    """Seed the reference facts and one indicator; return the ids the tests need."""
    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        contract = session.exec(select(Contract)).first()
        axis = session.exec(select(Axis)).first()
        assert contract and axis and contract.id and axis.id
        indicator = Indicator(
            contract_id=contract.id,
            axis_id=axis.id,
            code="T-1",
            label="Entreprises",
            unit="entreprises",
            baseline_value=10,
        )
        session.add(indicator)
        session.flush()
        assert indicator.id
        return {"contract": contract.id, "axis": axis.id, "indicator": indicator.id}


def _refused(engine: Engine, row: object) -> None:
    """Assert that inserting the row is refused by the database and leaves nothing."""
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(row)
        session.flush()


def test_unique_cti_acronym(any_engine: Engine) -> None:
    _world(any_engine)
    _refused(any_engine, Cti(acronym="CETIA", name="x", sector="x", federation="x"))


def test_one_contract_per_cti_and_plan(any_engine: Engine) -> None:
    ids = _world(any_engine)
    with Session(any_engine) as session:
        contract = session.get(Contract, ids["contract"])
        assert contract
        plan_id, cti_id = contract.plan_id, contract.cti_id
    _refused(any_engine, Contract(plan_id=plan_id, cti_id=cti_id))


def test_one_target_per_indicator_and_year(any_engine: Engine) -> None:
    ids = _world(any_engine)
    with session_scope(any_engine) as session:
        session.add(IndicatorTarget(indicator_id=ids["indicator"], year=2023, value=12))
    _refused(any_engine, IndicatorTarget(indicator_id=ids["indicator"], year=2023, value=13))


def test_foreign_keys_are_enforced(any_engine: Engine) -> None:
    _world(any_engine)
    _refused(any_engine, IndicatorTarget(indicator_id=999_999, year=2023, value=1))


def test_negative_amounts_are_refused(any_engine: Engine) -> None:
    ids = _world(any_engine)
    _refused(
        any_engine,
        BudgetMovement(
            contract_id=ids["contract"],
            axis_id=ids["axis"],
            kind="commitment",
            on_date=date(2023, 5, 1),
            amount_mdh=-1,
        ),
    )
    _refused(
        any_engine, Plan(code="X", title="x", first_year=2030, last_year=2031, envelope_mdh=-5)
    )


def test_unknown_status_and_kind_are_refused(any_engine: Engine) -> None:
    ids = _world(any_engine)
    _refused(
        any_engine,
        ProgressUpdate(indicator_id=ids["indicator"], year=2023, quarter=1, value=1, status="ok"),
    )
    _refused(
        any_engine,
        BudgetMovement(
            contract_id=ids["contract"],
            axis_id=ids["axis"],
            kind="gift",
            on_date=date(2023, 5, 1),
            amount_mdh=1,
        ),
    )


def test_one_pending_value_per_indicator_and_period(any_engine: Engine) -> None:
    ids = _world(any_engine)
    key = {"indicator_id": ids["indicator"], "year": 2023, "quarter": 2}
    with session_scope(any_engine) as session:
        session.add(ProgressUpdate(**key, value=1, status="validated"))
        session.add(ProgressUpdate(**key, value=2, status="validated"))
        session.add(ProgressUpdate(**key, value=3, status="draft"))
    _refused(any_engine, ProgressUpdate(**key, value=4, status="submitted"))
    with Session(any_engine) as session:
        assert len(session.exec(select(ProgressUpdate)).all()) == 3


def test_refused_write_changes_nothing(any_engine: Engine) -> None:
    ids = _world(any_engine)
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        session.add(IndicatorTarget(indicator_id=ids["indicator"], year=2024, value=1))
        session.flush()
        session.add(IndicatorTarget(indicator_id=ids["indicator"], year=2024, value=2))
        session.flush()
    with Session(any_engine) as session:
        assert session.exec(select(IndicatorTarget)).all() == []


def test_migrations_go_down_and_up_again(any_engine: Engine) -> None:
    downgrade(any_engine, "base")
    assert set(inspect(any_engine).get_table_names()) <= {"alembic_version"}
    upgrade(any_engine)
    assert {"plan", "indicator", "progressupdate", "auditevent"} <= set(
        inspect(any_engine).get_table_names()
    )


def test_sqlite_pragmas(empty_engine: Engine) -> None:
    if empty_engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with empty_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
