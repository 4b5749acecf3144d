"""The bounds of numbers and dates by unit, and the cleaning of free text (issues 20.4, 20.7)."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.bounds import (
    AMOUNT_MAX_MDH,
    COUNT_MAX,
    UnitKind,
    bounds_for,
    check_amount,
    check_target,
    check_value,
    fmt_num,
    input_hint,
    unit_kind,
)
from dashboard.domain.dates import DATE_MAX, DATE_MIN, check_date, check_year, parse_date
from dashboard.domain.text import BIDI_CONTROLS, clean_text, has_controls
from dashboard.domain.validation import check_movement_date, check_text
from dashboard.i18n import use_lang

UNITS = ["entreprises", "essais", "%", "MDH", "jours", "mois", "heures", "indice", "m²"]


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("value", [1e308, 1e28, 1e12, -1e308])
def test_absurd_magnitudes_are_refused_for_every_unit(unit: str, value: float) -> None:
    for subject in ("value", "target"):
        result = check_value(value, unit, subject=subject)
        assert not result.ok, (unit, value, subject)
        digits = re.sub(r"[\s\u00a0\u202f]", "", result.summary())
        assert not re.search(r"\d{16}", digits)  # 1e+28, not 28 digits


@pytest.mark.parametrize(
    ("value", "expected"),
    [(99_999_999, "ne dépasse pas 1\u00a0000\u00a0000"), (1e12, "Valeur trop grande")],
)
def test_a_count_beyond_a_million_is_refused(value: float, expected: str) -> None:
    result = check_value(value, "essais")
    assert not result.ok and expected in result.errors_for("value")[0]


def test_a_plausible_count_passes_and_its_maximum_is_included() -> None:
    assert check_value(COUNT_MAX, "essais").ok
    assert not check_value(COUNT_MAX + 1, "essais").ok


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(UNITS))
def test_an_accepted_value_lies_within_its_units_bounds(value: float, unit: str) -> None:
    bounds = bounds_for(unit)
    accepted = check_value(value, unit).ok
    inside = bounds.minimum <= value <= bounds.maximum
    assert accepted == (inside and (not bounds.integer or value.is_integer()))


@given(st.floats(allow_nan=False), st.sampled_from(UNITS))
def test_every_message_formats_whatever_the_number(value: float, unit: str) -> None:
    result = check_value(value, unit) + check_target(value, unit)
    for issue in result.errors + result.warnings:
        assert issue.message and "{" not in issue.message


@pytest.mark.parametrize(
    ("value", "direction", "ok"),
    [
        (0, "higher", False),
        (0, "lower", True),  # a delay of 0 days can be aimed at
        (-5, "higher", False),
        (1e308, "higher", False),
        (12.5, "higher", False),  # entreprises are whole
        (150, "higher", True),
    ],
)
def test_targets_obey_the_bounds_of_values(value: float, direction: str, ok: bool) -> None:
    unit = "jours" if direction == "lower" else "entreprises"
    result = check_target(value, unit, direction=direction)
    assert result.ok is ok
    if not ok:
        assert result.errors_for("new_value")[0].startswith("Objectif")


def test_a_percentage_target_is_between_0_and_100() -> None:
    assert "entre 0 et 100" in check_target(140, "%").summary()
    assert check_target(55, "%").ok


def test_the_hint_fits_the_unit() -> None:
    assert input_hint("entreprises") == "Un nombre entier, par exemple 12"
    assert "0 à 100" in input_hint("%")
    assert input_hint("indice") == "Un nombre, par exemple 12 ou 12,5"
    with use_lang("en"):
        assert input_hint("essais") == "A whole number, for example 12"


@pytest.mark.parametrize(
    ("amount", "ceiling", "expected"),
    [
        (1e308, None, "Montant trop grand"),
        (1e28, 250, "l'enveloppe du plan entier"),
        (251, 250, "l'enveloppe du plan entier"),
        (AMOUNT_MAX_MDH * 2, None, "Montant trop grand"),
        (-5, None, "Montant invalide"),
        (0, None, "Montant invalide"),
        (math.inf, None, "pas un nombre"),
    ],
)
def test_amounts_are_bounded_by_the_plans_scale(
    amount: float, ceiling: float | None, expected: str
) -> None:
    result = check_amount(amount, ceiling=ceiling)
    assert not result.ok and expected in result.summary()


def test_a_zero_envelope_line_is_allowed_and_a_tiny_movement_flagged() -> None:
    assert check_amount(0, allow_zero=True).ok
    tiny = check_amount(0.0005)
    assert tiny.ok and "Montant très petit" in tiny.warnings_for("amount")[0]
    assert check_amount(250, ceiling=250).ok and not check_amount(250, ceiling=250).warnings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("2024-03-15T00:00:00", date(2024, 3, 15)),
        ("15/03/2024", date(2024, 3, 15)),
        ("2024-02-29", date(2024, 2, 29)),
        (date(2024, 3, 15), date(2024, 3, 15)),
    ],
)
def test_dates_are_read_as_people_and_forms_write_them(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-30", "ce mois compte 28 jours"),
        ("2025-02-29", "ce mois compte 28 jours"),
        ("31/04/2024", "ce mois compte 30 jours"),
        ("2025-13-01", "ce mois n'existe pas"),
        ("2025-00-10", "ce mois n'existe pas"),
        ("0000-01-01", "Date hors des limites"),
        ("31/01/0000", "Date hors des limites"),
        ("demain", "illisible"),
        ("", "illisible"),
        (None, "illisible"),
    ],
)
def test_a_day_that_is_not_in_the_calendar_is_named(raw: object, expected: str) -> None:
    with pytest.raises(ValueError, match=expected):
        parse_date(raw)


def test_dates_and_years_stay_in_a_sane_range() -> None:
    assert check_date(DATE_MIN).ok and check_date(DATE_MAX).ok
    assert "Date hors des limites" in check_date(date(1, 1, 1)).summary()
    assert not check_date(date(9999, 12, 31)).ok
    assert not check_year(2204).ok and check_year(2025).ok
    kwargs = {"first_year": 2022, "last_year": 2025, "today": date(2026, 11, 29)}
    assert (
        "hors des limites" in check_movement_date(date(1, 1, 1), "commitment", **kwargs).summary()
    )


def test_huge_numbers_are_named_with_an_exponent() -> None:
    assert fmt_num(1e28) == "1e+28"
    assert fmt_num(1.5e300) == "1,5e+300"
    assert fmt_num(1234.5) == "1\u00a0234,5"


RLO = "\u202e"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_bidi_controls_are_removed_from_free_text(control: str) -> None:
    assert clean_text(f"  rapport{control}fdp.exe ") == "rapportfdp.exe"


def test_cleaning_keeps_line_breaks_arabic_and_joiners() -> None:
    text = "سطر أول\nligne 2\tfin \u200c\u200d"
    assert clean_text(text) == text.strip()
    assert clean_text("a\x00b\x07c\x9bd") == "abcd"
    assert clean_text(None) == ""


@given(st.text())
def test_clean_text_leaves_no_bidi_control(text: str) -> None:
    cleaned = clean_text(text)
    assert not has_controls(cleaned) and clean_text(cleaned) == cleaned


def test_a_text_made_only_of_controls_is_empty_for_the_rules() -> None:
    reason = RLO * 10
    assert not check_text(reason, field="reason", label="Motif", required=True).ok


@pytest.mark.parametrize(
    "unit", ["% de croissance", "% vs 2021", "Taux de croissance", "taux d'évolution"]
)
def test_a_growth_in_percent_may_pass_100_or_fall_below_0(unit: str) -> None:
    """The network's announced targets are +165 % and +156 %; a fall of 5 % is a fact."""
    assert unit_kind(unit) is UnitKind.GROWTH
    assert check_value(165, unit).ok and check_value(-5, unit).ok
    assert check_target(165, unit).ok and check_value(-100, unit).ok
    assert "entre -100 et 1\u00a0000" in check_value(1001, unit).summary()
    assert not check_value(-101, unit).ok
    assert "-100" in input_hint(unit)


@pytest.mark.parametrize("unit", ["%", "pourcentage", "taux", "Taux de satisfaction"])
def test_a_plain_percentage_keeps_its_bounds(unit: str) -> None:
    if unit_kind(unit) is UnitKind.PERCENT:
        assert not check_value(165, unit).ok and not check_value(-5, unit).ok
    assert unit_kind(unit) is not UnitKind.GROWTH
