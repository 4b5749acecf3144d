"""Excel round trip `/import`: download the template, drop it back filled, preview, apply.

The preview lists each row to add or change and every error with its sheet, row and column;
applying is all or nothing. The file waits on the server between the two steps, under the
signed-in account, so the browser never sends it twice.
"""

from __future__ import annotations

import base64
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html, no_update

from dashboard.auth.permissions import Action, require
from dashboard.auth.session import current_account
from dashboard.auth.visibility import can_somewhere
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import (
    create_actions,
    create_grid,
    create_notice,
    create_role_notice,
)
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.db.engine import session_scope
from dashboard.db.models import Role
from dashboard.i18n import N_, _, ngettext, page_title
from dashboard.services import import_uploads
from dashboard.services.context import current_engine, current_settings
from dashboard.services.entry_views import entry_ctis
from dashboard.services.errors import UserError
from dashboard.services.excel_import import apply_import, preview_import
from dashboard.services.excel_template import build_template
from dashboard.services.import_report import ImportErrors, ImportReport
from dashboard.services.import_submit import drafts_from, submit_imported

dash.register_page(__name__, path="/import", title=page_title("Import Excel"), name="import")
register_nav_item(
    NavItem(
        "/import",
        "Import Excel",
        "import",
        section="Saisie et contrôle",
        order=40,
        action=Action.IMPORT_FILE,
    )
)
CHANGE_COLUMNS = [
    ("sheet", N_("Feuille"), 90),
    ("row", N_("Ligne"), 80),
    ("action", N_("Action"), 120),
    ("what", N_("Objet"), 220),
    ("before", N_("Avant"), 150),
    ("after", N_("Après"), 120),
]
PROBLEM_COLUMNS = [
    ("level", N_("Niveau"), 100),
    ("sheet", N_("Feuille"), 90),
    ("row", N_("Ligne"), 80),
    ("column", N_("Colonne"), 200),
    ("message", N_("Raison"), 520),
]


def _uploads_dir() -> Any:
    return current_settings().data_dir / "imports"


def layout(**_query: str) -> Any:
    """Show the template download, the upload, the preview and the apply button."""
    account = current_account()
    if not can_somewhere(account, Action.IMPORT_FILE):  # readers get a notice, not the form
        notice = create_role_notice("import", account, Action.IMPORT_FILE)
        return dmc.Stack([create_page_header(_("Import Excel")), notice], gap="md")
    with session_scope(current_engine()) as session:
        ctis = entry_ctis(session, account)
    if account is None or account.role != Role.CTI_EDITOR:
        ctis = [{"value": "", "label": _("Tous les CTI")}, *ctis]
    template = dmc.Group(
        [
            dmc.Select(
                id="import-cti-select",
                label=_("CTI du modèle"),
                data=ctis,
                value=ctis[0]["value"] if ctis else None,
                allowDeselect=False,
                w=320,
            ),
            dmc.Button(
                _("Télécharger le modèle Excel"), id="import-template-button", variant="outline"
            ),
            dcc.Download(id="import-template-download"),
        ],
        align="flex-end",
    )
    upload = dmc.Stack(
        [
            dcc.Upload(
                dmc.Paper(
                    _("Déposez ici le classeur .xlsx rempli, ou cliquez pour le choisir."),
                    withBorder=True,
                    p="lg",
                    className="cti-upload-zone",
                    id="import-upload-label",  # names the file input (assets/cti.js)
                ),
                id="import-upload",
                accept=".xlsx",
                multiple=False,
            ),
            dmc.Checkbox(
                id="import-submit-checkbox", label=_("Soumettre les valeurs pour validation")
            ),
            html.Div(id="import-summary"),
            create_grid("import-changes-grid", CHANGE_COLUMNS, row_id=None, height=260),
            create_grid("import-problems-grid", PROBLEM_COLUMNS, row_id=None, height=260),
            create_actions(
                dmc.Button(_("Appliquer l'import"), id="import-apply-button", disabled=True),
                dmc.Button(
                    _("Soumettre les brouillons importés"),
                    id="import-submit-drafts-button",
                    variant="outline",
                    display="none",
                ),
            ),
            html.Div(id="import-message"),
            dcc.Store(id="import-token-store"),
            dcc.Store(id="import-drafts-store"),
        ],
        gap="sm",
    )
    return dmc.Stack(
        [
            create_page_header(
                _("Import Excel"), _("Le modèle pré-rempli, puis l'aperçu avant tout import.")
            ),
            create_section(_("1. Télécharger le modèle"), template),
            create_section(_("2. Déposer le fichier rempli et vérifier l'aperçu"), upload),
        ],
        gap="md",
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("import-template-download", "data"),
    Output("import-message", "children", allow_duplicate=True),
    Input("import-template-button", "n_clicks"),
    State("import-cti-select", "value"),
    prevent_initial_call=True,
)
def download_template(_n: int | None, cti: str | None) -> tuple[Any, Any]:
    """Send the template pre-filled for the chosen CTI (or all)."""
    today = current_settings().today()
    account = current_account()
    # The template holds drafts, comments and reasons: checked on the server, as an import is
    # (a viewer, or a CTI editor asking for another CTI or for all of them, is refused).
    wanted = int(cti) if isinstance(cti, str) and cti.isdigit() else None
    try:
        with session_scope(current_engine()) as session:
            require(account, Action.IMPORT_FILE, wanted, session=session)
            chosen = next(
                (
                    c["label"].split(" — ")[0]
                    for c in entry_ctis(session, account)
                    if c["value"] == cti
                ),
                None,
            )
            content = build_template(session=session, cti=chosen, today=today)
    except UserError as exc:
        return no_update, create_notice("error", str(exc))
    name = f"modele-saisie-{chosen or 'tous'}-{today.isoformat()}.xlsx"
    return dcc.send_bytes(content, name), None


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "summary": Output("import-summary", "children"),
        "changes": Output("import-changes-grid", "rowData"),
        "problems": Output("import-problems-grid", "rowData"),
        "blocked": Output("import-apply-button", "disabled"),
        "token": Output("import-token-store", "data"),
        "message": Output("import-message", "children"),
    },
    inputs={
        "contents": Input("import-upload", "contents"),
        "submit": Input("import-submit-checkbox", "checked"),
        "filename": State("import-upload", "filename"),
    },
    prevent_initial_call=True,
)
def preview(*, contents: str | None, submit: bool | None, filename: str | None) -> dict[str, Any]:
    """Show what the file would add or change, and every error; change nothing."""
    empty = {"changes": [], "problems": [], "blocked": True, "token": None, "message": None}
    account = current_account()
    if not contents or account is None:
        return {**empty, "summary": None}
    content = base64.b64decode(contents.split(",", 1)[-1])
    try:
        with session_scope(current_engine()) as session:
            report = preview_import(
                session=session,
                account=account,
                content=content,
                today=current_settings().today(),
                submit=bool(submit),
            )
    except UserError as exc:
        return {**empty, "summary": create_notice("error", str(exc))}
    token = import_uploads.stash(_uploads_dir(), account.id, content) if report.ok else None
    kind = "ok" if report.ok else "error"
    text = _("{name} : {summary}.", name=filename or "fichier", summary=report.summary())
    if report.ok and report.state_note():
        text += " " + report.state_note()
    if not report.ok:
        text += " " + ngettext(
            "Corrigez l'erreur listée puis déposez le fichier de nouveau.",
            "Corrigez les {n} erreurs listées puis déposez le fichier de nouveau.",
            len(report.errors),
        )
    return {
        "summary": create_notice(kind, text),
        "changes": report.change_rows(),
        "problems": report.problem_rows(),
        "blocked": not (report.ok and report.changes),
        "token": token,
        "message": None,
    }


