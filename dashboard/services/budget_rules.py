"""The checks of a budget movement that need the database: its contract, axis and envelope.

The arithmetic is the domain's (``check_budget``: committed within the axis envelope,
disbursed within committed at every date); this module gathers the movements it applies to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from dashboard.db.models import (
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EntryStatus,
    EnvelopeLine,
    MovementKind,
    Plan,
)
from dashboard.domain.validation import (
    Move,
    ValidationResult,
    check_amount,
    check_budget,
    check_movement_date,
    check_text,
    parse_date,
    parse_number,
)
from dashboard.i18n import N_, _
from dashboard.services.errors import NotFoundError

KIND_LABELS = {
    MovementKind.COMMITMENT.value: N_("Engagement"),
    MovementKind.DISBURSEMENT.value: N_("Décaissement"),
}
REFERENCE_MAX = 60


@dataclass(frozen=True)
class MovementContext:
    """A contract and axis with what the budget rules need."""

    contract_id: int
    axis_id: int
    axis_number: int
    cti_id: int
    cti_acronym: str
    first_year: int
    last_year: int
    envelope: float
    plan_envelope: float | None = None  # the scale a single movement cannot exceed


def movement_context(session: Session, contract_id: int, axis_id: int) -> MovementContext:
    """Load a contract and one of its plan's axes, or say which is unknown."""
    found = session.exec(
        select(Contract, Cti, Plan)
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Plan, col(Plan.id) == col(Contract.plan_id))
        .where(col(Contract.id) == contract_id)
    ).first()
    if found is None:
        raise NotFoundError(_("Contrat inconnu : choisissez le CTI dans la liste."))
    contract, cti, plan = found
    axis = session.get(Axis, axis_id)
    if axis is None or axis.plan_id != plan.id:
        raise NotFoundError(_("Axe inconnu pour ce contrat : choisissez-le dans la liste."))
    lines = session.exec(
        select(EnvelopeLine.amount_mdh).where(
            col(EnvelopeLine.contract_id) == contract_id, col(EnvelopeLine.axis_id) == axis_id
        )
    ).all()
    assert contract.id is not None and cti.id is not None and axis.id is not None
    return MovementContext(
        contract_id=contract.id,
        axis_id=axis.id,
        axis_number=axis.number,
        cti_id=cti.id,
        cti_acronym=cti.acronym,
        first_year=plan.first_year,
        last_year=plan.last_year,
        envelope=math.fsum(lines),
        plan_envelope=plan.envelope_mdh or None,
    )


def _moves(
    session: Session, ctx: MovementContext, *, statuses: tuple[str, ...], leaving_out: set[int]
) -> list[Move]:
    rows = session.exec(
        select(BudgetMovement).where(
            col(BudgetMovement.contract_id) == ctx.contract_id,
            col(BudgetMovement.axis_id) == ctx.axis_id,
            col(BudgetMovement.status).in_(statuses),
            col(BudgetMovement.is_superseded).is_(False),
        )
    ).all()
    return [Move(r.on_date, r.kind, r.amount_mdh) for r in rows if r.id not in leaving_out]


LIVE = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value, EntryStatus.VALIDATED.value)


def check_against_budget(
    session: Session,
    ctx: MovementContext,
    candidate: Move,
    *,
    leaving_out: set[int],
    validated_only: bool = False,
) -> ValidationResult:
    """Check the contract axis with the candidate added (and the rows it replaces left out)."""
    statuses = (EntryStatus.VALIDATED.value,) if validated_only else LIVE
    moves = [*_moves(session, ctx, statuses=statuses, leaving_out=leaving_out), candidate]
    return check_budget(moves, ctx.envelope)


def reference_taken(
    session: Session, ctx: MovementContext, reference: str, *, leaving_out: set[int]
) -> ValidationResult:
    """Refuse a reference already used by another current movement of the same contract."""
    if not reference:
        return ValidationResult()
    rows = session.exec(
        select(BudgetMovement).where(
            col(BudgetMovement.contract_id) == ctx.contract_id,
            col(BudgetMovement.reference) == reference,
            col(BudgetMovement.status) != EntryStatus.REJECTED.value,
            col(BudgetMovement.is_superseded).is_(False),
        )
    ).all()
    if any(r.id not in leaving_out for r in rows):
        return ValidationResult.error(
            "reference",
            _(
                "Référence « {reference} » déjà utilisée pour ce contrat : choisissez-en une "
                "autre ou modifiez le mouvement existant.",
                reference=reference,
            ),
        )
    return ValidationResult()


def read_date(raw: date | str | None) -> tuple[date | None, ValidationResult]:
    """Read the date field (a date, or the text a form or a file sent), or say what is wrong."""
    if raw is None or raw == "":
        return None, ValidationResult.error("on_date", _("Date manquante : choisissez la date."))
    try:
        return parse_date(raw), ValidationResult()
    except ValueError as exc:
        return None, ValidationResult.error("on_date", str(exc))


def check_fields(
    ctx: MovementContext,
    *,
    kind: str,
    on_date: date | str | None,
    raw_amount: Any,
    reference: str,
    comment: str,
    today: date,
) -> tuple[float | None, date | None, ValidationResult]:
    """Check each field of a movement on its own; return the amount and date read, the issues."""
    result = ValidationResult()
    if kind not in KIND_LABELS:
        result += ValidationResult.error("kind", _("Type : choisissez Engagement ou Décaissement."))
    day, read = read_date(on_date)
    result += read
    if day is not None:
        result += check_movement_date(
            day, kind, first_year=ctx.first_year, last_year=ctx.last_year, today=today
        )
    amount: float | None = None
    try:
        amount = parse_number(raw_amount, _("Le montant"))
        result += check_amount(amount, ceiling=ctx.plan_envelope)
    except ValueError as exc:
        result += ValidationResult.error("amount", str(exc))
    if len(reference) > REFERENCE_MAX:
        result += ValidationResult.error(
            "reference",
            _("Référence trop longue : {maximum} caractères au plus.", maximum=REFERENCE_MAX),
        )
    result += check_text(comment, field="comment", label=_("Commentaire"))
    return amount, day, result


def movement_snapshot(row: BudgetMovement) -> dict[str, Any]:
    """Return what the audit log keeps of a movement."""
    return {
        "contract_id": row.contract_id,
        "axis_id": row.axis_id,
        "kind": row.kind,
        "on_date": row.on_date.isoformat(),
        "amount_mdh": row.amount_mdh,
        "reference": row.reference,
        "comment": row.comment,
        "status": row.status,
        "version": row.version,
        "is_superseded": row.is_superseded,
    }
