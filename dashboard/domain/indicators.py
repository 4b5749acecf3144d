"""Indicator trajectories, achievement, traffic-light status and end-of-plan projection.

Times are decimal years (see ``periods``). A trajectory starts at the baseline value at
``start`` (the plan's first year, e.g. 2022.0) and passes through the target of each year Y at
Y + 1.0, the end of that year.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from dashboard.i18n import _
from dashboard.i18n.formats import format_plain


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        """Return +1 when higher is better, -1 when lower is better."""
        return 1 if self is Direction.HIGHER else -1


class Status(StrEnum):
    """Traffic light of an indicator against its expected trajectory."""

    ON_TRACK = "on_track"
    WATCH = "watch"
    LATE = "late"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class StatusThresholds:
    """Ratios of actual to expected progress that separate on track / watch / late."""

    on_track: float = 0.95
    watch: float = 0.80

    def __post_init__(self) -> None:
        """Reject thresholds that are not 0 < watch <= on_track."""
        finite = math.isfinite(self.on_track) and math.isfinite(self.watch)
        if not finite or not 0 < self.watch <= self.on_track:
            raise ValueError(
                _(
                    "Seuils de statut invalides (à l'heure : {on_track}, à surveiller : "
                    "{watch}) : il faut 0 < seuil « à surveiller » <= seuil « à l'heure ».",
                    on_track=format_plain(self.on_track),
                    watch=format_plain(self.watch),
                )
            )


@dataclass(frozen=True)
class Trajectory:
    """Baseline at time ``start`` and yearly targets, each reached at the end of its year."""

    baseline: float
    start: float
    # Hashing ignores the mapping (equal trajectories still hash equally).
    targets: Mapping[int, float] = field(hash=False)

    def __post_init__(self) -> None:
        """Check the values, then keep a sorted read-only copy of the targets."""
        if not (math.isfinite(self.baseline) and math.isfinite(self.start)):
            raise ValueError(
                _(
                    "Trajectoire invalide : la valeur de référence et le début doivent "
                    "être des nombres."
                )
            )
        for year, value in self.targets.items():
            if not math.isfinite(value):
                raise ValueError(_("Objectif {year} invalide : ce n'est pas un nombre.", year=year))
            if year + 1.0 <= self.start:
                raise ValueError(
                    _(
                        "Objectif {year} invalide : il tombe avant le début de la trajectoire "
                        "({start}).",
                        year=year,
                        start=format_plain(self.start),  # the language's decimal mark
                    )
                )
        # A private sorted, read-only copy keeps the frozen object truly immutable.
        frozen = MappingProxyType(dict(sorted(self.targets.items())))
        object.__setattr__(self, "targets", frozen)

    @property
    def end(self) -> float:
        """Return the time the last target is due (last target year + 1), or start if none."""
        if not self.targets:
            return self.start
        return max(self.targets) + 1.0

    @property
    def final_target(self) -> float:
        """Return the last year's target, or the baseline when there are no targets."""
        if not self.targets:
            return self.baseline
        return self.targets[max(self.targets)]


DEFAULT_THRESHOLDS = StatusThresholds()


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _at_least_as_good(value: float, reference: float, direction: Direction) -> bool:
    """Tell whether value is as good as reference or better, ignoring rounding noise."""
    if _close(value, reference):
        return True
    return direction.sign * (value - reference) > 0


def expected_value(traj: Trajectory, at: float) -> float:
    """Return the value the trajectory expects at decimal time ``at`` (linear between points)."""
    if not math.isfinite(at):
        raise ValueError(_("Date invalide « {at} » : ce n'est pas un nombre.", at=at))
    times = [traj.start] + [year + 1.0 for year in traj.targets]
    values = [traj.baseline, *traj.targets.values()]
    if at <= times[0]:
        return values[0]
    if at >= times[-1]:
        return values[-1]
    right = bisect.bisect_right(times, at)
    t0, t1, v0, v1 = times[right - 1], times[right], values[right - 1], values[right]
    share = (at - t0) / (t1 - t0)
    # This form returns each point's value exactly and cannot overflow between finite values.
    interpolated = v0 * (1.0 - share) + v1 * share
    # Clamp so rounding can never step outside the segment's two values.
    return min(max(interpolated, min(v0, v1)), max(v0, v1))