def applied_message(report: ImportReport) -> str:
    """Say what the import did and where the values stand (drafts count only once validated)."""
    text = _("Import appliqué : {summary}.", summary=report.summary())
    if report.state_note():
        text += " " + report.state_note()
    if report.drafts:
        text += " " + _(
            "Soumettez-les maintenant avec le bouton « Soumettre les brouillons importés », "
            "ou plus tard depuis la page Saisie."
        )
    return text


@dash.callback(  # type: ignore[untyped-decorator]
    Output("import-message", "children"),
    Output("import-apply-button", "disabled", allow_duplicate=True),
    Output("import-drafts-store", "data"),
    Output("import-submit-drafts-button", "display"),
    Input("import-apply-button", "n_clicks"),
    State("import-token-store", "data"),
    State("import-submit-checkbox", "checked"),
    State("import-upload", "filename"),
    prevent_initial_call=True,
)
def apply(
    _n: int | None, token: str | None, submit: bool | None, filename: str | None
) -> tuple[Any, Any, Any, str]:
    """Apply the previewed file, all or nothing; offer to submit the drafts it wrote."""
    account = current_account()
    if not token or account is None:
        notice = create_notice("error", _("Déposez d'abord un fichier sans erreur."))
        return notice, True, None, "none"
    try:
        content = import_uploads.take(_uploads_dir(), account.id, token)
        with session_scope(current_engine()) as session:
            report = apply_import(
                session=session,
                account=account,
                content=content,
                today=current_settings().today(),
                submit=bool(submit),
                filename=filename or "",
            )
    except ImportErrors as exc:
        notice = create_notice("error", str(exc), [str(e) for e in exc.report.errors[:20]])
        return notice, True, None, "none"
    except UserError as exc:
        return create_notice("error", str(exc)), True, None, "none"
    import_uploads.drop(_uploads_dir(), account.id, token)
    drafts = [{"kind": d.kind, "id": d.id, "version": d.version} for d in report.drafts]
    shown = "inline-block" if drafts else "none"
    return create_notice("ok", applied_message(report)), True, drafts or None, shown


@dash.callback(  # type: ignore[untyped-decorator]
    Output("import-message", "children", allow_duplicate=True),
    Output("import-submit-drafts-button", "display", allow_duplicate=True),
    Output("import-drafts-store", "data", allow_duplicate=True),
    Input("import-submit-drafts-button", "n_clicks"),
    State("import-drafts-store", "data"),
    prevent_initial_call=True,
)
def submit_drafts(_n: int | None, data: Any) -> tuple[Any, str, Any]:
    """Submit the drafts the import just wrote, each checked and audited by the workflow."""
    drafts = drafts_from(data)
    if not drafts:
        return create_notice("error", _("Aucun brouillon importé à soumettre.")), "none", None
    with session_scope(current_engine()) as session:
        outcome = submit_imported(session=session, account=current_account(), drafts=drafts)
    kind = "warning" if outcome.refused else "ok"
    return create_notice(kind, outcome.message(), outcome.refused[:20]), "none", None
