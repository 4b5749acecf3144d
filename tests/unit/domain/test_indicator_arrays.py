"""The array rules give exactly what the scalar rules give, indicator by indicator."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dashboard.domain import indicator_arrays as arrays
from dashboard.domain.indicators import (
    Direction,
    StatusThresholds,
    Trajectory,
    achievement,
    expected_value,
    project,
    status,
    trajectory_ratio,
)

YEARS = [2022, 2023, 2024, 2025]


def _cases(seed: int, n: int = 400) -> list[tuple[float, list[float], float | None, float, int]]:
    """Random indicators, with the edge cases: flat targets, values on the path, no value."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        baseline = rng.choice([0.0, 10.0, rng.uniform(-5, 500)])
        targets = [rng.choice([baseline, baseline + rng.uniform(-50, 200)]) for _ in YEARS]
        at = rng.choice([2022.25, 2022.5, 2023.0, 2024.75, 2025.0, 2026.0, rng.uniform(2021, 2027)])
        traj = Trajectory(baseline, 2022.0, dict(zip(YEARS, targets, strict=True)))
        actual = rng.choice(
            [None, expected_value(traj, at), baseline, targets[-1], rng.uniform(-50, 600)]
        )
        cases.append((baseline, targets, actual, at, rng.choice([1, -1])))
    return cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_arrays_match_the_scalar_rules_exactly(seed: int) -> None:
    thresholds = StatusThresholds(on_track=0.95, watch=0.8)
    cases = _cases(seed)
    baseline = np.array([c[0] for c in cases])
    targets = np.array([c[1] for c in cases])
    actual = np.array([np.nan if c[2] is None else c[2] for c in cases])
    at = np.array([c[3] for c in cases])
    sign = np.array([float(c[4]) for c in cases])
    result = arrays.evaluate(
        start=2022.0,
        years=YEARS,
        baseline=baseline,
        targets=targets,
        actual=actual,
        at=at,
        sign=sign,
        thresholds=thresholds,
    )
    final = arrays.achievements(baseline, targets[:, -1], actual, sign)
    for i, (base, values, value, when, direction_sign) in enumerate(cases):
        direction = Direction.HIGHER if direction_sign == 1 else Direction.LOWER
        traj = Trajectory(base, 2022.0, dict(zip(YEARS, values, strict=True)))
        assert result.expected[i] == expected_value(traj, when) or value is None
        assert result.status[i] == status(traj, value, when, direction, thresholds).value
        ratio = trajectory_ratio(traj, value, when, direction)
        assert (np.isnan(result.ratio[i]) and ratio is None) or result.ratio[i] == ratio
        projection = project(traj, value, when, direction)
        for got, want in [
            (result.projected_end[i], projection.projected_end_value),
            (result.pace_current[i], projection.pace_current),
            (result.pace_needed[i], projection.pace_needed),
            (final[i], achievement(base, values[-1], value, direction)),
        ]:
            assert (np.isnan(got) and want is None) or got == want
        assert result.reaches_target[i] == projection.reaches_target
