"""Entering progress `/updates`: one value with its evidence, and the indicator's history.

A cti_editor enters values for its own CTI, analysts for any; the server checks every write
(the account comes from the session, never from the browser). The grid for a whole period is
on /updates/grille, the analysts' validation queue on /updates/validation.
"""

from __future__ import annotations

import base64
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, dcc, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.visibility import can_somewhere
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.entry_forms import (
    create_notice,
    create_role_notice,
    create_text_list,
)
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.components.progress_forms import (
    create_choice_controls,
    create_history,
    create_progress_form,
)
from dashboard.db.engine import session_scope
from dashboard.domain.numbers import input_number
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, page_title
from dashboard.services import entry_views
from dashboard.services.context import current_engine, current_settings
from dashboard.services.entry import ValidationFailed, saved_text
from dashboard.services.errors import UserError
from dashboard.services.evidence import Upload, check_chosen_for, choice_key, read_evidence
from dashboard.services.progress import Attachment, correct_progress, save_progress
from dashboard.services.progress_workflow import withdraw_progress

dash.register_page(
    __name__, path="/updates", title=page_title("Saisie de l'avancement"), name="updates"
)
register_nav_item(
    NavItem(
        "/updates",
        "Saisie de l'avancement",
        "updates",
        section="Saisie et contrôle",
        order=10,
        action=Action.ENTER_PROGRESS,
    )
)
FIELDS = {
    "value": "updates-value-input",
    "comment": "updates-comment-input",
    "reason": "updates-reason-input",
    "period": "updates-period-select",
}
MODE_TEXT = {
    "new": N_("Aucune valeur pour cette période."),
    "edit": N_("Valeur en cours : {status}."),
    "correct": N_("Valeur validée (verrouillée) : la modifier crée une correction, avec un motif."),
}


def _links(account: Any) -> Any:
    """Link the other entry pages the account may use."""
    links = [
        (_("Saisir toute une période (grille)"), "/updates/grille", Action.ENTER_PROGRESS),
        (_("File de validation"), "/updates/validation", Action.VALIDATE_PROGRESS),
        (_("Import Excel"), "/import", Action.IMPORT_FILE),
    ]
    return dmc.Group(
        [
            dmc.Anchor(label, href=href)
            for label, href, action in links
            if can_somewhere(account, action)
        ],
        gap="lg",
    )


def layout(**_query: str) -> Any:
    """Show the form and history for the CTIs the account works on (a notice to readers)."""
    account = current_account()
    header = create_page_header(
        _("Saisie de l'avancement"),
        _(
            "Une valeur est enregistrée en brouillon, puis soumise à validation : seules les "
            "valeurs validées comptent dans les chiffres officiels."
        ),
    )
    if not can_somewhere(account, Action.ENTER_PROGRESS):
        see = (_("Voir les valeurs validées par contrat-objectifs"), "/ctis")
        notice = create_role_notice("updates", account, Action.ENTER_PROGRESS, see)
        return dmc.Stack([header, notice], gap="md")
    with session_scope(current_engine()) as session:
        ctis = entry_views.allowed_ctis(
            entry_views.entry_ctis(session, account), account, Action.ENTER_PROGRESS
        )
        periods = entry_views.period_options(session, current_settings().today())
    links = _links(account)
    return dmc.Stack(
        [
            header,
            links,
            create_choice_controls("updates", ctis, periods),
            create_section(_("Une valeur, avec son justificatif"), create_progress_form()),
            create_section(_("Historique de l'indicateur"), create_history()),
            dcc.Store(id="updates-refresh-store", data=0),
            # The value (CTI, indicator, period) the evidence file was chosen for.
            dcc.Store(id="updates-evidence-store"),
        ],
        gap="md",
    )


