"""The workflow steps of a budget movement: submit, withdraw, validate, reject.

Validating re-checks the validated amounts alone (an axis never shows more disbursed than
committed, nor more committed than its envelope, in the official figures) and retires the
version that a correction replaces.
"""

from __future__ import annotations

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import BudgetMovement, EntryStatus
from dashboard.domain.validation import Move
from dashboard.domain.workflow import Step
from dashboard.services.budget_entry import ENTITY, load_movement
from dashboard.services.budget_rules import (
    MovementContext,
    check_against_budget,
    movement_context,
    movement_snapshot,
)
from dashboard.services.entry import ValidationFailed, guarded
from dashboard.services.entry_steps import apply_step, retire

PERMISSIONS = {
    Step.SUBMIT: Action.ENTER_BUDGET,
    Step.WITHDRAW: Action.ENTER_BUDGET,
    Step.VALIDATE: Action.VALIDATE_BUDGET,
    Step.REJECT: Action.VALIDATE_BUDGET,
}


def _on_validate(
    session: Session, account: Account | None, row: BudgetMovement, ctx: MovementContext
) -> None:
    """Check validated amounts stay consistent, then retire the version this one corrects."""
    assert row.id is not None
    leaving = {row.id} | ({row.supersedes_id} if row.supersedes_id else set())
    result = check_against_budget(
        session,
        ctx,
        Move(row.on_date, row.kind, row.amount_mdh),
        leaving_out=leaving,
        validated_only=True,
    )
    if not result.ok:
        raise ValidationFailed(result)
    old = session.get(BudgetMovement, row.supersedes_id) if row.supersedes_id else None
    if old is not None and old.status == EntryStatus.VALIDATED.value:
        retire(session, account, old, entity=ENTITY, prefix="budget", snapshot=movement_snapshot)


def step_movement(
    session: Session,
    account: Account | None,
    row: BudgetMovement,
    ctx: MovementContext,
    *,
    step: Step,
    version: int | None,
    reason: str = "",
) -> BudgetMovement:
    """Apply one step to a movement already loaded (the caller has checked permissions)."""
    return apply_step(
        session,
        account,
        row,
        entity=ENTITY,
        prefix="budget",
        snapshot=movement_snapshot,
        step=step,
        version=version,
        reason=reason,
        on_validate=lambda: _on_validate(session, account, row, ctx),
    )


def move_movement(
    *,
    session: Session,
    account: Account | None,
    movement_id: int,
    version: int | None,
    step: Step,
    reason: str = "",
) -> BudgetMovement:
    """Submit, withdraw, validate or reject a movement (reason required to reject)."""
    row = load_movement(session, movement_id)
    ctx = movement_context(session, row.contract_id, row.axis_id)
    require(
        account, PERMISSIONS[step], ctx.cti_id, session=session, detail=f"{step} {row.reference}"
    )

    return guarded(
        session,
        account,
        lambda: step_movement(
            session, account, row, ctx, step=step, version=version, reason=reason
        ),
        action=f"budget.{step}",
        entity=ENTITY,
        entity_id=movement_id,
    )
