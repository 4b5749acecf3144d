"""Read models of the /updates pages: choices, the entry grid, one entry, history, queue.

Everything here is plain data (dicts of strings and numbers) for the grids and forms; user
text (comments, reasons) is passed as text and shown as text by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can, require
from dashboard.auth.visibility import lists_own_cti_only
from dashboard.db.models import (
    Contract,
    Cti,
    EntryStatus,
    Indicator,
    IndicatorTarget,
    Plan,
    ProgressUpdate,
    User,
)
from dashboard.domain.bounds import fmt_num
from dashboard.domain.indicators import Trajectory, expected_value
from dashboard.domain.periods import Period
from dashboard.domain.validation import check_outlier, input_hint, period_first_day
from dashboard.domain.workflow import STATE_LABELS, State
from dashboard.i18n import N_, _, term
from dashboard.services.amendments import amendment_rows
from dashboard.services.errors import NotFoundError
from dashboard.services.evidence import describe, stored_size
from dashboard.services.formatting import fmt_number, fmt_period
from dashboard.services.progress_rules import (
    LIVE,
    current_plan,
    indicator_context,
    pending_for,
    to_period,
    validated_for,
)
from dashboard.services.row_limit import ROW_LIMIT, LimitedRows


def when(at: datetime | None) -> str:
    """Format a stored time for a grid: 2026-11-29 14:05 (UTC)."""
    if at is None:
        return ""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def author(names: dict[int | None, str], user_id: int | None, origin: str) -> str:
    """Name who entered a row; rows without an author are demo data or imported reference data."""
    if user_id is not None:
        return names.get(user_id, "?")
    return _("données illustratives") if origin == "illustrative" else "—"


def state_label(status: str) -> str:
    """Return a workflow state in the reader's language ("validée" in French)."""
    return _(STATE_LABELS[State(status)]) if status in set(State) else status


def entry_ctis(session: Session, account: Account | None) -> list[dict[str, str]]:
    """Return the CTIs the account enters values for (its own, or all for the ministry)."""
    query = select(Cti).order_by(col(Cti.acronym))
    if account is not None and lists_own_cti_only(account):
        query = query.where(col(Cti.id) == account.cti_id)
    return [
        {"value": str(c.id), "label": f"{c.acronym} — {term(c.name)}"} for c in session.exec(query)
    ]


def indicator_options(session: Session, cti_id: int) -> list[dict[str, str]]:
    """Return the indicators of a CTI's current contract, for a select."""
    plan = current_plan(session)
    found = session.execute(
        sa_select(col(Indicator.id), col(Indicator.code), col(Indicator.label), col(Indicator.unit))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .where(col(Contract.cti_id) == cti_id, col(Contract.plan_id) == plan.id)
        .order_by(col(Indicator.code))
    ).all()
    return [
        {"value": str(i.id), "label": f"{i.code} — {term(i.label)} ({term(i.unit)})"} for i in found
    ]


def allowed_ctis(
    ctis: list[dict[str, str]], account: Account | None, action: str
) -> list[dict[str, str]]:
    """Keep the CTI choices (from ``entry_ctis``) on which the account may do the action."""
    return [c for c in ctis if can(account, action, int(c["value"]))]


def _chosen_id(text: str, unknown: str) -> int:
    """Return the id a select sent, or refuse it with ``unknown`` when it can't be one."""
    # Digits only, and few enough for an INTEGER column (PostgreSQL refuses larger numbers).
    if not (text.isascii() and text.isdecimal() and len(text) <= 9):
        raise NotFoundError(unknown)
    return int(text)


def target_indicator_options(
    session: Session, *, account: Account | None, cti: object
) -> list[dict[str, str]]:
    """Return a CTI's indicators for the target revision form, if the account may revise them.

    ``cti`` comes from the browser, so it may be anything: an unreadable or unknown CTI is
    refused with a message, and a CTI the account may not amend is refused (and logged)
    before anything about it is read.
    """
    text = str(cti).strip()
    unknown = _("CTI inconnu « {cti} » : choisissez-le dans la liste.", cti=text[:40])
    cti_id = _chosen_id(text, unknown)
    require(account, Action.AMEND_CONTRACT, cti_id, session=session, detail="objectifs")
    if session.get(Cti, cti_id) is None:
        raise NotFoundError(unknown)
    return indicator_options(session, cti_id)


