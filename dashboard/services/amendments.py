"""Contract amendments: revising a yearly target or an envelope line, always with a reason.

The current figure is updated in place (the monitoring pages read it) and the change is kept
as an Amendment row (old value, new value, reason, who, when), so the history of a contract
reads "objectif révisé de X à Y le D par U : motif".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, require
from dashboard.db.models import (
    Amendment,
    BudgetMovement,
    Contract,
    Cti,
    EntryStatus,
    EnvelopeLine,
    Indicator,
    IndicatorTarget,
    MovementKind,
    Plan,
    User,
    utcnow,
)
from dashboard.domain.budget import TOLERANCE_MDH, check_envelopes, format_mdh
from dashboard.domain.validation import (
    ValidationResult,
    check_amount,
    check_target,
    check_text,
    clean_text,
    fmt_num,
    parse_number,
)
from dashboard.i18n import N_, _
from dashboard.i18n.formats import format_short_date
from dashboard.services.entry import ValidationFailed, bump, check_version, guarded, record_ok
from dashboard.services.errors import NotFoundError

# What an amendment did, by kind: shown translated, built from the stored values.
DESCRIPTIONS = {
    "target": N_("Objectif révisé de {old} à {new} le {day} par {by} : {reason}"),
    "envelope": N_("Enveloppe révisée de {old} à {new} le {day} par {by} : {reason}"),
}


@dataclass(frozen=True)
class AmendmentRow:
    """One revision as the pages show it."""

    kind: str
    ref_id: int
    old_value: float
    new_value: float
    reason: str
    by: str
    at: datetime
    text: str


def describe(kind: str, old: float, new: float, *, at: datetime, by: str, reason: str) -> str:
    """Say what an amendment did: "objectif révisé de 150 à 140 le 02/05/2025 par U : motif"."""
    day = format_short_date((at if at.tzinfo else at.replace(tzinfo=UTC)).date())
    if kind == "envelope":
        old_text, new_text = format_mdh(old), format_mdh(new)
    else:
        old_text, new_text = fmt_num(old), fmt_num(new)
    return _(DESCRIPTIONS[kind], old=old_text, new=new_text, day=day, by=by, reason=reason)


def _number(raw: object, label: str) -> float:
    try:
        return parse_number(raw, label)
    except ValueError as exc:
        raise ValidationFailed(ValidationResult.error("new_value", str(exc))) from None


def _reason(reason: str) -> None:
    check = check_text(reason, field="reason", label=_("Justification"), required=True)
    if not check.ok:
        raise ValidationFailed(check)


def _cti_of_contract(session: Session, contract_id: int) -> int:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFoundError(_("Contrat introuvable."))
    return contract.cti_id


def _amendment(
    session: Session,
    account: Account | None,
    *,
    kind: str,
    ref_id: int,
    old: float,
    new: float,
    reason: str,
) -> Amendment:
    row = Amendment(
        kind=kind,
        ref_id=ref_id,
        old_value=old,
        new_value=new,
        reason=clean_text(reason),
        by_id=account.id if account else None,
        at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def amend_target(
    *,
    session: Session,
    account: Account | None,
    target_id: int,
    version: int | None,
    new_value: object,
    reason: str,
) -> Amendment:
    """Revise an indicator's yearly target with a justification (analysts and admins)."""
    target = session.get(IndicatorTarget, target_id)
    if target is None:
        raise NotFoundError(_("Objectif introuvable : rechargez la page."))
    indicator = session.get(Indicator, target.indicator_id)
    assert indicator is not None and target.id is not None
    cti_id = _cti_of_contract(session, indicator.contract_id)
    require(account, Action.AMEND_CONTRACT, cti_id, session=session, detail=indicator.code)

    def work() -> Amendment:
        assert target.id is not None
        before = {"value": target.value, "version": target.version, "year": target.year}
        check_version(
            session,
            entity="target",
            row_id=target.id,
            seen_version=version,
            current_version=target.version,
            current=before,
        )
        value = _number(new_value, _("Le nouvel objectif"))
        _reason(reason)
        bounded = check_target(value, indicator.unit, direction=indicator.direction)
        if not bounded.ok:
            raise ValidationFailed(bounded)
        if math.isclose(value, target.value):
            raise ValidationFailed(
                ValidationResult.error(
                    "new_value", _("Nouvel objectif identique à l'actuel : rien à réviser.")
                )
            )
        bump(
            session,
            IndicatorTarget,
            row_id=target.id,
            seen_version=target.version,
            values={"value": value},
            entity="target",
            current=before,
        )
        row = _amendment(
            session,
            account,
            kind="target",
            ref_id=target.id,
            old=before["value"],
            new=value,
            reason=reason,
        )
        record_ok(
            session,
            account,
            action="amend.target",
            entity="target",
            entity_id=target.id,
            before=before,
            after={
                "value": value,
                "version": target.version + 1,
                "year": target.year,
                "reason": clean_text(reason),
            },
            detail=indicator.code,
        )
        return row

    return guarded(
        session, account, work, action="amend.target", entity="target", entity_id=target_id
    )


