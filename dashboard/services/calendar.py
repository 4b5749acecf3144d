"""Read model of the reporting calendar and freshness of the figures; the admins' rule.

``freshness(engine=..., today=...)`` is the one entry point for pages: per CTI, the state of
each reporting period opened so far (what is due, what is overdue and by how many days), and
per indicator, the period and age of its latest validated figure and whether it is stale.
The database aggregates (``calendar_queries``: counts of value states per CTI and period, the
latest validated period per indicator), then the pure rules of ``dashboard.domain.calendar``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.auth.account import Account, Actor, CommandLine
from dashboard.auth.permissions import Action, require
from dashboard.db.models import Contract, Cti, Indicator, Plan, ProgressUpdate
from dashboard.db.models import ReportingRule as RuleRow
from dashboard.domain.calendar import (
    Frequency,
    PeriodStatus,
    ReportState,
    Rule,
    ValueState,
    expected_period,
    figure_age_days,
    is_stale,
    period_last_day,
    period_status_from_counts,
    reporting_periods,
)
from dashboard.domain.calendar import due_date as period_due_date
from dashboard.domain.numbers import parse_number
from dashboard.domain.periods import Period
from dashboard.i18n import _
from dashboard.services import audit
from dashboard.services.calendar_queries import (
    PeriodKey,
    latest_score,
    score_period,
    state_counts,
)
from dashboard.services.context import render_cache_for
from dashboard.services.errors import UserError
from dashboard.services.scope import NoPlanError
from dashboard.services.versions import ContractVersion, kept_by_contract


class IndicatorRef(NamedTuple):
    """An indicator of the plan with its CTI (a tuple: thousands are built per calendar)."""

    indicator_id: int
    cti_id: int
    acronym: str
    code: str
    label: str
    unit: str


class IndicatorFreshness(NamedTuple):
    """How old the latest validated figure of an indicator is, and whether it is stale.

    A tuple rather than a frozen dataclass: one per indicator (8,400 at scale), built faster.
    """

    indicator_id: int
    cti_id: int
    acronym: str
    code: str
    label: str
    latest: Period | None
    age_days: int | None
    stale: bool

    @property
    def latest_label(self) -> str:
        """Return the period of the latest validated figure ("2025-T3"), or "" if none."""
        return self.latest.label() if self.latest else ""


@dataclass(frozen=True)
class CtiCalendar:
    """One CTI's reporting: the state of every period opened so far, oldest first."""

    cti_id: int
    acronym: str
    name: str
    indicators: int
    periods: list[PeriodStatus]

    @property
    def current(self) -> PeriodStatus | None:
        """Return the latest period opened for reporting (what is due now), or None."""
        return self.periods[-1] if self.periods else None

    @property
    def overdue(self) -> list[PeriodStatus]:
        """Return the periods past their due date with values still to submit."""
        return [p for p in self.periods if p.state == ReportState.OVERDUE]


@dataclass(frozen=True)
class Freshness:
    """The reporting calendar of the current plan as seen on ``today``."""

    today: date
    plan_id: int
    plan_code: str
    rule: Rule
    periods: list[Period]
    expected: Period | None
    ctis: list[CtiCalendar]
    indicators: list[IndicatorFreshness]
    stale_ids: frozenset[int] = field(default_factory=frozenset)

    def is_stale(self, indicator_id: int) -> bool:
        """Tell whether an indicator's latest validated figure is stale (mark it on pages)."""
        return indicator_id in self.stale_ids

    def due_date(self, period: Period) -> date:
        """Return the due date of a period under the plan's rule."""
        return period_due_date(period, self.rule)

    @property
    def overdue_ctis(self) -> list[CtiCalendar]:
        """Return the CTIs with at least one overdue period."""
        return [c for c in self.ctis if c.overdue]


def current_plan(session: Session) -> Plan:
    """Return the plan being monitored (the latest plan that is not the baseline)."""
    plan = session.exec(
        select(Plan).where(col(Plan.is_baseline).is_(False)).order_by(col(Plan.first_year).desc())
    ).first()
    if plan is None:
        raise NoPlanError(
            _("Aucun plan en cours : chargez les références (python -m dashboard seed).")
        )
    return plan


