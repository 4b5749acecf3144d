"""Export buttons: every chart as PNG or SVG, every grid as CSV or Excel (what it shows).

- Charts: Plotly draws the image in the browser (``Plotly.downloadImage``), from the figure on
  screen: nothing leaves the machine, no server round trip.
- Grids, CSV: AG Grid's own ``exportDataAsCsv``, which writes the rows displayed (filters and
  sort applied) and the columns displayed, in their order; numbers with the language's
  decimal mark, people's text never as a formula (``csv_options``: the server's rule).
- Grids, Excel: the browser collects the same displayed rows and columns and a server callback
  writes the workbook (AG Grid's Excel export is not in its free edition). The server checks
  the right to export; it only formats what the grid already shows this user.

The factories build the buttons; ``register_callbacks`` adds the few pattern-matching callbacks
shared by every page (the JavaScript is in assets/exports.js).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ALL, MATCH, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from dashboard.domain.spreadsheet import FORMULA_STARTS, PLAIN_NUMBER
from dashboard.i18n import N_, _, is_rtl
from dashboard.services.formatting import csv_style

CHART = "chart-export"
GRID = "grid-export"
TABLE = "table-export"
SHOWN = N_("Exporter les lignes affichées en {fmt}")
WHOLE = N_("Exporter le tableau complet en {fmt}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _button(label: str, name: str, component_id: str | dict[str, str], hint: str) -> Any:
    return dmc.Button(
        label,
        id=component_id,
        size="compact-xs",
        variant="subtle",
        color="gray",
        className=f"cti-export cti-export-{name}",
        **{"aria-label": hint},
    )


def _file_buttons(make_id: Callable[[str], str | dict[str, str]], hint: str) -> list[Any]:
    """Return the "CSV" and "Excel" buttons; ``hint`` names what they export ({fmt})."""
    return [
        _button(label, fmt, make_id(fmt), _(hint, fmt=label))
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"))
    ]


def file_stem(title: str | None, fallback: str) -> str:
    """Return a file name stem from a title: "Budget par axe (MDH)" -> "budget-par-axe-mdh"."""
    stem = re.sub(r"[^\w]+", "-", (title or "").lower(), flags=re.UNICODE).strip("-")
    return stem[:60] or fallback


def create_chart_downloads(graph_id: str, title: str | None = None) -> Any:
    """Build the "PNG" and "SVG" buttons that download the chart ``graph_id`` as drawn."""
    name = file_stem(title, graph_id)
    buttons = [
        _button(
            fmt.upper(),
            fmt,
            {"type": CHART, "graph": graph_id, "format": fmt},
            _("Télécharger le graphique en {fmt}", fmt=fmt.upper()),
        )
        for fmt in ("png", "svg")
    ]
    return dmc.Group(
        [
            *buttons,
            dcc.Store(id={"type": f"{CHART}-name", "graph": graph_id}, data=name),
            dcc.Store(id={"type": f"{CHART}-done", "graph": graph_id}),
        ],
        gap=2,
        className="cti-chart-exports",
    )


def csv_options() -> dict[str, str]:
    """Return what the browser needs to write a grid's CSV as the server writes its files.

    The field separator and decimal mark of the language in force, and the rule that keeps
    people's text from running as a formula (domain/spreadsheet.py, its one definition).
    """
    return {**csv_style(), "formulaStarts": FORMULA_STARTS, "plainNumber": PLAIN_NUMBER}


def create_grid_exports(grid_id: str, filename: str | None = None) -> Any:
    """Build the "CSV" and "Excel" buttons that export what the grid ``grid_id`` shows."""
    name = filename or grid_id
    buttons = _file_buttons(lambda fmt: {"type": GRID, "grid": grid_id, "format": fmt}, SHOWN)
    settings = {"name": name, "csv": csv_options()}
    return dmc.Group(
        [
            *buttons,
            dcc.Store(id={"type": f"{GRID}-name", "grid": grid_id}, data=settings),
            dcc.Store(id={"type": f"{GRID}-rows", "grid": grid_id}),
            dcc.Download(id={"type": f"{GRID}-download", "grid": grid_id}),
        ],
        gap=2,
        justify="flex-end",
        className="cti-grid-exports",
    )


def create_table_exports(
    table_id: str, columns: list[dict[str, str]], rows: list[dict[str, Any]], filename: str
) -> Any:
    """Build the "CSV" and "Excel" buttons of a plain table, holding the rows it shows.

    For tables drawn on the server (not AG Grid): the page renders ``rows`` (its filters
    already applied), so the export is exactly what the table shows.
    """
    buttons = _file_buttons(lambda fmt: {"type": TABLE, "table": table_id, "format": fmt}, SHOWN)
    data = {"name": filename, "columns": columns, "rows": rows}
    return dmc.Group(
        [
            *buttons,
            dcc.Store(id={"type": f"{TABLE}-rows", "table": table_id}, data=data),
            dcc.Download(id={"type": f"{TABLE}-download", "table": table_id}),
        ],
        gap=2,
        justify="flex-end",
        className="cti-grid-exports",
    )


def create_server_exports(table_id: str) -> Any:
    """Build the "CSV" and "Excel" buttons of a paged table: the server writes the whole list.

    The buttons are ``f"{table_id}-export-csv"`` and ``-xlsx``; the page's callback rebuilds
    the list for its filters and answers into the Download ``f"{table_id}-download"``.
    """
    buttons = _file_buttons(lambda fmt: f"{table_id}-export-{fmt}", WHOLE)
    return dmc.Group(
        [*buttons, dcc.Download(id=f"{table_id}-download")],
        gap=2,
        justify="flex-end",
        className="cti-grid-exports",
    )


def with_grid_exports(grid: Any, grid_id: str, filename: str | None = None) -> Any:
    """Return the grid under its export buttons."""
    return html.Div([create_grid_exports(grid_id, filename), grid], className="cti-grid-block")


def export_file(data: dict[str, Any] | None, fmt: str = "xlsx") -> dict[str, Any] | None:
    """Return the Download data of rows shown by a grid or table (None if refused or unusable).

    The server checks the right to export; the rows are those the page already shows this
    account, written as numbers and inert text (never formulas).
    """
    from dashboard.auth.permissions import Action, require
    from dashboard.auth.session import current_account
    from dashboard.db.engine import session_scope
    from dashboard.i18n import current_lang
    from dashboard.services.context import current_engine, current_settings
    from dashboard.services.errors import PermissionDenied
    from dashboard.services.reports.grid_export import grid_csv, grid_workbook, safe_filename

    if not isinstance(data, dict) or fmt not in ("csv", "xlsx"):
        return None
    try:
        with session_scope(current_engine()) as session:
            require(current_account(), Action.EXPORT, session=session, detail="export de tableau")
    except PermissionDenied:
        return None
    columns = [c for c in data.get("columns") or [] if isinstance(c, dict)]
    rows = [r for r in data.get("rows") or [] if isinstance(r, dict)]
    title = str(data.get("title") or data.get("name") or "")
    try:
        if fmt == "csv":
            content, media = grid_csv(columns=columns, rows=rows, lang=current_lang()), "text/csv"
        else:
            content = grid_workbook(columns=columns, rows=rows, title=title, rtl=is_rtl())
            media = XLSX
    except ValueError:
        return None
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": safe_filename(data.get("name"), current_settings().today(), fmt),
        "type": media,
        "base64": True,
    }


def register_callbacks() -> None:
    """Register the export callbacks shared by every page (once per app, from a page module)."""
    dash.clientside_callback(
        ClientsideFunction("cti_exports", "chart"),
        Output({"type": f"{CHART}-done", "graph": MATCH}, "data"),
        Input({"type": CHART, "graph": MATCH, "format": ALL}, "n_clicks"),
        State({"type": f"{CHART}-name", "graph": MATCH}, "data"),
        prevent_initial_call=True,
    )
    dash.clientside_callback(
        ClientsideFunction("cti_exports", "grid"),
        Output({"type": f"{GRID}-rows", "grid": MATCH}, "data"),
        Input({"type": GRID, "grid": MATCH, "format": ALL}, "n_clicks"),
        State({"type": f"{GRID}-name", "grid": MATCH}, "data"),
        prevent_initial_call=True,
    )

    @dash.callback(  # type: ignore[untyped-decorator]
        Output({"type": f"{GRID}-download", "grid": MATCH}, "data"),
        Input({"type": f"{GRID}-rows", "grid": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def download_grid(data: dict[str, Any] | None) -> Any:
        """Send the rows the grid shows as an Excel workbook (the right to export checked)."""
        result = export_file(data, "xlsx")
        return no_update if result is None else result

    @dash.callback(  # type: ignore[untyped-decorator]
        Output({"type": f"{TABLE}-download", "table": MATCH}, "data"),
        Input({"type": TABLE, "table": MATCH, "format": ALL}, "n_clicks"),
        State({"type": f"{TABLE}-rows", "table": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def download_table(_clicks: list[int | None], data: dict[str, Any] | None) -> Any:
        """Send the rows a server-drawn table shows, as CSV or Excel."""
        if not any(_clicks or []):
            return no_update
        fired = ctx.triggered_id
        fmt = fired.get("format") if isinstance(fired, dict) else None
        result = export_file(data, str(fmt))
        return no_update if result is None else result
