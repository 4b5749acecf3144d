"""Rows and words for the /calendar page and the overview's freshness panel (no Dash here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from dashboard.domain.calendar import (
    FREQUENCY_LABELS,
    REPORT_STATE_LABELS,
    PeriodStatus,
    ReportState,
)
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, term
from dashboard.services.calendar import Freshness, IndicatorFreshness
from dashboard.services.formatting import MISSING, fmt_date, fmt_period
from dashboard.services.notifications import NotificationRow
from dashboard.services.row_limit import ROW_LIMIT, LimitedRows

# Colours of the states on the page (Mantine colour names; the label is always shown too).
STATE_COLORS = {
    ReportState.NOT_STARTED: "gray",
    ReportState.DRAFT: "yellow",
    ReportState.SUBMITTED: "blue",
    ReportState.VALIDATED: "green",
    ReportState.OVERDUE: "red",
}
# Cell backgrounds of the history grid, by state (light tints of the colours above).
STATE_BACKGROUNDS = {
    ReportState.NOT_STARTED: "#f1f3f5",
    ReportState.DRAFT: "#fff3bf",
    ReportState.SUBMITTED: "#d0ebff",
    ReportState.VALIDATED: "#d3f9d8",
    ReportState.OVERDUE: "#ffe3e3",
}


def state_label(status: PeriodStatus) -> str:
    """Say a period's state, with the days late when it is overdue ("En retard (12 j)")."""
    label = _(REPORT_STATE_LABELS[status.state])
    if status.state == ReportState.OVERDUE:
        return _("{label} ({days} j)", label=label, days=status.days_late)
    return label


def rule_text(view: Freshness) -> str:
    """Describe the reporting rule in a sentence."""
    return _(
        "Saisie {frequency} : les valeurs d'une période sont attendues au plus tard {days} jours"
        " après sa fin ; un rappel part {lead} jours avant l'échéance.",
        frequency=_(FREQUENCY_LABELS[view.rule.frequency]),
        days=view.rule.due_days,
        lead=view.rule.lead_days,
    )


def period_label(period: Period) -> str:
    """Show a period in the reader's language ("2025-T4", "2025-Q4", "الفصل 4 من 2025")."""
    return fmt_period(period.year, period.quarter)


def summary_rows(view: Freshness) -> list[dict[str, Any]]:
    """Return one row per CTI: the period due now, its state and lateness, the backlog."""
    stale = Counter(f.cti_id for f in view.indicators if f.stale)
    rows = []
    for cti in view.ctis:
        current = cti.current
        rows.append(
            {
                "cti": cti.acronym,
                "period": period_label(current.period) if current else MISSING,
                "due": current.due.isoformat() if current else "",
                "due_label": fmt_date(current.due) if current else MISSING,
                "state": current.state.value if current else "",
                "state_label": state_label(current) if current else MISSING,
                "days_late": current.days_late if current else 0,
                "to_submit": current.to_submit if current else 0,
                "to_validate": current.to_validate if current else 0,
                "overdue_periods": len(cti.overdue),
                "stale": stale[cti.cti_id],
                "indicators": cti.indicators,
            }
        )
    return rows


def history_columns(view: Freshness) -> list[str]:
    """Return the labels of the periods opened so far (the history grid's columns)."""
    labels: list[str] = []
    for cti in view.ctis:
        labels += [s.period.label() for s in cti.periods if s.period.label() not in labels]
    return labels


def history_rows(view: Freshness) -> list[dict[str, Any]]:
    """Return one row per CTI with the state of each period (label, and state code for colour)."""
    rows = []
    for cti in view.ctis:
        row: dict[str, Any] = {"cti": cti.acronym}
        for status in cti.periods:
            row[status.period.label()] = state_label(status)
            row[f"{status.period.label()}__state"] = status.state.value
        rows.append(row)
    return rows


def indicator_rows(view: Freshness) -> list[dict[str, Any]]:
    """Return the freshness of every indicator: latest validated period, age, stale or not."""
    return _freshness_rows(view.indicators)


def _freshness_rows(indicators: list[IndicatorFreshness]) -> list[dict[str, Any]]:
    return [
        {
            "indicator_id": f.indicator_id,
            "cti": f.acronym,
            "code": f.code,
            "label": term(f.label),
            "latest": f.latest_label or _("Aucune"),
            "age_days": f.age_days,
            "stale": f.stale,
            "stale_label": _("Périmée") if f.stale else _("À jour"),
        }
        for f in indicators
    ]


def only_cti(view: Freshness, cti_id: int) -> Freshness:
    """Return the calendar of one CTI from the whole network's (as ``freshness(cti_id=...)``)."""
    indicators = [f for f in view.indicators if f.cti_id == cti_id]
    return replace(
        view,
        ctis=[c for c in view.ctis if c.cti_id == cti_id],
        indicators=indicators,
        stale_ids=frozenset(f.indicator_id for f in indicators if f.stale),
    )


INDICATORS_LIMITED = N_(
    "{total} indicateurs : les {shown} aux valeurs les plus anciennes sont affichés (sans"
    " valeur validée d'abord). Choisissez un CTI pour voir les autres."
)


def limited_indicator_rows(
    indicators: list[IndicatorFreshness], limit: int = ROW_LIMIT
) -> LimitedRows:
    """Return the freshness rows, at most ``limit``: the most out-of-date figures, in list order.

    A long list keeps what needs attention: indicators without a validated value, then the
    oldest figures; they are shown by CTI and code like the whole list.
    """
    found = indicators
    if len(found) > limit:
        # Sorting is stable: among figures of the same age the list order is kept.
        ages = [f.age_days if f.age_days is not None else 1 << 30 for f in found]
        urgent = sorted(range(len(found)), key=lambda i: -ages[i])
        found = [found[i] for i in sorted(urgent[:limit])]
    return LimitedRows(_freshness_rows(found), len(indicators))


@dataclass(frozen=True)
class FreshnessSummary:
    """Key figures for a freshness panel (overview)."""

    expected: str
    expected_due: str
    overdue_ctis: int
    ctis: int
    stale: int
    indicators: int


def freshness_summary(view: Freshness) -> FreshnessSummary:
    """Return the key figures of the calendar for a panel: overdue CTIs and stale indicators."""
    return FreshnessSummary(
        expected=period_label(view.expected) if view.expected else MISSING,
        expected_due=fmt_date(view.due_date(view.expected)) if view.expected else MISSING,
        overdue_ctis=len(view.overdue_ctis),
        ctis=len(view.ctis),
        stale=len(view.stale_ids),
        indicators=len(view.indicators),
    )


def notification_items(rows: list[NotificationRow]) -> list[dict[str, Any]]:
    """Return a person's reminders as plain data for the list (newest first)."""
    return [
        {
            "id": r.id,
            "title": r.title,
            "text": r.text,
            "link": r.link,
            "when": r.created_at.strftime("%Y-%m-%d %H:%M"),
            "read": r.read,
        }
        for r in rows
    ]
