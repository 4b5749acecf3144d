"""The analysts' queue `/updates/validation`: validate or return submitted values; revise targets.

Returning a value needs a reason, which the editor sees next to the value. Revising a target
needs a justification and keeps the old value in the history ("objectif révisé de X à Y...").
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_access_denied, page_allowed
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import create_actions, create_notice, create_text_list
from dashboard.components.exports import with_grid_exports
from dashboard.components.grids import grid_options
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.db.engine import session_scope
from dashboard.domain.numbers import input_number
from dashboard.domain.workflow import Step
from dashboard.i18n import N_, _, page_title, pair
from dashboard.services import entry_views
from dashboard.services.amendments import amend_target
from dashboard.services.context import current_engine, current_settings
from dashboard.services.entry import ValidationFailed
from dashboard.services.errors import UserError
from dashboard.services.evidence import read_evidence
from dashboard.services.queue_review import review_values

dash.register_page(
    __name__,
    path="/updates/validation",
    title=page_title("Validation des valeurs"),
    name="updates-validation",
    permission=Action.VALIDATE_PROGRESS,  # every callback below, checked by auth/guard.py
)
register_nav_item(
    NavItem(
        "/updates/validation",
        "Validation",
        "audit",
        section="Saisie et contrôle",
        order=20,
        action=Action.VALIDATE_PROGRESS,  # listed for those the permission table lets validate
    )
)
# field, French header, width (px): wide enough for the Arabic wording ("الفصل 4 من 2025")
# and the longest codes; long texts wrap on several lines instead of being cut.
QUEUE_COLUMNS = [
    ("cti", N_("CTI"), 110),
    ("code", N_("Code"), 170),
    ("label", N_("Indicateur"), 280),
    ("period", N_("Période"), 160),
    ("value_text", N_("Valeur"), 110),
    ("unit", N_("Unité"), 130),
    ("target_text", N_("Objectif de l'année"), 130),
    ("expected_text", N_("Attendu à cette date"), 150),
    ("previous_text", N_("Précédente"), 120),
    ("warning", N_("Alerte"), 240),
    ("comment", N_("Commentaire"), 220),
    ("correction", N_("Motif de correction"), 200),
    ("by", N_("Saisie par"), 140),
    ("submitted", N_("Soumise le (UTC)"), 160),
    ("evidence", N_("Justificatif"), 200),
]
WRAPPED = {"label", "warning", "comment", "correction", "evidence"}
RIGHT = {"value_text", "target_text", "expected_text", "previous_text"}


def _queue_grid() -> Any:
    """Build the queue's grid: several rows can be ticked and reviewed together."""
    defs = [
        {
            "field": field,
            "headerName": _(header),
            "width": width,
            "minWidth": width,
            "tooltipField": field,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            **({"wrapText": True, "autoHeight": True} if field in WRAPPED else {}),
            **({"cellClass": "cti-number-cell"} if field in RIGHT else {}),
            **({"cellClass": "cti-link-cell"} if field == "evidence" else {}),
        }
        for field, header, width in QUEUE_COLUMNS
    ]
    options = {
        "animateRows": False,
        "tooltipShowDelay": 300,
        "suppressColumnVirtualisation": True,  # 16 columns: all drawn, for the CSV as well
        "rowSelection": {
            "mode": "multiRow",
            "checkboxes": True,
            "headerCheckbox": True,
            "enableClickSelection": True,
        },
        "selectionColumnDef": {"width": 48, "minWidth": 48},
        "localeText": {"noRowsToShow": _("Aucune valeur en attente de validation.")},
    }
    grid = dag.AgGrid(
        id="validation-queue-grid",
        rowData=[],
        columnDefs=defs,
        defaultColDef={"sortable": True, "resizable": True, "filter": True},
        dashGridOptions=grid_options(options),  # right to left in Arabic, texts translated
        getRowId="params.data.id",
        style={"height": "420px"},
    )
    return with_grid_exports(grid, "validation-queue-grid")


def _queue_section(ctis: list[dict[str, str]]) -> Any:
    return dmc.Stack(
        [
            dmc.Select(
                id="validation-cti-select",
                label=_("CTI"),
                data=ctis,
                clearable=True,
                placeholder=_("Tous les CTI"),
                w=320,
            ),
            dmc.Text(id="validation-queue-note", size="sm", fw=500),
            dmc.Text(
                _(
                    "Cochez une ou plusieurs valeurs, puis validez-les ou renvoyez-les ensemble :"
                    " chacune est vérifiée et tracée séparément. Cliquez sur un justificatif"
                    " pour l'ouvrir."
                ),
                size="sm",
                c="dimmed",
            ),
            _queue_grid(),
            create_actions(
                dmc.Button(
                    _("Télécharger le justificatif de la valeur sélectionnée"),
                    id="validation-evidence-button",
                    variant="light",
                    size="xs",
                ),
            ),
            dcc.Download(id="validation-evidence-download"),
            dmc.Textarea(
                id="validation-reason-input",
                label=_("Motif du rejet"),
                description=_(
                    "Obligatoire pour rejeter : il est montré à la personne qui a saisi."
                ),
                autosize=True,
                minRows=2,
            ),
            create_actions(
                # Dark enough for white text (WCAG AA 4.5:1): Mantine's green.6 gives 3.4:1.
                dmc.Button(
                    _("Valider la sélection"), id="validation-validate-button", color="#1e7b34"
                ),
                dmc.Button(
                    _("Rejeter la sélection"),
                    id="validation-reject-button",
                    color="red.9",
                    variant="outline",
                ),
            ),
            html.Div(id="validation-message"),
            dcc.Store(id="validation-refresh-store", data=0),
        ],
        gap="sm",
    )


