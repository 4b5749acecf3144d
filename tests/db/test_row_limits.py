"""Long lists send a limited number of rows, the most useful first, and say how many in all."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import BudgetMovement, Contract
from dashboard.services import budget_entry_views, calendar, calendar_views, entry_views
from dashboard.services.budget_entry_views import MovementFilter
from dashboard.services.row_limit import LimitedRows
from tests.conftest import DEMO_TODAY


def test_the_queue_keeps_the_oldest_submissions_and_counts_them_all(engine: Engine) -> None:
    with Session(engine) as session:
        whole = entry_views.queue_rows(session)
        first = entry_views.queue_page(session, limit=5)
        cti = session.exec(select(Contract.cti_id)).first()
        one = entry_views.queue_page(session, cti_id=cti)
    assert len(whole) > 5 and first.total == len(whole) and first.rows == whole[:5]
    assert "valeurs soumises : les 5 plus anciennes sont affichées" in first.note(
        entry_views.QUEUE_LIMITED
    )
    assert not one.limited and one.note(entry_views.QUEUE_LIMITED) == ""


def test_movements_newest_first_filtered_and_counted(engine: Engine) -> None:
    with Session(engine) as session:
        contract = session.exec(select(Contract.id)).first()
        where = MovementFilter(contract_id=contract)
        everything = budget_entry_views.movement_rows(session, where=where)
        page = budget_entry_views.movement_page(session, where=where, limit=10)
        stored = session.exec(
            select(BudgetMovement).where(
                BudgetMovement.contract_id == contract,
                BudgetMovement.is_superseded == False,  # noqa: E712
            )
        ).all()
        axis, year = stored[0].axis_id, stored[0].on_date.year
        narrow = MovementFilter(contract_id=contract, axis_id=axis, year=year, status="validated")
        filtered = budget_entry_views.movement_page(session, where=narrow)
    assert page.total == len(everything) == len(stored) > 10
    assert page.rows == everything[:10]
    dates = [r["on_date"] for r in everything]
    assert dates == sorted(dates, reverse=True)
    expected = {
        m.id
        for m in stored
        if m.axis_id == axis and m.on_date.year == year and m.status == "validated"
    }
    assert {r["id"] for r in filtered.rows} == expected and filtered.total == len(expected)
    assert "mouvements : les 10 plus récents" in page.note(budget_entry_views.MOVEMENTS_LIMITED)


def test_the_freshness_list_keeps_the_most_out_of_date(engine: Engine) -> None:
    view = calendar.freshness(engine=engine, today=DEMO_TODAY)
    with Session(engine) as session:
        alone = calendar.indicator_freshness(session, today=DEMO_TODAY)
    assert alone == view.indicators
    limited = calendar_views.limited_indicator_rows(view.indicators, limit=10)
    assert isinstance(limited, LimitedRows) and limited.total == 84 and len(limited.rows) == 10
    shown = {r["indicator_id"] for r in limited.rows}
    ages = sorted(
        (f.age_days if f.age_days is not None else 10**9 for f in view.indicators), reverse=True
    )
    assert sorted(
        (f.age_days if f.age_days is not None else 10**9)
        for f in view.indicators
        if f.indicator_id in shown
    ) == sorted(ages[:10])
    order = [r["indicator_id"] for r in calendar_views.indicator_rows(view)]
    ids = [r["indicator_id"] for r in limited.rows]
    assert ids == [i for i in order if i in shown]  # in the list's order (CTI, code)
    assert calendar_views.limited_indicator_rows(view.indicators).rows == (
        calendar_views.indicator_rows(view)
    )