def _period(text: str | None) -> Period | None:
    try:
        return Period.parse(text) if text else None
    except ValueError:
        return None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("updates-indicator-select", "data"),
    Output("updates-indicator-select", "value"),
    Input("updates-cti-select", "value"),
    State("updates-indicator-select", "value"),
)
def show_indicators(cti: str | None, chosen: str | None) -> tuple[Any, Any]:
    """Offer the CTI's indicators (keeping the one chosen when it belongs to the CTI)."""
    if not cti:
        return [], None
    with session_scope(current_engine()) as session:
        options = entry_views.indicator_options(session, int(cti))
    values = [o["value"] for o in options]
    return options, chosen if chosen in values else (values[0] if values else None)


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "value": Output("updates-value-input", "value"),
        "comment": Output("updates-comment-input", "value"),
        "reason": Output("updates-reason-input", "value"),
        "reason_shown": Output("updates-reason-input", "display"),
        "state": Output("updates-entry-state", "children"),
        "store": Output("updates-entry-store", "data"),
        "history": Output("updates-history-grid", "rowData"),
        "targets": Output("updates-targets-history", "children"),
        "label": Output("updates-value-input", "label"),
        "hint": Output("updates-value-input", "description"),
    },
    inputs={
        "indicator": Input("updates-indicator-select", "value"),
        "period": Input("updates-period-select", "value"),
        "refresh": Input("updates-refresh-store", "data"),
    },
)
def show_entry(*, indicator: str | None, period: str | None, refresh: int) -> dict[str, Any]:
    """Open the current entry of the indicator for the period, and its history."""
    parsed = _period(period)
    if not indicator or parsed is None:
        return {
            "value": "",
            "comment": "",
            "reason": "",
            "reason_shown": "none",
            "state": "",
            "store": None,
            "history": [],
            "targets": None,
            "label": _("Valeur"),
            "hint": _("Un nombre, par exemple 12 ou 12,5"),
        }
    with session_scope(current_engine()) as session:
        state = entry_views.entry_state(session, indicator_id=int(indicator), period=parsed)
        history = entry_views.history_rows(
            session, indicator_id=int(indicator), evidence_dir=current_settings().evidence_dir
        )
        targets = entry_views.target_history(session, indicator_id=int(indicator))
    text = _(MODE_TEXT[state.mode], status=state.status)
    if state.rejection:
        text += " " + _("Motif du rejet : {reason}", reason=state.rejection)
    if state.evidence:
        text += " " + _("Justificatif : {name}", name=state.evidence)
    return {
        "value": "" if state.value is None else input_number(state.value),
        "comment": state.comment,
        "reason": "",
        "reason_shown": "block" if state.mode == "correct" else "none",
        "state": text,
        "store": {
            "mode": state.mode,
            "update_id": state.update_id,
            "version": state.version,
            "indicator": indicator,
            "period": period,
        },
        "history": history,
        "targets": create_text_list(targets, _("Aucune révision.")),
        "label": _("Valeur ({unit})", unit=state.unit),
        "hint": state.hint,
    }


@dash.callback(  # type: ignore[untyped-decorator]
    Output("updates-evidence-name", "children"),
    Output("updates-evidence-store", "data"),
    Input("updates-evidence-upload", "filename"),
    State("updates-cti-select", "value"),
    State("updates-indicator-select", "value"),
    State("updates-period-select", "value"),
)
def choose_evidence(
    filename: str | None, cti: str | None, indicator: str | None, period: str | None
) -> tuple[str, Any]:
    """Show the file chosen and record which value it was chosen for (checked on saving)."""
    if not filename:
        return "", None
    key = choice_key(cti=cti, indicator=indicator, period=period)
    return _("Fichier choisi : {name}", name=filename), {**key, "filename": filename}


@dash.callback(  # type: ignore[untyped-decorator]
    Output("updates-evidence-upload", "contents"),
    Output("updates-evidence-upload", "filename"),
    Input("updates-cti-select", "value"),
    Input("updates-indicator-select", "value"),
    Input("updates-period-select", "value"),
    Input("updates-refresh-store", "data"),
    prevent_initial_call=True,
)
def clear_evidence(_cti: Any, _indicator: Any, _period: Any, _refresh: Any) -> tuple[None, None]:
    """Forget the file chosen when the value changes (another CTI, indicator or period) or is saved.

    A file belongs to the value it was chosen for; left in the picker, it would be attached
    to the next value entered.
    """
    return None, None


def _attachment(contents: str | None, filename: str | None) -> Attachment | None:
    if not contents:
        return None
    raw = base64.b64decode(contents.split(",", 1)[-1])
    return Attachment(Upload(filename or "justificatif", raw), current_settings().evidence_dir)


