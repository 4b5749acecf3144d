"""French number formatting, the plan scope (year filter, "today") and the shared palette."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from dashboard.domain.indicators import Status
from dashboard.services.formatting import (
    fmt_date,
    fmt_mdh,
    fmt_number,
    fmt_pct,
    fmt_period,
    fmt_signed_pct,
    fmt_value,
)
from dashboard.services.palette import CTI_COLORS, STATUS_COLORS, cti_color, status_label
from dashboard.services.scope import (
    NoPlanError,
    default_year,
    load_scope,
    parse_year,
    year_choices,
)
from tests.conftest import DEMO_TODAY

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NBSP}234,5"),
        (1234567, 0, f"1{NBSP}234{NBSP}567"),
        (2.25, 1, "2,3"),  # halves go up, as in accounting
        (0.125, 2, "0,13"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (-1500.0, 0, f"-1{NBSP}500"),
        (None, 1, "—"),
        (float("nan"), 1, "—"),
    ],
)
def test_fmt_number(value: float | None, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


def test_amounts_rates_values_dates_and_periods() -> None:
    assert fmt_mdh(62.5) == f"62,5{NBSP}MDH"
    assert fmt_mdh(290, 0) == f"290{NBSP}MDH"
    assert fmt_pct(0.5747) == f"57{NBSP}%"
    assert fmt_pct(0.5747, 1) == f"57,5{NBSP}%"
    assert fmt_signed_pct(0.5087) == f"+51{NBSP}%"
    assert fmt_signed_pct(-0.2) == f"-20{NBSP}%"
    assert fmt_value(12.0, "jours") == f"12{NBSP}jours"
    assert fmt_value(9.45, "jours") == f"9,5{NBSP}jours"
    assert fmt_value(81.0, "%") == f"81{NBSP}%"
    assert fmt_date(date(2023, 4, 11)) == "11 avril 2023"
    assert fmt_date(date(2013, 2, 1)) == "1er février 2013"
    assert fmt_period(2025, 3) == "2025-T3"
    assert fmt_period(2025, 0) == "2025"


def test_year_choices_end_with_the_view_to_date() -> None:
    assert year_choices(2022, 2025, DEMO_TODAY) == [
        (2022, False),
        (2023, False),
        (2024, False),
        (2025, True),
    ]
    # In the middle of the plan the current year is the view to date and later years are hidden.
    assert year_choices(2022, 2025, date(2024, 5, 2)) == [
        (2022, False),
        (2023, False),
        (2024, True),
    ]
    assert default_year(2022, 2025, date(2021, 3, 1)) == 2022


@pytest.mark.parametrize(
    ("raw", "expected"), [("2023", 2023), (2024, 2024), ("2026", 2025), ("x", 2025), (None, 2025)]
)
def test_parse_year_falls_back_to_the_default(raw: object, expected: int) -> None:
    assert parse_year(raw, 2022, 2025, DEMO_TODAY) == expected


def test_scope_of_the_demo_day(engine: Engine) -> None:
    scope = load_scope(engine=engine, today=DEMO_TODAY)
    assert (scope.first_year, scope.last_year, scope.year) == (2022, 2025, 2025)
    assert scope.to_date and scope.ended and scope.months_left == 0
    assert scope.cutoff == DEMO_TODAY  # late payments after the plan's end still count
    assert scope.elapsed == 1.0
    past = load_scope(engine=engine, today=DEMO_TODAY, year=2023)
    assert past.cutoff == date(2023, 12, 31) and past.at == 2024.0
    during = load_scope(engine=engine, today=date(2024, 6, 30))
    assert during.to_date and not during.ended
    assert during.months_left == 18
    assert during.cutoff == date(2024, 6, 30)


def test_a_past_year_is_seen_at_its_end_time_included(engine: Engine) -> None:
    """« Fin 2023 » read « Plan clos · 100 % du temps écoulé » (time was read today)."""
    past = load_scope(engine=engine, today=DEMO_TODAY, year=2023)
    assert not past.ended
    assert past.elapsed == 0.5  # two of the plan's four years
    assert past.months_left == 24
    first = load_scope(engine=engine, today=DEMO_TODAY, year=2022)
    assert (first.elapsed, first.months_left, first.ended) == (0.25, 36, False)


def test_scope_without_reference_data_says_what_to_do(empty_engine: Engine) -> None:
    with pytest.raises(NoPlanError, match="seed"):
        load_scope(engine=empty_engine, today=DEMO_TODAY)


def test_every_cti_and_status_has_its_own_colour_and_label() -> None:
    assert len(set(CTI_COLORS.values())) == 9
    assert len(set(STATUS_COLORS.values())) == len(Status)
    assert set(CTI_COLORS.values()).isdisjoint(STATUS_COLORS.values())
    assert cti_color("INCONNU") not in CTI_COLORS.values()
    assert [status_label(s) for s in Status] == [
        "Conforme",
        "À surveiller",
        "En retard",
        "Sans donnée",
    ]