def period_options(session: Session, today: date) -> list[str]:
    """Return the periods of the plan that have begun, most recent first (quarters, then year)."""
    plan = current_plan(session)
    periods = [
        p
        for year in range(plan.first_year, plan.last_year + 1)
        for p in [*(Period(year, q) for q in range(1, 5)), Period(year)]
        if period_first_day(p) <= today
    ]
    return [p.label() for p in sorted(periods, reverse=True)]


def grid_rows(session: Session, *, cti_id: int, period: Period) -> list[dict[str, Any]]:
    """Return one row per indicator of a CTI for a period: official value and current entry."""
    rows = []
    for option in indicator_options(session, cti_id):
        indicator_id = int(option["value"])
        indicator = session.get(Indicator, indicator_id)
        assert indicator is not None
        official = validated_for(session, indicator_id, period)
        current = pending_for(session, indicator_id, period) or _latest_rejected(
            session, indicator_id, period
        )
        rows.append(
            {
                "indicator_id": indicator_id,
                "code": indicator.code,
                "label": term(indicator.label),
                "unit": term(indicator.unit),
                "official": official.value if official else None,
                "value": current.value if current else None,
                "comment": current.comment if current else "",
                "status": state_label(current.status) if current else "",
                "rejection": current.rejection_reason if current else "",
                "update_id": current.id if current else None,
                "version": current.version if current else None,
            }
        )
    return rows


def _latest_rejected(session: Session, indicator_id: int, period: Period) -> ProgressUpdate | None:
    return session.exec(
        select(ProgressUpdate)
        .where(
            col(ProgressUpdate.indicator_id) == indicator_id,
            col(ProgressUpdate.year) == period.year,
            col(ProgressUpdate.quarter) == (period.quarter or 0),
            col(ProgressUpdate.status) == EntryStatus.REJECTED.value,
            col(ProgressUpdate.is_superseded).is_(False),
        )
        .order_by(col(ProgressUpdate.id).desc())
    ).first()


@dataclass(frozen=True)
class EntryState:
    """What the entry form shows for an indicator and a period."""

    mode: str  # "new", "edit" (pending or rejected), "correct" (validated)
    update_id: int | None
    version: int | None
    value: float | None
    comment: str
    status: str
    rejection: str
    official: float | None
    unit: str
    evidence: str
    hint: str = ""  # what to type for this unit ("Un nombre entier, par exemple 12")


def entry_state(session: Session, *, indicator_id: int, period: Period) -> EntryState:
    """Return the entry the form should open for an indicator and a period."""
    ctx = indicator_context(session, indicator_id)
    official = validated_for(session, indicator_id, period)
    current = pending_for(session, indicator_id, period) or _latest_rejected(
        session, indicator_id, period
    )
    row = current or official
    mode = "new" if row is None else ("edit" if current else "correct")
    return EntryState(
        mode=mode,
        update_id=row.id if row else None,
        version=row.version if row else None,
        value=row.value if row else None,
        comment=row.comment if row else "",
        status=state_label(row.status) if row else "",
        rejection=current.rejection_reason if current else "",
        official=official.value if official else None,
        unit=term(ctx.unit),
        evidence=row.evidence_name if row else "",
        hint=input_hint(ctx.unit),
    )


def history_rows(
    session: Session, *, indicator_id: int, evidence_dir: Path | None = None
) -> list[dict[str, Any]]:
    """Return every version of every value of an indicator, newest first.

    With ``evidence_dir``, each evidence file is named with its size ("bilan.pdf (12,5 Ko)").
    """
    names = dict(session.exec(select(User.id, User.username)).all())
    rows = session.exec(
        select(ProgressUpdate)
        .where(col(ProgressUpdate.indicator_id) == indicator_id)
        .order_by(
            col(ProgressUpdate.year).desc(),
            col(ProgressUpdate.quarter).desc(),
            col(ProgressUpdate.id).desc(),
        )
    ).all()
    return [
        {
            "id": r.id,
            "period": fmt_period(r.year, r.quarter),
            "value": r.value,
            "status": _("{status} (remplacée)", status=state_label(r.status))
            if r.is_superseded
            else state_label(r.status),
            "by": author(names, r.created_by_id, r.origin),
            "at": when(r.updated_at or r.created_at),
            "reviewed_by": names.get(r.reviewed_by_id, "") if r.reviewed_by_id else "",
            "comment": r.comment,
            "reason": r.correction_reason or r.rejection_reason,
            "supersedes": r.supersedes_id or "",
            "evidence": describe(r.evidence_name, stored_size(evidence_dir, r.evidence_sha256))
            if evidence_dir is not None and r.evidence_sha256
            else r.evidence_name,
        }
        for r in rows
    ]


