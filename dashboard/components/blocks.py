"""Building blocks of the monitoring pages: headers, key figures, chart cards, tables, badges."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.domain.indicators import Status
from dashboard.i18n import _
from dashboard.services.palette import status_color, status_label

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def create_illustrative_badge() -> Any:
    """Label illustrative demo data, with a tooltip that says what it means."""
    return dmc.Tooltip(
        dmc.Badge(
            _("Données illustratives"),
            variant="light",
            color="yellow",
            className="cti-badge-illustrative",
        ),
        label=_(
            "Les enveloppes par CTI, les indicateurs et leurs valeurs ne sont pas publics : ils "
            "sont générés à titre illustratif (démonstration) et seront remplacés par les "
            "chiffres réels, par import ou saisie."
        ),
        multiline=True,
        w=320,
        withArrow=True,
    )


def create_source_badge(citation: str, label: str | None = None) -> Any:
    """Mark a public fact, with its source in a tooltip."""
    return dmc.Tooltip(
        dmc.Badge(label or _("Source publique"), variant="light", color="gray"),
        label=_("Source : {citation}", citation=citation),
        multiline=True,
        w=320,
        withArrow=True,
    )


def create_status_badge(status: Status | str, *, size: str = "sm") -> Any:
    """Show a status as a coloured badge with its label (never colour alone)."""
    return dmc.Badge(
        status_label(status),
        color=status_color(status),
        variant="filled",
        size=size,
        autoContrast=True,
        className="cti-status-badge",
    )


def create_page_header(
    title: str,
    subtitle: str | None = None,
    *,
    crumbs: list[tuple[str, str | None]] | None = None,
    badges: list[Any] | None = None,
    controls: Any = None,
) -> Any:
    """Build a page's title block: breadcrumbs, title, subtitle, badges and filters."""
    trail = None
    if crumbs:
        trail = dmc.Breadcrumbs(
            [
                dmc.Anchor(label, href=href, size="sm")
                if href
                else dmc.Text(label, size="sm", c="dimmed")
                for label, href in crumbs
            ],
            separator="›",
        )
    heading = dmc.Stack(
        [
            item
            for item in (
                trail,
                dmc.Group(
                    [dmc.Title(title, order=2, className="cti-page-title"), *(badges or [])],
                    gap="sm",
                ),
                dmc.Text(subtitle, c="dimmed", size="sm") if subtitle else None,
            )
            if item is not None
        ],
        gap=4,
    )
    return dmc.Group(
        [heading, controls] if controls is not None else [heading],
        justify="space-between",
        align="flex-end",
        className="cti-page-header",
    )


def create_kpi(
    label: str,
    value: str,
    detail: Any = None,
    *,
    progress: float | None = None,
    color: str | None = None,
    kpi_id: str | None = None,
) -> Any:
    """Build a key-figure card: a label, a big value, an optional bar and a detail line."""
    children: list[Any] = [
        dmc.Text(label, size="xs", tt="uppercase", fw=700, c="dimmed", className="cti-kpi-label"),
        dmc.Text(value, fw=700, className="cti-kpi-value", **({"c": color} if color else {})),
    ]
    if progress is not None:
        children.append(dmc.Progress(value=max(0.0, min(progress, 1.0)) * 100, size="sm", mt=6))
    if detail is not None:
        children.append(dmc.Text(detail, size="xs", c="dimmed", mt=6))
    attrs = {"id": kpi_id} if kpi_id else {}
    return dmc.Paper(children, withBorder=True, p="md", className="cti-kpi", **attrs)


def create_data_table(data: dict[str, Any], *, table_id: str | None = None) -> Any:
    """Build a compact, striped table from {"head": [...], "body": [[...]]}."""
    attrs = {"id": table_id} if table_id else {}
    return dmc.TableScrollContainer(
        dmc.Table(
            data=data,
            striped=True,
            highlightOnHover=True,
            withTableBorder=True,
            verticalSpacing=6,
            fz="sm",
            className="cti-table",
            **attrs,
        ),
        minWidth=560,
    )


def create_chart_card(
    figure: go.Figure,
    data: dict[str, Any],
    *,
    graph_id: str,
    badges: list[Any] | None = None,
    note: str | None = None,
) -> Any:
    """Build a chart card: the chart, badges, a note, and its numbers behind "Voir les données"."""
    children: list[Any] = []
    if badges:
        children.append(dmc.Group(badges, gap=6, justify="flex-end", className="cti-card-badges"))
    children.append(
        dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="cti-graph")
    )
    if note:
        children.append(dmc.Text(note, size="xs", c="dimmed", mt=4))
    children.append(
        html.Details(
            [html.Summary(_("Voir les données")), create_data_table(data)],
            className="cti-data-details",
        )
    )
    return dmc.Paper(children, withBorder=True, p="md", className="cti-card")


def create_section(title: str, children: Any, *, description: str | None = None) -> Any:
    """Build a titled section of a page."""
    head: list[Any] = [dmc.Title(title, order=3, className="cti-section-title")]
    if description:
        head.append(dmc.Text(description, size="sm", c="dimmed"))
    return html.Section([dmc.Stack(head, gap=2, mb="sm"), children], className="cti-section")


def create_not_found(title: str, message: str, *, back_href: str, back_label: str) -> Any:
    """Build a clear "not found" page with a way back."""
    return dmc.Center(
        dmc.Paper(
            dmc.Stack(
                [
                    dmc.Text("404", fw=800, className="cti-not-found-code"),
                    dmc.Title(title, order=2),
                    dmc.Text(message, c="dimmed", ta="center"),
                    dmc.Anchor(back_label, href=back_href, fw=600),
                ],
                align="center",
                gap="sm",
            ),
            withBorder=True,
            p="xl",
            maw=560,
            id="not-found",
        ),
        mih=420,
    )
