"""The rules of ``indicators`` applied to many indicators at once, on numpy arrays.

A plan's pages judge thousands of indicators; calling the scalar functions once per indicator
costs a tenth of a millisecond each. These functions take one array per quantity (one element
per indicator, NaN for "no value") and a targets matrix whose columns are the same years for
every indicator, and they perform the very same floating-point operations in the same order as
``expected_value``, ``achievement``, ``trajectory_ratio``, ``status`` and ``project``, so the
results are identical (tests/unit/domain/test_indicator_arrays.py checks them against the
scalar functions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, Status, StatusThresholds

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

REL_TOL = 1e-9
ABS_TOL = 1e-12


def close(a: Floats, b: Floats) -> Bools:
    """Return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) element-wise (finite inputs)."""
    with np.errstate(invalid="ignore"):
        diff = np.abs(b - a)
        found: Bools = (
            (a == b)
            | (diff <= np.abs(REL_TOL * b))
            | (diff <= np.abs(REL_TOL * a))
            | (diff <= ABS_TOL)
        )
    return found


def at_least_as_good(value: Floats, reference: Floats, sign: Floats) -> Bools:
    """Tell, element-wise, whether value is as good as reference or better (see indicators)."""
    with np.errstate(invalid="ignore"):
        return close(value, reference) | (sign * (value - reference) > 0)


def expected_values(
    start: float, years: list[int], baseline: Floats, targets: Floats, at: Floats
) -> Floats:
    """Return each trajectory's expected value at ``at`` (targets: one column per year).

    Every indicator has a target for each of ``years`` (sorted): the trajectory points are
    the baseline at ``start`` and each target at the end of its year.
    """
    times = np.array([start, *[year + 1.0 for year in years]])
    values = np.column_stack([baseline, targets])
    rows = np.arange(len(baseline))
    last = len(times) - 1
    safe_at = np.where(np.isnan(at), start, at)
    right = np.clip(np.searchsorted(times, safe_at, side="right"), 1, last)
    t0, t1 = times[right - 1], times[right]
    v0, v1 = values[rows, right - 1], values[rows, right]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (safe_at - t0) / (t1 - t0)
        interpolated = v0 * (1.0 - share) + v1 * share
    clamped = np.minimum(np.maximum(interpolated, np.minimum(v0, v1)), np.maximum(v0, v1))
    result = np.where(safe_at <= times[0], values[:, 0], clamped)
    result = np.where(safe_at >= times[last], values[:, last], result)
    return np.where(np.isnan(at), np.nan, result)


def achievements(baseline: Floats, target: Floats, actual: Floats, sign: Floats) -> Floats:
    """Return the share of the planned change reached (NaN where actual or target is missing)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (actual - baseline) / (target - baseline)
    flat = np.where(at_least_as_good(actual, target, sign), 1.0, 0.0)
    result = np.where(target == baseline, flat, share)
    return np.where(np.isnan(actual) | np.isnan(target), np.nan, result)


@dataclass(frozen=True)
class Evaluation:
    """Where each indicator stands (NaN, or None in ``reaches_target``, where undefined)."""

    expected: Floats
    ratio: Floats
    status: list[str]
    projected_end: Floats
    pace_current: Floats
    pace_needed: Floats
    reaches_target: list[bool | None]


def _grade(ratio: Floats, thresholds: StatusThresholds) -> npt.NDArray[np.object_]:
    return np.where(
        ratio >= thresholds.on_track,
        Status.ON_TRACK.value,
        np.where(ratio >= thresholds.watch, Status.WATCH.value, Status.LATE.value),
    ).astype(object)


def trajectory_ratios(baseline: Floats, expected: Floats, actual: Floats, sign: Floats) -> Floats:
    """Return each indicator's ``indicators.trajectory_ratio`` (NaN where there is no value)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        progress = sign * (expected - baseline)
        on_path = np.where(close(actual, expected), 1.0, sign * (actual - baseline) / progress)
        against_expected = 1.0 - sign * (expected - actual) / np.abs(expected)
    flat = np.where(at_least_as_good(actual, expected, sign), 1.0, 0.0)
    off_path = np.where(expected == 0, flat, against_expected)
    ratio: Floats = np.where(progress > 0, on_path, off_path)
    return np.where(np.isnan(actual), np.nan, ratio)


def statuses(
    baseline: Floats,
    expected: Floats,
    actual: Floats,
    sign: Floats,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> list[str]:
    """Return each indicator's traffic light, as ``indicators.status`` grades it."""
    ratio = trajectory_ratios(baseline, expected, actual, sign)
    return _statuses(baseline, expected, actual, sign, ratio=ratio, thresholds=thresholds)


def _statuses(
    baseline: Floats,
    expected: Floats,
    actual: Floats,
    sign: Floats,
    *,
    ratio: Floats,
    thresholds: StatusThresholds,
) -> list[str]:
    with np.errstate(invalid="ignore"):
        progress = sign * (expected - baseline)
    graded = np.where(
        (progress <= 0) & at_least_as_good(actual, expected, sign),
        Status.ON_TRACK.value,
        _grade(ratio, thresholds),
    )
    return list(np.where(np.isnan(actual), Status.NO_DATA.value, graded))


def evaluate(
    *,
    start: float,
    years: list[int],
    baseline: Floats,
    targets: Floats,
    actual: Floats,
    at: Floats,
    sign: Floats,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> Evaluation:
    """Return the expected value, status and projection of each indicator (see indicators)."""
    expected = expected_values(start, years, baseline, targets, at)
    final = targets[:, -1]
    end = years[-1] + 1.0
    projectable = ~np.isnan(actual) & ~np.isnan(at) & (at > start)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = (actual - baseline) / (at - start)
        remaining = np.maximum(end - at, 0.0)
        projected = actual + pace * remaining
        needed = np.where(remaining > 0, (final - actual) / remaining, np.nan)
    reaches = at_least_as_good(projected, final, sign)
    ratio = trajectory_ratios(baseline, expected, actual, sign)
    return Evaluation(
        expected=expected,
        ratio=ratio,
        status=_statuses(baseline, expected, actual, sign, ratio=ratio, thresholds=thresholds),
        projected_end=np.where(projectable, projected, np.nan),
        pace_current=np.where(projectable, pace, np.nan),
        pace_needed=np.where(projectable, needed, np.nan),
        reaches_target=[
            bool(r) if p else None
            for r, p in zip(reaches.tolist(), projectable.tolist(), strict=True)
        ],
    )
