"""Importing the "Saisie" sheet: each row passes exactly the rules of the entry form.

A row whose value equals the current one changes nothing (so importing a file twice changes
nothing the second time); a different value edits the pending entry, or, for a validated
value, becomes a correction when the row gives a reason.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can
from dashboard.db.models import Contract, Cti, EntryStatus, Indicator, ProgressUpdate
from dashboard.domain.numbers import parse_number
from dashboard.domain.periods import Period
from dashboard.domain.validation import ValidationResult, fmt_num
from dashboard.domain.workflow import STATE_LABELS, State, Step
from dashboard.i18n import _
from dashboard.services.entry import ConcurrentEntry, StaleVersionError, ValidationFailed
from dashboard.services.errors import UserError
from dashboard.services.excel_format import PROGRESS_SHEET
from dashboard.services.excel_reader import CellError, ImportRefused, ParsedWorkbook
from dashboard.services.import_report import ImportReport, PlannedRow, add_issues
from dashboard.services.progress import correct_entry
from dashboard.services.progress_rules import (
    IndicatorContext,
    indicator_context,
    pending_for,
    validated_for,
)
from dashboard.services.progress_workflow import step_entry
from dashboard.services.progress_writes import Saved, create_entry, edit_entry

SHEET = PROGRESS_SHEET
IDENTITY = {key: key for key in ("cti", "code", "period", "value", "comment", "reason")}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _shown(row: ProgressUpdate | None) -> str:
    if row is None:
        return ""
    return f"{fmt_num(row.value)} ({_(STATE_LABELS[State(row.status)])})"


class _Context:
    """Lookups shared by all rows: CTIs by acronym, indicators by (CTI, code)."""

    def __init__(self, session: Session, plan_id: int) -> None:
        self.ctis = {c.acronym: c for c in session.exec(select(Cti)).all()}
        found = session.exec(
            select(Indicator.code, Indicator.id, Contract.cti_id)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .where(col(Contract.plan_id) == plan_id)
        ).all()
        self.indicators = {(cti_id, code): ind_id for code, ind_id, cti_id in found}
        self.contexts: dict[int, IndicatorContext] = {}
        self.seen: set[tuple[int, Period]] = set()

    def context(self, session: Session, indicator_id: int) -> IndicatorContext:
        if indicator_id not in self.contexts:
            self.contexts[indicator_id] = indicator_context(session, indicator_id)
        return self.contexts[indicator_id]


def _resolve(
    session: Session,
    account: Account | None,
    ctx: _Context,
    values: dict[str, Any],
) -> tuple[IndicatorContext, Period] | tuple[str, str]:
    """Find the row's indicator and period, or return (column key, error message)."""
    acronym = str(values.get("cti") or "").upper()
    cti = ctx.ctis.get(acronym)
    if cti is None:
        return "cti", _("CTI inconnu « {cti} » : choisissez-le dans la liste.", cti=acronym)
    indicator_id = ctx.indicators.get((cti.id or 0, str(values.get("code") or "")))
    if indicator_id is None:
        return "code", _(
            "Code indicateur « {code} » inconnu pour {cti}.",
            code=values.get("code") or "",
            cti=acronym,
        )
    try:
        period = Period.parse(str(values.get("period") or ""))
    except ValueError as exc:
        return "period", str(exc)
    return ctx.context(session, indicator_id), period


def _with_number(values: dict[str, Any]) -> dict[str, Any]:
    """Return the row with its value as a finite float, or raise ValidationFailed saying why.

    The reader has read texts with the template's separators; a value handed over as an int
    beyond any float (10**400) is refused here rather than raising OverflowError below.
    """
    if values.get("value") is None:
        return values
    try:
        return {**values, "value": parse_number(values["value"], _("La valeur"))}
    except ValueError as exc:
        raise ValidationFailed(ValidationResult.error("value", str(exc))) from None


Outcome = tuple[str, ProgressUpdate | None, Saved | None] | None


def _may_write(account: Account | None, ic: IndicatorContext) -> None:
    """Refuse a change for a CTI the account may not enter (unchanged rows are not checked)."""
    if not can(account, Action.ENTER_PROGRESS, ic.cti_id):
        raise ValidationFailed(
            ValidationResult.error(
                "cti", _("Vous ne pouvez pas saisir de valeurs pour {cti}.", cti=ic.cti_acronym)
            )
        )


