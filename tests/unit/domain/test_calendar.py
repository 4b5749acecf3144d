"""Reporting calendar: periods, due dates, states over a range of dates, reminders, staleness."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.calendar import (
    DEFAULT_RULE,
    OVERDUE_REMINDER_WINDOW_DAYS,
    Frequency,
    ReminderKind,
    ReportState,
    Rule,
    ValueState,
    cti_reminder,
    due_date,
    expected_period,
    figure_age_days,
    is_stale,
    period_last_day,
    period_status,
    reporting_periods,
    value_state,
)
from dashboard.domain.periods import Period

V = ValueState
Q4_2025 = Period(2025, 4)  # ends 31 December 2025, due 15 January 2026 by default


@pytest.mark.parametrize(
    ("period", "last_day", "due"),
    [
        (Period(2025, 1), date(2025, 3, 31), date(2025, 4, 15)),
        (Period(2025, 2), date(2025, 6, 30), date(2025, 7, 15)),
        (Period(2025, 3), date(2025, 9, 30), date(2025, 10, 15)),
        (Period(2025, 4), date(2025, 12, 31), date(2026, 1, 15)),
        (Period(2025), date(2025, 12, 31), date(2026, 1, 15)),
        (Period(2024, 1), date(2024, 3, 31), date(2024, 4, 15)),
    ],
)
def test_due_date_is_fifteen_days_after_the_period_by_default(
    period: Period, last_day: date, due: date
) -> None:
    assert period_last_day(period) == last_day
    assert due_date(period) == due


def test_due_days_are_configurable() -> None:
    assert due_date(Period(2025, 1), Rule(due_days=30)) == date(2025, 4, 30)
    assert due_date(Period(2025, 1), Rule(due_days=0)) == date(2025, 3, 31)


def test_a_plan_reports_quarterly_by_default_or_yearly() -> None:
    quarters = reporting_periods(2022, 2025)
    assert len(quarters) == 16
    assert quarters[0] == Period(2022, 1) and quarters[-1] == Period(2025, 4)
    assert reporting_periods(2022, 2025, Frequency.YEARLY) == [Period(y) for y in range(2022, 2026)]
    with pytest.raises(ValueError, match="Années inversées"):
        reporting_periods(2025, 2022, Frequency.YEARLY)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_days": -1}, "Délai de saisie invalide"),
        ({"due_days": 181}, "Délai de saisie invalide"),
        ({"lead_days": 61}, "Préavis de rappel invalide"),
        ({"frequency": "weekly"}, "Fréquence invalide"),
    ],
)
def test_an_impossible_rule_is_refused_in_french(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rule(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], V.MISSING),
        (["rejected"], V.REJECTED),
        (["rejected", "draft"], V.DRAFT),
        (["draft", "submitted"], V.SUBMITTED),
        (["validated", "draft"], V.VALIDATED),  # a correction pending: the validated one stands
        (["validated", "rejected"], V.VALIDATED),
    ],
)
def test_the_best_current_value_sets_an_indicators_state(
    statuses: list[str], expected: ValueState
) -> None:
    assert value_state(statuses) == expected


# A fixed clock: the same CTI figures for 2025-T4 seen on a range of dates.
@pytest.mark.parametrize(
    ("today", "states", "state", "days_late"),
    [
        (date(2025, 11, 20), [V.MISSING, V.MISSING], ReportState.NOT_STARTED, 0),
        (date(2026, 1, 2), [V.DRAFT, V.MISSING], ReportState.DRAFT, 0),
        (date(2026, 1, 15), [V.DRAFT, V.MISSING], ReportState.DRAFT, 0),  # due today: in time
        (date(2026, 1, 16), [V.DRAFT, V.MISSING], ReportState.OVERDUE, 1),
        (date(2026, 1, 16), [V.MISSING, V.MISSING], ReportState.OVERDUE, 1),
        (date(2026, 2, 14), [V.REJECTED, V.VALIDATED], ReportState.OVERDUE, 30),
        (date(2026, 3, 1), [V.SUBMITTED, V.VALIDATED], ReportState.SUBMITTED, 0),
        (date(2027, 1, 1), [V.VALIDATED, V.VALIDATED], ReportState.VALIDATED, 0),
    ],
)
def test_state_of_a_period_over_time(
    today: date, states: list[ValueState], state: ReportState, days_late: int
) -> None:
    status = period_status(Q4_2025, states, today=today)
    assert status.state == state
    assert status.days_late == days_late
    assert status.due == date(2026, 1, 15)


def test_counts_say_what_is_left_to_do() -> None:
    status = period_status(
        Q4_2025, [V.MISSING, V.DRAFT, V.REJECTED, V.SUBMITTED, V.VALIDATED], today=date(2026, 1, 1)
    )
    assert (status.to_submit, status.to_validate, status.returned) == (3, 1, 1)
    assert status.days_left == 14 and status.ended


value_states = st.lists(st.sampled_from(list(ValueState)), min_size=1, max_size=12)
days = st.dates(min_value=date(2021, 1, 1), max_value=date(2028, 12, 31))
periods = st.builds(
    Period, st.integers(2022, 2026), st.one_of(st.none(), st.integers(min_value=1, max_value=4))
)
rules = st.builds(Rule, st.sampled_from(list(Frequency)), st.integers(0, 180), st.integers(0, 60))


@given(periods, value_states, days, rules)
def test_overdue_exactly_when_the_due_date_passed_with_values_to_submit(
    period: Period, states: list[ValueState], today: date, rule: Rule
) -> None:
    status = period_status(period, states, today=today, rule=rule)
    to_submit = any(s not in (V.SUBMITTED, V.VALIDATED) for s in states)
    assert (status.state == ReportState.OVERDUE) == (today > status.due and to_submit)
    if status.state == ReportState.OVERDUE:
        assert status.days_late == (today - status.due).days >= 1
    else:
        assert status.days_late == 0
    assert (status.progress == ReportState.VALIDATED) == all(s == V.VALIDATED for s in states)
    assert status.state != ReportState.OVERDUE or status.progress != ReportState.VALIDATED


@given(periods, value_states, days, st.integers(1, 400))
def test_once_overdue_a_period_stays_overdue_and_grows_later(
    period: Period, states: list[ValueState], today: date, wait: int
) -> None:
    before = period_status(period, states, today=today)
    after = period_status(period, states, today=today + timedelta(days=wait))
    if before.state == ReportState.OVERDUE:
        assert after.state == ReportState.OVERDUE
        assert after.days_late == before.days_late + wait


def _reminder(today: date, states: list[ValueState], rule: Rule = DEFAULT_RULE) -> object:
    status = period_status(Q4_2025, states, today=today, rule=rule)
    return cti_reminder(status, today=today, rule=rule)


def test_reminders_follow_the_calendar() -> None:
    todo = [V.DRAFT, V.MISSING]
    assert _reminder(date(2026, 1, 7), todo) is None  # 8 days before the due date
    assert _reminder(date(2026, 1, 8), todo) == ReminderKind.PERIOD_DUE_SOON  # 7 days before
    assert _reminder(date(2026, 1, 15), todo) == ReminderKind.PERIOD_DUE_SOON
    assert _reminder(date(2026, 1, 16), todo) == ReminderKind.PERIOD_OVERDUE
    last = date(2026, 1, 15) + timedelta(days=OVERDUE_REMINDER_WINDOW_DAYS)
    assert _reminder(last, todo) == ReminderKind.PERIOD_OVERDUE
    assert _reminder(last + timedelta(days=1), todo) is None  # history, shown but not reminded
    assert _reminder(date(2026, 1, 3), todo, Rule(lead_days=20)) == ReminderKind.PERIOD_DUE_SOON


@given(days, st.lists(st.sampled_from([V.SUBMITTED, V.VALIDATED]), min_size=1, max_size=8))
def test_nothing_to_remind_once_everything_is_submitted(
    today: date, states: list[ValueState]
) -> None:
    assert _reminder(today, states) is None


def test_expected_period_is_the_latest_past_its_due_date() -> None:
    quarters = reporting_periods(2022, 2025)
    assert expected_period(quarters, today=date(2022, 4, 15), rule=DEFAULT_RULE) is None
    assert expected_period(quarters, today=date(2022, 4, 16), rule=DEFAULT_RULE) == Period(2022, 1)
    assert expected_period(quarters, today=date(2025, 8, 1), rule=DEFAULT_RULE) == Period(2025, 2)
    assert expected_period(quarters, today=date(2030, 1, 1), rule=DEFAULT_RULE) == Q4_2025


def test_stale_when_a_newer_period_is_past_due_without_a_validated_figure() -> None:
    assert not is_stale(None, expected=None)
    assert is_stale(None, expected=Period(2025, 2))
    assert is_stale(Period(2025, 1), expected=Period(2025, 2))
    assert not is_stale(Period(2025, 2), expected=Period(2025, 2))
    assert not is_stale(Period(2025), expected=Q4_2025)  # a yearly value covers its Q4
    assert not is_stale(Q4_2025, expected=Period(2025))  # and a Q4 value its year
    assert is_stale(Period(2025, 3), expected=Period(2025))


def test_age_counts_days_since_the_end_of_the_measured_period() -> None:
    assert figure_age_days(Q4_2025, date(2026, 1, 31)) == 31
    assert figure_age_days(Period(2025, 3), date(2025, 10, 1)) == 1
