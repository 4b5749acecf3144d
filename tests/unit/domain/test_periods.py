"""Periods: validation, decimal time, labels and parsing."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    date_to_decimal,
    quarter_of,
    quarters_between,
)

years = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)
quarters = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
periods = st.builds(Period, years, quarters)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period(2023, 1), 2023.0, 2023.25),
        (Period(2023, 2), 2023.25, 2023.5),
        (Period(2023, 3), 2023.5, 2023.75),
        (Period(2023, 4), 2023.75, 2024.0),
        (Period(2023), 2023.0, 2024.0),
    ],
)
def test_start_and_end_in_decimal_years(period: Period, start: float, end: float) -> None:
    assert period.start() == start
    assert period.end() == end


def test_labels_use_t_for_trimestre() -> None:
    assert Period(2023).label() == "2023"
    assert Period(2023, 2).label() == "2023-T2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", Period(2023)),
        ("2023-T2", Period(2023, 2)),
        ("2023-Q2", Period(2023, 2)),
        ("2023Q2", Period(2023, 2)),
        ("T2 2023", Period(2023, 2)),
        ("  2024-t4 ", Period(2024, 4)),
        ("q1 2022", Period(2022, 1)),
        ("2025 T3", Period(2025, 3)),
    ],
)
def test_parse_accepts_the_usual_spellings(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "23", "2023-T", "T2", "2023-S1", "2023-02-01"])
def test_parse_rejects_other_text_with_the_expected_format(text: str) -> None:
    with pytest.raises(ValueError, match=r"Période invalide .* utilisez 2023 ou 2023-T2\."):
        Period.parse(text)


def test_parse_quotes_the_bad_text() -> None:
    with pytest.raises(ValueError, match="« 2023-S1 »"):
        Period.parse(" 2023-S1 ")


@pytest.mark.parametrize("text", ["2023-T5", "2023-T0", "1899", "2201-T1"])
def test_parse_rejects_out_of_range_quarter_or_year(text: str) -> None:
    with pytest.raises(ValueError, match="invalide"):
        Period.parse(text)


@pytest.mark.parametrize(("year", "quarter"), [(2023, 0), (2023, 5), (2023, -1), (1899, None)])
def test_constructor_validates(year: int, quarter: int | None) -> None:
    with pytest.raises(ValueError, match="invalide"):
        Period(year, quarter)


def test_constructor_accepts_the_bounds() -> None:
    assert Period(MIN_YEAR).year == 1900
    assert Period(MAX_YEAR, 4).end() == 2201.0


def test_whole_year_sorts_after_its_quarters_and_before_next_year() -> None:
    unsorted = [Period(2024, 1), Period(2023), Period(2023, 4), Period(2023, 1), Period(2022)]
    assert sorted(unsorted) == [
        Period(2022),
        Period(2023, 1),
        Period(2023, 4),
        Period(2023),
        Period(2024, 1),
    ]
    assert Period(2023, 2) < Period(2023, 3) <= Period(2023, 3) < Period(2023)
    assert Period(2023) > Period(2023, 4)


def test_periods_are_hashable_and_equal_by_value() -> None:
    assert {Period(2023, 2), Period.parse("2023-Q2")} == {Period(2023, 2)}
    assert Period(2023) != Period(2023, 4)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 1, 1), 2023.0),
        (datetime.date(2023, 7, 2), 2023 + 182 / 365),
        (datetime.date(2023, 12, 31), 2023 + 364 / 365),
        (datetime.date(2024, 12, 31), 2024 + 365 / 366),  # leap year
    ],
)
def test_date_to_decimal(day: datetime.date, expected: float) -> None:
    assert date_to_decimal(day) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 1, 1), Period(2023, 1)),
        (datetime.date(2023, 3, 31), Period(2023, 1)),
        (datetime.date(2023, 4, 1), Period(2023, 2)),
        (datetime.date(2023, 9, 30), Period(2023, 3)),
        (datetime.date(2023, 12, 31), Period(2023, 4)),
    ],
)
def test_quarter_of(day: datetime.date, expected: Period) -> None:
    assert quarter_of(day) == expected


def test_quarters_between_covers_the_plan() -> None:
    plan = quarters_between(2022, 2025)
    assert len(plan) == 16
    assert plan[0] == Period(2022, 1)
    assert plan[-1] == Period(2025, 4)
    assert plan == sorted(plan)
    assert quarters_between(2023, 2023) == [Period(2023, q) for q in (1, 2, 3, 4)]


def test_quarters_between_rejects_reversed_years() -> None:
    with pytest.raises(ValueError, match="inversées"):
        quarters_between(2025, 2022)


@given(periods)
def test_parse_label_round_trips(period: Period) -> None:
    assert Period.parse(period.label()) == period


@given(periods)
def test_period_lasts_a_year_or_a_quarter(period: Period) -> None:
    assert period.end() - period.start() == (1.0 if period.quarter is None else 0.25)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_date_falls_inside_its_quarter(day: datetime.date) -> None:
    # Quarters are equal quarters of the decimal year; calendar quarters differ by < 2 days.
    period = quarter_of(day)
    two_days = 2 / 365
    assert period.start() - two_days <= date_to_decimal(day) < period.end()


@given(st.lists(periods, min_size=2, max_size=10))
def test_sorting_follows_period_end(items: list[Period]) -> None:
    ends = [p.end() for p in sorted(items)]
    assert ends == sorted(ends)
