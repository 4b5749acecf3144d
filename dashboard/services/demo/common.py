"""Small helpers shared by the demo-data generators: random streams, rounding, splitting, dates."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from dashboard.domain.periods import Period


def rng_for(seed: int, *keys: object) -> random.Random:
    """Return a random stream derived from the seed and keys.

    Each part of the demo (an envelope, a CTI's indicators, one indicator's progress...) draws
    from its own stream, so that adding an indicator or a CTI does not reshuffle everything
    else. Seeding with a string is stable across runs and Python versions (SHA-512 based).
    """
    return random.Random(":".join(str(key) for key in (seed, *keys)))  # noqa: S311 - demo data


def jitter(rng: random.Random, amount: float) -> float:
    """Return a factor drawn in [1 - amount, 1 + amount]."""
    return rng.uniform(1.0 - amount, 1.0 + amount)


def draw(rng: random.Random, bounds: tuple[float, float]) -> float:
    """Return a value drawn uniformly between the two bounds."""
    return rng.uniform(bounds[0], bounds[1])


def draw_int(rng: random.Random, bounds: tuple[float, float]) -> int:
    """Return an integer drawn uniformly between the two bounds, both included."""
    return rng.randint(int(bounds[0]), int(bounds[1]))


def round_to(value: float, decimals: int, mode: str = "nearest") -> float:
    """Round to ``decimals`` places: to the nearest value, or "up" or "down"."""
    factor = 10.0**decimals
    scaled = value * factor
    # The small epsilon keeps 2.0000000001 from rounding up to 3 (float noise, not data).
    if mode == "up":
        return math.ceil(scaled - 1e-9) / factor
    if mode == "down":
        return math.floor(scaled + 1e-9) / factor
    return round(scaled) / factor


def split_units(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer total in proportion to weights, summing exactly to total.

    Largest-remainder method: whole parts first, then one more unit to the largest remainders.
    """
    weight_sum = math.fsum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def quarter_last_day(period: Period) -> date:
    """Return the last day of a quarter (31 March for Q1)."""
    quarter = period.quarter or 4
    first_of_next = date(period.year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def office_time(day: date, rng: random.Random) -> datetime:
    """Return a moment of office hours (08:00-18:00 UTC) on that day, as an aware datetime.

    Bulk inserts skip the models' validation, so timestamps must already carry their zone.
    """
    return office_minute(day, rng.randrange(600))


def office_minute(day: date, minutes: int) -> datetime:
    """Return 08:00 UTC on that day plus ``minutes``."""
    return datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=minutes)


def random_day(rng: random.Random, first: date, last: date) -> date:
    """Return a day drawn uniformly between first and last, both included."""
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


class ContractRef:
    """A contract of the current plan as the generators see it: its CTI, id and size."""

    __slots__ = ("acronym", "contract_id", "size")

    def __init__(self, acronym: str, contract_id: int, size: float) -> None:
        """Keep the three values."""
        self.acronym = acronym
        self.contract_id = contract_id
        self.size = size
