"""How fresh the figures are: the overview's panel per CTI, and the mark beside a stale value."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import html
from markupsafe import Markup

from dashboard.components.markup import create_html_block, cti_label, join, table_head, tag
from dashboard.i18n import _, ngettext
from dashboard.services.calendar_views import STATE_COLORS, FreshnessSummary
from dashboard.services.formatting import NBSP, fmt_number
from dashboard.services.freshness_views import CtiFreshnessRow, LatePeriod

SHOWN_LATE_PERIODS = 3  # the most recent overdue periods listed in a row; the rest are counted


def _days(days: int) -> str:
    return _("{days} j", days=fmt_number(days))


def _late(periods: list[LatePeriod]) -> Markup:
    if not periods:
        return tag("div", _("Aucune"), class_="cti-dimmed")
    # No break inside an item ("2023-T4 (1 049 j)"): the list wraps between items only.
    shown = " · ".join(
        f"{p.period} ({_days(p.days_late)})".replace(" ", NBSP)
        for p in periods[:SHOWN_LATE_PERIODS]
    )
    more = len(periods) - SHOWN_LATE_PERIODS
    if more > 0:
        shown += " · " + ngettext("+{n} autre", "+{n} autres", more, n=fmt_number(more)).replace(
            " ", NBSP
        )
    return tag(
        "div",
        ngettext("{n} période", "{n} périodes", len(periods), n=fmt_number(len(periods))),
        class_="cti-strong",
    ) + tag("div", shown, class_="cti-sub")


def _due(row: CtiFreshnessRow) -> Markup:
    """Show the period due now, its state in words (coloured too) and its due date."""
    if not row.period or row.state is None:
        return tag("div", _("Aucune période ouverte"), class_="cti-dimmed")
    # Dark text on the light tint (assets/cti.css): Mantine's tinted text falls below 4.5:1.
    state = tag(
        "span",
        row.state_label,
        class_="cti-badge cti-freshness-state",
        style=f"background-color:var(--mantine-color-{STATE_COLORS[row.state]}-light)",
    )
    period = tag("span", row.period, class_="cti-strong")
    return tag(
        "div",
        tag("div", join([period, " ", state]), class_="cti-nowrap")
        + tag("div", _("échéance : {day}", day=row.due), class_="cti-sub"),
        class_="cti-due",
    )


def _oldest(row: CtiFreshnessRow) -> Markup:
    parts: list[Markup] = []
    if row.oldest_age is not None:
        parts.append(tag("div", _days(row.oldest_age), class_="cti-strong"))
        parts.append(tag("div", row.oldest_period, class_="cti-sub"))
    if row.without_value:
        text = _("{n} sans valeur validée", n=row.without_value)
        parts.append(tag("div", text, class_="cti-sub"))
    return join(parts) if parts else tag("div", "—")


def _row(row: CtiFreshnessRow) -> Markup:
    cells = [
        (cti_label(row.acronym, f"/ctis/{row.acronym}"), None),
        (_due(row), None),
        (_late(row.overdue), None),
        (tag("span", f"{row.stale} / {row.indicators}", class_="cti-strong"), "cti-num"),
        (_oldest(row), "cti-num"),
    ]
    return tag("tr", join([tag("td", cell, class_=align) for cell, align in cells]))


def _table(rows: list[CtiFreshnessRow]) -> Any:
    """Return one row per CTI as one block of HTML (components/markup.py).

    As components, the nine rows were ~200 of the overview's 424 for the browser to draw.
    """
    header = table_head(
        [
            (_("CTI"), False),
            (_("Période due"), False),
            (_("Périodes en retard"), False),
            (_("Indicateurs périmés"), True),
            (_("Valeur la plus ancienne"), True),
        ]
    )
    table = tag(
        "table",
        header + tag("tbody", join([_row(r) for r in rows]), class_="cti-rows"),
        id="overview-freshness-table",
        class_="cti-table cti-html-table cti-striped",
    )
    return create_html_block(tag("div", table, class_="cti-table-scroll"))


def _fact(label: str, value: str, detail: str | None = None) -> Any:
    children = [
        dmc.Text(label, size="xs", c="dimmed", tt="uppercase", fw=700),
        dmc.Text(value, fw=700, size="lg"),
    ]
    if detail:
        children.append(dmc.Text(detail, size="xs", c="dimmed"))
    return html.Div(children)


def create_freshness_panel(
    rows: list[CtiFreshnessRow], summary: FreshnessSummary, *, badges: list[Any]
) -> Any:
    """Build the overview's freshness panel: key figures, then one row per CTI."""
    table = _table(rows)
    facts = dmc.Group(
        [
            _fact(
                _("Dernière période échue"),
                summary.expected,
                _("échéance : {day}", day=summary.expected_due),
            ),
            _fact(_("CTI en retard"), f"{summary.overdue_ctis} / {summary.ctis}"),
            _fact(_("Indicateurs périmés"), f"{summary.stale} / {summary.indicators}"),
        ],
        gap="xl",
        align="flex-start",
    )
    links = dmc.Group(
        [
            *badges,
            dmc.Anchor(
                _("Calendrier de saisie →"),
                href="/calendar",
                size="sm",
                fw=600,
                id="overview-freshness-link",
            ),
        ],
        gap="sm",
    )
    return dmc.Paper(
        [dmc.Group([facts, links], justify="space-between", align="flex-start", mb="sm"), table],
        withBorder=True,
        p="md",
        className="cti-card",
        id="overview-freshness",
    )