def load_rule(session: Session, plan_id: int) -> Rule:
    """Return the plan's reporting rule, or the default rule if no admin has set one."""
    row = session.exec(select(RuleRow).where(RuleRow.plan_id == plan_id)).first()
    if row is None:
        return Rule()
    return Rule(Frequency(row.frequency), due_days=row.due_days, lead_days=row.lead_days)


def _int(value: object, what: str) -> int:
    """Read a whole number of days as the domain reads every number, or refuse it.

    "30" and "1 000" are read; "7,000" is refused, never read as 7 days: in French it may be
    7 or 7000. A fraction, a text or a number beyond any float is refused with one message.
    """
    try:
        number = parse_number(value, what)
    except ValueError:
        number = math.nan
    if not number.is_integer():
        raise UserError(
            _(
                "{what} invalide « {value} » : indiquez un nombre entier de jours.",
                what=what,
                value="" if value is None else str(value).strip()[:30],
            )
        )
    return int(number)


def set_rule(
    session: Session,
    *,
    actor: Actor | None,
    due_days: object,
    lead_days: object | None = None,
    frequency: str | None = None,
) -> Rule:
    """Change the current plan's reporting rule (admins, or the command line); audited."""
    if not isinstance(actor, CommandLine):
        require(actor, Action.MANAGE_REFERENCE, session=session, detail="règle de saisie")
    plan = current_plan(session)
    assert plan.id is not None
    before = load_rule(session, plan.id)
    try:
        rule = Rule(
            frequency=frequency or before.frequency,  # type: ignore[arg-type]  # checked by Rule
            due_days=_int(due_days, _("Délai de saisie")),
            lead_days=before.lead_days if lead_days is None else _int(lead_days, _("Préavis")),
        )
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    row = session.exec(select(RuleRow).where(RuleRow.plan_id == plan.id)).first()
    row = row or RuleRow(plan_id=plan.id, version=0)
    row.frequency, row.due_days, row.lead_days = rule.frequency, rule.due_days, rule.lead_days
    row.updated_by_id = actor.id if isinstance(actor, Account) else None
    row.version += 1
    session.add(row)
    audit.record(
        session,
        action="calendar.rule",
        user_id=actor.id if isinstance(actor, Account) else None,
        username=actor.username if actor else "anonyme",
        entity="plan",
        entity_id=plan.id,
        before=_rule_dict(before),
        after=_rule_dict(rule),
    )
    return rule


def _rule_dict(rule: Rule) -> dict[str, object]:
    return {"frequency": rule.frequency, "due_days": rule.due_days, "lead_days": rule.lead_days}


def _refs_query(
    plan_id: int, cti_id: int | None, ids: Collection[int] | None
) -> Select[*tuple[Any, ...]]:
    query: Select[*tuple[Any, ...]] = (
        sa_select(
            col(Indicator.id),
            col(Contract.cti_id),
            col(Cti.acronym),
            col(Indicator.code),
            col(Indicator.label),
            col(Indicator.unit),
        )
        .join(Contract, col(Contract.id) == col(Indicator.contract_id))
        .join(Cti, col(Cti.id) == col(Contract.cti_id))
        .where(col(Contract.plan_id) == plan_id)
        .order_by(col(Cti.acronym), col(Indicator.code))
    )
    if cti_id is not None:
        query = query.where(col(Contract.cti_id) == cti_id)
    if ids is not None:
        query = query.where(col(Indicator.id).in_(list(ids)))
    return query


def plan_indicators(
    session: Session,
    plan_id: int,
    *,
    cti_id: int | None = None,
    ids: Collection[int] | None = None,
) -> list[IndicatorRef]:
    """Return the plan's indicators with their CTI (or one CTI's, or some), by CTI then code."""
    return [IndicatorRef(*row) for row in session.execute(_refs_query(plan_id, cti_id, ids)).all()]


