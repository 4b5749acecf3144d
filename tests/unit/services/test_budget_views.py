"""Money read models against independent SQL on the demo database (DEMO_TODAY = 2026-11-29)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from dashboard.services.budget_views import (
    budget_frame,
    budget_frame_and_series,
    disbursement_series,
    envelope_grid,
    group_budget,
    reference_paths,
    totals,
)
from dashboard.services.scope import PlanScope, load_scope
from tests.conftest import DEMO_TODAY

PLAN = "(SELECT id FROM plan WHERE code = '2022-2025')"


def sql_sum(engine: Engine, query: str) -> float:
    with engine.connect() as conn:
        value = conn.exec_driver_sql(query).scalar()
    return float(value or 0.0)


def movements_sql(kind: str, status: str = "validated", until: str = "9999-12-31") -> str:
    return (
        "SELECT SUM(m.amount_mdh) FROM budgetmovement m JOIN contract c ON c.id = m.contract_id "
        f"WHERE c.plan_id = {PLAN} AND m.kind = '{kind}' AND m.status = '{status}' "
        f"AND NOT m.is_superseded AND m.on_date <= '{until}'"
    )


@pytest.fixture
def scope(engine: Engine) -> PlanScope:
    return load_scope(engine=engine, today=DEMO_TODAY)


def test_totals_to_date_match_sql_sums_of_validated_movements(
    engine: Engine, scope: PlanScope
) -> None:
    money = totals(budget_frame(engine=engine, scope=scope))
    envelope = sql_sum(
        engine,
        "SELECT SUM(l.amount_mdh) FROM envelopeline l JOIN contract c ON c.id = l.contract_id "
        f"WHERE c.plan_id = {PLAN}",
    )
    assert money.envelope == pytest.approx(envelope)
    assert money.committed == pytest.approx(sql_sum(engine, movements_sql("commitment")))
    assert money.disbursed == pytest.approx(sql_sum(engine, movements_sql("disbursement")))
    pending = sql_sum(engine, movements_sql("disbursement", "submitted")) + sql_sum(
        engine, movements_sql("disbursement", "draft")
    )
    assert money.pending_disbursed == pytest.approx(pending)
    # The demo has movements in every state: pending money is real and kept apart.
    assert money.pending_disbursed > 0
    assert money.disbursed <= money.committed <= money.envelope <= scope.envelope


def test_a_past_year_counts_movements_up_to_its_last_day(engine: Engine) -> None:
    scope = load_scope(engine=engine, today=DEMO_TODAY, year=2023)
    assert scope.cutoff == date(2023, 12, 31) and not scope.to_date
    money = totals(budget_frame(engine=engine, scope=scope))
    until = "2023-12-31"
    assert money.disbursed == pytest.approx(
        sql_sum(engine, movements_sql("disbursement", until=until))
    )
    assert money.committed == pytest.approx(
        sql_sum(engine, movements_sql("commitment", until=until))
    )
    scheduled = sql_sum(
        engine,
        "SELECT SUM(l.amount_mdh) FROM envelopeline l JOIN contract c ON c.id = l.contract_id "
        f"WHERE c.plan_id = {PLAN} AND l.year <= 2023",
    )
    assert money.scheduled == pytest.approx(scheduled)
    assert money.scheduled < money.envelope


def test_by_axis_and_by_cti_add_up_to_the_totals(engine: Engine, scope: PlanScope) -> None:
    frame = budget_frame(engine=engine, scope=scope)
    by_axis = group_budget(frame, "axis")
    by_cti = group_budget(frame, "acronym")
    assert list(by_axis["axis"]) == [1, 2, 3, 4, 5]
    assert len(by_cti) == 9
    for column in ("envelope", "committed", "disbursed"):
        assert by_axis[column].sum() == pytest.approx(frame[column].sum())
        assert by_cti[column].sum() == pytest.approx(frame[column].sum())
    axis_2 = sql_sum(
        engine,
        movements_sql("commitment") + " AND m.axis_id = (SELECT id FROM axis WHERE number = 2 "
        f"AND plan_id = {PLAN})",
    )
    assert by_axis.loc[by_axis["axis"] == 2, "committed"].item() == pytest.approx(axis_2)
    row = by_axis.iloc[0]
    assert row["disbursement_rate"] == pytest.approx(row["disbursed"] / row["envelope"])


def test_one_cti_envelope_grid_matches_its_lines(engine: Engine, scope: PlanScope) -> None:
    grid = envelope_grid(engine=engine, scope=scope, acronym="CETIA")
    assert list(grid.columns) == ["axis", 2022, 2023, 2024, 2025]
    expected = sql_sum(
        engine,
        "SELECT SUM(l.amount_mdh) FROM envelopeline l JOIN contract c ON c.id = l.contract_id "
        f"JOIN cti ON cti.id = c.cti_id WHERE c.plan_id = {PLAN} AND cti.acronym = 'CETIA' "
        "AND l.year = 2024",
    )
    assert grid[2024].sum() == pytest.approx(expected)
    contract = sql_sum(
        engine,
        "SELECT c.envelope_mdh FROM contract c JOIN cti ON cti.id = c.cti_id "
        "WHERE cti.acronym = 'CETIA'",
    )
    assert grid[[2022, 2023, 2024, 2025]].to_numpy().sum() == pytest.approx(contract)


def test_cumulative_series_ends_at_the_totals(engine: Engine, scope: PlanScope) -> None:
    series = disbursement_series(engine=engine, scope=scope)
    money = totals(budget_frame(engine=engine, scope=scope))
    assert series["disbursed"].iloc[-1] == pytest.approx(money.disbursed)
    assert series["committed"].iloc[-1] == pytest.approx(money.committed)
    assert series["disbursed"].is_monotonic_increasing
    # Payments of the plan's commitments go on after its end (the demo pays until March 2026).
    assert series["date"].iloc[-1] > date(2025, 12, 31)
    one = disbursement_series(engine=engine, scope=scope, acronym="CTTH")
    assert one["disbursed"].iloc[-1] < money.disbursed


@pytest.mark.parametrize("acronym", [None, "CTTH"])
def test_one_read_gives_the_frame_and_the_series_of_two(
    engine: Engine, scope: PlanScope, acronym: str | None
) -> None:
    """Pages showing both read the movements once: the same frame, the same validated curve."""
    frame, series = budget_frame_and_series(engine=engine, scope=scope, acronym=acronym)
    assert series.equals(disbursement_series(engine=engine, scope=scope, acronym=acronym))
    # The frame against independent SQL: validated and pending movements, each where it goes.
    only = (
        ""
        if acronym is None
        else f" AND c.cti_id = (SELECT id FROM cti WHERE acronym = '{acronym}')"
    )
    until = scope.cutoff.isoformat()
    for column, kind, status in (
        ("disbursed", "disbursement", "validated"),
        ("committed", "commitment", "validated"),
        ("pending_disbursed", "disbursement", "submitted"),
    ):
        expected = sql_sum(engine, movements_sql(kind, status, until) + only)
        if status == "submitted":
            expected += sql_sum(engine, movements_sql(kind, "draft", until) + only)
        assert frame[column].sum() == pytest.approx(expected), column
    # Pending movements are in the frame, never in the curve of what was paid.
    assert frame["pending_disbursed"].sum() > 0
    assert series["disbursed"].iloc[-1] == pytest.approx(frame["disbursed"].sum())


def test_reference_paces_are_the_linear_path_and_the_2014_2020_spending(
    engine: Engine, scope: PlanScope
) -> None:
    paths = reference_paths(engine=engine, scope=scope, envelope=scope.envelope)
    assert list(paths["date"]) == [date(y, 1, 1) for y in range(2022, 2027)]
    # 250 MDH over four years: 62.5 MDH a year.
    assert list(paths["linear"]) == pytest.approx([0.0, 62.5, 125.0, 187.5, 250.0])
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.amount_mdh FROM planspending s JOIN plan p ON p.id = s.plan_id "
            "WHERE p.code = '2014-2020' ORDER BY s.year"
        ).all()
    spent, running = [], 0.0
    for (amount,) in rows[:4]:  # the same first four plan years, 2014-2017
        running += amount
        spent.append(running)
    assert list(paths["baseline_pace"]) == pytest.approx([0.0, *spent])
