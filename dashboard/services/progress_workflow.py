"""The workflow steps of a progress value: submit, withdraw, validate, reject.

The allowed steps are the domain's table (``dashboard.domain.workflow``); an illegal one is
refused with a message saying what to do instead. Every step checks the entry's version, so a
reviewer never validates a value that changed after they opened it.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import EntryStatus, ProgressUpdate
from dashboard.domain.workflow import Step
from dashboard.services.entry import guarded
from dashboard.services.entry_steps import apply_step, retire
from dashboard.services.notifications import notify_returned
from dashboard.services.progress_rules import IndicatorContext, snapshot
from dashboard.services.progress_writes import ENTITY, load_entry

PERMISSIONS = {
    Step.SUBMIT: Action.SUBMIT_PROGRESS,
    Step.WITHDRAW: Action.SUBMIT_PROGRESS,
    Step.VALIDATE: Action.VALIDATE_PROGRESS,
    Step.REJECT: Action.VALIDATE_PROGRESS,
}


def step_entry(
    session: Session,
    account: Account | None,
    row: ProgressUpdate,
    ctx: IndicatorContext,
    *,
    step: Step,
    version: int | None,
    reason: str = "",
) -> ProgressUpdate:
    """Apply one step to an entry already loaded (the caller has checked permissions)."""
    return apply_step(
        session,
        account,
        row,
        entity=ENTITY,
        prefix="progress",
        snapshot=lambda r: snapshot(r, ctx),
        step=step,
        version=version,
        reason=reason,
        on_validate=lambda: _supersede_official(session, account, row, ctx),
    )


def _supersede_official(
    session: Session, account: Account | None, row: ProgressUpdate, ctx: IndicatorContext
) -> None:
    """Mark as replaced the official value of the period that a newly validated one replaces."""
    olds = session.exec(
        select(ProgressUpdate).where(
            col(ProgressUpdate.indicator_id) == row.indicator_id,
            col(ProgressUpdate.year) == row.year,
            col(ProgressUpdate.quarter) == row.quarter,
            col(ProgressUpdate.status) == EntryStatus.VALIDATED.value,
            col(ProgressUpdate.is_superseded).is_(False),
            col(ProgressUpdate.id) != row.id,
        )
    ).all()
    for old in olds:
        retire(
            session,
            account,
            old,
            entity=ENTITY,
            prefix="progress",
            snapshot=lambda r: snapshot(r, ctx),
            detail=f"remplacée par la valeur n° {row.id}",
        )


def move_progress(
    *,
    session: Session,
    account: Account | None,
    update_id: int,
    version: int | None,
    step: Step,
    reason: str = "",
) -> ProgressUpdate:
    """Check the caller, then apply a workflow step to one entry (refusals are audited)."""
    row, ctx = load_entry(session, update_id)
    require(account, PERMISSIONS[step], ctx.cti_id, session=session, detail=f"{step} {ctx.code}")
    moved = guarded(
        session,
        account,
        lambda: step_entry(session, account, row, ctx, step=step, version=version, reason=reason),
        action=f"progress.{step}",
        entity=ENTITY,
        entity_id=update_id,
    )
    if step is Step.REJECT:  # in the editor's bell at once, not at the next `remind` run
        notify_returned(session, moved)
    return moved


def submit_progress(
    *, session: Session, account: Account | None, update_id: int, version: int | None
) -> ProgressUpdate:
    """Submit a draft for validation."""
    return move_progress(
        session=session, account=account, update_id=update_id, version=version, step=Step.SUBMIT
    )


def withdraw_progress(
    *, session: Session, account: Account | None, update_id: int, version: int | None
) -> ProgressUpdate:
    """Take a submitted value back to draft, before it is reviewed."""
    return move_progress(
        session=session, account=account, update_id=update_id, version=version, step=Step.WITHDRAW
    )


def validate_progress(
    *, session: Session, account: Account | None, update_id: int, version: int | None
) -> ProgressUpdate:
    """Validate a submitted value: it becomes official (and replaces the one it corrects)."""
    return move_progress(
        session=session, account=account, update_id=update_id, version=version, step=Step.VALIDATE
    )


def reject_progress(
    *, session: Session, account: Account | None, update_id: int, version: int | None, reason: str
) -> ProgressUpdate:
    """Return a submitted value to its author with a reason (required, shown to them)."""
    return move_progress(
        session=session,
        account=account,
        update_id=update_id,
        version=version,
        step=Step.REJECT,
        reason=reason,
    )
