"""Entering a whole period `/updates/grille`: every indicator of a CTI in one grid.

Type the values in the "Valeur saisie" column, then save: all the rows are written, or none
if one is refused (each refusal is listed with its indicator code).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.visibility import can_somewhere
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import (
    create_actions,
    create_grid,
    create_notice,
    create_role_notice,
)
from dashboard.components.progress_forms import create_choice_controls
from dashboard.db.engine import session_scope
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, ngettext, page_title
from dashboard.services import entry_views
from dashboard.services.context import current_engine, current_settings
from dashboard.services.errors import UserError
from dashboard.services.progress_grid import GridEntry, GridErrors, save_grid

dash.register_page(
    __name__,
    path="/updates/grille",
    title=page_title("Saisie par période"),
    name="updates-grid",
)
GRID_COLUMNS = [
    ("code", N_("Code"), 130),
    ("label", N_("Indicateur"), 300),
    ("unit", N_("Unité"), 100),
    ("official", N_("Valeur validée"), 130),
    ("value", N_("Valeur saisie"), 130),
    ("comment", N_("Commentaire"), 220),
    ("status", N_("Statut"), 110),
    ("rejection", N_("Motif du rejet"), 220),
]


def layout(**_query: str) -> Any:
    """Show the grid of the CTI's indicators for a period (a notice to readers)."""
    account = current_account()
    header = create_page_header(
        _("Saisie par période"),
        _("Tous les indicateurs d'un CTI pour une période ; tout ou rien."),
        crumbs=[(_("Saisie de l'avancement"), "/updates"), (_("Grille"), None)],
    )
    if not can_somewhere(account, Action.ENTER_PROGRESS):
        see = (_("Voir les valeurs validées par contrat-objectifs"), "/ctis")
        notice = create_role_notice("grid", account, Action.ENTER_PROGRESS, see)
        return dmc.Stack([header, notice], gap="md")
    with session_scope(current_engine()) as session:
        ctis = entry_views.allowed_ctis(
            entry_views.entry_ctis(session, account), account, Action.ENTER_PROGRESS
        )
        periods = entry_views.period_options(session, current_settings().today())
    grid = dmc.Stack(
        [
            create_grid(
                "grid-entry-grid",
                GRID_COLUMNS,
                editable=("value", "comment"),
                row_id="indicator_id",
                height=420,
            ),
            create_actions(
                dmc.Button(_("Enregistrer la grille"), id="grid-save-button", variant="outline"),
                dmc.Button(_("Enregistrer et soumettre la grille"), id="grid-submit-button"),
            ),
            html.Div(id="grid-message"),
            dcc.Store(id="grid-refresh-store", data=0),
        ]
    )
    return dmc.Stack(
        [
            header,
            create_choice_controls("grid", ctis, periods),
            create_section(
                _("Indicateurs de la période"),
                grid,
                description=_(
                    "Saisissez dans la colonne « Valeur saisie ». Une valeur validée ne se "
                    "modifie pas ici : corrigez-la depuis la page Saisie, avec un motif."
                ),
            ),
        ],
        gap="md",
    )


def _period(text: str | None) -> Period | None:
    try:
        return Period.parse(text) if text else None
    except ValueError:
        return None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("grid-entry-grid", "rowData"),
    Input("grid-cti-select", "value"),
    Input("grid-period-select", "value"),
    Input("grid-refresh-store", "data"),
)
def show_grid(cti: str | None, period: str | None, _refresh: int) -> list[dict[str, Any]]:
    """List the CTI's indicators for the period, with the official and current values."""
    parsed = _period(period)
    if not cti or parsed is None:
        return []
    with session_scope(current_engine()) as session:
        return entry_views.grid_rows(session, cti_id=int(cti), period=parsed)


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "message": Output("grid-message", "children"),
        "refresh": Output("grid-refresh-store", "data"),
    },
    inputs={
        "clicks": (Input("grid-save-button", "n_clicks"), Input("grid-submit-button", "n_clicks")),
        "rows": State("grid-entry-grid", "rowData"),
        "cti": State("grid-cti-select", "value"),
        "period": State("grid-period-select", "value"),
        "refresh": State("grid-refresh-store", "data"),
    },
    prevent_initial_call=True,
)
def save_whole_grid(
    *,
    clicks: Any,
    rows: list[dict[str, Any]] | None,
    cti: str | None,
    period: str | None,
    refresh: int,
) -> dict[str, Any]:
    """Save every filled row of the grid, all or nothing."""
    parsed = _period(period)
    if not cti or parsed is None:
        message = create_notice("error", _("Choisissez un CTI et une période."))
        return {"message": message, "refresh": no_update}
    entries = [
        GridEntry(
            indicator_id=int(r["indicator_id"]),
            value=r.get("value"),
            comment=str(r.get("comment") or ""),
            update_id=r.get("update_id"),
            version=r.get("version"),
        )
        for r in rows or []
    ]
    submit = ctx.triggered_id == "grid-submit-button"
    try:
        with session_scope(current_engine()) as session:
            outcome = save_grid(
                session=session,
                account=current_account(),
                cti_id=int(cti),
                period=parsed,
                entries=entries,
                today=current_settings().today(),
                submit=submit,
            )
    except GridErrors as exc:
        message = create_notice(
            "error", _("Rien n'a été enregistré : corrigez ces valeurs."), exc.errors
        )
        return {"message": message, "refresh": no_update}
    except UserError as exc:
        return {"message": create_notice("error", str(exc)), "refresh": no_update}
    text = _(
        "{saved}, {unchanged}.",
        saved=ngettext("{n} valeur enregistrée", "{n} valeurs enregistrées", outcome.saved),
        unchanged=ngettext("{n} inchangée", "{n} inchangées", outcome.unchanged),
    )
    kind = "warning" if outcome.warnings else "ok"
    return {
        "message": create_notice(kind, text, list(outcome.warnings)),
        "refresh": (refresh or 0) + 1,
    }