def refs_and_latest(
    session: Session,
    plan_id: int,
    *,
    years: tuple[int, int],
    cti_id: int | None = None,
    ids: Collection[int] | None = None,
) -> tuple[list[IndicatorRef], dict[int, PeriodKey]]:
    """Return ``plan_indicators`` and, per indicator with one, its latest validated period.

    One pass over the indicators: the latest period is an index seek in the same query.
    """
    query = _refs_query(plan_id, cti_id, ids).add_columns(latest_score(years))
    refs, latest = [], {}
    for *fields, score in session.execute(query).all():
        ref = IndicatorRef(*fields)
        refs.append(ref)
        if score is not None:
            latest[ref.indicator_id] = score_period(score)
    return refs, latest


def value_statuses(
    session: Session, indicator_ids: list[int], years: tuple[int, int]
) -> dict[int, dict[PeriodKey, set[str]]]:
    """Return, per indicator and period, the statuses of its values that are not superseded."""
    query = (
        sa_select(
            col(ProgressUpdate.indicator_id),
            col(ProgressUpdate.year),
            col(ProgressUpdate.quarter),
            col(ProgressUpdate.status),
        )
        .where(
            col(ProgressUpdate.indicator_id).in_(indicator_ids),
            col(ProgressUpdate.is_superseded).is_(False),
            col(ProgressUpdate.year).between(*years),
        )
        .distinct()
    )
    found: dict[int, dict[PeriodKey, set[str]]] = defaultdict(lambda: defaultdict(set))
    for indicator_id, year, quarter, status in session.execute(query).all():
        found[indicator_id][(year, quarter)].add(status)
    return found


def period_key(period: Period) -> PeriodKey:
    """Return how a period is stored: (year, quarter), quarter 0 for a whole year."""
    return (period.year, period.quarter or 0)


def opened_periods(periods: list[Period], *, today: date, rule: Rule) -> list[Period]:
    """Return the periods whose reporting has opened: ended, or close enough to their due date."""
    return [
        p
        for p in periods
        if today > period_last_day(p)
        or today >= period_due_date(p, rule) - timedelta(days=rule.lead_days)
    ]


def _indicator_freshness(
    refs: list[IndicatorRef], latest: dict[int, PeriodKey], *, today: date, expected: Period | None
) -> list[IndicatorFreshness]:
    # Thousands of indicators share a few dozen latest periods: work each period out once.
    known: dict[PeriodKey | None, tuple[Period | None, int | None, bool]] = {}
    fresh = []
    for ref in refs:
        key = latest.get(ref.indicator_id)
        if key not in known:
            period = Period(key[0], key[1] or None) if key else None
            age = figure_age_days(period, today) if period else None
            known[key] = (period, age, is_stale(period, expected=expected))
        period, age, stale = known[key]
        fresh.append(
            IndicatorFreshness(
                indicator_id=ref.indicator_id,
                cti_id=ref.cti_id,
                acronym=ref.acronym,
                code=ref.code,
                label=ref.label,
                latest=period,
                age_days=age,
                stale=stale,
            )
        )
    return fresh


def _kept_freshness(
    session: Session,
    plan_id: int,
    *,
    years: tuple[int, int],
    today: date,
    expected: Period | None,
    cti_id: int | None = None,
    ids: Collection[int] | None = None,
) -> list[IndicatorFreshness]:
    """Return the freshness of the plan's indicators (or one CTI's, or some), by CTI and code.

    Served by an app, each contract's is kept until a write may change it (its values, the
    plan's structure), so that after a write to one CTI's figures only that CTI's is read
    again.
    """
    engine = session.get_bind()
    cache = render_cache_for(engine) if isinstance(engine, Engine) else None
    if cache is None or ids is not None or not isinstance(engine, Engine):
        found = refs_and_latest(session, plan_id, years=years, cti_id=cti_id, ids=ids)
        return _indicator_freshness(*found, today=today, expected=expected)

    def build(contracts: Sequence[ContractVersion]) -> list[list[IndicatorFreshness]]:
        # One CTI missing (after a value is written): its own; several: the plan's, split.
        only = contracts[0].cti_id if len(contracts) == 1 else None
        found = refs_and_latest(session, plan_id, years=years, cti_id=only)
        fresh = _indicator_freshness(*found, today=today, expected=expected)
        return [[f for f in fresh if f.cti_id == contract.cti_id] for contract in contracts]

    parts = kept_by_contract(
        engine=engine,
        cache=cache,
        plan_id=plan_id,
        key=("freshness", years, today, expected),
        build=build,
        weigh=lambda part: 1024 + 400 * len(part),
        keep=lambda contract: cti_id is None or contract.cti_id == cti_id,
    )
    return parts[0] if len(parts) == 1 else [f for part in parts for f in part]


