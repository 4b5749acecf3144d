"""Envelope amendments `/budget/enveloppes`: revise an envelope line, always with a reason.

Earlier amounts are kept and shown ("enveloppe révisée de X à Y le D par U : motif"). A
revision may not leave an axis below what is already committed, nor the CTI envelopes above
the plan's.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, html

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.visibility import can_somewhere
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import (
    create_actions,
    create_grid,
    create_notice,
    create_role_notice,
    create_text_list,
)
from dashboard.db.engine import session_scope
from dashboard.i18n import N_, _, page_title
from dashboard.services import budget_entry_views as views
from dashboard.services.amendments import amend_envelope_line
from dashboard.services.context import current_engine
from dashboard.services.entry import ValidationFailed
from dashboard.services.errors import UserError

dash.register_page(
    __name__,
    path="/budget/enveloppes",
    title=page_title("Enveloppes"),
    name="budget-envelopes",
)
LINE_COLUMNS = [
    ("axis", N_("Axe"), 90),
    ("year", N_("Année"), 100),
    ("amount", N_("Montant (MDH)"), 160),
]


def _revision_form() -> list[Any]:
    """Build the revision of the selected line (for those who may amend contracts)."""
    return [
        dmc.TextInput(id="envelopes-amount-input", label=_("Nouveau montant (MDH)"), w=220),
        dmc.Textarea(
            id="envelopes-reason-input",
            label=_("Justification (obligatoire)"),
            autosize=True,
            minRows=2,
        ),
        create_actions(dmc.Button(_("Réviser la ligne"), id="envelopes-save-button")),
        html.Div(id="envelopes-message"),
    ]


def layout(**_query: str) -> Any:
    """Show a contract's envelope lines, and the revision form to those who may amend them."""
    account = current_account()
    with session_scope(current_engine()) as session:
        contracts = views.contract_options(session, account)  # a CTI editor's own contract
    may_amend = can_somewhere(account, Action.AMEND_CONTRACT)
    revision = (
        _revision_form()
        if may_amend
        else [create_role_notice("envelopes", account, Action.AMEND_CONTRACT)]
    )
    form = dmc.Stack(
        [
            dmc.Select(
                id="envelopes-contract-select",
                label=_("CTI (contrat)"),
                data=contracts,
                value=contracts[0]["value"] if contracts else None,
                allowDeselect=False,
                searchable=True,
                w=320,
            ),
            create_grid("envelopes-grid", LINE_COLUMNS, selectable=may_amend, height=300),
            *revision,
            dmc.Title(_("Révisions de ce contrat"), order=3, size="h4"),
            html.Div(id="envelopes-history"),
        ],
        gap="sm",
    )
    return dmc.Stack(
        [
            create_page_header(
                _("Enveloppes des contrats"),
                _("Une ligne par axe et par année ; toute révision est justifiée et conservée."),
                crumbs=[(_("Budget"), "/budget"), (_("Enveloppes"), None)],
            ),
            create_section(_("Lignes d'enveloppe"), form),
        ],
        gap="md",
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("envelopes-grid", "rowData"),
    Output("envelopes-history", "children"),
    Input("envelopes-contract-select", "value"),
    Input("envelopes-message", "children", allow_optional=True),  # absent for readers
)
def show_lines(contract: str | None, _message: Any) -> tuple[Any, Any]:
    """List the contract's envelope lines and their revisions."""
    if not contract:
        return [], None
    with session_scope(current_engine()) as session:
        rows = views.envelope_rows(session, contract_id=int(contract))
        history = views.envelope_history(session, contract_id=int(contract))
    return rows, create_text_list(history, _("Aucune révision."))


@dash.callback(  # type: ignore[untyped-decorator]
    Output("envelopes-message", "children"),
    Output("envelopes-amount-input", "error"),
    Output("envelopes-reason-input", "error"),
    Input("envelopes-save-button", "n_clicks"),
    State("envelopes-grid", "selectedRows"),
    State("envelopes-amount-input", "value"),
    State("envelopes-reason-input", "value"),
    prevent_initial_call=True,
)
def revise(
    _n: int | None, selected: list[dict[str, Any]] | None, amount: str | None, reason: str | None
) -> tuple[Any, Any, Any]:
    """Revise the selected line with its justification."""
    if not selected:
        return create_notice("error", _("Sélectionnez une ligne d'enveloppe.")), None, None
    line = selected[0]
    try:
        with session_scope(current_engine()) as session:
            amend_envelope_line(
                session=session,
                account=current_account(),
                line_id=int(line["id"]),
                version=line.get("version"),
                new_amount=amount,
                reason=reason or "",
            )
    except ValidationFailed as exc:
        errors = [" ".join(exc.result.errors_for(f)) or None for f in ("new_value", "reason")]
        return create_notice(
            "error", _("Ligne non révisée : corrigez les champs signalés.")
        ), *errors
    except UserError as exc:
        return create_notice("error", str(exc)), None, None
    return create_notice("ok", _("Ligne d'enveloppe révisée.")), None, None
