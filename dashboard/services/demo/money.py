"""Illustrative money: envelope lines, commitments and disbursements, baseline-plan spending."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboard.db.models import EntryStatus, MovementKind, Origin
from dashboard.services.demo.common import (
    ContractRef,
    draw,
    draw_int,
    jitter,
    office_minute,
    random_day,
    rng_for,
    split_units,
)
from dashboard.services.demo.recipe import Params, Recipe

CENTS = 100  # envelope lines are whole hundredths of MDH (10 000 DH)
MILLS = 1000  # movements are whole thousandths of MDH (1 000 DH)
LineKey = tuple[str, int, int]  # (CTI acronym, axis number, year)


def envelope_lines(
    recipe: Recipe,
    seed: int,
    *,
    contracts: Sequence[ContractRef],
    plan_envelope: float,
    axes: Sequence[int],
    years: Sequence[int],
) -> dict[LineKey, int]:
    """Split part of the plan envelope between contracts, axes and years (in cents of MDH)."""
    params = recipe.params.section("envelope")
    rng = rng_for(seed, "envelope")
    # Rounding down keeps the sum of the lines within the plan envelope whatever the draws.
    allocated = math.floor(plan_envelope * draw(rng, params.pair("allocated_share")) * CENTS)
    sizes = [c.size * jitter(rng, params.number("size_jitter")) for c in contracts]
    axis_shares, year_shares = params.weights("axis_shares"), params.weights("year_shares")
    keys = [(axis, year) for axis in axes for year in years]
    lines: dict[LineKey, int] = {}
    for contract, total in zip(contracts, split_units(allocated, sizes), strict=True):
        own = rng_for(seed, "envelope", contract.acronym)
        by_axis = {
            a: axis_shares.get(a, 0.2) * jitter(own, params.number("axis_jitter")) for a in axes
        }
        by_year = {
            y: year_shares.get(y, 0.25) * jitter(own, params.number("year_jitter")) for y in years
        }
        parts = split_units(total, [by_axis[a] * by_year[y] for a, y in keys])
        for (axis, year), part in zip(keys, parts, strict=True):
            lines[(contract.acronym, axis, year)] = part
    return lines


@dataclass(frozen=True)
class Movement:
    """A commitment or disbursement with its random workflow, before filtering by date."""

    acronym: str
    axis: int
    kind: MovementKind
    on_date: date
    amount: int  # thousandths of MDH
    comment: str
    entry_days: int
    review_days: int
    minutes: int
    held: bool  # left awaiting validation whatever the date


def _commitment_day(params: Params, rng: random.Random, year: int, signed_on: date) -> date:
    """Date a commitment for a line of ``year``: after the contract's signing, mostly."""
    if year <= signed_on.year - 1:
        if rng.random() < params.number("early_share"):
            return random_day(rng, params.day("earliest_commitment"), signed_on - timedelta(1))
        return random_day(rng, signed_on, date(signed_on.year, 6, 30))
    return random_day(rng, max(date(year, 1, 15), signed_on), date(year, 11, 30))


def _movement(
    params: Params,
    rng: random.Random,
    *,
    key: tuple[str, int],
    kind: MovementKind,
    day: date,
    amount: int,
    comment: str,
) -> Movement:
    held = kind is MovementKind.DISBURSEMENT and rng.random() < params.number("pending_share")
    return Movement(
        acronym=key[0],
        axis=key[1],
        kind=kind,
        on_date=day,
        amount=amount,
        comment=comment,
        entry_days=draw_int(rng, params.pair("entry_delay_days")),
        review_days=draw_int(rng, params.pair("review_delay_days")),
        minutes=rng.randrange(600),
        held=held,
    )


def _disbursements(
    params: Params, rng: random.Random, commitment: Movement, rate: float
) -> list[Movement]:
    """Pay a commitment in tranches, each after it and never more than it in total."""
    total = math.floor(commitment.amount * min(1.0, rate * jitter(rng, 0.10)))
    count = draw_int(rng, params.pair("tranches"))
    low, high = params.pair("disbursement_lag_days")
    # A disbursement comes after its commitment has been validated (entry + review delays),
    # so validated disbursements never exceed validated commitments.
    low = max(low, params.pair("entry_delay_days")[1] + params.pair("review_delay_days")[1] + 1)
    last = params.day("last_disbursement")
    days = []
    for _ in range(count):
        day = commitment.on_date + timedelta(days=draw_int(rng, (low, max(low, high))))
        if day > last:
            day = random_day(rng, commitment.on_date + timedelta(days=low), last)
        days.append(day)
    parts = split_units(total, [rng.uniform(0.5, 1.5) for _ in range(count)])
    key = (commitment.acronym, commitment.axis)
    return [
        _movement(
            params,
            rng,
            key=key,
            kind=MovementKind.DISBURSEMENT,
            day=day,
            amount=part,
            comment=commitment.comment,
        )
        for day, part in zip(sorted(days), parts, strict=True)
        if part > 0
    ]


