"""Help `/aide`: what each page is for, the measures, the statuses, entry and validation."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard.components.blocks import create_page_header
from dashboard.i18n import _, page_title
from dashboard.services.context import current_settings
from dashboard.services.help import Section, help_sections

dash.register_page(__name__, path="/aide", title=page_title("Aide"), name="help")


def _section(section: Section) -> Any:
    items: list[Any] = []
    for entry in section.entries:
        term: Any = dmc.Anchor(entry.term, href=entry.href) if entry.href else entry.term
        items += [html.Dt(term), html.Dd(entry.text)]
    return html.Section(
        [
            dmc.Title(section.title, order=2, size="h3", className="cti-section-title"),
            dmc.Text(section.intro, size="sm", c="dimmed", mb="xs"),
            html.Dl(items, className="cti-help-list"),
        ],
        id=f"aide-{section.anchor}",
        className="cti-section cti-help-section",
    )


def layout(**_query: str) -> Any:
    """Lay out the help sections, with a table of contents."""
    sections = help_sections(current_settings().thresholds)
    contents = dmc.Group(
        [dmc.Anchor(s.title, href=f"#aide-{s.anchor}", size="sm") for s in sections],
        gap="lg",
        className="cti-help-contents",
    )
    return dmc.Stack(
        [
            create_page_header(
                _("Aide"),
                _("Comment lire et utiliser le tableau de bord du plan de développement des CTI."),
            ),
            html.Nav(contents, **{"aria-label": _("Sommaire de l'aide")}),
            *(_section(s) for s in sections),
        ],
        gap="lg",
        id="help-page",
    )
