"""Read-only content as one block of HTML, escaped on the server, instead of components.

React draws a Dash component for some 0.5 ms in the browser (each one subscribes to Dash's
store): a page of 50 indicators was about 1,000 of them, 0.6 s before the page was ready at
scale 100 (and ~0.15 s still as one ``dcc.Markdown``, whose JSX parser builds the elements).
Long tables, chart captions, badges, status bars and labelled facts are now HTML text in one
empty element's ``data-html`` attribute, which ``assets/cti.js`` sets as the box's content as
soon as React puts it in the page (React never touches the children of an element it renders
without any): the browser's own HTML parser.

Every piece of text goes through ``markupsafe`` (``tag`` escapes what is not already
markup), so a label holding ``<script>``, ``<img onerror>`` or quotes shows as text; bidi
controls (a right-to-left override in a comment stored before input was cleaned) are dropped
from it, so no text can reorder what the page shows. Links
stay plain ``<a>``, as they were; explanations on hover and focus are ``data-tip`` attributes
that ``assets/cti.js`` shows in one floating tooltip.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from dash import html
from markupsafe import Markup, escape

from dashboard.domain.indicators import Status
from dashboard.domain.text import BIDI_CONTROLS
from dashboard.i18n import _
from dashboard.services.freshness_views import StaleMark
from dashboard.services.palette import cti_color, status_color, status_label

NAME = re.compile(r"[a-z][a-z0-9-]*")
_NO_BIDI = {ord(c): None for c in BIDI_CONTROLS}


def _plain(value: object) -> object:
    """Return a text without bidi controls (markup, numbers and ASCII text as they are)."""
    if isinstance(value, str) and not isinstance(value, Markup) and not value.isascii():
        return value.translate(_NO_BIDI)
    return value


def tag(name: str, content: object = "", **attributes: object) -> Markup:
    """Return ``<name attributes>content</name>``, text escaped, Markup kept as it is.

    Attribute names: ``class_`` -> ``class``, ``data_tip`` -> ``data-tip``; None is left out.
    Put together with ``escape`` (what ``Markup.format`` does to each field, ten times
    faster: a page of 50 indicators makes some 1,000 tags).
    """
    attrs = "".join(
        f' {_name(key.rstrip("_").replace("_", "-"))}="{escape(_plain(value))}"'
        for key, value in attributes.items()
        if value is not None
    )
    tag_name = _name(name)
    # Safe: names checked by _name, every value and the content escaped (Markup kept).
    return Markup(f"<{tag_name}{attrs}>{escape(_plain(content))}</{tag_name}>")  # noqa: S704


@functools.lru_cache(maxsize=256)
def _name(name: str) -> str:
    """Return a tag or attribute name, once checked to be only letters, digits and dashes."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not an HTML name: {name!r}")
    return name


def join(parts: list[Any]) -> Markup:
    """Join pieces of text and markup, escaping the text (bidi controls dropped)."""
    return Markup("").join(escape(_plain(part)) for part in parts)


def status_badge(status: Status | str) -> Markup:
    """Show a status as a coloured badge with its label, like ``create_status_badge``."""
    return tag(
        "span",
        status_label(status),
        class_="cti-badge cti-status-badge",
        style=f"background-color:{status_color(status)}",
    )


def explained(badge: Markup, explanation: str) -> Markup:
    """Give a badge its explanation, shown on hover and focus and read out with it.

    Focusable (keyboard users see the explanation too, WCAG 1.4.13), the explanation also in
    the text for screen readers; ``assets/cti.js`` shows it in one floating tooltip.
    """
    return tag(
        "span",
        badge + tag("span", f" {explanation}", class_="cti-sr-only"),
        class_="cti-explained",
        tabindex="0",
        data_tip=explanation,
    )


def stale_badge(mark: StaleMark) -> Markup:
    """Mark a stale value with a word, and the date it measures in its explanation."""
    return explained(tag("span", _("Périmée"), class_="cti-badge cti-stale-badge"), mark.text())


def cti_label(acronym: str, href: str) -> Markup:
    """Show a CTI's acronym as a link with its colour swatch (kept on one line)."""
    swatch = tag("span", class_="cti-swatch", style=f"background:{cti_color(acronym)}")
    return tag(
        "span", swatch + tag("a", acronym, href=href, class_="cti-link"), class_="cti-nowrap"
    )


def badge(label: str, kind: str) -> Markup:
    """Return a badge like Mantine's (size md, light): ``kind`` names its colours in cti.css."""
    return tag("span", label, class_=f"cti-badge cti-badge-md cti-badge-{kind}")


def table_head(heads: Sequence[tuple[str, bool]]) -> Markup:
    """Return a table's header of one row: each column's title, numeric ones aligned at the end."""
    cells = [
        tag("th", h, class_="cti-th cti-num" if n else "cti-th", scope="col") for h, n in heads
    ]
    return tag("thead", tag("tr", join(cells)))


def data_table(data: dict[str, Any], caption: str | None) -> Markup:
    """Return a table of ``{"head": [...], "body": [[...]]}`` (a chart's numbers), captioned."""
    rows = [
        tag("tr", join([tag("td", "" if cell is None else cell) for cell in row]))
        for row in data["body"]
    ]
    table = tag(
        "table",
        (tag("caption", caption) if caption else Markup(""))
        + table_head([(h, False) for h in data["head"]])
        + tag("tbody", join(rows), class_="cti-rows"),
        class_="cti-table cti-html-table cti-data-table",
    )
    return tag("div", table, class_="cti-table-scroll")


def create_html_block(markup: Markup, class_name: str = "", *, element: Any = html.Div) -> Any:
    """Put a block of HTML in the page as one component, drawn by ``assets/cti.js``.

    ``element``: the Dash element holding it (``html.Span`` for a badge in a line of text,
    ``html.Figcaption`` for a figure's caption).
    """
    return element(className=f"cti-html {class_name}".strip(), **{"data-html": str(markup)})