def plan_movements(
    recipe: Recipe,
    seed: int,
    lines: Mapping[LineKey, int],
    signed_on: Mapping[str, date],
    lagging: set[str],
) -> list[Movement]:
    """Return every commitment and disbursement of the plan, whatever today is."""
    params = recipe.params.section("budget")
    comments = params.section("comments")
    movements: list[Movement] = []
    for acronym in sorted({key[0] for key in lines}):
        rng = rng_for(seed, "budget", acronym)
        rates = params.section("lagging") if acronym in lagging else params
        commit_rate = draw(rng, rates.pair("commitment_rate"))
        pay_rate = draw(rng, rates.pair("disbursement_rate"))
        for (cti, axis, year), cents in sorted(lines.items()):
            if cti != acronym:
                continue
            limit = cents * (MILLS // CENTS)
            committed = math.floor(limit * min(1.0, commit_rate * jitter(rng, 0.05)))
            count = draw_int(rng, params.pair("commitments_per_line"))
            for amount in split_units(committed, [rng.uniform(0.5, 1.5) for _ in range(count)]):
                if amount == 0:
                    continue
                day = _commitment_day(params, rng, year, signed_on[acronym])
                comment = rng.choice(comments.texts(str(axis)))
                commitment = _movement(
                    params,
                    rng,
                    key=(acronym, axis),
                    kind=MovementKind.COMMITMENT,
                    day=day,
                    amount=amount,
                    comment=comment,
                )
                movements += [commitment, *_disbursements(params, rng, commitment, pay_rate)]
    return movements


def movement_rows(
    movements: Sequence[Movement],
    contract_ids: Mapping[str, int],
    axis_ids: Mapping[int, int],
    today: date,
) -> list[dict[str, Any]]:
    """Number the movements (ENG-/DEC-<CTI>-<year>-nnn) and return those dated up to today."""
    ordered = sorted(
        movements, key=lambda m: (m.acronym, m.on_date, m.kind != MovementKind.COMMITMENT, m.axis)
    )
    counters: dict[tuple[str, str, int], int] = {}
    rows = []
    for m in ordered:
        prefix = "ENG" if m.kind is MovementKind.COMMITMENT else "DEC"
        counter = (m.acronym, prefix, m.on_date.year)
        counters[counter] = counters.get(counter, 0) + 1
        if m.on_date > today:
            continue
        created_day = min(m.on_date + timedelta(days=m.entry_days), today)
        created = office_minute(created_day, m.minutes)
        reviewed = created + timedelta(days=m.review_days, hours=1)
        validated = not m.held and reviewed.date() <= today
        rows.append(
            {
                "contract_id": contract_ids[m.acronym],
                "axis_id": axis_ids[m.axis],
                "kind": m.kind.value,
                "on_date": m.on_date,
                "amount_mdh": m.amount / MILLS,
                "reference": f"{prefix}-{m.acronym}-{m.on_date.year}-{counters[counter]:03d}",
                "comment": m.comment,
                "status": (EntryStatus.VALIDATED if validated else EntryStatus.SUBMITTED).value,
                "created_at": created,
                "reviewed_at": reviewed if validated else None,
                "origin": Origin.ILLUSTRATIVE.value,
            }
        )
    return rows


def baseline_spending(
    recipe: Recipe, seed: int, envelope: float, years: Sequence[int]
) -> dict[int, float]:
    """Return the yearly spending of the baseline plan: a slow start, not quite all spent."""
    params = recipe.params.section("baseline_spending")
    rng = rng_for(seed, "baseline_spending")
    spent = math.floor(envelope * draw(rng, params.pair("spent_share")) * CENTS)
    profile = params.weights("year_profile")
    weights = [
        profile.get(year, 1.0 / len(years)) * jitter(rng, params.number("jitter")) for year in years
    ]
    return {
        year: part / CENTS for year, part in zip(years, split_units(spent, weights), strict=True)
    }
