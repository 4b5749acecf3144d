"""The entry rules: bounds by unit, periods, texts, outliers, budget consistency, workflow."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.periods import Period
from dashboard.domain.validation import (
    Move,
    UnitKind,
    ValidationResult,
    check_amount,
    check_budget,
    check_movement_date,
    check_outlier,
    check_period,
    check_text,
    check_value,
    fmt_num,
    parse_number,
    period_first_day,
    period_last_day,
    unit_kind,
)
from dashboard.domain.workflow import (
    TRANSITIONS,
    State,
    Step,
    TransitionError,
    allowed_steps,
    next_state,
)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("%", UnitKind.PERCENT),
        ("entreprises", UnitKind.COUNT),
        ("Personnes", UnitKind.COUNT),
        ("plateformes", UnitKind.COUNT),
        ("MDH", UnitKind.AMOUNT),
        ("jours", UnitKind.DURATION),
        ("tonnes", UnitKind.OTHER),
    ],
)
def test_units_are_classified(unit: str, kind: UnitKind) -> None:
    assert unit_kind(unit) is kind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, 12.0), (12.5, 12.5), ("12,5", 12.5), ("1 234,5", 1234.5), ("1\u00a0234", 1234.0)],
)
def test_parse_number_reads_french_input(raw: object, expected: float) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["douze", "", None, True, "nan", "inf", "12,5,3"])
def test_parse_number_refuses_what_is_not_a_number(raw: object) -> None:
    with pytest.raises(ValueError, match="valeur"):
        parse_number(raw, "La valeur")


def test_negative_count_is_refused_next_to_the_value_field() -> None:
    result = check_value(-3, "entreprises")
    assert not result.ok
    [message] = result.errors_for("value")
    assert "négati" in message and "entreprises" in message


def test_fractional_count_is_refused() -> None:
    assert "entier" in check_value(12.5, "entreprises").summary()


@pytest.mark.parametrize(("value", "ok"), [(0, True), (45.5, True), (100, True), (100.1, False)])
def test_percentages_stay_between_0_and_100(value: float, ok: bool) -> None:
    result = check_value(value, "%")
    assert result.ok is ok
    if not ok:
        assert "entre 0 et 100" in result.summary()


def test_negative_percentage_is_refused() -> None:
    assert not check_value(-1, "%").ok


def test_amount_and_duration_warn_above_plausible_values() -> None:
    assert check_value(400, "jours").warnings_for("value")
    assert check_value(20, "jours").ok and not check_value(20, "jours").warnings
    assert not check_value(-1, "MDH").ok


def test_unknown_units_only_need_a_finite_number() -> None:
    assert check_value(-5, "indice").ok
    assert not check_value(math.nan, "indice").ok


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_any_percentage_in_range_is_accepted(value: float) -> None:
    assert check_value(value, "%").ok


def test_outlier_is_a_warning_not_an_error() -> None:
    result = check_outlier(31, 10)
    assert result.ok
    assert "plus de 3 fois" in result.warnings_for("value")[0]


def test_sharp_fall_is_also_flagged_and_normal_change_is_not() -> None:
    assert check_outlier(3, 10).warnings
    assert not check_outlier(30, 10).warnings
    assert not check_outlier(5, None).warnings
    assert not check_outlier(5, 0).warnings


def test_period_outside_the_plan_is_refused() -> None:
    result = check_period(Period(2021, 4), first_year=2022, last_year=2025, today=TODAY)
    assert "hors du plan" in result.errors_for("period")[0]
    assert "2022 à 2025" in result.summary()


def test_future_period_is_refused() -> None:
    result = check_period(Period(2024, 3), first_year=2022, last_year=2025, today=date(2024, 6, 1))
    assert "futur" in result.errors_for("period")[0]


def test_period_not_over_is_only_a_warning() -> None:
    result = check_period(Period(2024, 2), first_year=2022, last_year=2025, today=date(2024, 6, 1))
    assert result.ok and result.warnings_for("period")
    past = check_period(Period(2024, 1), first_year=2022, last_year=2025, today=date(2024, 6, 1))
    assert past.ok and not past.warnings


def test_period_days() -> None:
    assert period_first_day(Period(2024, 3)) == date(2024, 7, 1)
    assert period_last_day(Period(2024, 3)) == date(2024, 9, 30)
    assert period_last_day(Period(2024, 4)) == date(2024, 12, 31)
    assert (period_first_day(Period(2024)), period_last_day(Period(2024))) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


def test_required_reason_must_say_something() -> None:
    assert not check_text("  ", field="reason", label="Motif", required=True).ok
    assert (
        "Motif obligatoire"
        in check_text("ok", field="reason", label="Motif", required=True).summary()
    )
    assert check_text("Erreur de saisie", field="reason", label="Motif", required=True).ok
    assert not check_text("x" * 2001, field="comment", label="Commentaire").ok


def test_amount_must_be_positive() -> None:
    assert not check_amount(0).ok
    assert not check_amount(-2).ok
    assert not check_amount(math.inf).ok
    assert check_amount(0.5).ok


def test_movement_dates() -> None:
    kwargs = {"first_year": 2022, "last_year": 2025, "today": TODAY}
    assert "futur" in check_movement_date(date(2026, 12, 1), "commitment", **kwargs).summary()
    assert (
        "avant le plan" in check_movement_date(date(2021, 5, 1), "commitment", **kwargs).summary()
    )
    assert not check_movement_date(date(2026, 3, 1), "commitment", **kwargs).ok
    assert check_movement_date(date(2026, 3, 1), "disbursement", **kwargs).ok


def test_commitments_above_the_envelope_line_are_refused() -> None:
    moves = [Move(date(2023, 5, 1), "commitment", 6.0), Move(date(2023, 6, 1), "commitment", 5.0)]
    result = check_budget(moves, 10.0)
    assert "au-delà de l'enveloppe" in result.errors_for("amount")[0]
    assert check_budget(moves, 11.0).ok


def test_disbursed_never_above_committed_at_any_date() -> None:
    early_payment = [
        Move(date(2023, 5, 1), "disbursement", 2.0),
        Move(date(2023, 6, 1), "commitment", 5.0),
    ]
    assert "Décaissé" in check_budget(early_payment, 10.0).summary()
    fine = [Move(date(2023, 5, 1), "commitment", 5.0), Move(date(2023, 6, 1), "disbursement", 5.0)]
    assert check_budget(fine, 10.0).ok


def test_results_combine() -> None:
    total = ValidationResult.error("a", "x") + ValidationResult.warning("b", "y")
    assert not total.ok and total.errors_for("a") == ["x"] and total.warnings_for("b") == ["y"]


def test_numbers_in_messages_are_french() -> None:
    assert fmt_num(1234.5) == "1\u00a0234,5"
    assert fmt_num(12.0) == "12"


# The workflow, written out by hand: (state, step) -> resulting state, None when refused.
EXPECTED = {
    (State.DRAFT, Step.EDIT): State.DRAFT,
    (State.DRAFT, Step.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Step.EDIT): State.DRAFT,
    (State.SUBMITTED, Step.WITHDRAW): State.DRAFT,
    (State.SUBMITTED, Step.VALIDATE): State.VALIDATED,
    (State.SUBMITTED, Step.REJECT): State.REJECTED,
    (State.REJECTED, Step.REVISE): State.DRAFT,
    (State.VALIDATED, Step.CORRECT): State.DRAFT,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("step", list(Step))
def test_every_transition(state: State, step: Step) -> None:
    expected = EXPECTED.get((state, step))
    if expected is None:
        with pytest.raises(TransitionError, match="Impossible de"):
            next_state(state, step)
    else:
        assert next_state(state, step) is expected


def test_validated_values_are_locked() -> None:
    with pytest.raises(TransitionError, match="verrouillée"):
        next_state("validated", "edit")
    assert allowed_steps("validated") == [Step.CORRECT]
    assert TRANSITIONS == EXPECTED
