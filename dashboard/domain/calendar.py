"""The reporting calendar: which periods a plan reports on, when each is due, where a CTI stands.

Pure rules, no database: the reporting periods of a plan (quarterly by default), the due date
of each (a number of days after the period ends), the state of a CTI's figures for a period
from the workflow states of its indicators' values, the reminders that state calls for, and
how old a figure may be before it is marked stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from dashboard.domain.periods import QUARTERS_PER_YEAR, Period, quarters_between
from dashboard.i18n import N_, _

DEFAULT_DUE_DAYS = 15
DEFAULT_LEAD_DAYS = 7
MAX_DUE_DAYS = 180
MAX_LEAD_DAYS = 60
# Periods overdue for longer than this are shown on the calendar but no longer reminded about:
# a gap left for more than a year is history for the review meetings, not a to-do.
OVERDUE_REMINDER_WINDOW_DAYS = 365


class Frequency(StrEnum):
    """How often a plan's indicators are reported."""

    QUARTERLY = "quarterly"
    YEARLY = "yearly"


FREQUENCY_LABELS = {Frequency.QUARTERLY: N_("trimestrielle"), Frequency.YEARLY: N_("annuelle")}


@dataclass(frozen=True)
class Rule:
    """The reporting rule of a plan: frequency, due date and how early to remind."""

    frequency: Frequency = Frequency.QUARTERLY
    due_days: int = DEFAULT_DUE_DAYS
    lead_days: int = DEFAULT_LEAD_DAYS

    def __post_init__(self) -> None:
        """Reject a rule a person could not have meant, saying why in the user's language."""
        if self.frequency not in tuple(Frequency):
            raise ValueError(
                _(
                    "Fréquence invalide « {frequency} » : choisissez quarterly (trimestrielle) "
                    "ou yearly (annuelle).",
                    frequency=self.frequency,
                )
            )
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        if isinstance(self.due_days, bool) or not 0 <= self.due_days <= MAX_DUE_DAYS:
            raise ValueError(
                _(
                    "Délai de saisie invalide ({days}) : indiquez un nombre de jours entre 0 et "
                    "{maximum} après la fin de la période.",
                    days=self.due_days,
                    maximum=MAX_DUE_DAYS,
                )
            )
        if isinstance(self.lead_days, bool) or not 0 <= self.lead_days <= MAX_LEAD_DAYS:
            raise ValueError(
                _(
                    "Préavis de rappel invalide ({days}) : indiquez un nombre de jours entre 0 "
                    "et {maximum} avant l'échéance.",
                    days=self.lead_days,
                    maximum=MAX_LEAD_DAYS,
                )
            )


DEFAULT_RULE = Rule()


class ValueState(StrEnum):
    """Where one indicator's value for one period stands."""

    MISSING = "missing"
    REJECTED = "rejected"  # returned to the CTI with a reason, nothing newer yet
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"


