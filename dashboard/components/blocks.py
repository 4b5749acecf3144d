"""Building blocks of the monitoring pages: headers, key figures, chart cards, tables, badges."""

from __future__ import annotations

import re
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html
from markupsafe import Markup

from dashboard.components.exports import create_chart_downloads
from dashboard.components.markup import badge, create_html_block, data_table, explained, tag
from dashboard.domain.indicators import Status
from dashboard.i18n import _
from dashboard.services.figures.common import TABLE_ROWS, Figure
from dashboard.services.formatting import fmt_number
from dashboard.services.palette import status_color, status_label

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
DATA_ROWS = TABLE_ROWS  # rows of a chart's numbers shown under "Voir les données"


def create_illustrative_badge() -> Any:
    """Label illustrative demo data, with a tooltip that says what it means.

    One component of HTML (``components/markup.py``, its tooltip from ``assets/cti.js``):
    pages show it on every card, where Mantine's tooltip and badge made four to draw.
    """
    explanation = _(
        "Les enveloppes par CTI, les indicateurs et leurs valeurs ne sont pas publics : ils "
        "sont générés à titre illustratif (démonstration) et seront remplacés par les "
        "chiffres réels, par import ou saisie."
    )
    return create_html_block(
        explained(badge(_("Données illustratives"), "illustrative"), explanation),
        element=html.Span,
    )


def create_source_badge(citation: str, label: str | None = None) -> Any:
    """Mark a public fact, with its source in a tooltip (HTML, as the illustrative badge)."""
    return create_html_block(
        explained(
            badge(label or _("Source publique"), "source"),
            _("Source : {citation}", citation=citation),
        ),
        element=html.Span,
    )


def create_status_badge(status: Status | str, *, size: str = "sm") -> Any:
    """Show a status as a coloured badge with its label (never colour alone).

    The label is black: on the four status colours it reaches 5.4:1 at least, where white
    text would fall to 3.4:1 on the green (WCAG 2.2 AA asks 4.5:1).
    """
    return dmc.Badge(
        status_label(status),
        color=status_color(status),
        variant="filled",
        size=size,
        c="black",
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
                    [
                        dmc.Title(title, order=1, size="h2", className="cti-page-title"),
                        *(badges or []),
                    ],
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


def create_progress(ratio: float | None, label: str, **props: Any) -> Any:
    """Build a progress bar named for screen readers ("Engagé", 86 %), clamped to 0-100 %."""
    value = max(0.0, min(ratio or 0.0, 1.0)) * 100
    return dmc.ProgressRoot(
        dmc.ProgressSection(value=value, **{"aria-label": label}),
        **props,
    )


def create_kpi(
    label: Any,
    value: str,
    detail: Any = None,
    *,
    progress: float | None = None,
    color: str | None = None,
    kpi_id: str | None = None,
) -> Any:
    """Build a key-figure card: a label, a big value, an optional bar and a detail line.

    ``label`` is text, or a component (a measure's name with its definition).
    """
    children: list[Any] = [
        dmc.Text(label, size="xs", tt="uppercase", fw=700, c="dimmed", className="cti-kpi-label"),
        dmc.Text(value, fw=700, className="cti-kpi-value", **({"c": color} if color else {})),
    ]
    if progress is not None:
        name = label if isinstance(label, str) else ""
        children.append(create_progress(progress, name, size="sm", mt=6))
    if detail is not None:
        children.append(dmc.Text(detail, size="xs", c="dimmed", mt=6))
    attrs = {"id": kpi_id} if kpi_id else {}
    return dmc.Paper(children, withBorder=True, p="md", className="cti-kpi", **attrs)


def create_chart_numbers(
    data: dict[str, Any], caption: str | None, full_data: str | None = None
) -> Markup:
    """Build a chart's table of numbers: its first DATA_ROWS rows, and a line on the others.

    A chart of thousands of points would otherwise send thousands of rows that nobody reads
    here; ``full_data`` says where the complete table can be exported, if anywhere.
    """
    data = dict(data)
    body = list(data.get("body") or [])
    rows = max(int(data.pop("total", 0)), len(body))  # a builder may send its first rows only
    if rows <= DATA_ROWS:
        return data_table(data, caption)
    shown, total = fmt_number(min(DATA_ROWS, len(body))), fmt_number(rows)
    if full_data:
        text = _(
            "{shown} premières lignes sur {total} : {where}.",
            shown=shown,
            total=total,
            where=full_data,
        )
    else:
        left = fmt_number(rows - min(DATA_ROWS, len(body)))
        text = _(
            "{shown} premières lignes sur {total} ; {left} lignes non affichées.",
            shown=shown,
            total=total,
            left=left,
        )
    table = data_table({**data, "body": body[:DATA_ROWS]}, caption)
    return table + tag("p", text, class_="cti-data-more")


def figure_title(figure: Figure) -> str:
    """Return a figure's title text (plain: Plotly's <b> and <br> tags removed)."""
    title = figure.get("layout", {}).get("title") or ""
    text = title.get("text") or "" if isinstance(title, dict) else title
    return re.sub(r"<[^>]+>", " ", str(text)).strip()


def create_chart_card(
    figure: Figure,
    data: dict[str, Any],
    *,
    graph_id: str,
    badges: list[Any] | None = None,
    note: str | None = None,
    full_data: str | None = None,
) -> Any:
    """Build a chart card: the chart, badges, a note, and its numbers behind "Voir les données".

    Long tables of numbers show their first rows only (``create_chart_numbers``); ``full_data``
    says where the whole table is exported.

    The card is a <figure> named by the chart's title. A chart drawn in SVG says nothing to a
    screen reader, so its text alternative is the table of the same numbers, in the caption
    (a <details> element any keyboard opens), and the figure points to it.
    """
    title = figure_title(figure)
    # PNG and SVG downloads of the chart as drawn, beside its badges (components/exports.py).
    downloads = create_chart_downloads(graph_id, title)
    children: list[Any] = [
        dmc.Group(
            [*(badges or []), downloads], gap=6, justify="flex-end", className="cti-card-badges"
        )
    ]
    children.append(
        dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="cti-graph")
    )
    if note:
        children.append(dmc.Text(note, size="xs", c="dimmed", mt=4, id=f"{graph_id}-note"))
    # The caption as one component of HTML (components/markup.py): six fewer to draw a card.
    details = tag(
        "details",
        tag("summary", _("Voir les données"), id=f"{graph_id}-summary")
        + create_chart_numbers(data, title or None, full_data),
        class_="cti-data-details",
        id=f"{graph_id}-data",
    )
    caption = tag("span", title, class_="cti-sr-only", id=f"{graph_id}-title") + details
    children.append(create_html_block(caption, element=html.Figcaption))
    described = [f"{graph_id}-note"] if note else []
    return dmc.Paper(
        html.Figure(
            children,
            className="cti-figure",
            **{
                "aria-labelledby": f"{graph_id}-title",
                "aria-describedby": " ".join([*described, f"{graph_id}-summary"]),
            },
        ),
        withBorder=True,
        p="md",
        className="cti-card",
    )


def create_section(title: str, children: Any, *, description: str | None = None) -> Any:
    """Build a titled section of a page."""
    head: list[Any] = [dmc.Title(title, order=2, size="h3", className="cti-section-title")]
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
