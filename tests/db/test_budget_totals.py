"""The totals above /budget's movements add up the movements listed (issue 19.14)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Axis, BudgetMovement, Contract, Cti, EnvelopeLine
from dashboard.services.budget_entry_views import (
    MovementFilter,
    movement_rows,
    movement_totals,
    selection_label,
)


def _cetia(engine: Engine) -> tuple[int, int]:
    """Return CETIA's current contract and the axis of its first envelope line."""
    with Session(engine) as session:
        contract = session.exec(
            select(Contract).join(Cti).where(Cti.acronym == "CETIA").order_by(Contract.id.desc())  # type: ignore[union-attr]
        ).first()
        assert contract is not None and contract.id is not None
        line = session.exec(
            select(EnvelopeLine).where(EnvelopeLine.contract_id == contract.id)
        ).first()
        assert line is not None
        return contract.id, line.axis_id


def _expected(engine: Engine, where: MovementFilter) -> dict[str, float]:
    """Add up, by hand, the rows the page lists for the selection (every state)."""
    with session_scope(engine) as session:
        rows = movement_rows(session, where=replace(where, status=None))
        lines = session.exec(
            select(EnvelopeLine).where(EnvelopeLine.contract_id == where.contract_id)
        ).all()
    sums = {"committed": 0.0, "disbursed": 0.0, "pending_committed": 0.0, "pending_disbursed": 0.0}
    for row in rows:
        stem = "committed" if row["kind_code"] == "commitment" else "disbursed"
        if row["status_code"] == "validated":
            sums[stem] += row["amount"]
        elif row["status_code"] == "submitted":
            sums[f"pending_{stem}"] += row["amount"]
    sums["envelope"] = sum(
        line.amount_mdh
        for line in lines
        if where.axis_id in (None, line.axis_id) and where.year in (None, line.year)
    )
    return sums


@pytest.mark.parametrize("narrow", ["contract", "axis", "year", "status"])
def test_totals_add_up_the_movements_of_the_selection(engine: Engine, narrow: str) -> None:
    contract_id, axis_id = _cetia(engine)
    where = MovementFilter(
        contract_id=contract_id,
        axis_id=axis_id if narrow == "axis" else None,
        year=2024 if narrow == "year" else None,
        # The state filter narrows the list, not the totals: they always show every state.
        status="draft" if narrow == "status" else None,
    )
    with session_scope(engine) as session:
        totals = movement_totals(session, where=where)
    expected = _expected(engine, where)
    assert totals.committed + totals.disbursed > 0
    for name, value in expected.items():
        assert getattr(totals, name) == pytest.approx(value), name


def test_pending_counts_submitted_movements_only(engine: Engine) -> None:
    contract_id, axis_id = _cetia(engine)
    where = MovementFilter(contract_id=contract_id)
    with session_scope(engine) as session:
        before = movement_totals(session, where=where)
        movement = session.exec(
            select(BudgetMovement).where(
                BudgetMovement.contract_id == contract_id,
                BudgetMovement.status == "validated",
                BudgetMovement.kind == "commitment",
            )
        ).first()
        assert movement is not None
        amount = movement.amount_mdh
        movement.status = "submitted"
        session.add(movement)
        session.flush()
        after = movement_totals(session, where=where)
        movement.status = "draft"
        session.add(movement)
        session.flush()
        draft = movement_totals(session, where=where)
        axis = session.get(Axis, axis_id)
        label = selection_label(
            session, where=MovementFilter(contract_id=contract_id, axis_id=axis_id, year=2025)
        )
    assert after.committed == pytest.approx(before.committed - amount)
    assert after.pending_committed == pytest.approx(before.pending_committed + amount)
    assert (draft.committed, draft.pending_committed) == pytest.approx(
        (before.committed - amount, before.pending_committed)
    )
    assert axis is not None
    assert label == f"Totaux de la sélection (CETIA · axe {axis.number} · 2025) :"
