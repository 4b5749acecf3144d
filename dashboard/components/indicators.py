"""Pieces that show indicators: status summaries and legends, links to an indicator."""

from __future__ import annotations

from typing import Any

from dash import html
from markupsafe import Markup

from dashboard.components.markup import create_html_block, explained, join, tag
from dashboard.domain.indicators import Status
from dashboard.i18n import pair
from dashboard.services.formatting import fmt_number
from dashboard.services.measures import Measure
from dashboard.services.palette import STATUS_ORDER, status_color, status_label


def measure_head(measure: Measure) -> Markup:
    """Return a measure's name (a column header, a label) with its definition on hover and focus."""
    name = tag("span", measure.name(), class_="cti-measure-head")
    return tag("span", explained(name, measure.definition()), class_="cti-measure")


def create_measure_label(measure: Measure) -> Any:
    """Build a measure's name as a component, its definition shown on hover and focus."""
    return create_html_block(measure_head(measure), element=html.Span)


def create_status_summary(counts: dict[Status, int]) -> Any:
    """Show status counts as a proportional bar with a labelled legend.

    One component of HTML (``components/markup.py``): a dozen spans on every KPI and axis card.
    """
    total = sum(counts.values()) or 1
    bar = tag(
        "div",
        join(
            [
                tag(
                    "span",
                    style=f"width:{counts[s] / total * 100:.2f}%;background:{status_color(s)}",
                    title=pair(status_label(s), fmt_number(counts[s])),
                )
                for s in STATUS_ORDER
                if counts[s]
            ]
        ),
        class_="cti-status-bar",
    )
    legend = tag(
        "div",
        join(
            [
                tag(
                    "span",
                    tag("span", class_="cti-dot", style=f"background:{status_color(s)}")
                    + pair(status_label(s), fmt_number(counts[s])),
                )
                for s in STATUS_ORDER
            ]
        ),
        class_="cti-legend",
    )
    return create_html_block(tag("div", bar + legend))


def create_status_legend(counts: dict[Status, int] | None = None) -> Any:
    """Show each status's colour and label (with its count when given)."""
    return html.Div(
        [
            html.Span(
                [
                    html.Span(className="cti-dot", style={"background": status_color(s)}),
                    status_label(s)
                    if counts is None
                    else pair(status_label(s), fmt_number(counts[s])),
                ]
            )
            for s in STATUS_ORDER
        ],
        className="cti-legend",
    )


def indicator_href(acronym: str, code: str) -> str:
    """Return the link to an indicator on its contract's page."""
    return f"/ctis/{acronym}?indicator={code}#trajectoire"
