"""The analysts' queue `/updates/validation`: validate or return submitted values; revise targets.

Returning a value needs a reason, which the editor sees next to the value. Revising a target
needs a justification and keeps the old value in the history ("objectif révisé de X à Y...").
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_access_denied, page_allowed
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import (
    create_actions,
    create_grid,
    create_notice,
    create_text_list,
)
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.db.engine import session_scope
from dashboard.db.models import Role
from dashboard.domain.workflow import Step
from dashboard.i18n import N_, _, page_title
from dashboard.services import entry_views
from dashboard.services.amendments import amend_target
from dashboard.services.context import current_engine
from dashboard.services.entry import ValidationFailed
from dashboard.services.errors import UserError
from dashboard.services.progress_workflow import move_progress

dash.register_page(
    __name__,
    path="/updates/validation",
    title=page_title("Validation des valeurs"),
    name="updates-validation",
)
register_nav_item(
    NavItem(
        "/updates/validation",
        "Validation",
        "audit",
        section="Saisie et contrôle",
        order=20,
        visible=lambda account: account is not None and account.role in (Role.ANALYST, Role.ADMIN),
    )
)
QUEUE_COLUMNS = [
    ("cti", N_("CTI"), 90),
    ("code", N_("Code"), 130),
    ("label", N_("Indicateur"), 260),
    ("period", N_("Période"), 90),
    ("value", N_("Valeur"), 100),
    ("previous", N_("Précédente"), 110),
    ("warning", N_("Alerte"), 220),
    ("comment", N_("Commentaire"), 200),
    ("correction", N_("Motif de correction"), 200),
    ("by", N_("Saisie par"), 110),
    ("submitted", N_("Soumise le (UTC)"), 140),
]


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
            dmc.Text(id="validation-queue-note", size="sm", c="dimmed"),
            create_grid("validation-queue-grid", QUEUE_COLUMNS, selectable=True, height=360),
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
                dmc.Button(_("Valider"), id="validation-validate-button", color="#1e7b34"),
                dmc.Button(
                    _("Rejeter"), id="validation-reject-button", color="red.9", variant="outline"
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
    return found.rows, found.note(entry_views.QUEUE_LIMITED)


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
    """Validate or reject the selected value (the reason is required to reject)."""
    if not selected:
        return create_notice("error", _("Sélectionnez une valeur dans la file.")), no_update, None
    step = Step.REJECT if ctx.triggered_id == "validation-reject-button" else Step.VALIDATE
    row = selected[0]
    try:
        with session_scope(current_engine()) as session:
            move_progress(
                session=session,
                account=current_account(),
                update_id=int(row["id"]),
                version=row.get("version"),
                step=step,
                reason=reason or "",
            )
    except ValidationFailed as exc:
        message = create_notice("error", _("Rejet refusé : indiquez le motif."))
        return message, no_update, " ".join(exc.result.errors_for("reason"))
    except UserError as exc:
        return create_notice("error", str(exc)), no_update, None
    done = (
        _("Valeur validée : {code} {period}.")
        if step is Step.VALIDATE
        else _("Valeur rejetée : {code} {period}.")
    )
    return (
        create_notice("ok", done.format(code=row["code"], period=row["period"])),
        (refresh or 0) + 1,
        None,
    )


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
    years = [{"value": str(t["id"]), "label": f"{t['year']} : {t['value']:g}"} for t in targets]
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