def _on_pending(
    session: Session,
    account: Account | None,
    ic: IndicatorContext,
    pending: ProgressUpdate,
    common: dict[str, Any],
) -> Outcome:
    """Leave an identical pending value alone (submitting a draft if asked), else edit it."""
    value, comment = float(common["raw_value"]), str(common["comment"]).strip()
    if _same(pending.value, value) and pending.comment == comment:
        if common["submit"] and pending.status == EntryStatus.DRAFT.value:
            _may_write(account, ic)
            step_entry(session, account, pending, ic, step=Step.SUBMIT, version=pending.version)
            return "submit", pending, None
        return None
    _may_write(account, ic)
    saved = edit_entry(session, account, pending, ic, version=pending.version, **common)
    return "change", pending, saved


def _on_official(
    session: Session,
    account: Account | None,
    ic: IndicatorContext,
    official: ProgressUpdate,
    common: dict[str, Any],
    *,
    reason: str,
) -> Outcome:
    """Leave an identical validated value alone; a different one needs a correction reason."""
    if _same(official.value, float(common["raw_value"])):
        return None
    _may_write(account, ic)
    if not reason.strip():
        raise ValidationFailed(
            ValidationResult.error(
                "reason",
                _(
                    "Valeur validée ({value}) : pour la corriger, indiquez le motif de correction.",
                    value=fmt_num(official.value),
                ),
            )
        )
    saved = correct_entry(
        session, account, official, ic, version=official.version, reason=reason, **common
    )
    return "correct", official, saved


def _apply_row(
    session: Session,
    account: Account | None,
    ic: IndicatorContext,
    period: Period,
    values: dict[str, Any],
    *,
    today: date,
    submit: bool,
) -> Outcome:
    """Write one row; return (action, entry before, result), or None when nothing changes."""
    pending = pending_for(session, ic.indicator_id, period)
    official = validated_for(session, ic.indicator_id, period)
    if values.get("value") is None:
        if pending or official:
            raise ValidationFailed(
                ValidationResult.error(
                    "value",
                    _(
                        "Valeur effacée : l'import ne supprime pas de valeur. Remettez-la, ou "
                        "corrigez-la depuis la page Saisie."
                    ),
                )
            )
        return None
    common: dict[str, Any] = {
        "raw_value": values["value"],
        "comment": str(values.get("comment") or ""),
        "today": today,
        "submit": submit,
    }
    if pending is not None:
        return _on_pending(session, account, ic, pending, common)
    if official is not None:
        reason = str(values.get("reason") or "")
        return _on_official(session, account, ic, official, common, reason=reason)
    _may_write(account, ic)
    return "add", None, create_entry(session, account, ic, period=period, **common)


def import_progress(
    session: Session,
    account: Account | None,
    parsed: ParsedWorkbook,
    report: ImportReport,
    *,
    plan_id: int,
    today: date,
    submit: bool,
) -> None:
    """Write every row of the "Saisie" sheet, collecting errors row by row."""
    ctx = _Context(session, plan_id)
    for number, values in parsed.rows(SHEET):
        if values.get("value") is None and not values.get("cti"):
            continue
        if parsed.has_error(SHEET, number):
            continue
        resolved = _resolve(session, account, ctx, values)
        if isinstance(resolved[0], str):
            key, message = resolved
            report.errors.append(CellError(SHEET, number, parsed.where(SHEET, key), str(message)))
            continue
        ic, period = resolved
        assert isinstance(ic, IndicatorContext) and isinstance(period, Period)
        if (ic.indicator_id, period) in ctx.seen:
            report.errors.append(
                CellError(
                    SHEET,
                    number,
                    parsed.where(SHEET, "period"),
                    _(
                        "{code} {period} en double dans le fichier.",
                        code=ic.code,
                        period=period.display(),
                    ),
                )
            )
            continue
        ctx.seen.add((ic.indicator_id, period))
        try:
            checked = _with_number(values)
            outcome = _apply_row(session, account, ic, period, checked, today=today, submit=submit)
        except (ConcurrentEntry, StaleVersionError) as exc:
            raise ImportRefused(_("{error} Recommencez l'import.", error=exc)) from None
        except ValidationFailed as exc:
            add_issues(report, parsed, SHEET, number, result=exc.result, columns=IDENTITY)
            continue
        except UserError as exc:
            report.errors.append(CellError(SHEET, number, "", str(exc)))
            continue
        if outcome is None:
            report.unchanged += 1
            continue
        action, before, saved = outcome
        written = saved.entry if saved is not None else before
        if written is not None:
            report.note_state("progress", written)
        after = fmt_num(float(checked["value"]))
        report.changes.append(
            PlannedRow(
                SHEET, number, action, f"{ic.code} {period.display()}", _shown(before), after
            )
        )
        if saved is not None:
            warned = ValidationResult(warnings=saved.warnings)
            add_issues(report, parsed, SHEET, number, result=warned, columns=IDENTITY)