def _target_section(ctis: list[dict[str, str]]) -> Any:
    # The indicators come from show_target_indicators once a CTI is chosen: all of them at
    # once would be a select of thousands of options sent with the page.
    return dmc.Stack(
        [
            dmc.Select(
                id="targets-cti-select",
                label=_("CTI (contrat)"),
                data=ctis,
                value=ctis[0]["value"] if len(ctis) == 1 else None,
                searchable=True,
                w=320,
            ),
            dmc.Select(
                id="targets-indicator-select",
                label=_("Indicateur"),
                data=[],
                placeholder=_("Choisissez d'abord le CTI."),
                searchable=True,
                w=520,
            ),
            dmc.Select(id="targets-year-select", label=_("Année de l'objectif"), data=[], w=200),
            dmc.TextInput(id="targets-value-input", label=_("Nouvel objectif"), w=200),
            dmc.Textarea(
                id="targets-reason-input",
                label=_("Justification (obligatoire)"),
                autosize=True,
                minRows=2,
            ),
            create_actions(dmc.Button(_("Réviser l'objectif"), id="targets-save-button")),
            html.Div(id="targets-message"),
            dmc.Title(_("Révisions de cet indicateur"), order=3, size="h4"),
            html.Div(id="targets-history"),
            dcc.Store(id="targets-store"),
        ],
        gap="sm",
    )


def layout(**_query: str) -> Any:
    """Show the queue and the target revision form to analysts and administrators."""
    account = current_account()
    if not page_allowed(account, Action.VALIDATE_PROGRESS, page="validation"):
        return create_access_denied("validation")
    with session_scope(current_engine()) as session:
        ctis = entry_views.entry_ctis(session, account)
    amendable = entry_views.allowed_ctis(ctis, account, Action.AMEND_CONTRACT)
    return dmc.Stack(
        [
            create_page_header(
                _("Validation des valeurs"),
                _("Les valeurs soumises, de la plus ancienne à la plus récente."),
                crumbs=[(_("Saisie de l'avancement"), "/updates"), (_("Validation"), None)],
            ),
            create_section(_("Valeurs à valider"), _queue_section(ctis)),
            create_section(_("Réviser un objectif (avenant)"), _target_section(amendable)),
        ],
        gap="md",
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("validation-queue-grid", "rowData"),
    Output("validation-queue-note", "children"),
    Input("validation-cti-select", "value"),
    Input("validation-refresh-store", "data"),
)
def show_queue(cti: str | None, _refresh: int) -> tuple[list[dict[str, Any]], str]:
    """List the oldest submitted values (of one CTI, or all), saying how many wait in all."""
    with session_scope(current_engine()) as session:
        found = entry_views.queue_page(session, cti_id=int(cti) if cti else None)
    return found.rows, entry_views.queue_note(found)


@dash.callback(  # type: ignore[untyped-decorator]
    Output("validation-message", "children"),
    Output("validation-refresh-store", "data"),
    Output("validation-reason-input", "error"),
    Input("validation-validate-button", "n_clicks"),
    Input("validation-reject-button", "n_clicks"),
    State("validation-queue-grid", "selectedRows"),
    State("validation-reason-input", "value"),
    State("validation-refresh-store", "data"),
    prevent_initial_call=True,
)
def review(
    _v: int | None,
    _r: int | None,
    selected: list[dict[str, Any]] | None,
    reason: str | None,
    refresh: int,
) -> tuple[Any, Any, Any]:
    """Validate or reject the selected values, each on its own (a reason is needed to reject)."""
    if not selected:
        return (
            create_notice("error", _("Cochez au moins une valeur dans la file.")),
            no_update,
            None,
        )
    step = Step.REJECT if ctx.triggered_id == "validation-reject-button" else Step.VALIDATE
    try:
        outcome = review_values(
            engine=current_engine(),
            account=current_account(),
            rows=selected,
            step=step,
            reason=reason or "",
        )
    except UserError as exc:
        return create_notice("error", str(exc)), no_update, None
    kind = "ok" if not outcome.refused else "warning" if outcome.done else "error"
    message = create_notice(kind, outcome.summary(), outcome.details())
    error = _("Indiquez le motif du rejet.") if outcome.missing_reason else None
    return message, ((refresh or 0) + 1) if outcome.done else no_update, error


