"""Long tables one page at a time: the page's rows, a count, a pagination control and exports.

A page of a plan with thousands of indicators can't send one row of components per indicator:
the browser would choke. A paged table sends ``PAGE_SIZE`` rows; the page's own callback
(``Input(f"{table_id}-pagination", "value")``) draws the box ``f"{table_id}-page"`` with
``create_indicator_page``, from the same read model, and the export buttons ask the server
for the whole list (the page's filters applied), so nothing large sits in the page.

The first page of rows is in the page as built (layout, or a filter's redraw): the rows are
one block of HTML (components/markup.py), which the browser draws in some 10 ms, where 50 rows
of components took React 0.6 s (scale 100); the callback runs for the other pages only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import dash
import dash_mantine_components as dmc
import pandas as pd
from dash import Input, Output, State, ctx, html

from dashboard.components.exports import create_server_exports, export_file
from dashboard.components.indicator_table import FULL, create_indicator_rows
from dashboard.i18n import _, ngettext
from dashboard.services.formatting import fmt_number
from dashboard.services.freshness_views import StaleLookup
from dashboard.services.page_cache import cached_content
from dashboard.services.reports.grid_export import indicator_export

PAGE_SIZE = 50


def page_slice(total: int, page: object, size: int | None = None) -> tuple[int, int, int]:
    """Return (page, start, stop) of a 1-based page number, kept within the pages there are."""
    size = size or PAGE_SIZE
    pages = page_total(total, size)
    try:
        number = int(page)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), pages)
    start = (number - 1) * size
    return number, start, min(start + size, total)


def page_total(total: int, size: int | None = None) -> int:
    """Return how many pages ``total`` rows fill (one at least, for the empty message)."""
    return max(1, -(-total // (size or PAGE_SIZE)))


def create_page_count(start: int, stop: int, total: int) -> Any:
    """Say which rows the page shows: "1-50 sur 1 734 indicateurs" (read out when it changes)."""
    first = fmt_number(start + 1 if total else 0)
    text = ngettext(
        "{first}-{last} sur {total} indicateur",
        "{first}-{last} sur {total} indicateurs",
        total,
        first=first,
        last=fmt_number(stop),
        total=fmt_number(total),
    )
    return dmc.Text(
        text, size="sm", c="dimmed", className="cti-page-count", **{"aria-live": "polite"}
    )


def create_pager(
    table_id: str, *, body: Any, total: int, page: int, size: int | None = None, label: str
) -> Any:
    """Build the box of the page's rows (which the page callback redraws) and its control.

    Mantine's control is a row of buttons, each reached with Tab and pressed with Enter; it
    sits in a <nav> named for screen readers, and hides itself when one page holds every row.
    """
    control = dmc.Pagination(
        id=f"{table_id}-pagination",
        total=page_total(total, size),
        value=page,
        siblings=1,
        boundaries=1,
        size="sm",
        hideWithOnePage=True,
        className="cti-pagination",
    )
    return html.Div(
        [
            html.Div(body, id=f"{table_id}-page"),
            html.Nav(
                control,
                className="cti-pager",
                **{
                    "aria-label": label,
                    # assets/cti.js names the arrow controls, which Mantine leaves bare
                    "data-previous": _("Page précédente"),
                    "data-next": _("Page suivante"),
                },
            ),
        ]
    )


def create_indicator_page(
    frame: pd.DataFrame,
    *,
    table_id: str,
    page: object = 1,
    columns: Sequence[str] = FULL,
    units: bool = True,
    stale: StaleLookup | None = None,
    size: int | None = None,
) -> Any:
    """Build one page of an indicator table (rows in the frame's order) and its row count.

    ``stale`` gives the marks of the rows shown (looked up for this page's rows only).
    """
    _number, start, stop = page_slice(len(frame), page, size)
    rows = frame.iloc[start:stop]
    marks = stale([int(i) for i in rows["indicator_id"]]) if stale and len(rows) else None
    table = create_indicator_rows(
        rows, table_id=table_id, columns=columns, units=units, stale=marks
    )
    if page_total(len(frame), size) == 1:
        return [table]  # every row is shown: nothing to count
    return [create_page_count(start, stop, len(frame)), table]


@dataclass(frozen=True)
class PagedRows:
    """What a paged table shows: its rows (the page's filters applied) and how."""

    frame: pd.DataFrame
    columns: Sequence[str]
    units: bool = True
    stale: StaleLookup | None = None
    size: int | None = None


def create_paged_indicator_table(table_id: str, rows: PagedRows) -> Any:
    """Build a paged indicator table: its first page of rows, its pages, the exports of all.

    The other pages come from the page callback registered by ``register_paged_table``.
    """
    first = create_indicator_page(
        rows.frame,
        table_id=table_id,
        columns=rows.columns,
        units=rows.units,
        stale=rows.stale,
        size=rows.size,
    )
    pager = create_pager(
        table_id,
        body=first,
        total=len(rows.frame),
        page=1,
        size=rows.size,
        label=_("Pages du tableau"),
    )
    return html.Div([create_server_exports(table_id), pager], className="cti-grid-block")


def indicator_download(frame: pd.DataFrame, columns: Sequence[str], name: str) -> Any:
    """Return the Download data of the whole list as the button pressed asks (CSV or Excel).

    None when nothing was pressed or the export is refused (``export_file`` checks the right).
    """
    fired = str(ctx.triggered_id or "") if ctx else ""
    fmt = fired.rsplit("-", 1)[-1]
    if fmt not in ("csv", "xlsx") or not any(t.get("value") for t in ctx.triggered):
        return None
    fields, records = indicator_export(frame, columns)
    return export_file({"name": name, "columns": fields, "rows": records}, fmt)


def register_paged_table(
    table_id: str, states: Sequence[State], rows: Callable[..., PagedRows | None]
) -> None:
    """Register a paged table's callbacks: one page of its rows, and the exports of them all.

    The first page is in the table as built (``create_paged_indicator_table``): the callback
    runs for the others only. ``rows`` takes the values of ``states`` (the page's filters)
    and returns the table's rows, or None when there is nothing to show (an unknown axis or
    CTI): the page stays as it is.
    """

    @dash.callback(  # type: ignore[untyped-decorator]
        Output(f"{table_id}-page", "children"),
        Input(f"{table_id}-pagination", "value"),
        *states,
        prevent_initial_call=True,
    )
    @cached_content(f"{table_id}.page")
    def show_page(page: int | None, *values: Any) -> Any:
        found = rows(*values)
        if found is None:
            return dash.no_update
        return create_indicator_page(
            found.frame,
            table_id=table_id,
            page=page,
            columns=found.columns,
            units=found.units,
            stale=found.stale,
            size=found.size,
        )

    @dash.callback(  # type: ignore[untyped-decorator]
        Output(f"{table_id}-download", "data"),
        Input(f"{table_id}-export-csv", "n_clicks"),
        Input(f"{table_id}-export-xlsx", "n_clicks"),
        *states,
        prevent_initial_call=True,
    )
    def export(_csv: int | None, _xlsx: int | None, *values: Any) -> Any:
        found = rows(*values)
        result = indicator_download(found.frame, found.columns, table_id) if found else None
        return dash.no_update if result is None else result
