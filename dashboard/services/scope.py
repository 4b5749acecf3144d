"""The plan being monitored and the moment a page looks at it (the year filter and "today")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import Plan
from dashboard.domain.budget import plan_elapsed
from dashboard.domain.periods import date_to_decimal
from dashboard.i18n import _


class NoPlanError(LookupError):
    """The database holds no current plan: the reference facts have not been loaded."""


@dataclass(frozen=True)
class PlanScope:
    """A plan seen at the end of one of its years, or today if that comes first."""

    plan_id: int
    code: str
    title: str
    first_year: int
    last_year: int
    envelope: float
    signed_on: date | None
    signed_at_place: str
    source: str
    today: date
    year: int

    @property
    def years(self) -> list[int]:
        """Return the years of the plan."""
        return list(range(self.first_year, self.last_year + 1))

    @property
    def to_date(self) -> bool:
        """Tell whether this is the view "to date" (the default year) rather than a past year.

        Once the plan has ended, its last year is seen to date: payments made after the plan's
        end for its commitments still count in its execution.
        """
        return self.year == default_year(self.first_year, self.last_year, self.today)

    @property
    def cutoff(self) -> date:
        """Return the last day whose figures count: today, or the end of a past year viewed."""
        if self.to_date:
            return self.today
        return min(self.today, date(self.year, 12, 31))

    @property
    def at(self) -> float:
        """Return the cutoff in decimal years (the end of a past year viewed is year + 1.0)."""
        return date_to_decimal(self.cutoff + timedelta(days=1))

    # Time is read at the cutoff, as every other figure of the view: at the end of 2023 a
    # 2022-2025 plan is half-way, whatever today is.
    @property
    def ended(self) -> bool:
        """Tell whether the plan's last year is over at the cutoff."""
        return self.cutoff > date(self.last_year, 12, 31)

    @property
    def elapsed(self) -> float:
        """Return the share of the plan's duration elapsed at the cutoff, between 0 and 1."""
        return plan_elapsed(self.first_year, self.last_year, self.at)

    @property
    def months_left(self) -> int:
        """Return the whole months left at the cutoff until the plan ends (0 once it has)."""
        if self.ended:
            return 0
        return (self.last_year - self.cutoff.year) * 12 + 12 - self.cutoff.month


def default_year(first_year: int, last_year: int, today: date) -> int:
    """Return the year to show by default: the current year, kept within the plan."""
    return min(max(today.year, first_year), last_year)


def year_choices(first_year: int, last_year: int, today: date) -> list[tuple[int, bool]]:
    """Return the years a page can show, each with whether it is the view to date."""
    current = default_year(first_year, last_year, today)
    return [(year, year == current) for year in range(first_year, current + 1)]


def parse_year(raw: object, first_year: int, last_year: int, today: date) -> int:
    """Read a year from a URL or a control, falling back to the default when it is unusable."""
    try:
        year = int(str(raw))
    except (TypeError, ValueError):
        return default_year(first_year, last_year, today)
    if first_year <= year <= default_year(first_year, last_year, today):
        return year
    return default_year(first_year, last_year, today)


def _current_plan(session: Session) -> Plan:
    plan = session.exec(
        select(Plan).where(col(Plan.is_baseline).is_(False)).order_by(col(Plan.first_year).desc())
    ).first()
    if plan is None:
        raise NoPlanError(
            _("Aucun plan en cours : chargez les références (python -m dashboard seed).")
        )
    return plan


def load_scope(*, engine: Engine, today: date, year: object = None) -> PlanScope:
    """Return the current plan seen at the end of ``year`` (the default year if unusable)."""
    with Session(engine) as session:
        plan = _current_plan(session)
    assert plan.id is not None
    return PlanScope(
        plan_id=plan.id,
        code=plan.code,
        title=plan.title,
        first_year=plan.first_year,
        last_year=plan.last_year,
        envelope=plan.envelope_mdh,
        signed_on=plan.signed_on,
        signed_at_place=plan.signed_at_place,
        source=plan.source,
        today=today,
        year=parse_year(year, plan.first_year, plan.last_year, today),
    )
