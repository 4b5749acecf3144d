"""Indicators: traffic-light status and end-of-plan projection."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.indicators import (
    Direction,
    Projection,
    Status,
    StatusThresholds,
    Trajectory,
    expected_value,
    project,
    status,
)

# Staff of a CTI: 100 at the end of 2014-2020, doubling by the end of 2025.
STAFF = Trajectory(
    baseline=100.0, start=2022.0, targets={2022: 120, 2023: 140, 2024: 160, 2025: 200}
)
# Rejected batches (lower is better): 20 down to 10.
REJECTS = Trajectory(baseline=20.0, start=2022.0, targets={2022: 18, 2023: 16, 2024: 14, 2025: 10})
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
target_maps = st.dictionaries(st.integers(2022, 2030), values, max_size=6)


# --- status -----------------------------------------------------------------------------------


def test_thresholds_defaults() -> None:
    assert StatusThresholds() == StatusThresholds(on_track=0.95, watch=0.80)


@pytest.mark.parametrize(
    ("on_track", "watch"), [(0.8, 0.95), (0.9, 0.0), (0.9, -0.1), (math.nan, 0.5)]
)
def test_thresholds_must_be_ordered_and_positive(on_track: float, watch: float) -> None:
    with pytest.raises(ValueError, match="Seuils de statut invalides"):
        StatusThresholds(on_track=on_track, watch=watch)


def test_thresholds_may_be_equal() -> None:
    assert StatusThresholds(on_track=0.9, watch=0.9).watch == 0.9


# End of 2023: 140 expected, i.e. 40 of progress above the baseline of 100.
@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (None, Status.NO_DATA),
        (math.nan, Status.NO_DATA),
        (150, Status.ON_TRACK),
        (140, Status.ON_TRACK),
        (138, Status.ON_TRACK),  # 38 / 40 = 0.95
        (137, Status.WATCH),  # 0.925
        (132, Status.WATCH),  # 0.80
        (131, Status.LATE),  # 0.775
        (90, Status.LATE),  # below the baseline
    ],
)
def test_status_higher_is_better(actual: float | None, expected: Status) -> None:
    assert status(STAFF, actual, 2024.0, HIGHER) == expected


# End of 2023: 16 expected, i.e. 4 of reduction below the baseline of 20.
@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (12, Status.ON_TRACK),
        (16, Status.ON_TRACK),
        (16.2, Status.ON_TRACK),  # 3.8 / 4 = 0.95
        (16.5, Status.WATCH),  # 0.875
        (17, Status.LATE),  # 0.75
        (21, Status.LATE),
    ],
)
def test_status_lower_is_better(actual: float, expected: Status) -> None:
    assert status(REJECTS, actual, 2024.0, LOWER) == expected


def test_status_uses_the_configured_thresholds() -> None:
    strict = StatusThresholds(on_track=1.0, watch=0.5)
    assert status(STAFF, 137, 2024.0, HIGHER, strict) == Status.WATCH
    assert status(STAFF, 121, 2024.0, HIGHER, strict) == Status.WATCH  # 0.525
    assert status(STAFF, 119, 2024.0, HIGHER, strict) == Status.LATE  # 0.475
    # Exactly on the trajectory stays on track even when rounding makes the ratio 0.999...
    at = 2022.3
    assert status(STAFF, expected_value(STAFF, at), at, HIGHER, strict) == Status.ON_TRACK


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(100, Status.ON_TRACK), (96, Status.ON_TRACK), (90, Status.WATCH), (70, Status.LATE)],
)
def test_status_before_the_plan_compares_with_the_baseline(actual: float, expected: Status) -> None:
    assert status(STAFF, actual, 2021.0, HIGHER) == expected
    assert status(STAFF, actual, 2022.0, HIGHER) == expected


@pytest.mark.parametrize(
    ("actual", "direction", "expected"),
    [
        (55, HIGHER, Status.ON_TRACK),
        (50, HIGHER, Status.ON_TRACK),
        (45, HIGHER, Status.WATCH),  # 1 - 5/50 = 0.90
        (30, HIGHER, Status.LATE),
        (45, LOWER, Status.ON_TRACK),
        (52, LOWER, Status.ON_TRACK),  # 1 - 2/50 = 0.96
        (55, LOWER, Status.WATCH),
        (75, LOWER, Status.LATE),
    ],
)
def test_status_when_target_equals_baseline(
    actual: float, direction: Direction, expected: Status
) -> None:
    steady = Trajectory(baseline=50.0, start=2022.0, targets={2022: 50.0, 2023: 50.0})
    assert status(steady, actual, 2023.5, direction) == expected


def test_status_against_a_zero_target() -> None:
    zero_accidents = Trajectory(baseline=0.0, start=2022.0, targets={2022: 0.0})
    assert status(zero_accidents, 0, 2023.0, LOWER) == Status.ON_TRACK
    assert status(zero_accidents, 1, 2023.0, LOWER) == Status.LATE


def test_status_for_a_planned_decline_judges_against_the_expected_value() -> None:
    decline = Trajectory(baseline=100.0, start=2022.0, targets={2025: 80.0})  # 90 expected at 2024
    assert status(decline, 95, 2024.0, HIGHER) == Status.ON_TRACK
    assert status(decline, 85, 2024.0, HIGHER) == Status.WATCH  # 1 - 5/90 = 0.944
    assert status(decline, 60, 2024.0, HIGHER) == Status.LATE


def test_status_after_the_plan_compares_with_the_final_target() -> None:
    assert status(STAFF, 200, 2030.0, HIGHER) == Status.ON_TRACK
    assert status(STAFF, 190, 2030.0, HIGHER) == Status.WATCH  # 90 / 100
    assert status(STAFF, 150, 2030.0, HIGHER) == Status.LATE


RANK = {Status.LATE: 0, Status.WATCH: 1, Status.ON_TRACK: 2}


@given(
    values,
    target_maps,
    st.floats(min_value=2020, max_value=2030),
    values,
    values,
    st.sampled_from(Direction),
)
def test_a_better_value_never_gets_a_worse_status(
    baseline: float,
    targets: dict[int, float],
    at: float,
    a: float,
    b: float,
    direction: Direction,
) -> None:
    traj = Trajectory(baseline=baseline, start=2022.0, targets=targets)
    worse, better = sorted((a, b), reverse=direction is LOWER)
    assert RANK[status(traj, worse, at, direction)] <= RANK[status(traj, better, at, direction)]


# --- projection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traj", "actual", "direction", "expected"),
    [
        (STAFF, 140, HIGHER, Projection(180.0, 20.0, 30.0, False)),
        (STAFF, 160, HIGHER, Projection(220.0, 30.0, 20.0, True)),
        (REJECTS, 16, LOWER, Projection(12.0, -2.0, -3.0, False)),
        (REJECTS, 14, LOWER, Projection(8.0, -3.0, -2.0, True)),
    ],
)
def test_project_at_the_end_of_2023(
    traj: Trajectory, actual: float, direction: Direction, expected: Projection
) -> None:
    assert project(traj, actual, 2024.0, direction) == expected


def test_project_a_quarter_in() -> None:
    result = project(STAFF, 105, 2022.25, HIGHER)
    assert result.pace_current == pytest.approx(20.0)
    assert result.projected_end_value == pytest.approx(180.0)
    assert result.pace_needed == pytest.approx(95 / 3.75)
    assert result.reaches_target is False


@pytest.mark.parametrize(
    ("actual", "at"), [(None, 2024.0), (math.nan, 2024.0), (120, 2022.0), (120, 2021.0)]
)
def test_project_needs_a_value_after_the_start(actual: float | None, at: float) -> None:
    assert project(STAFF, actual, at, HIGHER) == Projection(None, None, None, None)


def test_project_at_or_after_the_end_keeps_the_value() -> None:
    assert project(STAFF, 200, 2026.0, HIGHER) == Projection(200.0, 25.0, None, True)
    late = project(STAFF, 190, 2027.0, HIGHER)
    assert late.projected_end_value == 190.0
    assert late.pace_needed is None
    assert late.reaches_target is False


@given(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0.01, max_value=1.0),
    st.sampled_from(Direction),
)
def test_a_value_on_a_straight_trajectory_projects_onto_the_target(
    baseline: float, target: float, share: float, direction: Direction
) -> None:
    traj = Trajectory(baseline=baseline, start=2022.0, targets={2025: target})
    at = 2022.0 + 4 * share
    result = project(traj, expected_value(traj, at), at, direction)
    assert result.projected_end_value == pytest.approx(target, rel=1e-6, abs=1e-6)
    assert result.pace_current == pytest.approx((target - baseline) / 4, rel=1e-6, abs=1e-6)


def test_the_status_grades_the_trajectory_ratio_shown_beside_it() -> None:
    """« Respect de la trajectoire » is the very ratio the status grades, at any thresholds.

    It used to be computed apart (actual progress / expected progress through
    ``achievement``): a flat expected value read 0 % beside « À surveiller ».
    """
    from dashboard.domain.indicators import trajectory_ratio

    traj = Trajectory(100.0, 2022.0, {2022: 100.0, 2023: 100.0, 2024: 150.0, 2025: 200.0})
    cases = [(90.0, 2023.5), (100.0, 2023.5), (110.0, 2024.5), (95.0, 2022.5), (160.0, 2026.0)]
    for actual, at in cases:
        ratio = trajectory_ratio(traj, actual, at, Direction.HIGHER)
        assert ratio is not None
        for thresholds in (StatusThresholds(0.95, 0.8), StatusThresholds(0.9, 0.85)):
            graded = (
                Status.ON_TRACK
                if ratio >= thresholds.on_track
                else Status.WATCH
                if ratio >= thresholds.watch
                else Status.LATE
            )
            assert status(traj, actual, at, Direction.HIGHER, thresholds) is graded
    # Flat stretch: 90 against 100 expected is 90 % of the trajectory, not 0 %.
    assert trajectory_ratio(traj, 90.0, 2023.5, Direction.HIGHER) == 0.9
    assert trajectory_ratio(traj, None, 2023.5, Direction.HIGHER) is None
