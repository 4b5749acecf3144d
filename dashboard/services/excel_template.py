"""The Excel entry template: one row per indicator and period, pre-filled, keys locked.

The "Saisie" sheet lists every indicator of the chosen CTI (or all CTIs) for every quarter of
the plan that has begun, with the validated value and the value being entered; only Valeur,
Commentaire and Motif de correction can be edited (sheet protection without a password: it
prevents slips, the import checks everything again). The "Budget" sheet lists the movements
and offers empty rows with drop-downs for new ones. Instructions are on their own sheet.
"""

from __future__ import annotations

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
    Indicator,
    ProgressUpdate,
)
from dashboard.domain.periods import Period
from dashboard.domain.validation import fmt_num, period_first_day
from dashboard.i18n import _, use_lang
from dashboard.services.errors import NotFoundError
from dashboard.services.excel_format import (
    LABEL_BY_KIND,
    STATUS_LABELS,
)
from dashboard.services.excel_sheets import write_workbook
from dashboard.services.progress_rules import current_plan

PENDING = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value)


@dataclass(frozen=True)
class TemplateRow:
    """One pre-filled line of the "Saisie" sheet."""

    cti: str
    code: str
    label: str
    unit: str
    period: str
    official: float | None
    status: str
    value: float | None
    comment: str
    reason: str = ""
    returned: str = ""  # the last value sent back by a reviewer, with the reason


def template_periods(first_year: int, last_year: int, today: date) -> list[Period]:
    """Return the quarters of the plan that have begun by today, in order."""
    return [
        Period(year, quarter)
        for year in range(first_year, last_year + 1)
        for quarter in range(1, 5)
        if period_first_day(Period(year, quarter)) <= today
    ]


def _ctis(session: Session, acronym: str | None) -> list[Cti]:
    ctis = list(session.exec(select(Cti).order_by(col(Cti.acronym))).all())
    if acronym is None:
        return ctis
    chosen = [c for c in ctis if c.acronym == acronym.strip().upper()]
    if not chosen:
        known = ", ".join(c.acronym for c in ctis)
        raise NotFoundError(
            _("CTI inconnu « {cti} ». CTI connus : {known}.", cti=acronym, known=known)
        )
    return chosen


def template_rows(
    session: Session, *, plan_id: int, ctis: list[Cti], periods: list[Period]
) -> list[TemplateRow]:
    """Return one row per indicator and period, with the official and current values."""
    acronyms = {c.id: c.acronym for c in ctis}
    indicators = session.exec(
        select(Indicator, Contract.cti_id, Axis.number)
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Axis, col(Axis.id) == col(Indicator.axis_id))
        .where(col(Contract.plan_id) == plan_id, col(Contract.cti_id).in_(list(acronyms)))
        .order_by(col(Contract.cti_id), col(Axis.number), col(Indicator.code))
    ).all()
    ids = [i.id for i, _cti, _axis in indicators]
    entries = session.exec(
        select(ProgressUpdate)
        .where(
            col(ProgressUpdate.indicator_id).in_(ids),
            col(ProgressUpdate.is_superseded).is_(False),
            col(ProgressUpdate.status).in_(
                (*PENDING, EntryStatus.VALIDATED.value, EntryStatus.REJECTED.value)
            ),
        )
        .order_by(col(ProgressUpdate.id))
    ).all()
    official: dict[tuple[int, int, int], ProgressUpdate] = {}
    pending: dict[tuple[int, int, int], ProgressUpdate] = {}
    returned: dict[tuple[int, int, int], ProgressUpdate] = {}  # the latest one wins
    for e in entries:
        key = (e.indicator_id, e.year, e.quarter)
        if e.status == EntryStatus.REJECTED.value:
            returned[key] = e
        else:
            (official if e.status == EntryStatus.VALIDATED.value else pending)[key] = e
    rows = []
    for indicator, cti_id, _axis in sorted(
        indicators, key=lambda t: (acronyms[t[1]], t[2], t[0].code)
    ):
        for period in periods:
            key = (indicator.id or 0, period.year, period.quarter or 0)
            done, current = official.get(key), pending.get(key)
            back = returned.get(key)
            if current is not None or (back and done and (done.id or 0) > (back.id or 0)):
                back = None  # a newer value replaced the one sent back
            shown = current or done
            rows.append(
                TemplateRow(
                    cti=acronyms[cti_id],
                    code=indicator.code,
                    label=indicator.label,
                    unit=indicator.unit,
                    period=period.label(),
                    official=done.value if done else None,
                    status=_(STATUS_LABELS[state.status]) if (state := shown or back) else "",
                    value=shown.value if shown else None,
                    comment=shown.comment if shown else "",
                    returned=_returned(back),
                )
            )
    return rows


def _returned(entry: ProgressUpdate | None) -> str:
    """Say which value a reviewer sent back and why (the Valeur cell stays for the new one)."""
    if entry is None:
        return ""
    return _(
        "Valeur {value} renvoyée ({status}) : {reason}. Saisissez une nouvelle valeur.",
        value=fmt_num(entry.value),
        status=_(STATUS_LABELS[EntryStatus.REJECTED.value]),
        reason=entry.rejection_reason or _("sans motif"),
    )


def _movements(session: Session, ctis: list[Cti], plan_id: int) -> list[dict[str, Any]]:
    acronyms = {c.id: c.acronym for c in ctis}
    found = session.exec(
        select(BudgetMovement, Contract.cti_id, Axis.number)
        .join(Contract, col(Contract.id) == col(BudgetMovement.contract_id))
        .join(Axis, col(Axis.id) == col(BudgetMovement.axis_id))
        .where(
            col(Contract.plan_id) == plan_id,
            col(Contract.cti_id).in_(list(acronyms)),
            col(BudgetMovement.is_superseded).is_(False),
            col(BudgetMovement.status) != EntryStatus.REJECTED.value,
        )
        .order_by(col(Contract.cti_id), col(BudgetMovement.on_date), col(BudgetMovement.id))
    ).all()
    return [
        {
            "cti": acronyms[cti_id],
            "axis": axis,
            "kind": _(LABEL_BY_KIND.get(m.kind, m.kind)),
            "on_date": m.on_date,
            "amount": m.amount_mdh,
            "reference": m.reference,
            "comment": m.comment,
            "status": _(STATUS_LABELS.get(m.status, m.status)),
        }
        for m, cti_id, axis in found
    ]


def build_template(
    *, session: Session, cti: str | None, today: date, lang: str | None = None
) -> bytes:
    """Build the entry template for one CTI (or all) as .xlsx bytes, in ``lang`` if given.

    Without ``lang`` the template is in the language in force (the request's, or French).
    """
    if lang is not None:
        with use_lang(lang):
            return build_template(session=session, cti=cti, today=today)
    plan = current_plan(session)
    assert plan.id is not None
    ctis = _ctis(session, cti)
    periods = template_periods(plan.first_year, plan.last_year, today)
    return write_workbook(
        rows=template_rows(session, plan_id=plan.id, ctis=ctis, periods=periods),
        moves=_movements(session, ctis, plan.id),
        periods=periods,
        ctis=[c.acronym for c in ctis],
        first_year=plan.first_year,
        last_year=plan.last_year,
    )