@dash.callback(  # type: ignore[untyped-decorator]
    Output("validation-evidence-download", "data"),
    Output("validation-message", "children", allow_duplicate=True),
    Input("validation-queue-grid", "cellClicked"),
    Input("validation-evidence-button", "n_clicks"),
    State("validation-queue-grid", "selectedRows"),
    prevent_initial_call=True,
)
def download_queue_evidence(
    clicked: dict[str, Any] | None, _n: int | None, selected: list[dict[str, Any]] | None
) -> tuple[Any, Any]:
    """Send the evidence of the value whose file name was clicked, or of the selected one."""
    if ctx.triggered_id == "validation-queue-grid":
        if not clicked or clicked.get("colId") != "evidence" or not clicked.get("value"):
            return no_update, no_update
        update_id = clicked.get("rowId")
    elif selected:
        update_id = selected[0].get("id")
    else:
        return no_update, create_notice(
            "error", _("Cochez la valeur dont vous voulez le justificatif.")
        )
    try:
        with session_scope(current_engine()) as session:
            found = read_evidence(
                session=session,
                account=current_account(),
                evidence_dir=current_settings().evidence_dir,
                update_id=int(str(update_id)),
            )
    except (UserError, ValueError) as exc:
        text = str(exc) if isinstance(exc, UserError) else _("Ligne illisible : rechargez la page.")
        return no_update, create_notice("error", text)
    return dcc.send_bytes(found.content, found.name, type=found.mimetype), None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("targets-indicator-select", "data"),
    Output("targets-indicator-select", "value"),
    Output("targets-cti-select", "error"),
    Input("targets-cti-select", "value"),
)
def show_target_indicators(cti: str | None) -> tuple[Any, Any, Any]:
    """Offer the chosen CTI's indicators, once the server has checked the account may amend."""
    if not cti:
        return [], None, None
    try:
        with session_scope(current_engine()) as session:
            options = entry_views.target_indicator_options(
                session, account=current_account(), cti=cti
            )
    except UserError as exc:
        return [], None, str(exc)
    return options, None, None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("targets-year-select", "data"),
    Output("targets-year-select", "value"),
    Output("targets-store", "data"),
    Output("targets-history", "children"),
    Input("targets-indicator-select", "value"),
    Input("targets-message", "children"),
)
def show_targets(indicator: str | None, _message: Any) -> tuple[Any, Any, Any, Any]:
    """Offer the indicator's yearly targets and revisions to accounts that may amend them."""
    # A year chosen for another indicator must not stay selected; after a save, it stays.
    year = None if ctx.triggered_id == "targets-indicator-select" else no_update
    if not indicator:
        return [], year, None, None
    try:
        with session_scope(current_engine()) as session:
            targets, history = entry_views.target_revision(
                session, account=current_account(), indicator=indicator
            )
    except UserError as exc:  # refused (and logged) or unknown: nothing about it is shown
        return [], None, None, create_notice("error", str(exc))
    # The target as the amend form reads it back: the language's decimal mark, every digit.
    years = [
        {"value": str(t["id"]), "label": pair(str(t["year"]), input_number(float(t["value"])))}
        for t in targets
    ]
    versions = {str(t["id"]): t["version"] for t in targets}
    return years, year, versions, create_text_list(history, _("Aucune révision."))


@dash.callback(  # type: ignore[untyped-decorator]
    Output("targets-message", "children"),
    Output("targets-value-input", "error"),
    Output("targets-reason-input", "error"),
    Input("targets-save-button", "n_clicks"),
    State("targets-year-select", "value"),
    State("targets-value-input", "value"),
    State("targets-reason-input", "value"),
    State("targets-store", "data"),
    prevent_initial_call=True,
)
def revise_target(
    _n: int | None,
    target: str | None,
    value: str | None,
    reason: str | None,
    versions: dict[str, int] | None,
) -> tuple[Any, Any, Any]:
    """Revise the chosen target with its justification."""
    if not target or not versions:
        return create_notice("error", _("Choisissez un indicateur et une année.")), None, None
    try:
        with session_scope(current_engine()) as session:
            amend_target(
                session=session,
                account=current_account(),
                target_id=int(target),
                version=versions.get(target),
                new_value=value,
                reason=reason or "",
            )
    except ValidationFailed as exc:
        errors = [" ".join(exc.result.errors_for(f)) or None for f in ("new_value", "reason")]
        return create_notice(
            "error", _("Objectif non révisé : corrigez les champs signalés.")
        ), *errors
    except UserError as exc:
        return create_notice("error", str(exc)), None, None
    return create_notice("ok", _("Objectif révisé.")), None, None
