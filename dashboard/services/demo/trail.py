"""An illustrative audit trail for ``--scale N`` above 1, describing the entries the demo wrote.

It reads the illustrative progress values and budget movements back, block by block, and
writes the events the application itself would have written for them: sign-ins, saves,
submissions, validations, rejections, corrections and supersessions, a few wrong passwords and
refused actions, and sign-outs. The events name illustrative people (``cetia.saisie1``,
``ministere.analyste2``..., one team per block of series) by user name only: no account
exists behind them (user_id NULL), so nobody can sign in as them and ``demo-accounts`` still
works. Their ``detail`` starts with ``illustratif``: they are labelled, and removed with the
rest of the demo.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from dashboard.db.models import AuditEvent, BudgetMovement, Contract, Cti, Indicator, ProgressUpdate
from dashboard.domain.periods import Period
from dashboard.services.demo.common import rng_for
from dashboard.services.demo.recipe import Params
from dashboard.services.demo.sessions import Block, People
from dashboard.services.demo.store import ILLUSTRATIVE, copy_rows


def _aware(value: datetime) -> datetime:
    """Read a stored time as UTC (SQLite hands back naive datetimes)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _progress_snapshot(row: Any, status: str, version: int, superseded: bool) -> dict[str, Any]:
    return {
        "period": Period(row.year, row.quarter or None).label(),
        "value": row.value,
        "status": status,
        "comment": row.comment,
        "version": version,
        "is_superseded": superseded,
        "indicator": row.code,
    }


def _describe_progress(block: Block, people: People, row: Any, parents: dict[int, Any]) -> None:
    """Add the events of one progress value: saved, submitted, reviewed, superseding."""
    rng = block.rng
    editor, analyst = rng.choice(people.editors[row.acronym]), rng.choice(people.analysts)
    created = _aware(row.created_at)
    draft = _progress_snapshot(row, "draft", 1, False)
    common = {"entity": "progress", "entity_id": row.id, "cti": (str(row.cti_id), row.code)}
    parent = parents.pop(row.supersedes_id, None) if row.supersedes_id else None
    if parent is not None:
        before = _progress_snapshot(parent, "validated", 3, False)
        after = {**draft, "reason": row.correction_reason}
        block.add(created, editor, "progress.correct", before=before, after=after, **common)
    else:
        block.add(created, editor, "progress.create", after=draft, **common)
    if row.submitted_at is None:
        return
    submitted = _aware(row.submitted_at)
    sent = _progress_snapshot(row, "submitted", 2, False)
    block.add(submitted, editor, "progress.submit", before=draft, after=sent, **common)
    if row.reviewed_at is None:
        return
    reviewed = _aware(row.reviewed_at)
    step = "validate" if row.status == "validated" else "reject"
    after = _progress_snapshot(row, row.status, 3, False)
    if row.rejection_reason:
        after["reason"] = row.rejection_reason
    block.add(reviewed, analyst, f"progress.{step}", before=sent, after=after, **common)
    if parent is not None:
        block.add(
            reviewed,
            analyst,
            "progress.supersede",
            entity="progress",
            entity_id=parent.id,
            before=_progress_snapshot(parent, "validated", 3, False),
            after=_progress_snapshot(parent, "validated", 4, True),
            detail=f"remplacée par la valeur n° {row.id}",
        )
    if row.is_superseded:
        parents[row.id] = row


def _movement_snapshot(row: Any, status: str, version: int, superseded: bool) -> dict[str, Any]:
    return {
        "contract_id": row.contract_id,
        "axis_id": row.axis_id,
        "kind": row.kind,
        "on_date": row.on_date.isoformat(),
        "amount_mdh": row.amount_mdh,
        "reference": row.reference,
        "comment": row.comment,
        "status": status,
        "version": version,
        "is_superseded": superseded,
    }


