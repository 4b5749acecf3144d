"""Indicators: trajectory, expected value, achievement and ratio to target."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dashboard.domain.indicators import (
    Direction,
    Trajectory,
    achievement,
    expected_value,
    ratio_to_target,
)

# Staff of a CTI: 100 at the end of 2014-2020, doubling by the end of 2025.
STAFF = Trajectory(
    baseline=100.0, start=2022.0, targets={2022: 120, 2023: 140, 2024: 160, 2025: 200}
)
# Rejected batches (lower is better): 20 down to 10.
REJECTS = Trajectory(baseline=20.0, start=2022.0, targets={2022: 18, 2023: 16, 2024: 14, 2025: 10})
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER


# --- Trajectory -------------------------------------------------------------------------------


def test_trajectory_end_and_final_target() -> None:
    assert STAFF.end == 2026.0
    assert STAFF.final_target == 200.0


def test_trajectory_without_targets_stays_at_baseline() -> None:
    flat = Trajectory(baseline=7.0, start=2022.0, targets={})
    assert flat.end == 2022.0
    assert flat.final_target == 7.0
    assert expected_value(flat, 2024.5) == 7.0


def test_trajectory_keeps_its_own_sorted_copy_of_targets() -> None:
    targets = {2025: 200.0, 2022: 120.0}
    traj = Trajectory(baseline=100.0, start=2022.0, targets=targets)
    targets[2025] = 999.0
    assert traj.final_target == 200.0
    assert list(traj.targets) == [2022, 2025]
    assert hash(traj) == hash(Trajectory(100.0, 2022.0, {2022: 120.0, 2025: 200.0}))


@pytest.mark.parametrize("targets", [{2020: 5.0}, {2021: 5.0}, {2023: math.nan}, {2023: math.inf}])
def test_trajectory_rejects_targets_before_start_or_not_numbers(targets: dict[int, float]) -> None:
    with pytest.raises(ValueError, match="Objectif"):
        Trajectory(baseline=1.0, start=2022.0, targets=targets)


# --- expected_value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (2010.0, 100.0),  # before the plan: baseline
        (2022.0, 100.0),
        (2022.5, 110.0),
        (2023.0, 120.0),  # end of 2022: the 2022 target
        (2023.25, 125.0),  # end of Q1 2023
        (2024.5, 150.0),
        (2025.5, 180.0),
        (2026.0, 200.0),
        (2030.0, 200.0),  # after the plan: last target
    ],
)
def test_expected_value_is_linear_between_targets(at: float, expected: float) -> None:
    assert expected_value(STAFF, at) == pytest.approx(expected)


def test_expected_value_interpolates_across_missing_years() -> None:
    gappy = Trajectory(baseline=100.0, start=2022.0, targets={2023: 140.0, 2025: 200.0})
    assert expected_value(gappy, 2023.0) == pytest.approx(120.0)
    assert expected_value(gappy, 2025.0) == pytest.approx(170.0)


def test_expected_value_for_lower_is_better() -> None:
    assert expected_value(REJECTS, 2024.5) == pytest.approx(15.0)


def test_expected_value_rejects_nan_time() -> None:
    with pytest.raises(ValueError, match="Date invalide"):
        expected_value(STAFF, math.nan)


values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
target_maps = st.dictionaries(st.integers(2022, 2030), values, max_size=6)


@given(values, target_maps, st.floats(min_value=2000, max_value=2040))
def test_expected_value_stays_within_baseline_and_targets(
    baseline: float, targets: dict[int, float], at: float
) -> None:
    traj = Trajectory(baseline=baseline, start=2022.0, targets=targets)
    known = [baseline, *targets.values()]
    assert min(known) <= expected_value(traj, at) <= max(known)


@given(values, target_maps)
def test_expected_value_hits_each_target_at_the_end_of_its_year(
    baseline: float, targets: dict[int, float]
) -> None:
    traj = Trajectory(baseline=baseline, start=2022.0, targets=targets)
    for year, target in targets.items():
        assert expected_value(traj, year + 1.0) == target


# --- achievement and ratio --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "direction", "expected"),
    [
        (100, 200, 150, HIGHER, 0.5),
        (100, 200, 250, HIGHER, 1.5),
        (100, 200, 80, HIGHER, -0.2),
        (20, 10, 15, LOWER, 0.5),
        (20, 10, 5, LOWER, 1.5),
        (20, 10, 25, LOWER, -0.5),
        (-10, 10, 0, HIGHER, 0.5),  # negative baseline
        (-5, -15, -10, LOWER, 0.5),  # both negative
        (0, 70, 0, HIGHER, 0.0),
    ],
)
def test_achievement(
    baseline: float, target: float, actual: float, direction: Direction, expected: float
) -> None:
    assert achievement(baseline, target, actual, direction) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("actual", "direction", "expected"),
    [(50, HIGHER, 1.0), (60, HIGHER, 1.0), (40, HIGHER, 0.0), (40, LOWER, 1.0), (60, LOWER, 0.0)],
)
def test_achievement_when_target_equals_baseline(
    actual: float, direction: Direction, expected: float
) -> None:
    assert achievement(50, 50, actual, direction) == expected


def test_achievement_with_zero_baseline_and_target() -> None:
    assert achievement(0, 0, 0, LOWER) == 1.0
    assert achievement(0, 0, 1, LOWER) == 0.0


@pytest.mark.parametrize("actual", [None, math.nan, math.inf])
def test_achievement_is_none_without_a_usable_value(actual: float | None) -> None:
    assert achievement(100, 200, actual, HIGHER) is None


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (150, 200, 0.75),
        (-5, 10, -0.5),
        (0, 10, 0.0),
        (5, 0, None),
        (None, 10, None),
        (10, None, None),
    ],
)
def test_ratio_to_target(
    actual: float | None, target: float | None, expected: float | None
) -> None:
    assert ratio_to_target(actual, target) == expected


@given(values, values, st.sampled_from(Direction))
def test_achievement_is_zero_at_baseline_and_one_at_target(
    baseline: float, target: float, direction: Direction
) -> None:
    assume(target != baseline)
    assert achievement(baseline, target, baseline, direction) == 0.0
    assert achievement(baseline, target, target, direction) == 1.0


@given(values, st.floats(min_value=1e-3, max_value=1e9), values, values)
def test_achievement_rises_with_actual_when_higher_is_better(
    baseline: float, gain: float, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    first = achievement(baseline, baseline + gain, low, HIGHER)
    second = achievement(baseline, baseline + gain, high, HIGHER)
    assert first is not None and second is not None
    assert first <= second


@given(values, st.floats(min_value=1e-3, max_value=1e9), values, values)
def test_achievement_falls_with_actual_when_lower_is_better(
    baseline: float, cut: float, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    first = achievement(baseline, baseline - cut, low, LOWER)
    second = achievement(baseline, baseline - cut, high, LOWER)
    assert first is not None and second is not None
    assert first >= second