def _years_seen(plan: Plan, today: date) -> tuple[int, int]:
    """Return the plan's years whose values count on ``today``.

    Seen on a past day (a past year's view), the values of later years did not exist yet.
    """
    return (plan.first_year, min(plan.last_year, today.year))


def indicator_freshness(
    session: Session,
    *,
    today: date,
    cti_id: int | None = None,
    ids: Collection[int] | None = None,
) -> list[IndicatorFreshness]:
    """Return only the freshness of the indicators (``build_freshness(...).indicators``).

    For lists and stale marks: it skips counting the value states of every period. ``ids``
    narrows it to some indicators (the rows a page shows).
    """
    plan = current_plan(session)
    assert plan.id is not None
    rule = load_rule(session, plan.id)
    periods = reporting_periods(plan.first_year, plan.last_year, rule.frequency)
    years = _years_seen(plan, today)
    expected = expected_period(periods, today=today, rule=rule)
    return _kept_freshness(
        session, plan.id, years=years, today=today, expected=expected, cti_id=cti_id, ids=ids
    )


def _with_missing(counts: dict[ValueState, int], members: int) -> dict[ValueState, int]:
    """Add the indicators without any value for the period, which no query row counts."""
    missing = members - sum(counts.values())
    return {**counts, ValueState.MISSING: missing} if missing else counts


def build_freshness(session: Session, *, today: date, cti_id: int | None = None) -> Freshness:
    """Compute the reporting calendar in an open session (see ``freshness``)."""
    plan = current_plan(session)
    assert plan.id is not None
    rule = load_rule(session, plan.id)
    periods = reporting_periods(plan.first_year, plan.last_year, rule.frequency)
    opened = opened_periods(periods, today=today, rule=rule)
    expected = expected_period(periods, today=today, rule=rule)
    years = _years_seen(plan, today)
    fresh = _kept_freshness(
        session, plan.id, years=years, today=today, expected=expected, cti_id=cti_id
    )
    counts = state_counts(session, plan_id=plan.id, cti_id=cti_id, years=years)
    names = dict(session.exec(select(Cti.id, Cti.name)).all())
    members = Counter(f.cti_id for f in fresh)  # CTIs in the order of the rows (by acronym)
    acronyms = {f.cti_id: f.acronym for f in fresh}
    ctis = [
        CtiCalendar(
            cti,
            acronyms[cti],
            names.get(cti, ""),
            n,
            [
                period_status_from_counts(
                    period,
                    _with_missing(counts.get((cti, *period_key(period)), {}), n),
                    today=today,
                    rule=rule,
                )
                for period in opened
            ],
        )
        for cti, n in members.items()
    ]
    return Freshness(
        today=today,
        plan_id=plan.id,
        plan_code=plan.code,
        rule=rule,
        periods=periods,
        expected=expected,
        ctis=ctis,
        indicators=fresh,
        stale_ids=frozenset(f.indicator_id for f in fresh if f.stale),
    )


def freshness(*, engine: Engine, today: date, cti_id: int | None = None) -> Freshness:
    """Return the reporting calendar and the freshness of every indicator of the current plan.

    For pages: ``view.ctis`` (per CTI, ``current`` period and ``overdue`` ones, with days
    late), ``view.indicators`` (latest validated period, age in days, ``stale``), and
    ``view.is_stale(indicator_id)`` to mark stale figures on monitoring pages. ``cti_id``
    restricts the result to one CTI.
    """
    with Session(engine) as session:
        return build_freshness(session, today=today, cti_id=cti_id)
