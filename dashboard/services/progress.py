"""Entering progress values: new drafts, edits of pending values, corrections of validated ones.

Every function checks the caller on the server (a cti_editor writes only for its own CTI),
applies the rules, writes in the caller's transaction with an audit event, and on any refusal
rolls everything back, logs the refusal and raises a French UserError. A validated value is
never overwritten: ``correct_progress`` adds a new version that replaces it once validated.
The workflow steps (submit, validate, reject...) are in ``progress_workflow``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import ProgressUpdate
from dashboard.domain.periods import Period
from dashboard.domain.validation import check_text
from dashboard.domain.workflow import Step, TransitionError, next_state
from dashboard.i18n import _
from dashboard.services.entry import check_version, guarded, record_ok, transition_error
from dashboard.services.errors import UserError
from dashboard.services.progress_rules import (
    IndicatorContext,
    indicator_context,
    snapshot,
    to_period,
)
from dashboard.services.progress_writes import (
    ENTITY,
    Attachment,
    Saved,
    checked_value,
    create_entry,
    edit_entry,
    flush_entry,
    load_entry,
    new_row,
)

__all__ = ["Attachment", "Saved", "correct_entry", "correct_progress", "save_progress"]


def correct_entry(
    session: Session,
    account: Account | None,
    row: ProgressUpdate,
    ctx: IndicatorContext,
    *,
    version: int | None,
    raw_value: Any,
    reason: str,
    comment: str,
    today: date,
    submit: bool,
) -> Saved:
    """Add a new version of a validated value, with a reason (the old one stays official)."""
    assert row.id is not None
    check_version(
        session,
        entity=ENTITY,
        row_id=row.id,
        seen_version=version,
        current_version=row.version,
        current=snapshot(row, ctx),
    )
    try:
        next_state(row.status, Step.CORRECT)
    except TransitionError as exc:
        raise transition_error(exc) from None
    if row.is_superseded:
        raise WorkflowLocked()
    period = to_period(row.year, row.quarter)
    need_reason = check_text(
        reason, field="reason", label=_("Motif de la correction"), required=True
    )
    value, result = checked_value(
        session,
        ctx,
        period=period,
        raw_value=raw_value,
        comment=comment,
        today=today,
        replacing=None,
        extra=need_reason,
    )
    new = new_row(
        account,
        ctx,
        period=period,
        value=value,
        comment=comment,
        submit=submit,
        supersedes_id=row.id,
        correction_reason=reason.strip(),
    )
    session.add(new)
    flush_entry(session, period)
    record_ok(
        session,
        account,
        action="progress.correct",
        entity=ENTITY,
        entity_id=new.id,
        before=snapshot(row, ctx),
        after={**snapshot(new, ctx), "reason": reason.strip()},
    )
    return Saved(new, result.warnings)


class WorkflowLocked(UserError):
    """A value already replaced by a newer version."""

    def __init__(self) -> None:
        super().__init__(_("Cette valeur a déjà été remplacée : corrigez la version en vigueur."))


def save_progress(
    *,
    session: Session,
    account: Account | None,
    indicator_id: int,
    period: Period,
    value: Any,
    today: date,
    comment: str = "",
    update_id: int | None = None,
    version: int | None = None,
    attachment: Attachment | None = None,
    submit: bool = False,
) -> Saved:
    """Enter a value as a draft (or submit it at once), or edit a pending or rejected one."""
    ctx = indicator_context(session, indicator_id)
    action = "progress.create" if update_id is None else "progress.edit"
    detail = f"{ctx.code} {period.label()}"
    require(account, Action.ENTER_PROGRESS, ctx.cti_id, session=session, detail=detail)
    if submit:
        require(account, Action.SUBMIT_PROGRESS, ctx.cti_id, session=session, detail=detail)

    def work() -> Saved:
        if update_id is None:
            return create_entry(
                session,
                account,
                ctx,
                period=period,
                raw_value=value,
                comment=comment,
                today=today,
                submit=submit,
                attachment=attachment,
            )
        row, _ctx = load_entry(session, update_id)
        if row.indicator_id != indicator_id or to_period(row.year, row.quarter) != period:
            raise UserError(
                _("Cette valeur appartient à un autre indicateur ou une autre période.")
            )
        return edit_entry(
            session,
            account,
            row,
            ctx,
            version=version,
            raw_value=value,
            comment=comment,
            today=today,
            submit=submit,
            attachment=attachment,
        )

    return guarded(session, account, work, action=action, entity=ENTITY, entity_id=update_id or "")


def correct_progress(
    *,
    session: Session,
    account: Account | None,
    update_id: int,
    version: int | None,
    value: Any,
    reason: str,
    today: date,
    comment: str = "",
    submit: bool = False,
) -> Saved:
    """Propose a corrected version of a validated value; it becomes official once validated."""
    row, ctx = load_entry(session, update_id)
    detail = f"correction {ctx.code}"
    require(account, Action.ENTER_PROGRESS, ctx.cti_id, session=session, detail=detail)
    if submit:
        require(account, Action.SUBMIT_PROGRESS, ctx.cti_id, session=session, detail=detail)

    def work() -> Saved:
        return correct_entry(
            session,
            account,
            row,
            ctx,
            version=version,
            raw_value=value,
            reason=reason,
            comment=comment,
            today=today,
            submit=submit,
        )

    return guarded(
        session, account, work, action="progress.correct", entity=ENTITY, entity_id=update_id
    )