class ReportState(StrEnum):
    """Where a CTI's figures for one period stand."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    OVERDUE = "overdue"


REPORT_STATE_LABELS = {
    ReportState.NOT_STARTED: N_("Non commencée"),
    ReportState.DRAFT: N_("En cours de saisie"),
    ReportState.SUBMITTED: N_("Soumise"),
    ReportState.VALIDATED: N_("Validée"),
    ReportState.OVERDUE: N_("En retard"),
}
# The best state wins: a validated value stays official while its correction is pending, and
# a value entered again after a rejection is no longer "returned".
PRECEDENCE = (ValueState.VALIDATED, ValueState.SUBMITTED, ValueState.DRAFT, ValueState.REJECTED)


class ReminderKind(StrEnum):
    """Why a person is reminded (see services.notifications for the wording)."""

    VALUE_RETURNED = "value_returned"
    TO_VALIDATE = "to_validate"
    PERIOD_DUE_SOON = "period_due_soon"
    PERIOD_OVERDUE = "period_overdue"


def period_last_day(period: Period) -> date:
    """Return the last day a period covers (31 March for 2023-T1, 31 December for 2023)."""
    quarter = period.quarter or QUARTERS_PER_YEAR
    first_of_next = date(period.year + quarter // QUARTERS_PER_YEAR, quarter % 4 * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def due_date(period: Period, rule: Rule = DEFAULT_RULE) -> date:
    """Return the day by which a period's figures are due: its last day plus the rule's delay."""
    return period_last_day(period) + timedelta(days=rule.due_days)


def reporting_periods(
    first_year: int, last_year: int, frequency: Frequency = Frequency.QUARTERLY
) -> list[Period]:
    """Return the periods a plan reports on, in order (quarters, or whole years)."""
    if frequency == Frequency.YEARLY:
        quarters_between(first_year, last_year)  # same check of the years' order
        return [Period(year) for year in range(first_year, last_year + 1)]
    return quarters_between(first_year, last_year)


def expected_period(periods: Iterable[Period], *, today: date, rule: Rule) -> Period | None:
    """Return the latest period whose due date has passed, or None if none has yet."""
    past_due = [p for p in periods if due_date(p, rule) < today]
    return max(past_due) if past_due else None


def value_state(statuses: Iterable[str]) -> ValueState:
    """Return where an indicator's value stands from the statuses of its current rows.

    Pass the statuses of the rows of one indicator and period that are not superseded.
    """
    present = set(statuses)
    for state in PRECEDENCE:
        if state.value in present:
            return state
    return ValueState.MISSING


@dataclass(frozen=True)
class PeriodStatus:
    """A CTI's figures for one period: state, due date, lateness and counts by value state.

    ``progress`` is the state of the entry work alone; ``state`` is the same unless the due
    date has passed with values still to submit, which makes it OVERDUE.
    """

    period: Period
    due: date
    state: ReportState
    progress: ReportState
    days_late: int
    days_left: int
    ended: bool
    counts: Mapping[ValueState, int] = field(default_factory=dict)

    @property
    def to_submit(self) -> int:
        """Return how many indicators still need a value submitted."""
        return sum(
            n
            for s, n in self.counts.items()
            if s not in (ValueState.SUBMITTED, ValueState.VALIDATED)
        )

    @property
    def to_validate(self) -> int:
        """Return how many submitted values wait for validation."""
        return self.counts.get(ValueState.SUBMITTED, 0)

    @property
    def returned(self) -> int:
        """Return how many values were returned and not entered again."""
        return self.counts.get(ValueState.REJECTED, 0)


def _progress(counts: Mapping[ValueState, int]) -> ReportState:
    total = sum(counts.values())
    validated = counts.get(ValueState.VALIDATED, 0)
    submitted = counts.get(ValueState.SUBMITTED, 0)
    if total and validated == total:
        return ReportState.VALIDATED
    if total and validated + submitted == total:
        return ReportState.SUBMITTED
    if total - counts.get(ValueState.MISSING, 0) > 0:
        return ReportState.DRAFT
    return ReportState.NOT_STARTED


def period_status(
    period: Period, states: Iterable[ValueState], *, today: date, rule: Rule = DEFAULT_RULE
) -> PeriodStatus:
    """Return the state of a CTI's figures for a period from its indicators' value states.

    Lateness is the CTI's: once every value is submitted the period is no longer overdue, even
    if the ministry has not validated it yet.
    """
    return period_status_from_counts(period, Counter(states), today=today, rule=rule)


def period_status_from_counts(
    period: Period, counts: Mapping[ValueState, int], *, today: date, rule: Rule = DEFAULT_RULE
) -> PeriodStatus:
    """Return the state of a CTI's figures for a period from the count of each value state.

    Same as ``period_status`` for counts aggregated by the database; states counted zero times
    are left out, as a ``Counter`` of the states would.
    """
    present = {state: n for state, n in counts.items() if n}
    due = due_date(period, rule)
    progress = _progress(present)
    late = today > due and progress not in (ReportState.SUBMITTED, ReportState.VALIDATED)
    return PeriodStatus(
        period=period,
        due=due,
        state=ReportState.OVERDUE if late else progress,
        progress=progress,
        days_late=(today - due).days if late else 0,
        days_left=max((due - today).days, 0),
        ended=today > period_last_day(period),
        counts=present,
    )


def cti_reminder(status: PeriodStatus, *, today: date, rule: Rule) -> ReminderKind | None:
    """Return the reminder the CTI's editors get for a period, if any (never once submitted)."""
    if status.progress in (ReportState.SUBMITTED, ReportState.VALIDATED):
        return None
    if status.state == ReportState.OVERDUE:
        recent = status.days_late <= OVERDUE_REMINDER_WINDOW_DAYS
        return ReminderKind.PERIOD_OVERDUE if recent else None
    if today >= status.due - timedelta(days=rule.lead_days):
        return ReminderKind.PERIOD_DUE_SOON
    return None


def figure_age_days(period: Period, today: date) -> int:
    """Return how many days have passed since the end of the period a figure measures."""
    return (today - period_last_day(period)).days


def is_stale(latest: Period | None, *, expected: Period | None) -> bool:
    """Tell whether an indicator's latest validated figure is older than the calendar expects.

    ``expected`` is the latest period already past its due date (see ``expected_period``): a
    figure that ends earlier, or no figure at all, is stale. Periods compare by their last day,
    so a yearly value covers its fourth quarter and a fourth quarter its year.
    """
    if expected is None:
        return False
    return latest is None or period_last_day(latest) < period_last_day(expected)
