"""Quarterly progress values of one indicator, with the entry and validation workflow."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from dashboard.db.models import EntryStatus, Origin
from dashboard.domain.indicators import Trajectory, expected_value
from dashboard.domain.periods import Period, quarters_between
from dashboard.services.demo.common import draw_int, jitter, office_time, quarter_last_day, round_to
from dashboard.services.demo.indicators import IndicatorSpec
from dashboard.services.demo.recipe import Params, Recipe

COMMENT_KEYS = ("on_track", "watch", "late")


@dataclass(frozen=True)
class QuarterDraws:
    """Everything random about one quarter, drawn whatever ``today`` is.

    Drawing first and filtering by date afterwards keeps the history of a mid-plan database a
    prefix of the history of a later one.
    """

    period: Period
    value: float
    missing: bool
    entered: datetime
    submit_days: int
    review_days: int
    reentry_days: int
    rejected: bool
    rejected_value: float
    rejection_reason: str
    draft: bool
    comment: str


def _quarter_values(
    spec: IndicatorSpec, periods: list[Period], rng: random.Random, noise: float
) -> list[float]:
    """Return the cumulative-style value at the end of each quarter, never stepping back."""
    entry = spec.entry
    trajectory = Trajectory(spec.baseline, float(periods[0].year), spec.targets)
    higher = entry.direction == "higher"
    # An indicator drawn "on track" rounds in its favour, so small counts (3 platforms...) do
    # not flip to "late" through rounding alone.
    mode = ("up" if higher else "down") if spec.performance_class == 0 else "nearest"
    values: list[float] = []
    for period in periods:
        expected = expected_value(trajectory, period.end())
        value = spec.baseline + (expected - spec.baseline) * spec.performance * jitter(rng, noise)
        if values:
            value = max(value, values[-1]) if higher else min(value, values[-1])
        value = max(value, 0.0)
        if entry.unit == "%":
            value = min(value, 100.0)
        values.append(round_to(value, entry.decimals, mode))
    return values


def draw_quarters(
    spec: IndicatorSpec, recipe: Recipe, rng: random.Random, years: tuple[int, int]
) -> list[QuarterDraws]:
    """Draw the value and the workflow of every quarter of the plan for one indicator."""
    params = recipe.params.section("progress")
    comments = recipe.params.section("comments").texts(COMMENT_KEYS[spec.performance_class % 3])
    reasons = recipe.params.texts("rejection_reasons")
    periods = quarters_between(*years)
    noise = recipe.params.section("performance").number("quarter_noise")
    values = _quarter_values(spec, periods, rng, noise)
    draws = []
    for period, value in zip(periods, values, strict=True):
        delay = draw_int(rng, params.pair("entry_delay_days"))
        with_comment = rng.random() < params.number("comment_share")
        draws.append(
            QuarterDraws(
                period=period,
                value=value,
                missing=rng.random() < params.number("missing_share"),
                entered=office_time(quarter_last_day(period) + timedelta(days=delay), rng),
                submit_days=draw_int(rng, params.pair("submit_delay_days")),
                review_days=draw_int(rng, params.pair("review_delay_days")),
                reentry_days=draw_int(rng, params.pair("reentry_delay_days")),
                rejected=rng.random() < params.number("rejected_share"),
                rejected_value=round_to(value * rng.uniform(1.3, 1.8), spec.entry.decimals),
                rejection_reason=rng.choice(reasons),
                draft=rng.random() < params.number("draft_share"),
                comment=rng.choice(comments) if with_comment else "",
            )
        )
    return draws


def _pending_count(params: Params, rng: random.Random) -> int:
    """Draw how many of the latest quarters are still awaiting validation."""
    shares = params.weights("pending_quarters")
    pick = rng.random() * sum(shares.values())
    for count, share in sorted(shares.items()):
        if pick < share:
            return count
        pick -= share
    return max(shares)


def _row(indicator_id: int, q: QuarterDraws, status: str, **values: Any) -> dict[str, Any]:
    """Build one ProgressUpdate row as a mapping for a bulk insert."""
    row: dict[str, Any] = {
        "indicator_id": indicator_id,
        "year": q.period.year,
        "quarter": q.period.quarter,
        "value": q.value,
        "comment": q.comment,
        "status": status,
        "created_at": q.entered,
        "updated_at": q.entered,
        "submitted_at": None,
        "reviewed_at": None,
        "rejection_reason": "",
        "origin": Origin.ILLUSTRATIVE.value,
    }
    row.update(values)
    return row


def _quarter_rows(
    indicator_id: int, q: QuarterDraws, pending: bool, today: date
) -> list[dict[str, Any]]:
    """Return the rows of one entered quarter: maybe a rejected value, then the current one."""
    rows = []
    submitted = q.entered + timedelta(days=q.submit_days, hours=1)
    reviewed = submitted + timedelta(days=q.review_days, hours=2)
    if q.rejected and not pending and reviewed.date() <= today:
        rows.append(
            _row(
                indicator_id,
                q,
                EntryStatus.REJECTED.value,
                value=q.rejected_value,
                comment="",
                submitted_at=submitted,
                reviewed_at=reviewed,
                updated_at=reviewed,
                rejection_reason=q.rejection_reason,
            )
        )
        entered = reviewed + timedelta(days=q.reentry_days)
        if entered.date() > today:
            return rows
        q = replace(q, entered=entered)
        submitted = entered + timedelta(hours=1)
        reviewed = submitted + timedelta(days=q.review_days, hours=2)
    if (pending and q.draft) or submitted.date() > today:
        rows.append(_row(indicator_id, q, EntryStatus.DRAFT.value))
    elif pending or reviewed.date() > today:
        rows.append(
            _row(
                indicator_id,
                q,
                EntryStatus.SUBMITTED.value,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
    else:
        rows.append(
            _row(
                indicator_id,
                q,
                EntryStatus.VALIDATED.value,
                submitted_at=submitted,
                reviewed_at=reviewed,
                updated_at=reviewed,
            )
        )
    return rows


def progress_rows(
    spec: IndicatorSpec,
    indicator_id: int,
    *,
    recipe: Recipe,
    rng: random.Random,
    years: tuple[int, int],
    today: date,
) -> list[dict[str, Any]]:
    """Return the ProgressUpdate rows of one indicator for the quarters ended before today."""
    pending_count = _pending_count(recipe.params.section("progress"), rng)
    draws = draw_quarters(spec, recipe, rng, years)
    entered = [
        q
        for q in draws
        if not q.missing and quarter_last_day(q.period) < today and q.entered.date() <= today
    ]
    first_pending = len(entered) - pending_count
    rows = []
    for index, q in enumerate(entered):
        rows += _quarter_rows(indicator_id, q, index >= first_pending, today)
    return rows
