"""Read models of the /budget page: choices, movements with their versions, envelope lines."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from dashboard.auth.account import Account
from dashboard.auth.visibility import lists_own_cti_only
from dashboard.db.models import (
    Axis,
    BudgetMovement,
    Contract,
    Cti,
    EntryStatus,
    EnvelopeLine,
    MovementKind,
    User,
)
from dashboard.i18n import N_, _, current_lang, pick, term
from dashboard.services.amendments import amendment_rows
from dashboard.services.budget_rules import KIND_LABELS
from dashboard.services.entry_views import author, state_label, when
from dashboard.services.progress_rules import current_plan
from dashboard.services.row_limit import ROW_LIMIT, LimitedRows


def contract_options(session: Session, account: Account | None = None) -> list[dict[str, str]]:
    """Return the contracts of the current plan, by CTI acronym, for a select.

    A CTI editor's list holds its own CTI's contract only.
    """
    plan = current_plan(session)
    query = (
        select(Contract.id, Cti.acronym, Cti.name)
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(col(Contract.plan_id) == plan.id)
        .order_by(col(Cti.acronym))
    )
    if account is not None and lists_own_cti_only(account):
        query = query.where(col(Contract.cti_id) == account.cti_id)
    rows = session.exec(query).all()
    return [
        {"value": str(cid), "label": f"{acronym} — {term(name)}"} for cid, acronym, name in rows
    ]


def axis_options(session: Session) -> list[dict[str, str]]:
    """Return the axes of the current plan, for a select."""
    plan = current_plan(session)
    axes = session.exec(
        select(Axis).where(col(Axis.plan_id) == plan.id).order_by(col(Axis.number))
    ).all()
    lang = current_lang()
    return [
        {
            "value": str(a.id),
            "label": _("Axe {n} — {title}", n=a.number, title=term(a.short_fr))
            if a.short_fr
            else _(
                "Axe {n} — {title}",
                n=a.number,
                title=pick(lang, fr=a.title_fr, en=a.title_en, ar=a.title_ar),
            ),
        }
        for a in axes
    ]


@dataclass(frozen=True)
class MovementFilter:
    """Which movements a list shows: of a contract, an axis, a year, a workflow state."""

    contract_id: int | None = None
    axis_id: int | None = None
    year: int | None = None
    status: str | None = None
    include_superseded: bool = False
    ids: Collection[int] | None = None

    def apply(self, query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
        """Return ``query`` restricted to the movements this filter keeps."""
        conditions = [
            (self.contract_id, col(BudgetMovement.contract_id) == self.contract_id),
            (self.axis_id, col(BudgetMovement.axis_id) == self.axis_id),
            (self.status, col(BudgetMovement.status) == self.status),
            (self.ids, col(BudgetMovement.id).in_(self.ids or ())),
        ]
        query = query.where(*(test for value, test in conditions if value is not None))
        if self.year is not None:
            first, last = date(self.year, 1, 1), date(self.year, 12, 31)
            query = query.where(col(BudgetMovement.on_date).between(first, last))
        if not self.include_superseded:
            query = query.where(col(BudgetMovement.is_superseded).is_(False))
        return query


MOVEMENTS_LIMITED = N_(
    "{total} mouvements : les {shown} plus récents sont affichés. Filtrez par axe, année ou"
    " statut pour voir les autres."
)
# Plain columns, not entities: building thousands of ORM objects costs more than the SQL.
_COLUMNS = (
    col(BudgetMovement.id),
    col(BudgetMovement.version),
    col(BudgetMovement.status),
    col(BudgetMovement.is_superseded),
    col(BudgetMovement.contract_id),
    col(BudgetMovement.axis_id),
    col(BudgetMovement.kind),
    col(BudgetMovement.on_date),
    col(BudgetMovement.amount_mdh),
    col(BudgetMovement.reference),
    col(BudgetMovement.comment),
    col(BudgetMovement.correction_reason),
    col(BudgetMovement.rejection_reason),
    col(BudgetMovement.created_by_id),
    col(BudgetMovement.origin),
    col(BudgetMovement.updated_at),
    col(BudgetMovement.created_at),
    col(Cti.acronym),
    col(Axis.number),
)


def year_options(session: Session) -> list[str]:
    """Return the years of the current plan and of any movement, most recent first."""
    plan = current_plan(session)
    dates = col(BudgetMovement.on_date)
    # Two scalar subqueries: each one index seek (SQLite scans every movement for both at once).
    first, last = session.execute(
        sa_select(
            sa_select(func.min(dates)).scalar_subquery(),
            sa_select(func.max(dates)).scalar_subquery(),
        )
    ).one()
    years = range(
        min(plan.first_year, first.year if first else plan.first_year),
        max(plan.last_year, last.year if last else plan.last_year) + 1,
    )
    return [str(year) for year in reversed(years)]


def state_options() -> list[dict[str, str]]:
    """Return the workflow states a movement can be in, for a select."""
    return [{"value": state.value, "label": state_label(state.value)} for state in EntryStatus]


def movement_rows(
    session: Session, *, where: MovementFilter, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return the movements ``where`` keeps (newest first), with state, version and author."""
    names = dict(session.exec(select(User.id, User.username)).all())
    query = where.apply(
        sa_select(*_COLUMNS)
        .join(Contract, col(Contract.id) == col(BudgetMovement.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .join(Axis, col(Axis.id) == col(BudgetMovement.axis_id))
        .order_by(col(BudgetMovement.on_date).desc(), col(BudgetMovement.id).desc())
        .limit(limit)
    )
    return [
        {
            "id": m.id,
            "version": m.version,
            "status_code": m.status,
            "cti": m.acronym,
            "contract_id": m.contract_id,
            "axis_id": m.axis_id,
            "axis": m.number,
            "kind_code": m.kind,
            "kind": _(KIND_LABELS[m.kind]) if m.kind in KIND_LABELS else m.kind,
            "on_date": m.on_date.isoformat(),
            "amount": m.amount_mdh,
            "reference": m.reference,
            "comment": m.comment,
            "status": _("{status} (remplacé)", status=state_label(m.status))
            if m.is_superseded
            else state_label(m.status),
            "reason": m.correction_reason or m.rejection_reason,
            "by": author(names, m.created_by_id, m.origin),
            "at": when(m.updated_at or m.created_at),
        }
        for m in session.execute(query).all()
    ]


def movement_page(
    session: Session, *, where: MovementFilter, limit: int = ROW_LIMIT
) -> LimitedRows:
    """Return the newest ``limit`` movements ``where`` keeps, and how many it keeps in all."""
    total = session.execute(where.apply(sa_select(func.count(col(BudgetMovement.id))))).scalar()
    return LimitedRows(movement_rows(session, where=where, limit=limit), int(total or 0))


@dataclass(frozen=True)
class MovementTotals:
    """The money of a selection (MDH): envelope, validated amounts, amounts awaiting validation."""

    envelope: float
    committed: float
    disbursed: float
    pending_committed: float
    pending_disbursed: float


def movement_totals(session: Session, *, where: MovementFilter) -> MovementTotals:
    """Sum the selection's envelope lines and its current movements, whatever the state filter.

    Committed and disbursed count validated movements only (the official execution); pending
    ones are submitted and not yet validated. Drafts and rejected movements count in neither.
    """
    envelope = sa_select(func.coalesce(func.sum(col(EnvelopeLine.amount_mdh)), 0.0))
    for value, column in (
        (where.contract_id, col(EnvelopeLine.contract_id)),
        (where.axis_id, col(EnvelopeLine.axis_id)),
        (where.year, col(EnvelopeLine.year)),
    ):
        if value is not None:
            envelope = envelope.where(column == value)
    states = (EntryStatus.VALIDATED.value, EntryStatus.SUBMITTED.value)
    sums = replace(where, status=None).apply(
        sa_select(
            col(BudgetMovement.kind),
            col(BudgetMovement.status),
            func.sum(col(BudgetMovement.amount_mdh)),
        )
        .where(col(BudgetMovement.status).in_(states))
        .group_by(col(BudgetMovement.kind), col(BudgetMovement.status))
    )
    amounts: dict[tuple[str, str], float] = {
        (kind, status): float(total or 0) for kind, status, total in session.execute(sums).all()
    }

    def amount(kind: MovementKind, status: EntryStatus) -> float:
        return amounts.get((kind.value, status.value), 0.0)

    submitted = EntryStatus.SUBMITTED
    return MovementTotals(
        envelope=float(session.execute(envelope).scalar() or 0),
        committed=amount(MovementKind.COMMITMENT, EntryStatus.VALIDATED),
        disbursed=amount(MovementKind.DISBURSEMENT, EntryStatus.VALIDATED),
        pending_committed=amount(MovementKind.COMMITMENT, submitted),
        pending_disbursed=amount(MovementKind.DISBURSEMENT, submitted),
    )


def selection_label(session: Session, *, where: MovementFilter) -> str:
    """Say what a selection of movements covers: « CETIA · axe 2 · 2025 »."""
    acronym = session.exec(
        select(Cti.acronym)
        .join(Contract, col(Contract.cti_id) == col(Cti.id))
        .where(col(Contract.id) == where.contract_id)
    ).first()
    axis = session.get(Axis, where.axis_id) if where.axis_id is not None else None
    parts = [
        acronym or _("tous les contrats"),
        _("axe {n}", n=axis.number) if axis is not None else _("tous les axes"),
        str(where.year) if where.year is not None else _("toutes les années"),
    ]
    return _("Totaux de la sélection ({selection}) :", selection=" · ".join(parts))


def movement_history(session: Session, *, movement_id: int) -> list[dict[str, Any]]:
    """Return every version of a movement (the one given, those it replaced, those replacing it)."""
    chain: dict[int, BudgetMovement] = {}
    current = session.get(BudgetMovement, movement_id)
    while current is not None and current.id not in chain:  # walk back
        assert current.id is not None
        chain[current.id] = current
        current = (
            session.get(BudgetMovement, current.supersedes_id) if current.supersedes_id else None
        )
    frontier = [movement_id]
    while frontier:  # walk forward
        newer = session.exec(
            select(BudgetMovement).where(col(BudgetMovement.supersedes_id).in_(frontier))
        ).all()
        frontier = [m.id for m in newer if m.id is not None and m.id not in chain]
        chain.update({m.id: m for m in newer if m.id is not None})
    ids = sorted(chain, reverse=True)
    where = MovementFilter(include_superseded=True, ids=list(chain))
    rows = {r["id"]: r for r in movement_rows(session, where=where)}
    return [rows[i] for i in ids if i in rows]


def envelope_rows(session: Session, *, contract_id: int) -> list[dict[str, Any]]:
    """Return a contract's envelope lines (axis x year) with their versions."""
    lines = session.exec(
        select(EnvelopeLine, Axis.number)
        .join(Axis, col(Axis.id) == col(EnvelopeLine.axis_id))
        .where(col(EnvelopeLine.contract_id) == contract_id)
        .order_by(col(Axis.number), col(EnvelopeLine.year))
    ).all()
    return [
        {
            "id": line.id,
            "axis": number,
            "year": line.year,
            "amount": line.amount_mdh,
            "version": line.version,
        }
        for line, number in lines
    ]


def envelope_history(session: Session, *, contract_id: int) -> list[str]:
    """Return the revisions of a contract's envelope lines, described, newest first."""
    ids = [r["id"] for r in envelope_rows(session, contract_id=contract_id) if r["id"] is not None]
    return [row.text for row in amendment_rows(session, kind="envelope", ref_ids=ids)]
