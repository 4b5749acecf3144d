"""Extra volume for ``--scale N`` above 1: revision histories and split budget movements.

Nothing here runs at scale 1, so the demo everyone sees stays exactly as the recipe makes it.
Each part draws from its own random stream (``rng_for``), so the volume is reproducible.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from dashboard.db.models import EntryStatus, MovementKind
from dashboard.services.demo.common import (
    draw,
    draw_int,
    office_minute,
    rng_for,
    round_to,
    split_units,
)
from dashboard.services.demo.money import MILLS, Movement
from dashboard.services.demo.recipe import Params
from dashboard.services.demo.store import copy_rows, reserve_ids

VALIDATED = EntryStatus.VALIDATED.value
# Columns the history rows set; every row of one bulk insert must name the same columns.
HISTORY_DEFAULTS: dict[str, Any] = {
    "supersedes_id": None,
    "correction_reason": "",
    "is_superseded": False,
    "submitted_at": None,
    "updated_at": None,
}
Chain = list[dict[str, Any]]  # superseded versions first, the version in force last


def _pick_count(weights: dict[int, float], rng: random.Random) -> int:
    """Draw a count from {count: share} weights."""
    pick = rng.random() * math.fsum(weights.values())
    for count, share in sorted(weights.items()):
        if pick < share:
            return count
        pick -= share
    return max(weights)


def progress_chains(
    rows: Sequence[dict[str, Any]],
    *,
    params: Params,
    rng: random.Random,
    decimals: int,
    ceiling: float | None,
    today: date,
) -> list[Chain]:
    """Give some validated values of a synthetic series earlier, superseded versions.

    The version in force keeps its value; it is re-dated after its predecessors (each entered,
    submitted and validated like it, then corrected). A history that would end after today is
    left out, so the value in force and its status never depend on the draws made here.
    """
    weights = params.weights("revisions")
    change = params.pair("revision_change")
    delay = params.pair("correction_delay_days")
    reasons = params.texts("correction_reasons")

    def _revised(value: float) -> float:
        wrong = round_to(value * draw(rng, change), decimals)
        return wrong if ceiling is None else min(wrong, ceiling)

    chains = []
    for row in rows:
        count = _pick_count(weights, rng)
        if count == 0 or row["status"] != VALIDATED:
            chains.append([row])
            continue
        to_submit = row["submitted_at"] - row["created_at"]
        to_review = row["reviewed_at"] - row["submitted_at"]
        versions = []
        created = row["created_at"]
        for index in range(count + 1):
            reviewed = created + to_submit + to_review
            versions.append(
                {
                    **row,
                    "value": row["value"] if index == count else _revised(row["value"]),
                    "created_at": created,
                    "submitted_at": created + to_submit,
                    "reviewed_at": reviewed,
                    "updated_at": reviewed,
                    "correction_reason": rng.choice(reasons) if index else "",
                    "is_superseded": index < count,
                }
            )
            created = office_minute(
                reviewed.date() + timedelta(draw_int(rng, delay)), rng.randrange(600)
            )
        if versions[-1]["reviewed_at"].date() > today:
            chains.append([row])
            continue
        for old, new in itertools.pairwise(versions):
            old["updated_at"] = new["reviewed_at"]  # marked superseded when the next one passed
        chains.append(versions)
    return chains


def split_movements(
    movements: Sequence[Movement], *, seed: int, scale: int, params: Params
) -> list[Movement]:
    """Split each movement into ``scale`` movements of the same date that add up to it.

    The split keeps every total (committed and disbursed per contract, axis and date), so the
    budget checks hold as they do at scale 1; each part gets its own entry and review delays.
    """
    if scale == 1:
        return list(movements)
    entry, review = params.pair("entry_delay_days"), params.pair("review_delay_days")
    pending = params.number("pending_share")
    parts: list[Movement] = []
    for index, movement in enumerate(movements):
        rng = rng_for(seed, "scale-movement", movement.acronym, index)
        amounts = split_units(movement.amount, [rng.uniform(0.5, 1.5) for _ in range(scale)])
        for number, amount in enumerate(amounts):
            own = replace(
                movement,
                amount=amount,
                entry_days=draw_int(rng, entry),
                review_days=draw_int(rng, review),
                minutes=rng.randrange(600),
                held=movement.kind is MovementKind.DISBURSEMENT and rng.random() < pending,
            )
            if amount > 0:
                # The first part keeps the demo's own delays: at scale 1 it is the movement.
                parts.append(replace(movement, amount=amount) if number == 0 else own)
    return parts


def movement_chains(
    rows: Sequence[dict[str, Any]], *, seed: int, params: Params, today: date
) -> list[Chain]:
    """Give some validated movements an earlier, superseded version with another amount.

    Commitments were first entered too high and disbursements too low, so that whatever was
    validated when stays within the checks (committed <= envelope, disbursed <= committed).
    """
    rng = rng_for(seed, "scale-movement-history")
    share = params.number("movement_corrections")
    low, high = params.pair("movement_change")
    delay = params.pair("correction_delay_days")
    reasons = params.texts("correction_reasons")
    chains = []
    for row in rows:
        factor, days, reason = draw(rng, (low, high)), draw_int(rng, delay), rng.choice(reasons)
        if row["status"] != VALIDATED or rng.random() >= share:
            chains.append([row])
            continue
        to_review = row["reviewed_at"] - row["created_at"]
        created = office_minute(row["reviewed_at"].date() + timedelta(days), rng.randrange(600))
        if (created + to_review).date() > today:
            chains.append([row])
            continue
        mills = round(row["amount_mdh"] * MILLS)
        wrong = math.ceil(mills * factor) if row["kind"] == "commitment" else int(mills / factor)
        old = {
            **row,
            "amount_mdh": wrong / MILLS,
            "is_superseded": True,
            "updated_at": created + to_review,
        }
        new = {
            **row,
            "created_at": created,
            "submitted_at": created,
            "reviewed_at": created + to_review,
            "updated_at": created + to_review,
            "correction_reason": reason,
        }
        chains.append([old, new])
    return chains


def insert_chains(session: Session, table: Any, chains: Sequence[Chain]) -> int:
    """Insert version chains, each version pointing at the one it supersedes; return the rows.

    The ids are reserved first, so that one bulk insert writes every chain in order (a
    superseded version always before the one that replaces it).
    """
    ids = iter(reserve_ids(session, table, sum(len(chain) for chain in chains)))
    rows = []
    for chain in chains:
        previous = None
        for version in chain:
            row = {**HISTORY_DEFAULTS, **version, "id": next(ids), "supersedes_id": previous}
            rows.append(row)
            previous = row["id"]
    return copy_rows(session, table, rows)
