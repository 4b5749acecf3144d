"""The checks of a progress value that need the database: context, previous value, duplicates.

The rules themselves are pure (``dashboard.domain.validation``); this module gathers what
they need (the indicator's unit, the plan's years, the previous value) and adds the one rule
that reads other entries: no second pending value for the same indicator and period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from dashboard.db.models import Contract, Cti, EntryStatus, Indicator, Plan, ProgressUpdate, User
from dashboard.domain.periods import Period
from dashboard.domain.validation import (
    ValidationResult,
    check_outlier,
    check_period,
    check_text,
    check_value,
    parse_number,
)
from dashboard.i18n import _
from dashboard.i18n.formats import format_short_date
from dashboard.services.errors import NotFoundError

PENDING = (EntryStatus.DRAFT.value, EntryStatus.SUBMITTED.value)
LIVE = (EntryStatus.VALIDATED.value, *PENDING)


@dataclass(frozen=True)
class IndicatorContext:
    """An indicator with what its rules need: unit, CTI, plan years."""

    indicator_id: int
    code: str
    label: str
    unit: str
    baseline: float
    cti_id: int
    cti_acronym: str
    first_year: int
    last_year: int


def indicator_context(session: Session, indicator_id: int) -> IndicatorContext:
    """Load an indicator's context or say it does not exist."""
    row = session.exec(
        select(Indicator, Contract, Cti, Plan)
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Plan, col(Plan.id) == col(Contract.plan_id))
        .where(col(Indicator.id) == indicator_id)
    ).first()
    if row is None:
        raise NotFoundError(
            _("Indicateur inconnu (n° {id}) : choisissez-le dans la liste.", id=indicator_id)
        )
    indicator, _contract, cti, plan = row
    assert indicator.id is not None and cti.id is not None
    return IndicatorContext(
        indicator_id=indicator.id,
        code=indicator.code,
        label=indicator.label,
        unit=indicator.unit,
        baseline=indicator.baseline_value,
        cti_id=cti.id,
        cti_acronym=cti.acronym,
        first_year=plan.first_year,
        last_year=plan.last_year,
    )


def to_period(year: int, quarter: int | None) -> Period:
    """Build a Period from the database's (year, quarter 0-4) pair."""
    return Period(int(year), int(quarter) if quarter else None)


def live_rows(session: Session, indicator_id: int) -> list[ProgressUpdate]:
    """Return the indicator's current entries (validated or pending, not superseded)."""
    return list(
        session.exec(
            select(ProgressUpdate).where(
                col(ProgressUpdate.indicator_id) == indicator_id,
                col(ProgressUpdate.status).in_(LIVE),
                col(ProgressUpdate.is_superseded).is_(False),
            )
        ).all()
    )


def previous_value(session: Session, ctx: IndicatorContext, period: Period) -> float:
    """Return the value of the latest earlier period (validated first), or the baseline."""
    earlier = [
        r for r in live_rows(session, ctx.indicator_id) if to_period(r.year, r.quarter) < period
    ]
    if not earlier:
        return ctx.baseline
    latest = max(to_period(r.year, r.quarter) for r in earlier)
    same = [r for r in earlier if to_period(r.year, r.quarter) == latest]
    same.sort(key=lambda r: (r.status != EntryStatus.VALIDATED.value, -(r.id or 0)))
    return same[0].value


def pending_for(
    session: Session, indicator_id: int, period: Period, *, other_than: int | None = None
) -> ProgressUpdate | None:
    """Return the pending entry of an indicator for a period, if any (other than one row)."""
    query = select(ProgressUpdate).where(
        col(ProgressUpdate.indicator_id) == indicator_id,
        col(ProgressUpdate.year) == period.year,
        col(ProgressUpdate.quarter) == (period.quarter or 0),
        col(ProgressUpdate.status).in_(PENDING),
    )
    if other_than is not None:
        query = query.where(col(ProgressUpdate.id) != other_than)
    return session.exec(query).first()


def validated_for(session: Session, indicator_id: int, period: Period) -> ProgressUpdate | None:
    """Return the official (validated, not superseded) value of an indicator for a period."""
    return session.exec(
        select(ProgressUpdate).where(
            col(ProgressUpdate.indicator_id) == indicator_id,
            col(ProgressUpdate.year) == period.year,
            col(ProgressUpdate.quarter) == (period.quarter or 0),
            col(ProgressUpdate.status) == EntryStatus.VALIDATED.value,
            col(ProgressUpdate.is_superseded).is_(False),
        )
    ).first()


def pending_conflict(session: Session, row: ProgressUpdate, period: Period) -> ValidationResult:
    """Refuse a second pending value for the same indicator and period, saying whose it is."""
    author = session.get(User, row.created_by_id) if row.created_by_id else None
    name = author.username if author else _("import")
    state = _("brouillon") if row.status == EntryStatus.DRAFT.value else _("soumise")
    return ValidationResult.error(
        "period",
        _(
            "Une valeur est déjà en attente pour cet indicateur en {period} ({state}, saisie "
            "par {name}) : modifiez-la au lieu d'en créer une seconde.",
            period=period.display(),
            state=state,
            name=name,
        ),
    )


def read_value(raw: Any) -> tuple[float | None, ValidationResult]:
    """Parse the value field, returning the number or the error next to the field."""
    try:
        return parse_number(raw, _("La valeur")), ValidationResult()
    except ValueError as exc:
        return None, ValidationResult.error("value", str(exc))


def check_entry(
    session: Session,
    ctx: IndicatorContext,
    *,
    period: Period,
    value: float,
    comment: str,
    today: date,
) -> ValidationResult:
    """Apply every rule of a progress value: bounds by unit, period, comment, outlier."""
    result = (
        check_value(value, ctx.unit)
        + check_period(period, first_year=ctx.first_year, last_year=ctx.last_year, today=today)
        + check_text(comment, field="comment", label=_("Commentaire"))
    )
    if result.ok:
        result += check_outlier(value, previous_value(session, ctx, period))
    return result


def snapshot(row: ProgressUpdate, ctx: IndicatorContext | None = None) -> dict[str, Any]:
    """Return what the audit log keeps of a progress entry."""
    data: dict[str, Any] = {
        "period": to_period(row.year, row.quarter).label(),
        "value": row.value,
        "status": row.status,
        "comment": row.comment,
        "version": row.version,
        "is_superseded": row.is_superseded,
    }
    if row.evidence_name:
        data["evidence"] = row.evidence_name
    if ctx is not None:
        data["indicator"] = ctx.code
    return data


def read_period(text: str | None, year: int | None = None, quarter: int | None = None) -> Period:
    """Read a period from its label ("2024-T2") or from a (year, quarter) pair."""
    if text:
        return Period.parse(text)
    if year is None:
        raise ValueError(_("Période manquante : choisissez une période (par exemple 2024-T2)."))
    return to_period(year, quarter)


def today_label(today: date) -> str:
    """Format a date for messages: 29/11/2026."""
    return format_short_date(today)


def current_plan(session: Session) -> Plan:
    """Return the plan being monitored (the latest that is not the baseline)."""
    plan = session.exec(
        select(Plan).where(col(Plan.is_baseline).is_(False)).order_by(col(Plan.first_year).desc())
    ).first()
    if plan is None:
        raise NotFoundError(
            _("Aucun plan en cours : chargez les références (python -m dashboard seed).")
        )
    return plan
