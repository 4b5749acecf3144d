"""Recording commitments and disbursements with the same workflow as progress values.

Analysts (and admins) enter a movement as a draft, submit it, and another step validates or
rejects it; a validated movement is locked and corrected only by a new version with a reason.
Every write checks the caller, the fields, the contract axis's envelope and the running
committed / disbursed amounts, and is audited; a refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import BudgetMovement, EntryStatus, Origin, utcnow
from dashboard.domain.validation import Issue, Move, ValidationResult, check_text, clean_text
from dashboard.domain.workflow import Step, TransitionError, next_state
from dashboard.i18n import _
from dashboard.services.budget_rules import (
    MovementContext,
    check_against_budget,
    check_fields,
    movement_context,
    movement_snapshot,
    reference_taken,
)
from dashboard.services.entry import (
    ValidationFailed,
    bump,
    check_version,
    guarded,
    record_ok,
    transition_error,
)
from dashboard.services.errors import NotFoundError

ENTITY = "movement"


@dataclass(frozen=True)
class MovementInput:
    """The fields of the movement form (``on_date`` as a date, or the text a form sent)."""

    contract_id: int
    axis_id: int
    kind: str
    on_date: date | str | None
    amount: Any
    reference: str = ""
    comment: str = ""


@dataclass(frozen=True)
class SavedMovement:
    """The movement written and the warnings to show."""

    movement: BudgetMovement
    warnings: tuple[Issue, ...] = ()


def _checked(
    session: Session,
    ctx: MovementContext,
    data: MovementInput,
    *,
    today: date,
    leaving_out: set[int],
    extra: ValidationResult | None = None,
) -> tuple[float, MovementInput, ValidationResult]:
    """Apply every rule; return the amount, the input as it will be stored, and the warnings.

    Stored as: the date read, the reference and comment cleaned (``clean_text``).
    """
    data = replace(data, reference=clean_text(data.reference), comment=clean_text(data.comment))
    amount, day, result = check_fields(
        ctx,
        kind=data.kind,
        on_date=data.on_date,
        raw_amount=data.amount,
        reference=data.reference,
        comment=data.comment,
        today=today,
    )
    if extra is not None:
        result += extra
    if result.ok and amount is not None and day is not None:
        candidate = Move(day, data.kind, amount)
        result += check_against_budget(session, ctx, candidate, leaving_out=leaving_out)
        result += reference_taken(session, ctx, data.reference, leaving_out=leaving_out)
    if not result.ok or amount is None or day is None:
        raise ValidationFailed(result)
    return amount, replace(data, on_date=day), result


def new_movement(
    account: Account | None, data: MovementInput, amount: float, submit: bool
) -> BudgetMovement:
    now = utcnow()
    assert isinstance(data.on_date, date)
    return BudgetMovement(
        contract_id=data.contract_id,
        axis_id=data.axis_id,
        kind=data.kind,
        on_date=data.on_date,
        amount_mdh=amount,
        reference=clean_text(data.reference),
        comment=clean_text(data.comment),
        status=EntryStatus.SUBMITTED.value if submit else EntryStatus.DRAFT.value,
        created_by_id=account.id if account else None,
        created_at=now,
        updated_at=now,
        submitted_at=now if submit else None,
    )


def load_movement(session: Session, movement_id: int) -> BudgetMovement:
    row = session.get(BudgetMovement, movement_id)
    if row is None:
        raise NotFoundError(
            _("Mouvement introuvable (n° {id}) : rechargez la page.", id=movement_id)
        )
    return row


def edit_movement(
    session: Session,
    account: Account | None,
    row: BudgetMovement,
    ctx: MovementContext,
    data: MovementInput,
    *,
    version: int | None,
    today: date,
    submit: bool,
) -> SavedMovement:
    """Change a pending movement, or enter a new one in place of a rejected one."""
    assert row.id is not None
    before = movement_snapshot(row)
    check_version(
        session,
        entity=ENTITY,
        row_id=row.id,
        seen_version=version,
        current_version=row.version,
        current=before,
    )
    step = Step.REVISE if row.status == EntryStatus.REJECTED.value else Step.EDIT
    try:
        state = next_state(row.status, step)
        if submit:
            state = next_state(state, Step.SUBMIT)
    except TransitionError as exc:
        raise transition_error(exc) from None
    amount, data, result = _checked(session, ctx, data, today=today, leaving_out={row.id})
    if step is Step.REVISE:
        bump(
            session,
            BudgetMovement,
            row_id=row.id,
            seen_version=row.version,
            values={"is_superseded": True},
            entity=ENTITY,
            current=before,
        )
        new = new_movement(account, data, amount, submit)
        new.supersedes_id = row.id
        session.add(new)
        session.flush()
        record_ok(
            session,
            account,
            action="budget.create",
            entity=ENTITY,
            entity_id=new.id,
            before=before,
            after=movement_snapshot(new),
        )
        return SavedMovement(new, result.warnings)
    now = utcnow()
    values = {
        "kind": data.kind,
        "on_date": data.on_date,
        "amount_mdh": amount,
        "reference": data.reference,
        "comment": data.comment,
        "status": state.value,
        "updated_at": now,
        "submitted_at": now if submit else None,
        # Who entered a movement is the account that saved it (a demo draft becomes theirs).
        "created_by_id": account.id if account else None,
        "origin": Origin.ENTERED.value,
    }
    bump(
        session,
        BudgetMovement,
        row_id=row.id,
        seen_version=row.version,
        values=values,
        entity=ENTITY,
        current=before,
    )
    session.refresh(row)
    record_ok(
        session,
        account,
        action="budget.edit",
        entity=ENTITY,
        entity_id=row.id,
        before=before,
        after=movement_snapshot(row),
    )
    return SavedMovement(row, result.warnings)


def create_movement(
    session: Session,
    account: Account | None,
    ctx: MovementContext,
    data: MovementInput,
    *,
    today: date,
    submit: bool,
) -> SavedMovement:
    """Check and add a new movement (the caller has checked permissions)."""
    amount, data, result = _checked(session, ctx, data, today=today, leaving_out=set())
    row = new_movement(account, data, amount, submit)
    session.add(row)
    session.flush()
    record_ok(
        session,
        account,
        action="budget.create",
        entity=ENTITY,
        entity_id=row.id,
        after=movement_snapshot(row),
    )
    return SavedMovement(row, result.warnings)


def save_movement(
    *,
    session: Session,
    account: Account | None,
    data: MovementInput,
    today: date,
    movement_id: int | None = None,
    version: int | None = None,
    submit: bool = False,
) -> SavedMovement:
    """Record a commitment or disbursement as a draft (or submit it), or edit a pending one."""
    ctx = movement_context(session, data.contract_id, data.axis_id)
    detail = f"{ctx.cti_acronym} axe {ctx.axis_number}"
    require(account, Action.ENTER_BUDGET, ctx.cti_id, session=session, detail=detail)

    def work() -> SavedMovement:
        if movement_id is None:
            return create_movement(session, account, ctx, data, today=today, submit=submit)
        row = load_movement(session, movement_id)
        if row.contract_id != data.contract_id:
            raise NotFoundError(_("Ce mouvement appartient à un autre contrat."))
        return edit_movement(
            session, account, row, ctx, data, version=version, today=today, submit=submit
        )

    action = "budget.create" if movement_id is None else "budget.edit"
    return guarded(
        session, account, work, action=action, entity=ENTITY, entity_id=movement_id or ""
    )


def correct_movement(
    *,
    session: Session,
    account: Account | None,
    movement_id: int,
    version: int | None,
    data: MovementInput,
    reason: str,
    today: date,
    submit: bool = False,
) -> SavedMovement:
    """Propose a corrected version of a validated movement; it replaces it once validated."""
    row = load_movement(session, movement_id)
    ctx = movement_context(session, row.contract_id, data.axis_id)
    require(
        account,
        Action.ENTER_BUDGET,
        ctx.cti_id,
        session=session,
        detail=f"correction {row.reference}",
    )

    def work() -> SavedMovement:
        assert row.id is not None
        check_version(
            session,
            entity=ENTITY,
            row_id=row.id,
            seen_version=version,
            current_version=row.version,
            current=movement_snapshot(row),
        )
        try:
            next_state(row.status, Step.CORRECT)
        except TransitionError as exc:
            raise transition_error(exc) from None
        if row.is_superseded or data.contract_id != row.contract_id:
            raise NotFoundError(_("Corrigez la version en vigueur, sur le même contrat."))
        need = check_text(reason, field="reason", label=_("Motif de la correction"), required=True)
        amount, cleaned, result = _checked(
            session, ctx, data, today=today, leaving_out={row.id}, extra=need
        )
        new = new_movement(account, cleaned, amount, submit)
        new.supersedes_id, new.correction_reason = row.id, clean_text(reason)
        session.add(new)
        session.flush()
        record_ok(
            session,
            account,
            action="budget.correct",
            entity=ENTITY,
            entity_id=new.id,
            before=movement_snapshot(row),
            after={**movement_snapshot(new), "reason": clean_text(reason)},
        )
        return SavedMovement(new, result.warnings)

    return guarded(
        session, account, work, action="budget.correct", entity=ENTITY, entity_id=movement_id
    )
