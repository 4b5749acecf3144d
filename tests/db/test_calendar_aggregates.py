"""The calendar computed by database aggregates gives what the per-value computation gave."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.auth.account import COMMAND_LINE
from dashboard.db.engine import session_scope
from dashboard.db.models import Cti, EntryStatus
from dashboard.domain.calendar import (
    expected_period,
    figure_age_days,
    is_stale,
    period_last_day,
    period_status,
    reporting_periods,
    value_state,
)
from dashboard.domain.periods import Period
from dashboard.services import calendar
from dashboard.services.calendar import (
    CtiCalendar,
    Freshness,
    IndicatorFreshness,
    IndicatorRef,
    PeriodKey,
)
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import Q4, add_value, day, seed_calendar, validate_history


def _latest_validated(by_period: dict[PeriodKey, set[str]]) -> Period | None:
    validated = [
        Period(year, quarter or None)
        for (year, quarter), statuses in by_period.items()
        if EntryStatus.VALIDATED.value in statuses
    ]
    return max(validated, key=period_last_day) if validated else None


def _reference(session: Session, *, today: date, cti_id: int | None = None) -> Freshness:
    """Compute the calendar as it was before the aggregates: every current status in Python."""
    plan = calendar.current_plan(session)
    assert plan.id is not None
    rule = calendar.load_rule(session, plan.id)
    periods = reporting_periods(plan.first_year, plan.last_year, rule.frequency)
    opened = calendar.opened_periods(periods, today=today, rule=rule)
    expected = expected_period(periods, today=today, rule=rule)
    refs = [r for r in calendar.plan_indicators(session, plan.id) if cti_id in (None, r.cti_id)]
    # Seen on a past day (an as-of view), the values of later years did not exist yet.
    years = (plan.first_year, min(plan.last_year, today.year))
    statuses = calendar.value_statuses(session, [r.indicator_id for r in refs], years)
    names = dict(session.exec(select(Cti.id, Cti.name)).all())
    by_cti: dict[int, list[IndicatorRef]] = defaultdict(list)
    fresh = []
    for ref in refs:
        by_cti[ref.cti_id].append(ref)
        latest = _latest_validated(statuses.get(ref.indicator_id, {}))
        fresh.append(
            IndicatorFreshness(
                indicator_id=ref.indicator_id,
                cti_id=ref.cti_id,
                acronym=ref.acronym,
                code=ref.code,
                label=ref.label,
                latest=latest,
                age_days=figure_age_days(latest, today) if latest else None,
                stale=is_stale(latest, expected=expected),
            )
        )
    ctis = [
        CtiCalendar(
            cti,
            members[0].acronym,
            names.get(cti, ""),
            len(members),
            [
                period_status(
                    period,
                    (
                        value_state(
                            statuses.get(r.indicator_id, {}).get(calendar.period_key(period), ())
                        )
                        for r in members
                    ),
                    today=today,
                    rule=rule,
                )
                for period in opened
            ],
        )
        for cti, members in by_cti.items()
    ]
    return Freshness(
        today=today,
        plan_id=plan.id,
        plan_code=plan.code,
        rule=rule,
        periods=periods,
        expected=expected,
        ctis=ctis,
        indicators=fresh,
        stale_ids=frozenset(f.indicator_id for f in fresh if f.stale),
    )


def _assert_same(engine: Engine, today: date, cti_id: int | None = None) -> Freshness:
    with Session(engine) as session:
        expected = _reference(session, today=today, cti_id=cti_id)
        found = calendar.build_freshness(session, today=today, cti_id=cti_id)
    assert found.ctis == expected.ctis
    assert found.indicators == expected.indicators
    assert found == expected
    return found


DAYS = [DEMO_TODAY, day("2022-01-02"), day("2023-04-10"), day("2024-08-01"), day("2026-01-08")]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_demo_calendar_matches_the_per_value_computation(engine: Engine, today: date) -> None:
    view = _assert_same(engine, today)
    assert len(view.ctis) == 9 and len(view.indicators) == 84


def test_one_cti_and_an_unknown_one_match(engine: Engine) -> None:
    whole = _assert_same(engine, DEMO_TODAY)
    for cti in whole.ctis:
        assert _assert_same(engine, DEMO_TODAY, cti.cti_id).ctis == [cti]
    assert _assert_same(engine, DEMO_TODAY, -1).ctis == []


def test_yearly_rule_matches(engine: Engine) -> None:
    with session_scope(engine) as session:
        calendar.set_rule(session, actor=COMMAND_LINE, due_days=30, frequency="yearly")
    view = _assert_same(engine, DEMO_TODAY)
    assert view.rule.frequency == "yearly" and view.expected == Period(2025)


def test_every_value_state_is_counted_like_one_value_at_a_time(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    validate_history(any_engine, ids, upto=Period(2025, 2))
    first, second, other = ids["CETIA-01"], ids["CETIA-02"], ids["CTTH-01"]
    add_value(any_engine, first, Period(2025, 3), "rejected", reason="Source manquante")
    add_value(any_engine, first, Period(2025, 3), "draft")  # entered again after the return
    add_value(any_engine, second, Period(2025, 3), "rejected", reason="Doublon")
    add_value(any_engine, second, Period(2025, 2), "submitted")  # a correction waiting
    add_value(any_engine, other, Q4, "submitted")
    add_value(any_engine, other, Period(2024), "validated")  # a whole-year figure
    for today in ("2025-10-20", "2026-01-16", "2026-06-30"):
        _assert_same(any_engine, day(today))


def test_a_whole_year_figure_counts_as_its_fourth_quarter(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    add_value(any_engine, ids["CETIA-01"], Period(2024, 3), "validated")
    add_value(any_engine, ids["CETIA-01"], Period(2024), "validated")
    add_value(any_engine, ids["CETIA-02"], Period(2024), "validated")
    add_value(any_engine, ids["CETIA-02"], Period(2024, 4), "validated")
    view = calendar.freshness(engine=any_engine, today=day("2025-02-01"))
    latest = {f.code: f.latest for f in view.indicators}
    assert latest == {"CETIA-01": Period(2024), "CETIA-02": Period(2024), "CTTH-01": None}
    assert view.expected == Period(2024, 4) and view.stale_ids == {ids["CTTH-01"]}