def target_revision(
    session: Session, *, account: Account | None, indicator: object
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return an indicator's yearly targets and their revisions, if the account may revise them.

    ``indicator`` comes from the browser, so it may be anything: an unreadable one is refused
    with a message; the account must be allowed to amend the indicator's contract (refused and
    logged otherwise, an unknown indicator being refused the same way to those who may not
    amend), before its targets are read.
    """
    text = str(indicator).strip()
    unknown = _(
        "Indicateur inconnu « {indicator} » : choisissez-le dans la liste.", indicator=text[:40]
    )
    indicator_id = _chosen_id(text, unknown)
    cti_id = session.exec(
        select(Contract.cti_id)
        .join(Indicator, col(Indicator.contract_id) == col(Contract.id))
        .where(col(Indicator.id) == indicator_id)
    ).first()
    require(account, Action.AMEND_CONTRACT, cti_id, session=session, detail="objectifs")
    if cti_id is None:
        raise NotFoundError(unknown)
    return (
        target_options(session, indicator_id=indicator_id),
        target_history(session, indicator_id=indicator_id),
    )


def target_history(session: Session, *, indicator_id: int) -> list[str]:
    """Return the revisions of an indicator's targets, described, newest first."""
    ids = [
        t.id
        for t in session.exec(
            select(IndicatorTarget).where(col(IndicatorTarget.indicator_id) == indicator_id)
        )
        if t.id is not None
    ]
    return [row.text for row in amendment_rows(session, kind="target", ref_ids=ids)]


def target_options(session: Session, *, indicator_id: int) -> list[dict[str, Any]]:
    """Return an indicator's yearly targets with their versions, for the revision form."""
    targets = session.exec(
        select(IndicatorTarget)
        .where(col(IndicatorTarget.indicator_id) == indicator_id)
        .order_by(col(IndicatorTarget.year))
    ).all()
    return [{"id": t.id, "year": t.year, "value": t.value, "version": t.version} for t in targets]


def _previous_values(session: Session, entries: list[Any], indicators: Any) -> list[float]:
    """Return ``previous_value`` for many entries (indicator, year, quarter, baseline) at once.

    One query for the current rows of the ``indicators`` (ids, or a subquery of them), instead of
    two queries per entry.
    """
    validated = EntryStatus.VALIDATED.value
    rows = session.execute(
        sa_select(
            col(ProgressUpdate.indicator_id),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.status),
            col(ProgressUpdate.id),
            col(ProgressUpdate.value),
        ).where(
            col(ProgressUpdate.indicator_id).in_(indicators),
            col(ProgressUpdate.is_superseded).is_(False),
        )
    ).all()
    live: dict[int, list[tuple[tuple[int, int], bool, int, float]]] = {}
    for indicator_id, year, quarter, status, row_id, value in rows:
        # Tested here rather than in SQL: with it, SQLite reads the index on the status alone
        # (every validated value of the network) instead of the index by indicator.
        if status not in LIVE:
            continue
        key = (year, 5 if quarter == 0 else quarter)  # a whole year after its 4th quarter
        live.setdefault(indicator_id, []).append((key, status == validated, row_id or 0, value))
    previous: list[float] = []
    for indicator_id, year, quarter, baseline in entries:
        period = (year, 5 if quarter == 0 else quarter)
        # The latest earlier period; in it the validated value first, then the newest row.
        best = max((r for r in live.get(indicator_id, ()) if r[0] < period), default=None)
        previous.append(baseline if best is None else best[3])
    return previous


QUEUE_LIMITED = N_(
    "{total} valeurs soumises : les {shown} plus anciennes sont affichées. Choisissez un CTI"
    " pour voir les autres."
)
QUEUE_PENDING = N_("Valeurs en attente de validation : {total}.")


def queue_page(
    session: Session, *, cti_id: int | None = None, limit: int = ROW_LIMIT
) -> LimitedRows:
    """Return the ``limit`` oldest values awaiting validation, and how many await in all."""
    query = (
        sa_select(func.count(col(ProgressUpdate.id)))
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .where(col(ProgressUpdate.status) == EntryStatus.SUBMITTED.value)
    )
    if cti_id is not None:
        query = query.where(col(Contract.cti_id) == cti_id)
    total = session.execute(query).scalar()
    return LimitedRows(queue_rows(session, cti_id=cti_id, limit=limit), int(total or 0))