def achievement(
    baseline: float, target: float, actual: float | None, direction: Direction
) -> float | None:
    """Return progress from baseline toward target as a fraction (0 = baseline, 1 = target).

    When the target differs from the baseline the fraction is the share of the planned change
    that happened, so it is 1 at the target whichever way the plan goes. When the target equals
    the baseline there is no change to measure: 1.0 if actual is at least as good, else 0.0.
    """
    if actual is None or not all(math.isfinite(x) for x in (baseline, target, actual)):
        return None
    if target == baseline:
        return 1.0 if _at_least_as_good(actual, target, direction) else 0.0
    return (actual - baseline) / (target - baseline)


def ratio_to_target(actual: float | None, target: float | None) -> float | None:
    """Return actual / target, or None when either is missing or the target is zero."""
    if actual is None or target is None or target == 0:
        return None
    if not (math.isfinite(actual) and math.isfinite(target)):
        return None
    return actual / target


def _grade(ratio: float, thresholds: StatusThresholds) -> Status:
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.watch:
        return Status.WATCH
    return Status.LATE


def trajectory_ratio(
    traj: Trajectory, actual: float | None, at: float, direction: Direction
) -> float | None:
    """Return how ``actual`` (measured at ``at``) stands against its trajectory: 1 = on it.

    The measure « Respect de la trajectoire » and the ratio ``status`` grades (one formula for
    both). It is the progress made from the baseline over the progress the trajectory expected
    at ``at``. When no progress is expected (before the plan, or a target equal to or worse
    than the baseline) the value is judged against the expected value itself: 1 - relative
    shortfall (= actual / expected for a positive, higher-is-better value); against an
    expected value of zero, 1 when at least as good, else 0.
    """
    if actual is None or not math.isfinite(actual):
        return None
    expected = expected_value(traj, at)
    sign = direction.sign
    expected_progress = sign * (expected - traj.baseline)
    if expected_progress > 0:
        if _close(actual, expected):  # exactly on the trajectory, whatever the rounding
            return 1.0
        return sign * (actual - traj.baseline) / expected_progress
    if expected == 0:
        return 1.0 if _at_least_as_good(actual, expected, direction) else 0.0
    return 1.0 - sign * (expected - actual) / abs(expected)


def status(
    traj: Trajectory,
    actual: float | None,
    at: float,
    direction: Direction,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> Status:
    """Return the traffic light of ``actual`` measured at ``at`` against the trajectory.

    The graded ratio is ``trajectory_ratio``. When no progress is expected, a value at least as
    good as the expected value is on track whatever the thresholds.
    """
    ratio = trajectory_ratio(traj, actual, at, direction)
    if ratio is None or actual is None:
        return Status.NO_DATA
    expected = expected_value(traj, at)
    if direction.sign * (expected - traj.baseline) <= 0 and _at_least_as_good(
        actual, expected, direction
    ):
        return Status.ON_TRACK
    return _grade(ratio, thresholds)


@dataclass(frozen=True)
class Projection:
    """Where an indicator lands at the end of the plan at its current pace (units per year)."""

    projected_end_value: float | None
    pace_current: float | None
    pace_needed: float | None
    reaches_target: bool | None


NO_PROJECTION = Projection(None, None, None, None)


def project(traj: Trajectory, actual: float | None, at: float, direction: Direction) -> Projection:
    """Project ``actual`` (measured at ``at``) linearly to the end of the trajectory."""
    if actual is None or not math.isfinite(actual) or not math.isfinite(at) or at <= traj.start:
        return NO_PROJECTION
    pace_current = (actual - traj.baseline) / (at - traj.start)
    remaining = max(traj.end - at, 0.0)
    projected = actual + pace_current * remaining
    pace_needed = (traj.final_target - actual) / remaining if remaining > 0 else None
    return Projection(
        projected_end_value=projected,
        pace_current=pace_current,
        pace_needed=pace_needed,
        reaches_target=_at_least_as_good(projected, traj.final_target, direction),
    )