def _write(form: dict[str, Any], store: dict[str, Any], submit: bool) -> Any:
    """Call the service that saves or corrects the value; return what it saved."""
    account, today = current_account(), current_settings().today()
    with session_scope(current_engine()) as session:
        if store["mode"] == "correct":
            return correct_progress(
                session=session,
                account=account,
                update_id=store["update_id"],
                version=store["version"],
                value=form["value"],
                reason=form["reason"] or "",
                comment=form["comment"] or "",
                today=today,
                submit=submit,
            )
        return save_progress(
            session=session,
            account=account,
            indicator_id=int(store["indicator"]),
            period=Period.parse(store["period"]),
            value=form["value"],
            comment=form["comment"] or "",
            today=today,
            update_id=store["update_id"],
            version=store["version"],
            attachment=_attachment(form["contents"], form["filename"]),
            submit=submit,
        )


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "errors": tuple(Output(field_id, "error") for field_id in FIELDS.values()),
        "message": Output("updates-form-message", "children"),
        "refresh": Output("updates-refresh-store", "data", allow_duplicate=True),
    },
    inputs={
        "clicks": (
            Input("updates-save-button", "n_clicks"),
            Input("updates-submit-button", "n_clicks"),
        ),
        "form": {
            "value": State("updates-value-input", "value"),
            "comment": State("updates-comment-input", "value"),
            "reason": State("updates-reason-input", "value"),
            "contents": State("updates-evidence-upload", "contents"),
            "filename": State("updates-evidence-upload", "filename"),
        },
        "choice": (
            State("updates-indicator-select", "value"),
            State("updates-period-select", "value"),
        ),
        "cti": State("updates-cti-select", "value"),
        "chosen": State("updates-evidence-store", "data"),
        "store": State("updates-entry-store", "data"),
        "refresh": State("updates-refresh-store", "data"),
    },
    prevent_initial_call=True,
)
def save_entry(
    *,
    clicks: Any,
    form: dict[str, Any],
    choice: Any,
    cti: str | None,
    chosen: Any,
    store: dict[str, Any] | None,
    refresh: int,
) -> dict[str, Any]:
    """Save the value as a draft, or submit it; show each refusal next to its field."""
    none = (None,) * len(FIELDS)
    if not store or [store.get("indicator"), store.get("period")] != list(choice):
        message = create_notice("error", _("Choisissez un indicateur et une période."))
        return {"errors": none, "message": message, "refresh": no_update}
    submit = ctx.triggered_id == "updates-submit-button"
    try:
        if form["contents"]:  # a file belongs to the value it was chosen for, and to no other
            check_chosen_for(
                chosen, form["filename"], cti=cti, indicator=choice[0], period=choice[1]
            )
        saved = _write(form, store, submit)
    except ValidationFailed as exc:
        errors = tuple(" ".join(exc.result.errors_for(f)) or None for f in FIELDS)
        message = create_notice(
            "error", _("Valeur non enregistrée : corrigez les champs signalés.")
        )
        return {"errors": errors, "message": message, "refresh": no_update}
    except UserError as exc:
        return {"errors": none, "message": create_notice("error", str(exc)), "refresh": no_update}
    done = saved_text("value", submit=submit, flagged=bool(saved.warnings))
    kind = "warning" if saved.warnings else "ok"
    notice = create_notice(kind, done, [w.message for w in saved.warnings])
    return {"errors": none, "message": notice, "refresh": (refresh or 0) + 1}


@dash.callback(  # type: ignore[untyped-decorator]
    Output("updates-form-message", "children", allow_duplicate=True),
    Output("updates-refresh-store", "data", allow_duplicate=True),
    Input("updates-withdraw-button", "n_clicks"),
    State("updates-entry-store", "data"),
    State("updates-refresh-store", "data"),
    prevent_initial_call=True,
)
def withdraw_entry(_n: int | None, store: dict[str, Any] | None, refresh: int) -> tuple[Any, Any]:
    """Take a submitted value back to draft."""
    if not store or not store.get("update_id"):
        return create_notice("error", _("Aucune valeur soumise à retirer.")), no_update
    try:
        with session_scope(current_engine()) as session:
            withdraw_progress(
                session=session,
                account=current_account(),
                update_id=store["update_id"],
                version=store["version"],
            )
    except UserError as exc:
        return create_notice("error", str(exc)), no_update
    return create_notice("ok", _("Valeur repassée en brouillon.")), (refresh or 0) + 1


@dash.callback(  # type: ignore[untyped-decorator]
    Output("updates-evidence-download", "data"),
    Output("updates-form-message", "children", allow_duplicate=True),
    Input("updates-evidence-button", "n_clicks"),
    State("updates-history-grid", "selectedRows"),
    prevent_initial_call=True,
)
def download_evidence(_n: int | None, selected: list[dict[str, Any]] | None) -> tuple[Any, Any]:
    """Send the evidence of the selected value (checked on the server)."""
    if not selected:
        return no_update, create_notice("error", _("Sélectionnez une ligne de l'historique."))
    try:
        with session_scope(current_engine()) as session:
            found = read_evidence(
                session=session,
                account=current_account(),
                evidence_dir=current_settings().evidence_dir,
                update_id=int(selected[0]["id"]),
            )
    except UserError as exc:
        return no_update, create_notice("error", str(exc))
    return dcc.send_bytes(found.content, found.name, type=found.mimetype), None
