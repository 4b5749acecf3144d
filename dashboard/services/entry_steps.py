"""One workflow step on a versioned entry: a progress value or a budget movement.

Both kinds follow the same path: check the version the person saw, work out the new status
(``step_values``), let the kind do its own checks when validating, write with the version in
the WHERE clause, and record the step in the audit trail with the entry before and after.
A correction, once validated, retires the version it replaces the same way (``retire``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.db.models import BudgetMovement, ProgressUpdate
from dashboard.domain.text import clean_text
from dashboard.domain.workflow import Step
from dashboard.services.entry import bump, check_version, record_ok, step_values

Row = TypeVar("Row", ProgressUpdate, BudgetMovement)
Snapshot = Callable[[Any], dict[str, Any]]


def apply_step(
    session: Session,
    account: Account | None,
    row: Row,
    *,
    entity: str,
    prefix: str,
    snapshot: Snapshot,
    step: Step,
    version: int | None,
    reason: str = "",
    on_validate: Callable[[], None] | None = None,
) -> Row:
    """Apply one step to an entry already loaded (the caller has checked permissions).

    ``prefix`` names the audit actions (``progress.validate``); ``on_validate`` runs before
    the write when the step validates, and may refuse by raising.
    """
    assert row.id is not None
    before = snapshot(row)
    check_version(
        session,
        entity=entity,
        row_id=row.id,
        seen_version=version,
        current_version=row.version,
        current=before,
    )
    values = step_values(account, row.status, step, reason)
    if step is Step.VALIDATE and on_validate is not None:
        on_validate()
    bump(
        session,
        type(row),
        row_id=row.id,
        seen_version=row.version,
        values=values,
        entity=entity,
        current=before,
    )
    session.refresh(row)
    after = snapshot(row)
    if reason:
        after["reason"] = clean_text(reason)
    record_ok(
        session,
        account,
        action=f"{prefix}.{step}",
        entity=entity,
        entity_id=row.id,
        before=before,
        after=after,
    )
    return row


def retire(
    session: Session,
    account: Account | None,
    old: Row,
    *,
    entity: str,
    prefix: str,
    snapshot: Snapshot,
    detail: str = "",
) -> None:
    """Mark an official version as replaced by its validated correction, and record it."""
    assert old.id is not None
    before = snapshot(old)
    bump(
        session,
        type(old),
        row_id=old.id,
        seen_version=old.version,
        values={"is_superseded": True},
        entity=entity,
        current=before,
    )
    session.refresh(old)
    record_ok(
        session,
        account,
        action=f"{prefix}.supersede",
        entity=entity,
        entity_id=old.id,
        before=before,
        after=snapshot(old),
        detail=detail,
    )
