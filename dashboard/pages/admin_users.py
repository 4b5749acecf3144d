"""Accounts page `/admin/users` (admins): list, create, change role or CTI, disable, reset.

Every callback calls a service that checks the caller with `require` on the server: a
forged request from another role is refused and logged, whatever the browser shows.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, no_update
from sqlmodel import Session

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_access_denied, create_error, create_success, page_allowed
from dashboard.components.exports import with_grid_exports
from dashboard.components.grids import grid_options
from dashboard.db.engine import session_scope
from dashboard.i18n import N_, _, page_title
from dashboard.services import users
from dashboard.services.context import current_engine
from dashboard.services.errors import UserError

# No page permission here: every callback's service refuses a non-admin itself and audits
# what was attempted (the account it would have created or changed).
dash.register_page(__name__, path="/admin/users", title=page_title("Comptes"), name="admin-users")

COLUMNS = [
    ("username", N_("Identifiant")),
    ("full_name", N_("Nom complet")),
    ("role_label", N_("Rôle")),
    ("cti", N_("CTI")),
    ("active_label", N_("État")),
    ("last_login", N_("Dernière connexion (UTC)")),
    ("created", N_("Créé le")),
]


def _role_options() -> list[dict[str, str]]:
    return [{"value": code, "label": _(label)} for code, label in users.ROLE_LABELS.items()]


def _create_form(ctis: list[str]) -> Any:
    return dmc.Paper(
        [
            dmc.Title(_("Créer un compte"), order=2, size="h3", mb="sm"),
            dmc.Group(
                [
                    dmc.TextInput(id="admin-users-new-username", label=_("Identifiant"), w=180),
                    dmc.TextInput(id="admin-users-new-fullname", label=_("Nom complet"), w=240),
                    dmc.Select(
                        id="admin-users-new-role",
                        label=_("Rôle"),
                        data=_role_options(),
                        value="viewer",
                        allowDeselect=False,
                        w=180,
                    ),
                    dmc.Select(
                        id="admin-users-new-cti",
                        label=_("CTI (rôle Saisie CTI)"),
                        data=ctis,
                        clearable=True,
                        w=180,
                    ),
                    dmc.Button(_("Créer"), id="admin-users-create-button"),
                ],
                align="flex-end",
            ),
        ],
        withBorder=True,
        p="md",
    )


def _edit_panel(ctis: list[str]) -> Any:
    return dmc.Paper(
        [
            dmc.Title(_("Compte sélectionné"), order=2, size="h3", mb="xs"),
            dmc.Text(_("Sélectionnez une ligne du tableau."), id="admin-users-selected", mb="sm"),
            dmc.Group(
                [
                    dmc.Select(
                        id="admin-users-edit-role",
                        label=_("Rôle"),
                        data=_role_options(),
                        allowDeselect=False,
                        w=180,
                    ),
                    dmc.Select(
                        id="admin-users-edit-cti",
                        label=_("CTI"),
                        data=ctis,
                        clearable=True,
                        w=160,
                    ),
                    dmc.Button(_("Enregistrer le rôle"), id="admin-users-save-button"),
                    dmc.Button(
                        _("Réinitialiser le mot de passe"),
                        id="admin-users-reset-button",
                        variant="outline",
                    ),
                    dmc.Button(
                        _("Désactiver"),
                        id="admin-users-disable-button",
                        color="red.8",  # white on red.8 reaches 5.3:1 (light red text: 3.9:1)
                        variant="filled",
                    ),
                    dmc.Button(_("Réactiver"), id="admin-users-enable-button", variant="light"),
                ],
                align="flex-end",
            ),
        ],
        withBorder=True,
        p="md",
    )


def layout(**_query: str) -> Any:
    """Show the accounts to an administrator; anyone else gets a refusal."""
    account = current_account()
    if not page_allowed(account, Action.MANAGE_USERS, page="/admin/users"):
        return create_access_denied("admin-users")
    with session_scope(current_engine()) as session:
        rows = users.grid_rows(users.list_users(session, actor=account))
        ctis = users.cti_acronyms(session)
    return dmc.Stack(
        [
            dmc.Title(_("Comptes utilisateurs"), order=1, size="h2"),
            dmc.Text(
                _(
                    "Les mots de passe créés ou réinitialisés ici sont aléatoires et affichés"
                    " une seule fois : transmettez-les à la personne concernée."
                ),
                c="dimmed",
            ),
            _create_form(ctis),
            dmc.Box(id="admin-users-message"),
            with_grid_exports(
                dag.AgGrid(
                    id="admin-users-grid",
                    rowData=rows,
                    columnDefs=[{"field": key, "headerName": _(label)} for key, label in COLUMNS],
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    columnSize="responsiveSizeToFit",
                    dashGridOptions=grid_options(
                        {
                            "rowSelection": {
                                "mode": "singleRow",
                                "checkboxes": False,
                                "enableClickSelection": True,
                            },
                            "animateRows": False,
                        }
                    ),
                    style={"height": "420px"},
                ),
                "admin-users-grid",
                "comptes",
            ),
            _edit_panel(ctis),
        ],
        gap="md",
    )


def _password_notice(message: str, username: str, password: str) -> Any:
    return create_success(
        message,
        dmc.Group(
            [
                dmc.Text(_("Mot de passe de {name} :", name=username)),
                dmc.Code(password, id="admin-users-new-password"),
            ],
            mt="xs",
        ),
        dmc.Text(_("Il ne sera plus affiché."), size="sm", c="dimmed"),
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("admin-users-message", "children"),
    Output("admin-users-grid", "rowData"),
    Input("admin-users-create-button", "n_clicks"),
    State("admin-users-new-username", "value"),
    State("admin-users-new-fullname", "value"),
    State("admin-users-new-role", "value"),
    State("admin-users-new-cti", "value"),
    prevent_initial_call=True,
)
def create_account(
    _clicks: int | None,
    username: str | None,
    full_name: str | None,
    role: str | None,
    cti: str | None,
) -> tuple[Any, Any]:
    """Create an account with a random password and show that password once."""
    account = current_account()
    try:
        with session_scope(current_engine()) as session:
            user, password = users.create_with_random_password(
                session,
                actor=account,
                username=username or "",
                role=role or "",
                cti=cti,
                full_name=full_name or "",
            )
            rows = users.grid_rows(users.list_users(session, actor=account))
    except UserError as exc:
        return create_error(str(exc)), no_update
    notice = _password_notice(_("Compte créé."), user.username, password)
    return notice, rows


@dash.callback(  # type: ignore[untyped-decorator]
    Output("admin-users-selected", "children"),
    Output("admin-users-edit-role", "value"),
    Output("admin-users-edit-cti", "value"),
    Input("admin-users-grid", "selectedRows"),
    prevent_initial_call=True,
)
def show_selection(selected: list[dict[str, Any]] | None) -> tuple[Any, Any, Any]:
    """Fill the edit panel with the selected account (display only: no data leaves)."""
    if not selected:
        return _("Sélectionnez une ligne du tableau."), None, None
    row = selected[0]
    name = str(row.get("username", ""))
    full = str(row.get("full_name") or "")
    label = f"{name} ({full})" if full else name
    return label, row.get("role"), row.get("cti") or None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("admin-users-message", "children", allow_duplicate=True),
    Output("admin-users-grid", "rowData", allow_duplicate=True),
    Input("admin-users-save-button", "n_clicks"),
    Input("admin-users-reset-button", "n_clicks"),
    Input("admin-users-disable-button", "n_clicks"),
    Input("admin-users-enable-button", "n_clicks"),
    State("admin-users-grid", "selectedRows"),
    State("admin-users-edit-role", "value"),
    State("admin-users-edit-cti", "value"),
    prevent_initial_call=True,
)
def act_on_account(
    _save: int | None,
    _reset: int | None,
    _disable: int | None,
    _enable: int | None,
    selected: list[dict[str, Any]] | None,
    role: str | None,
    cti: str | None,
) -> tuple[Any, Any]:
    """Apply the clicked change to the selected account through the accounts service."""
    if not selected:
        return create_error(_("Sélectionnez d'abord un compte dans le tableau.")), no_update
    username = str(selected[0].get("username", ""))
    account = current_account()
    try:
        with session_scope(current_engine()) as session:
            notice = _apply(
                session, ctx.triggered_id, account, username=username, role=role, cti=cti
            )
            rows = users.grid_rows(users.list_users(session, actor=account))
    except UserError as exc:
        return create_error(str(exc)), no_update
    return notice, rows


def _apply(
    session: Session,
    trigger: object,
    account: Account | None,
    *,
    username: str,
    role: str | None,
    cti: str | None,
) -> Any:
    """Run the service behind the clicked button and say what was done."""
    if trigger == "admin-users-reset-button":
        password = users.reset_password(session, actor=account, username=username)
        return _password_notice(_("Mot de passe réinitialisé."), username, password)
    if trigger == "admin-users-disable-button":
        users.set_active(session, actor=account, username=username, active=False)
        return create_success(_("Compte {name} désactivé.", name=username))
    if trigger == "admin-users-enable-button":
        users.set_active(session, actor=account, username=username, active=True)
        return create_success(_("Compte {name} réactivé.", name=username))
    users.change_role(session, actor=account, username=username, role=role or "", cti=cti)
    return create_success(_("Rôle de {name} enregistré.", name=username))
