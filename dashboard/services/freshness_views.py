"""Freshness for the monitoring pages: the overview's panel per CTI, and the stale marks.

Everything here reads one ``calendar.Freshness`` (one call to the calendar per page render):
``panel_rows`` says, per CTI, what is due, what is overdue and how old its figures are;
``stale_marks`` says which shown values are stale, and from when they date. Stale is the
calendar's rule (``dashboard.domain.calendar.is_stale``): a more recent period is past its
due date without a validated value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, SupportsFloat, cast

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import Cti
from dashboard.domain.calendar import ReportState, period_last_day
from dashboard.domain.periods import Period
from dashboard.i18n import _
from dashboard.services.calendar import (
    Freshness,
    IndicatorFreshness,
    build_freshness,
    indicator_freshness,
)
from dashboard.services.calendar_views import period_label, state_label
from dashboard.services.formatting import fmt_date, fmt_number


@dataclass(frozen=True)
class LatePeriod:
    """A period a CTI has not finished reporting, past its due date."""

    period: str
    days_late: int


@dataclass(frozen=True)
class CtiFreshnessRow:
    """One CTI in the overview's freshness panel."""

    acronym: str
    name: str
    period: str  # the latest period opened for reporting ("" if none yet)
    due: str  # its due date, in words
    state: ReportState | None
    state_label: str
    overdue: list[LatePeriod]  # most recent first
    stale: int
    indicators: int
    oldest_age: int | None  # days since the end of the oldest latest-validated figure
    oldest_period: str
    without_value: int  # indicators with no validated figure at all


@dataclass(frozen=True)
class StaleMark:
    """A stale value as shown on a page: the period it measures, its date and its age."""

    period: Period
    day: date
    age_days: int

    def text(self) -> str:
        """Say why the value is marked, with its date ("Valeur du 30 juin 2025, ...")."""
        return _(
            "Valeur périmée : mesure au {day} ({days} jours). Une période plus récente a"
            " dépassé son échéance sans valeur validée.",
            day=fmt_date(self.day),
            days=fmt_number(self.age_days),
        )


def _oldest(members: list[IndicatorFreshness]) -> IndicatorFreshness | None:
    dated = [f for f in members if f.age_days is not None]
    return max(dated, key=lambda f: f.age_days or 0) if dated else None


def panel_rows(view: Freshness) -> list[CtiFreshnessRow]:
    """Return, per CTI, the period due now, its overdue periods, and the age of its figures."""
    by_cti: dict[int, list[IndicatorFreshness]] = defaultdict(list)
    for item in view.indicators:
        by_cti[item.cti_id].append(item)
    rows = []
    for cti in view.ctis:
        members = by_cti.get(cti.cti_id, [])
        current, oldest = cti.current, _oldest(members)
        rows.append(
            CtiFreshnessRow(
                acronym=cti.acronym,
                name=cti.name,
                period=period_label(current.period) if current else "",
                due=fmt_date(current.due) if current else "",
                state=current.state if current else None,
                state_label=state_label(current) if current else "",
                overdue=[
                    LatePeriod(period_label(s.period), s.days_late) for s in reversed(cti.overdue)
                ],
                stale=sum(1 for f in members if f.stale),
                indicators=len(members),
                oldest_age=oldest.age_days if oldest else None,
                oldest_period=period_label(oldest.latest) if oldest and oldest.latest else "",
                without_value=sum(1 for f in members if f.latest is None),
            )
        )
    return rows


# The marks of the indicators asked for: pages ask for the rows they show, not the plan's.
StaleLookup = Callable[[Collection[int]], dict[int, StaleMark]]


def stale_marks(view: Freshness) -> dict[int, StaleMark]:
    """Return, per stale indicator that has a validated value, the mark to show beside it."""
    return _marks(view.indicators)


def _marks(indicators: list[IndicatorFreshness]) -> dict[int, StaleMark]:
    return {
        f.indicator_id: StaleMark(f.latest, period_last_day(f.latest), f.age_days)
        for f in indicators
        if f.stale and f.latest is not None and f.age_days is not None
    }


def _whole(value: object) -> int:
    """Read a whole number from a frame cell (numpy integers, or floats where NaN is allowed)."""
    return int(float(cast(SupportsFloat, value)))


def mark_for(
    marks: dict[int, StaleMark], indicator_id: int, year: object, quarter: object
) -> StaleMark | None:
    """Return the mark of a shown value if it is the indicator's latest one and it is stale.

    A page viewing a past year shows the value of that time: it is marked only when nothing
    newer was validated since, so an old view never reads as a warning about today.
    """
    mark = marks.get(_whole(indicator_id))
    if mark is None or year is None or pd.isna(year):  # type: ignore[call-overload]
        return None  # no value shown
    shown = Period(_whole(year), _whole(quarter or 0) or None)
    return mark if period_last_day(shown) == mark.day else None


def row_mark(marks: dict[int, StaleMark], row: Any) -> StaleMark | None:
    """Return the mark of a monitoring row's latest value (an ``IndicatorRow`` or frame row)."""
    return mark_for(marks, row.indicator_id, row.latest_year, row.latest_quarter)


def stale_marks_for(
    *,
    engine: Engine,
    today: date,
    acronym: str | None = None,
    ids: Collection[int] | None = None,
) -> dict[int, StaleMark]:
    """Return the stale marks of one CTI's indicators (by acronym) or of every indicator.

    ``ids`` narrows them to the indicators a page shows: fifty index seeks rather than the
    latest period of every indicator of the plan (8,400 at scale).
    """
    if ids is not None and not ids:
        return {}
    with Session(engine) as session:
        cti_id = _cti_id(session, acronym)
        return _marks(indicator_freshness(session, today=today, cti_id=cti_id, ids=ids))


def stale_lookup(*, engine: Engine, today: date, acronym: str | None = None) -> StaleLookup:
    """Return a function giving the stale marks of the indicators asked for (the rows shown)."""

    def lookup(ids: Collection[int]) -> dict[int, StaleMark]:
        return stale_marks_for(engine=engine, today=today, acronym=acronym, ids=ids)

    return lookup


def _cti_id(session: Session, acronym: str | None) -> int | None:
    if not acronym:
        return None
    cti_id = session.exec(select(Cti.id).where(Cti.acronym == acronym)).first()
    return -1 if cti_id is None else cti_id  # unknown: an empty calendar, not the network's


def cti_freshness(*, engine: Engine, today: date, acronym: str | None = None) -> Freshness:
    """Return the calendar for one CTI (by acronym) or, without one, for every CTI."""
    with Session(engine) as session:
        return build_freshness(session, today=today, cti_id=_cti_id(session, acronym))
