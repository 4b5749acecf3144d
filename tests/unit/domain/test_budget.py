"""Budget: rates, consistency checks, intensity and linear spending path."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.budget import (
    Execution,
    check_envelopes,
    check_movements,
    format_mdh,
    linear_path,
    money_vs_results,
    plan_elapsed,
    safe_rate,
    yearly_intensity,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(5, 10, 0.5), (0, 10, 0.0), (15, 10, 1.5), (5, 0, None), (5, -1, None), (math.nan, 10, None)],
)
def test_safe_rate(part: float, whole: float, expected: float | None) -> None:
    assert safe_rate(part, whole) == expected


def test_format_mdh_is_french() -> None:
    assert format_mdh(12.5) == f"12,5{NBSP}MDH"
    assert format_mdh(1234.56) == f"1{NBSP}234,6{NBSP}MDH"
    assert format_mdh(-5) == f"-5,0{NBSP}MDH"


def test_execution_rates() -> None:
    execution = Execution(envelope=250.0, committed=100.0, disbursed=60.0)
    assert execution.commitment_rate == pytest.approx(0.4)
    assert execution.disbursement_rate == pytest.approx(0.24)
    assert execution.disbursed_of_committed == pytest.approx(0.6)
    assert execution.remaining == 150.0


def test_execution_without_envelope_or_commitment_has_no_rates() -> None:
    empty = Execution(envelope=0.0, committed=0.0, disbursed=0.0)
    assert empty.commitment_rate is None
    assert empty.disbursement_rate is None
    assert empty.disbursed_of_committed is None
    assert empty.remaining == 0.0
    assert Execution(envelope=100.0, committed=0.0, disbursed=0.0).disbursed_of_committed is None


def test_execution_over_committed_has_negative_remaining() -> None:
    assert Execution(envelope=30.0, committed=32.5, disbursed=10.0).remaining == -2.5


NINE_CTIS = {
    "CETIEV": 40.0,
    "CETIA": 30.0,
    "CTTH": 30.0,
    "CTPC": 25.0,
    "CMTC": 20.0,
    "CTIBA": 20.0,
    "CERIC": 25.0,
    "CETEMCO": 30.0,
    "CERIMME": 30.0,
}


def test_envelopes_that_add_up_to_the_plan_are_fine() -> None:
    assert sum(NINE_CTIS.values()) == 250.0
    assert check_envelopes(250.0, NINE_CTIS) == []
    assert check_envelopes(250.0, {}) == []
    assert check_envelopes(250.0, {f"CTI{i}": 250 / 9 for i in range(9)}) == []  # rounding


def test_envelopes_above_the_plan_say_by_how_much() -> None:
    problems = check_envelopes(250.0, {**NINE_CTIS, "CETIEV": 52.5})
    assert problems == [
        f"La somme des enveloppes des CTI (262,5{NBSP}MDH) dépasse l'enveloppe du plan "
        f"(250,0{NBSP}MDH) de 12,5{NBSP}MDH."
    ]


def test_negative_or_missing_envelopes_are_reported() -> None:
    problems = check_envelopes(250.0, {"CTTH": -5.0, "CMTC": math.nan, "CETIA": 10.0})
    assert len(problems) == 2
    assert problems[0] == (
        f"L'enveloppe de CTTH : montant négatif (-5,0{NBSP}MDH). Saisissez un montant positif."
    )
    assert problems[1].startswith("L'enveloppe de CMTC : ce n'est pas un nombre.")


def test_negative_plan_envelope_is_reported() -> None:
    problems = check_envelopes(-1.0, {})
    assert len(problems) == 1
    assert problems[0].startswith("L'enveloppe du plan : montant négatif")


@pytest.mark.parametrize(
    ("committed", "disbursed", "envelope"),
    [(10.0, 8.0, None), (10.0, 10.0, 10.0), (0.0, 0.0, None), (0.1 + 0.2, 0.3, 0.3)],
)
def test_consistent_movements(committed: float, disbursed: float, envelope: float | None) -> None:
    assert check_movements(committed, disbursed, envelope) == []


def test_disbursed_above_committed() -> None:
    assert check_movements(10.0, 12.0) == [
        f"Le montant décaissé (12,0{NBSP}MDH) dépasse le montant engagé (10,0{NBSP}MDH) "
        f"de 2,0{NBSP}MDH."
    ]


def test_committed_above_envelope() -> None:
    problems = check_movements(30.0, 10.0, envelope=25.0)
    assert problems == [
        f"Le montant engagé (30,0{NBSP}MDH) dépasse l'enveloppe (25,0{NBSP}MDH) de 5,0{NBSP}MDH."
    ]


def test_negative_movements() -> None:
    problems = check_movements(-1.0, -2.0, envelope=-3.0)
    assert [p.split(" : ")[0] for p in problems] == [
        "Le montant engagé",
        "Le montant décaissé",
        "L'enveloppe",
    ]
    assert all("négatif" in p for p in problems)


@pytest.mark.parametrize(
    ("envelope", "first", "last", "expected"),
    [(290.0, 2014, 2020, 41.43), (250.0, 2022, 2025, 62.5), (12.0, 2023, 2023, 12.0)],
)
def test_yearly_intensity(envelope: float, first: int, last: int, expected: float) -> None:
    assert yearly_intensity(envelope, first, last) == pytest.approx(expected, abs=0.005)


def test_plan_years_must_be_in_order() -> None:
    with pytest.raises(ValueError, match="inversées"):
        yearly_intensity(250.0, 2025, 2022)
    with pytest.raises(ValueError, match="inversées"):
        plan_elapsed(2025, 2022, 2023.0)


@pytest.mark.parametrize(
    ("at", "elapsed", "spent"),
    [
        (2020.0, 0.0, 0.0),
        (2022.0, 0.0, 0.0),
        (2023.25, 0.3125, 78.125),
        (2024.0, 0.5, 125.0),
        (2026.0, 1.0, 250.0),
        (2030.0, 1.0, 250.0),
    ],
)
def test_plan_elapsed_and_linear_path(at: float, elapsed: float, spent: float) -> None:
    assert plan_elapsed(2022, 2025, at) == elapsed
    assert linear_path(250.0, 2022, 2025, at) == spent


@pytest.mark.parametrize(
    ("spent", "results", "expected"),
    [
        (0.60, 0.40, True),
        (0.55, 0.40, False),  # exactly the tolerance
        (0.50, 0.40, False),
        (0.30, 0.70, False),  # results ahead of money is fine
        (None, 0.40, None),
        (0.60, None, None),
        (math.nan, 0.40, None),
    ],
)
def test_money_vs_results(
    spent: float | None, results: float | None, expected: bool | None
) -> None:
    assert money_vs_results(spent, results) is expected


def test_money_vs_results_custom_tolerance() -> None:
    assert money_vs_results(0.5, 0.4, tolerance=0.05) is True
    with pytest.raises(ValueError, match="Tolérance invalide"):
        money_vs_results(0.5, 0.4, tolerance=-0.1)


@given(
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=1990, max_value=2100),
    st.integers(min_value=0, max_value=20),
)
def test_intensity_times_years_gives_back_the_envelope(
    envelope: float, first: int, span: int
) -> None:
    years = span + 1
    assert yearly_intensity(envelope, first, first + span) * years == pytest.approx(envelope)


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=2000, max_value=2050))
def test_linear_path_stays_within_the_envelope(envelope: float, at: float) -> None:
    assert 0.0 <= linear_path(envelope, 2022, 2025, at) <= envelope
