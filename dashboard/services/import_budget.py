"""Importing the "Budget" sheet: new movements by reference, existing ones left as they are.

The reference identifies a movement within its contract, so a row already imported is
recognised and not added twice. Changing a validated movement needs a reason and is done on
the /budget page; a pending one is updated from the file.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can
from dashboard.db.models import Axis, BudgetMovement, Contract, Cti, EntryStatus
from dashboard.domain.numbers import parse_number
from dashboard.domain.validation import ValidationResult, fmt_num
from dashboard.domain.workflow import Step
from dashboard.i18n import _
from dashboard.services.budget_entry import MovementInput, create_movement, edit_movement
from dashboard.services.budget_rules import movement_context
from dashboard.services.budget_workflow import step_movement
from dashboard.services.entry import StaleVersionError, ValidationFailed
from dashboard.services.errors import UserError
from dashboard.services.excel_format import (
    BUDGET_SHEET,
    LABEL_BY_KIND,
    kind_by_label,
    normalise_header,
)
from dashboard.services.excel_reader import CellError, ImportRefused, ParsedWorkbook
from dashboard.services.import_report import ImportReport, PlannedRow, add_issues

SHEET = BUDGET_SHEET
REQUIRED = ("cti", "axis", "kind", "on_date", "amount", "reference")
FIELDS = {key: key for key in ("cti", "axis", "kind", "on_date", "amount", "reference", "comment")}


def _numbers(values: dict[str, Any]) -> tuple[float, float]:
    """Return the row's axis and amount as finite floats, or raise ValidationFailed for each.

    The reader has read texts with the template's separators; a number handed over as an int
    beyond any float (10**400) is refused here rather than raising OverflowError below.
    """
    found: dict[str, float] = {}
    result = ValidationResult()
    for key, label in (("axis", _("L'axe")), ("amount", _("Le montant"))):
        try:
            found[key] = parse_number(values[key], label)
        except ValueError as exc:
            result = result + ValidationResult.error(key, str(exc))
    if not result.ok:
        raise ValidationFailed(result)
    return found["axis"], found["amount"]


def _input(
    values: dict[str, Any], contracts: dict[str, int], axes: dict[int, int]
) -> MovementInput:
    """Turn a row into the form's input, or raise ValidationFailed naming the column."""
    missing = [key for key in REQUIRED if values.get(key) in (None, "")]
    if missing:
        raise ValidationFailed(
            ValidationResult(
                errors=tuple(
                    ValidationResult.error(
                        key, _("Obligatoire : remplissez cette cellule.")
                    ).errors[0]
                    for key in missing
                )
            )
        )
    acronym = str(values["cti"]).upper()
    if acronym not in contracts:
        raise ValidationFailed(
            ValidationResult.error("cti", _("CTI inconnu « {cti} ».", cti=acronym))
        )
    axis, amount = _numbers(values)
    if not axis.is_integer() or int(axis) not in axes:
        raise ValidationFailed(
            ValidationResult.error("axis", _("Axe « {axis} » inconnu : 1 à 5.", axis=fmt_num(axis)))
        )
    kind = kind_by_label().get(normalise_header(values["kind"]))
    if kind is None:
        raise ValidationFailed(
            ValidationResult.error(
                "kind",
                _(
                    "Type : écrivez {commitment} ou {disbursement}.",
                    commitment=_(LABEL_BY_KIND["commitment"]),
                    disbursement=_(LABEL_BY_KIND["disbursement"]),
                ),
            )
        )
    return MovementInput(
        contract_id=contracts[acronym],
        axis_id=axes[int(axis)],
        kind=kind,
        on_date=values["on_date"],
        amount=amount,
        reference=str(values["reference"]).strip(),
        comment=str(values.get("comment") or "").strip(),
    )


def _same(row: BudgetMovement, data: MovementInput) -> bool:
    return (
        row.axis_id == data.axis_id
        and row.kind == data.kind
        and row.on_date == data.on_date
        and math.isclose(row.amount_mdh, float(data.amount), abs_tol=1e-9)
        and row.comment == data.comment
    )


