"""How fresh the figures are: the overview's panel per CTI, and the mark beside a stale value."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import html

from dashboard.components.blocks import create_explained_badge
from dashboard.components.indicators import create_cti_label
from dashboard.i18n import _
from dashboard.services.calendar_views import STATE_COLORS, FreshnessSummary
from dashboard.services.formatting import NBSP, fmt_number
from dashboard.services.freshness_views import CtiFreshnessRow, LatePeriod, StaleMark

SHOWN_LATE_PERIODS = 3  # the most recent overdue periods listed in a row; the rest are counted


def create_stale_badge(mark: StaleMark) -> Any:
    """Mark a stale value with a word (not colour alone) and its date in the explanation."""
    return create_explained_badge(
        dmc.Badge(
            _("Périmée"),
            variant="light",
            color="orange",
            size="xs",
            className="cti-stale-badge",
        ),
        mark.text(),
    )


def _days(days: int) -> str:
    return _("{days} j", days=fmt_number(days))


def _late(periods: list[LatePeriod]) -> Any:
    if not periods:
        return dmc.Text(_("Aucune"), size="sm", c="dimmed")
    # No break inside an item ("2023-T4 (1 049 j)"): the list wraps between items only.
    shown = " · ".join(
        f"{p.period} ({_days(p.days_late)})".replace(" ", NBSP)
        for p in periods[:SHOWN_LATE_PERIODS]
    )
    more = len(periods) - SHOWN_LATE_PERIODS
    if more > 0:
        shown += " · " + _("+{n} autre(s)", n=more).replace(" ", NBSP)
    return html.Div(
        [
            html.Div(_("{n} période(s)", n=len(periods)), className="cti-strong"),
            html.Div(shown, className="cti-sub"),
        ]
    )


def _due(row: CtiFreshnessRow) -> Any:
    """Show the period due now, its state in words (coloured too) and its due date."""
    if not row.period or row.state is None:
        return dmc.Text(_("Aucune période ouverte"), size="sm", c="dimmed")
    state = dmc.Badge(
        row.state_label,
        color=STATE_COLORS[row.state],
        variant="light",
        c="dark.8",  # dark text on the light tint: Mantine's tinted text falls below 4.5:1
        size="sm",
        tt="none",
        className="cti-freshness-state",
    )
    return html.Div(
        [
            dmc.Group(
                [dmc.Text(row.period, size="sm", fw=600, style={"whiteSpace": "nowrap"}), state],
                gap=8,
                wrap="nowrap",
            ),
            html.Div(_("échéance : {day}", day=row.due), className="cti-sub"),
        ],
        style={"minWidth": "210px"},
    )


def _oldest(row: CtiFreshnessRow) -> Any:
    children: list[Any] = []
    if row.oldest_age is not None:
        children.append(html.Div(_days(row.oldest_age), className="cti-strong"))
        children.append(html.Div(row.oldest_period, className="cti-sub"))
    if row.without_value:
        text = _("{n} sans valeur validée", n=row.without_value)
        children.append(html.Div(text, className="cti-sub"))
    return html.Div(children or "—")


def _stale(row: CtiFreshnessRow) -> Any:
    return html.Span(f"{row.stale} / {row.indicators}", style={"fontWeight": 600})


def _row(row: CtiFreshnessRow) -> Any:
    cells = [
        create_cti_label(row.acronym, f"/ctis/{row.acronym}"),
        _due(row),
        _late(row.overdue),
        _stale(row),
        _oldest(row),
    ]
    numeric = {3, 4}
    return html.Tr(
        [html.Td(c, className="cti-num" if i in numeric else "") for i, c in enumerate(cells)]
    )


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
    head = [
        _("CTI"),
        _("Période due"),
        _("Périodes en retard"),
        _("Indicateurs périmés"),
        _("Valeur la plus ancienne"),
    ]
    header = dmc.TableThead(
        dmc.TableTr(
            [dmc.TableTh(h, className="cti-num" if i >= 3 else "") for i, h in enumerate(head)]
        )
    )
    table = dmc.TableScrollContainer(
        dmc.Table(
            [header, html.Tbody([_row(r) for r in rows], className="cti-rows")],
            striped=True,
            highlightOnHover=True,
            withTableBorder=True,
            verticalSpacing=6,
            fz="sm",
            id="overview-freshness-table",
            className="cti-table",
        ),
        minWidth=720,
    )
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