def queue_note(found: LimitedRows) -> str:
    """Say how many values wait in all, and that only the oldest are shown when limited."""
    pending = _(QUEUE_PENDING, total=fmt_number(found.total))
    return f"{pending} {found.note(QUEUE_LIMITED)}".strip()


def _shown(value: float | None) -> str:
    """Write a figure as the forms' messages and the template do (domain ``fmt_num``)."""
    return "—" if value is None else fmt_num(value)


def _targets_of(session: Session, indicators: Any) -> dict[int, dict[int, float]]:
    """Return the yearly targets of the ``indicators`` (ids, or a subquery of them)."""
    rows = session.execute(
        sa_select(
            col(IndicatorTarget.indicator_id), col(IndicatorTarget.year), col(IndicatorTarget.value)
        ).where(col(IndicatorTarget.indicator_id).in_(indicators))
    ).all()
    targets: dict[int, dict[int, float]] = {}
    for indicator_id, year, value in rows:
        targets.setdefault(int(indicator_id), {})[int(year)] = float(value)
    return targets


def _expected(baseline: float, first_year: int, targets: dict[int, float], period: Period) -> Any:
    """Return the value the trajectory expects at the end of ``period`` (None without targets)."""
    if not targets:
        return None
    try:
        return expected_value(Trajectory(baseline, float(first_year), targets), period.end())
    except ValueError:  # a target before the plan's start: no trajectory to read
        return None


def queue_rows(
    session: Session, *, cti_id: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return the values awaiting validation, oldest first, with what a reviewer compares.

    Each row has the unit, the year's target, the value the trajectory expects at the end of
    the period (``domain.indicators.expected_value``), the previous value, who entered it and
    when, and its evidence. ``limit`` keeps the oldest ones only (see ``queue_page``).
    """
    names = dict(session.exec(select(User.id, User.username)).all())
    # Plain columns, not entities: building thousands of ORM objects costs more than the SQL.
    query = (
        sa_select(
            col(ProgressUpdate.id),
            col(ProgressUpdate.version),
            col(ProgressUpdate.indicator_id),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.value),
            col(ProgressUpdate.comment),
            col(ProgressUpdate.correction_reason),
            col(ProgressUpdate.created_by_id),
            col(ProgressUpdate.origin),
            col(ProgressUpdate.submitted_at),
            col(ProgressUpdate.evidence_name),
            col(Indicator.code),
            col(Indicator.label),
            col(Indicator.unit),
            col(Indicator.baseline_value),
            col(Cti.acronym),
            col(Plan.first_year),
        )
        .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Plan, col(Plan.id) == col(Contract.plan_id))
        .where(col(ProgressUpdate.status) == EntryStatus.SUBMITTED.value)
        .order_by(col(ProgressUpdate.submitted_at), col(ProgressUpdate.id))
    )
    if cti_id is not None:
        query = query.where(col(Cti.id) == cti_id)
    found = session.execute(query.limit(limit)).all()
    # A few hundred ids when limited; otherwise the whole queue's, as a subquery.
    indicators: Any = (
        sorted({e.indicator_id for e in found})
        if limit is not None
        else query.with_only_columns(col(ProgressUpdate.indicator_id)).order_by(None)
    )
    previous_values = _previous_values(
        session, [(e.indicator_id, e.year, e.quarter, e.baseline_value) for e in found], indicators
    )
    targets = _targets_of(session, indicators)
    rows = []
    for entry, previous in zip(found, previous_values, strict=True):
        period = to_period(entry.year, entry.quarter)
        warning = check_outlier(entry.value, previous).warnings
        own = targets.get(entry.indicator_id, {})
        target = own.get(entry.year)
        expected = _expected(entry.baseline_value, entry.first_year, own, period)
        rows.append(
            {
                "id": entry.id,
                "version": entry.version,
                "cti": entry.acronym,
                "code": entry.code,
                "label": term(entry.label),
                "unit": term(entry.unit),
                "period": fmt_period(period.year, period.quarter),
                "value": entry.value,
                "value_text": _shown(entry.value),
                "target": target,
                "target_text": _shown(target),
                "expected": expected,
                "expected_text": _shown(None if expected is None else round(expected, 3)),
                "previous": previous,
                "previous_text": _shown(previous),
                "warning": warning[0].message if warning else "",
                "comment": entry.comment,
                "correction": entry.correction_reason,
                "by": author(names, entry.created_by_id, entry.origin),
                "submitted": when(entry.submitted_at),
                "evidence": entry.evidence_name,
            }
        )
    return rows
