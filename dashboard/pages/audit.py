"""Audit page `/audit` (admins and analysts): the trail of sign-ins, changes and refusals.

Filters by user, action, outcome and dates; CSV export. The layout and both callbacks go
through the audit service, which checks the caller on the server.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_access_denied, create_error, page_allowed
from dashboard.components.exports import with_grid_exports
from dashboard.components.grids import grid_options
from dashboard.db.engine import session_scope
from dashboard.domain.dates import parse_date
from dashboard.i18n import N_, _, ngettext, page_title
from dashboard.services import audit
from dashboard.services.audit_words import action_label
from dashboard.services.context import current_engine, current_settings
from dashboard.services.errors import UserError
from dashboard.services.formatting import fmt_number

dash.register_page(
    __name__,
    path="/audit",
    title=page_title("Journal d'audit"),
    name="audit",
    permission=Action.VIEW_AUDIT,  # every callback below, checked by auth/guard.py
)

# In words for the people who read the trail; codes, ids and JSON are in the CSV export.
COLUMNS = [
    ("at", N_("Date (UTC)"), 170),
    ("username", N_("Utilisateur"), 140),
    ("action_label", N_("Action"), 210),
    ("object_label", N_("Objet"), 220),
    ("changes", N_("Changements (avant → après)"), 340),
    ("outcome_label", N_("Résultat"), 110),
    ("detail", N_("Détail"), 240),
    ("address", N_("Adresse"), 130),
]
WRAPPED = {"action_label", "object_label", "changes", "detail"}
FILTERS = [
    State("audit-user-select", "value"),
    State("audit-action-select", "value"),
    State("audit-outcome-select", "value"),
    State("audit-dates", "value"),
]


def _filters(choices: dict[str, list[str]]) -> Any:
    return dmc.Group(
        [
            dmc.Select(
                id="audit-user-select",
                label=_("Utilisateur"),
                data=choices["usernames"],
                clearable=True,
                searchable=True,
                w=200,
            ),
            dmc.Select(
                id="audit-action-select",
                label=_("Action"),
                data=[{"value": a, "label": action_label(a)} for a in choices["actions"]],
                clearable=True,
                searchable=True,
                w=220,
            ),
            dmc.Select(
                id="audit-outcome-select",
                label=_("Résultat"),
                data=[{"value": k, "label": _(v)} for k, v in audit.OUTCOME_LABELS.items()],
                clearable=True,
                w=160,
            ),
            dmc.DatePickerInput(
                id="audit-dates",
                label=_("Période"),
                type="range",
                valueFormat="DD/MM/YYYY",
                clearable=True,
                w=260,
            ),
            dmc.Button(_("Exporter en CSV"), id="audit-export-button", variant="outline"),
        ],
        align="flex-end",
    )


def layout(**_query: str) -> Any:
    """Show the audit trail to admins and analysts; anyone else gets a refusal."""
    account = current_account()
    if not page_allowed(account, Action.VIEW_AUDIT, page="/audit"):
        return create_access_denied("audit")
    with session_scope(current_engine()) as session:
        choices = audit.filter_choices(session, actor=account)
    return dmc.Stack(
        [
            dmc.Title(_("Journal d'audit"), order=1, size="h2"),
            dmc.Text(
                _(
                    "Connexions, modifications et refus, du plus récent au plus ancien"
                    " ({n} lignes au plus à l'écran ; l'export CSV les contient toutes).",
                    n=audit.MAX_ROWS,
                ),
                c="dimmed",
            ),
            _filters(choices),
            dmc.Box(id="audit-message"),
            dmc.Text(id="audit-count", size="sm"),
            with_grid_exports(
                dag.AgGrid(
                    id="audit-grid",
                    rowData=[],
                    columnDefs=[
                        {
                            "field": key,
                            "headerName": _(label),
                            "width": width,
                            "tooltipField": key,
                            **({"wrapText": True, "autoHeight": True} if key in WRAPPED else {}),
                        }
                        for key, label, width in COLUMNS
                    ],
                    defaultColDef={"sortable": True, "resizable": True, "filter": True},
                    dashGridOptions=grid_options({"animateRows": False, "tooltipShowDelay": 300}),
                    style={"height": "560px"},
                ),
                "audit-grid",
                "journal-audit",
            ),
            dcc.Download(id="audit-download"),
        ],
        gap="md",
    )


def _parse_filters(
    username: str | None, action: str | None, outcome: str | None, dates: list[str] | None
) -> audit.AuditFilter:
    """Build the service's filter from the widgets' values; a day that does not exist (a forged
    2025-02-30) raises UserError with the domain's message saying why."""
    try:
        picked = [parse_date(d[:10]) if d else None for d in (dates or [])]
    except ValueError as exc:
        raise UserError(str(exc)) from None
    start, end = [*picked, None, None][:2]
    return audit.AuditFilter(
        username=username or None,
        action=action or None,
        outcome=outcome or None,
        start=start,
        end=end or start,
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("audit-grid", "rowData"),
    Output("audit-count", "children"),
    Output("audit-message", "children"),
    Input("audit-user-select", "value"),
    Input("audit-action-select", "value"),
    Input("audit-outcome-select", "value"),
    Input("audit-dates", "value"),
)
def show_events(
    username: str | None, action: str | None, outcome: str | None, dates: list[str] | None
) -> tuple[Any, Any, Any]:
    """Show the events matching the filters (re-checked on the server)."""
    try:
        filters = _parse_filters(username, action, outcome, dates)
        with session_scope(current_engine()) as session:
            rows = audit.readable_events(session, actor=current_account(), filters=filters)
    except UserError as exc:
        return [], "", create_error(str(exc))
    return (
        rows,
        ngettext(
            "{n} événement affiché", "{n} événements affichés", len(rows), n=fmt_number(len(rows))
        ),
        None,
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("audit-download", "data"),
    Output("audit-message", "children", allow_duplicate=True),
    Input("audit-export-button", "n_clicks"),
    *FILTERS,
    prevent_initial_call=True,
)
def export_events(
    _clicks: int | None,
    username: str | None,
    action: str | None,
    outcome: str | None,
    dates: list[str] | None,
) -> tuple[Any, Any]:
    """Send the matching events as a CSV file (re-checked on the server, and logged)."""
    try:
        filters = _parse_filters(username, action, outcome, dates)
        with session_scope(current_engine()) as session:
            content = audit.export_csv(session, actor=current_account(), filters=filters)
    except UserError as exc:
        return no_update, create_error(str(exc))
    name = f"journal-audit-{current_settings().today().isoformat()}.csv"
    return {"content": content, "filename": name, "type": "text/csv"}, None