def _describe_movement(block: Block, people: People, row: Any, parents: dict[int, Any]) -> None:
    """Add the events of one budget movement: entered (and submitted), validated, superseding."""
    entered_by, validated_by = block.rng.sample(people.analysts, 2)
    created = _aware(row.created_at)
    sent = _movement_snapshot(row, "submitted", 1, False)
    common = {"entity": "movement", "entity_id": row.id}
    parent = parents.pop(row.supersedes_id, None) if row.supersedes_id else None
    if parent is not None:
        before = _movement_snapshot(parent, "validated", 2, False)
        after = {**sent, "reason": row.correction_reason}
        block.add(created, entered_by, "budget.correct", before=before, after=after, **common)
    else:
        block.add(created, entered_by, "budget.create", after=sent, **common)
    if row.reviewed_at is not None and row.status == "validated":
        reviewed = _aware(row.reviewed_at)
        after = _movement_snapshot(row, "validated", 2, False)
        block.add(reviewed, validated_by, "budget.validate", before=sent, after=after, **common)
        if parent is not None:
            block.add(
                reviewed,
                validated_by,
                "budget.supersede",
                entity="movement",
                entity_id=parent.id,
                before=_movement_snapshot(parent, "validated", 2, False),
                after=_movement_snapshot(parent, "validated", 3, True),
            )
    if row.is_superseded:
        parents[row.id] = row


PROGRESS_COLUMNS = (
    "id",
    "year",
    "quarter",
    "value",
    "comment",
    "status",
    "created_at",
    "submitted_at",
    "reviewed_at",
    "rejection_reason",
    "supersedes_id",
    "is_superseded",
    "correction_reason",
)
MOVEMENT_COLUMNS = (
    "id",
    "contract_id",
    "axis_id",
    "kind",
    "on_date",
    "amount_mdh",
    "reference",
    "comment",
    "status",
    "created_at",
    "reviewed_at",
    "supersedes_id",
    "is_superseded",
    "correction_reason",
)


def _query(kind: str, after_id: int, limit: int) -> Any:
    """Select one block of illustrative rows as plain tuples (no ORM objects to keep)."""
    if kind == "progress":
        return (
            select(
                *(getattr(ProgressUpdate, name) for name in PROGRESS_COLUMNS),
                col(Indicator.code).label("code"),
                col(Cti.acronym).label("acronym"),
                col(Cti.id).label("cti_id"),
            )
            .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(col(ProgressUpdate.origin) == ILLUSTRATIVE, col(ProgressUpdate.id) > after_id)
            .order_by(col(ProgressUpdate.id))
            .limit(limit)
        )
    return (
        select(*(getattr(BudgetMovement, name) for name in MOVEMENT_COLUMNS))
        .where(col(BudgetMovement.origin) == ILLUSTRATIVE, col(BudgetMovement.id) > after_id)
        .order_by(col(BudgetMovement.id))
        .limit(limit)
    )


def _blocks(session: Session, kind: str, limit: int) -> Iterator[list[Any]]:
    """Yield the illustrative rows of one kind in id order, ``limit`` at a time."""
    last = 0
    while True:
        rows = list(session.exec(_query(kind, last, limit)).all())
        if not rows:
            return
        yield rows
        last = rows[-1].id


def write_trail(
    session: Session, *, params: Params, seed: int, scale: int, acronyms: list[str]
) -> int:
    """Write the audit events of every illustrative entry; return how many were written.

    Entries are described ``series_per_block`` series' worth at a time (the rows divided by
    the scale, times that): sign-ins are grouped within a block, so equal blocks keep the trail
    proportional to the scale.
    """
    per_block = params.number("series_per_block")
    streams = []
    for kind, table in (("progress", ProgressUpdate), ("movement", BudgetMovement)):
        rows_of_kind = (
            session.connection()
            .execute(select(func.count()).where(col(table.origin) == ILLUSTRATIVE))
            .scalar_one()
        )
        streams.append(_blocks(session, kind, max(1, math.ceil(rows_of_kind * per_block / scale))))
    total = 0
    progress_parents: dict[int, Any] = {}
    movement_parents: dict[int, Any] = {}
    # Block n holds the n-th share of the values and of the movements, worked on by team n.
    for number, (values, movements) in enumerate(itertools.zip_longest(*streams, fillvalue=[])):
        block = Block(rng_for(seed, "audit", number))
        people = People.build(params, acronyms, team=number)
        for row in values:
            _describe_progress(block, people, row, progress_parents)
        for row in movements:
            _describe_movement(block, people, row, movement_parents)
        total += copy_rows(session, AuditEvent, block.sessions(people, params))
    return total