def _existing(session: Session, data: MovementInput) -> BudgetMovement | None:
    return session.exec(
        select(BudgetMovement).where(
            col(BudgetMovement.contract_id) == data.contract_id,
            col(BudgetMovement.reference) == data.reference,
            col(BudgetMovement.status) != EntryStatus.REJECTED.value,
            col(BudgetMovement.is_superseded).is_(False),
        )
    ).first()


def _apply_row(
    session: Session, account: Account | None, data: MovementInput, *, today: date, submit: bool
) -> tuple[str, BudgetMovement | None, BudgetMovement] | None:
    """Write one movement; return (action, the movement before, the movement written), or None."""
    ctx = movement_context(session, data.contract_id, data.axis_id)
    row = _existing(session, data)
    if row is not None and _same(row, data) and not (submit and row.status == "draft"):
        return None
    if not can(account, Action.ENTER_BUDGET, ctx.cti_id):
        message = _("Votre rôle ne permet pas d'enregistrer des mouvements budgétaires.")
        raise ValidationFailed(ValidationResult.error("cti", message))
    if row is None:
        saved = create_movement(session, account, ctx, data, today=today, submit=submit)
        return "add", None, saved.movement
    if _same(row, data):
        if submit and row.status == EntryStatus.DRAFT.value:
            moved = step_movement(session, account, row, ctx, step=Step.SUBMIT, version=row.version)
            return "submit", row, moved
        return None
    if row.status == EntryStatus.VALIDATED.value:
        raise ValidationFailed(
            ValidationResult.error(
                "reference",
                _(
                    "Mouvement {reference} déjà validé et différent : corrigez-le depuis la page "
                    "Budget, avec un motif.",
                    reference=data.reference,
                ),
            )
        )
    saved = edit_movement(
        session, account, row, ctx, data, version=row.version, today=today, submit=submit
    )
    return "change", row, saved.movement


def _lookups(session: Session, plan_id: int) -> tuple[dict[str, int], dict[int, int]]:
    contracts = {
        acronym: cid
        for cid, acronym in session.exec(
            select(Contract.id, Cti.acronym)
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(col(Contract.plan_id) == plan_id)
        ).all()
        if cid is not None
    }
    axes = {
        number: aid
        for aid, number in session.exec(
            select(Axis.id, Axis.number).where(col(Axis.plan_id) == plan_id)
        ).all()
        if aid is not None
    }
    return contracts, axes


def import_budget(
    session: Session,
    account: Account | None,
    parsed: ParsedWorkbook,
    report: ImportReport,
    *,
    plan_id: int,
    today: date,
    submit: bool,
) -> None:
    """Write every new row of the "Budget" sheet, collecting errors row by row."""
    contracts, axes = _lookups(session, plan_id)
    seen: set[tuple[int, str]] = set()
    for number, values in parsed.rows(SHEET):
        if parsed.has_error(SHEET, number):
            continue
        try:
            data = _input(values, contracts, axes)
            if (data.contract_id, data.reference) in seen:
                twice = _(
                    "Référence {reference} en double dans le fichier.", reference=data.reference
                )
                raise ValidationFailed(ValidationResult.error("reference", twice))
            seen.add((data.contract_id, data.reference))
            outcome = _apply_row(session, account, data, today=today, submit=submit)
        except StaleVersionError as exc:
            raise ImportRefused(_("{error} Recommencez l'import.", error=exc)) from None
        except ValidationFailed as exc:
            add_issues(report, parsed, SHEET, number, result=exc.result, columns=FIELDS)
            continue
        except UserError as exc:
            report.errors.append(CellError(SHEET, number, "", str(exc)))
            continue
        if outcome is None:
            report.unchanged += 1
            continue
        action, before, written = outcome
        report.note_state("budget", written)
        what = f"{_(LABEL_BY_KIND[data.kind])} {data.reference}"
        shown = _("{amount} MDH", amount=fmt_num(before.amount_mdh)) if before else ""
        after = _("{amount} MDH", amount=fmt_num(float(data.amount)))
        report.changes.append(PlannedRow(SHEET, number, action, what, shown, after))