def _committed(session: Session, contract_id: int, axis_id: int) -> float:
    total = session.exec(
        select(func.coalesce(func.sum(BudgetMovement.amount_mdh), 0.0)).where(
            col(BudgetMovement.contract_id) == contract_id,
            col(BudgetMovement.axis_id) == axis_id,
            col(BudgetMovement.kind) == MovementKind.COMMITMENT.value,
            col(BudgetMovement.status) != EntryStatus.REJECTED.value,
            col(BudgetMovement.is_superseded).is_(False),
        )
    ).one()
    return float(total)


def _check_envelope(session: Session, line: EnvelopeLine, value: float) -> None:
    """Keep commitments within the axis envelope and CTI envelopes within the plan's."""
    contract = session.get(Contract, line.contract_id)
    assert contract is not None
    plan = session.get(Plan, contract.plan_id)
    assert plan is not None
    # The plan's scale is checked below with the other CTIs' envelopes (check_envelopes).
    bounded = check_amount(value, field="new_value", allow_zero=True)
    if not bounded.ok:
        raise ValidationFailed(bounded)
    lines = session.exec(
        select(EnvelopeLine).where(
            col(EnvelopeLine.contract_id) == line.contract_id,
            col(EnvelopeLine.axis_id) == line.axis_id,
        )
    ).all()
    axis_total = math.fsum(value if x.id == line.id else x.amount_mdh for x in lines)
    committed = _committed(session, line.contract_id, line.axis_id)
    if committed - axis_total > TOLERANCE_MDH:
        raise ValidationFailed(
            ValidationResult.error(
                "new_value",
                _(
                    "L'enveloppe de cet axe passerait à {total}, sous les montants déjà engagés "
                    "({committed}) : choisissez au moins {minimum}.",
                    total=format_mdh(axis_total),
                    committed=format_mdh(committed),
                    minimum=format_mdh(line.amount_mdh + committed - axis_total),
                ),
            )
        )
    envelopes = {
        acronym: envelope + (value - line.amount_mdh if cid == contract.id else 0.0)
        for cid, acronym, envelope in session.exec(
            select(Contract.id, Cti.acronym, Contract.envelope_mdh)
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(col(Contract.plan_id) == plan.id)
        ).all()
    }
    problems = check_envelopes(plan.envelope_mdh, envelopes)
    if problems:
        raise ValidationFailed(ValidationResult.error("new_value", " ".join(problems)))


def amend_envelope_line(
    *,
    session: Session,
    account: Account | None,
    line_id: int,
    version: int | None,
    new_amount: object,
    reason: str,
) -> Amendment:
    """Revise an envelope line (contract, axis, year) with a justification; the contract follows."""
    line = session.get(EnvelopeLine, line_id)
    if line is None:
        raise NotFoundError(_("Ligne d'enveloppe introuvable : rechargez la page."))
    cti_id = _cti_of_contract(session, line.contract_id)
    require(account, Action.AMEND_CONTRACT, cti_id, session=session, detail=f"enveloppe {line_id}")

    def work() -> Amendment:
        assert line.id is not None
        before = {"amount_mdh": line.amount_mdh, "version": line.version, "year": line.year}
        check_version(
            session,
            entity="envelope",
            row_id=line.id,
            seen_version=version,
            current_version=line.version,
            current=before,
        )
        value = _number(new_amount, _("Le nouveau montant"))
        _reason(reason)
        _check_envelope(session, line, value)
        old = line.amount_mdh
        bump(
            session,
            EnvelopeLine,
            row_id=line.id,
            seen_version=line.version,
            values={"amount_mdh": value},
            entity="envelope",
            current=before,
        )
        contract = session.get(Contract, line.contract_id)
        assert contract is not None and contract.id is not None
        bump(
            session,
            Contract,
            row_id=contract.id,
            seen_version=contract.version,
            values={"envelope_mdh": contract.envelope_mdh + value - old},
            entity="contract",
            current={"envelope_mdh": contract.envelope_mdh},
        )
        row = _amendment(
            session, account, kind="envelope", ref_id=line.id, old=old, new=value, reason=reason
        )
        record_ok(
            session,
            account,
            action="amend.envelope",
            entity="envelope",
            entity_id=line.id,
            before=before,
            after={"amount_mdh": value, "version": line.version + 1, "reason": clean_text(reason)},
        )
        return row

    return guarded(
        session, account, work, action="amend.envelope", entity="envelope", entity_id=line_id
    )


def amendment_rows(session: Session, *, kind: str, ref_ids: list[int]) -> list[AmendmentRow]:
    """Return the revisions of targets or envelope lines, newest first, each described."""
    if not ref_ids:
        return []
    rows = session.exec(
        select(Amendment, User.username)
        .join(User, col(User.id) == col(Amendment.by_id), isouter=True)
        .where(col(Amendment.kind) == kind, col(Amendment.ref_id).in_(ref_ids))
        .order_by(col(Amendment.at).desc(), col(Amendment.id).desc())
    ).all()
    return [
        AmendmentRow(
            kind=a.kind,
            ref_id=a.ref_id,
            old_value=a.old_value,
            new_value=a.new_value,
            reason=clean_text(a.reason),  # a reason stored before input was cleaned
            by=name or "?",
            at=a.at,
            text=describe(
                a.kind,
                a.old_value,
                a.new_value,
                at=a.at,
                by=name or "?",
                reason=clean_text(a.reason),
            ),
        )
        for a, name in rows
    ]
