"""Budget movements `/budget`: commitments and disbursements, with the validation workflow.

Analysts record a movement as a draft, submit it, and validate or return it; a validated
movement is corrected by a new version with a reason. Envelope lines are revised on
/budget/enveloppes. Every write is checked on the server.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, ctx, dcc, html, no_update, set_props

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.visibility import can_somewhere
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.budget_forms import (
    create_movement_filters,
    create_movement_form,
    create_movement_list,
)
from dashboard.components.budget_view import create_contract_choice, create_movement_totals
from dashboard.components.entry_forms import create_notice, create_role_notice
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.db.engine import session_scope
from dashboard.domain.numbers import input_number
from dashboard.domain.workflow import Step
from dashboard.i18n import _, page_title
from dashboard.services import budget_entry_views as views
from dashboard.services.budget_entry import MovementInput, correct_movement, save_movement
from dashboard.services.budget_workflow import move_movement
from dashboard.services.context import current_engine, current_settings
from dashboard.services.entry import ValidationFailed, saved_text
from dashboard.services.errors import UserError

dash.register_page(__name__, path="/budget", title=page_title("Budget"), name="budget")
register_nav_item(
    NavItem(
        "/budget", "Engagements et décaissements", "budget", section="Saisie et contrôle", order=30
    )
)
FIELDS = {
    "kind": "budget-kind-select",
    "on_date": "budget-date-input",
    "amount": "budget-amount-input",
    "reference": "budget-reference-input",
    "comment": "budget-comment-input",
    "reason": "budget-reason-input",
}
STEPS = {
    "budget-step-submit": Step.SUBMIT,
    "budget-step-withdraw": Step.WITHDRAW,
    "budget-step-validate": Step.VALIDATE,
    "budget-step-reject": Step.REJECT,
}
FORM_IDS = {"axis": "budget-axis-select", **{k: v for k, v in FIELDS.items() if k != "reason"}}
EMPTY = {
    "axis": None,
    "kind": "commitment",
    "on_date": None,
    "amount": "",
    "reference": "",
    "comment": "",
}


def layout(**_query: str) -> Any:
    """Show a contract's movements and totals; the form and workflow to those who may use them."""
    account = current_account()
    may_enter = can_somewhere(account, Action.ENTER_BUDGET)
    with session_scope(current_engine()) as session:
        contracts = views.contract_options(session, account)  # a CTI editor's own contract
        axes = views.axis_options(session)
        filters = create_movement_filters(axes, views.year_options(session), views.state_options())
    children: list[Any] = [
        create_page_header(
            _("Engagements et décaissements"),
            _("Seuls les mouvements validés comptent dans l'exécution officielle du budget."),
        )
    ]
    if can_somewhere(account, Action.AMEND_CONTRACT):
        children.append(dmc.Anchor(_("Réviser une enveloppe (avenant)"), href="/budget/enveloppes"))
    if may_enter:
        form = create_movement_form(contracts, axes, current_settings().today())
        # The movement selected in the list, opened in the form (see show_versions).
        children.append(
            create_section(_("Mouvement"), html.Div([form, dcc.Store(id="budget-selected-store")]))
        )
    else:
        children += [
            create_role_notice("budget", account, Action.ENTER_BUDGET),
            create_contract_choice(contracts),
        ]
    movements = create_movement_list(filters, steps=may_enter)
    children.append(
        create_section(
            _("Mouvements du contrat"), html.Div([html.Div(id="budget-totals"), movements])
        )
    )
    return dmc.Stack(children, gap="md")


@dash.callback(  # type: ignore[untyped-decorator]
    Output("budget-movements-grid", "rowData"),
    Output("budget-movements-note", "children"),
    Output("budget-totals", "children"),
    Input("budget-contract-select", "value"),
    Input("budget-filter-axis", "value"),
    Input("budget-filter-year", "value"),
    Input("budget-filter-status", "value"),
    Input("budget-refresh-store", "data"),
)
def show_movements(
    contract: str | None, axis: str | None, year: str | None, status: str | None, _refresh: int
) -> tuple[list[dict[str, Any]], str, Any]:
    """List the newest movements of the chosen contract, by axis, year and state if chosen.

    Above them, the selection's totals (whatever the state filter): envelope, validated
    commitments and disbursements, and those submitted and not yet validated.
    """
    if not contract:
        return [], "", None
    where = views.MovementFilter(
        contract_id=int(contract),
        axis_id=int(axis) if axis else None,
        year=int(year) if year else None,
        status=status or None,
    )
    with session_scope(current_engine()) as session:
        found = views.movement_page(session, where=where)
        totals = views.movement_totals(session, where=where)
        scope = views.selection_label(session, where=where)
    return found.rows, found.note(views.MOVEMENTS_LIMITED), create_movement_totals(totals, scope)


@dash.callback(  # type: ignore[untyped-decorator]
    Output("budget-history-grid", "rowData"),
    Input("budget-movements-grid", "selectedRows"),
)
def show_versions(selected: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """List the versions of the selected movement, and open it in the form when there is one."""
    # Only those who may enter movements have the form: elsewhere this update is dropped.
    set_props("budget-selected-store", {"data": selected or []})
    if not selected:
        return []
    with session_scope(current_engine()) as session:
        return views.movement_history(session, movement_id=int(selected[0]["id"]))


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "fields": {key: Output(field_id, "value") for key, field_id in FORM_IDS.items()},
        "state": Output("budget-form-state", "children"),
        "store": Output("budget-form-store", "data"),
        "reason_shown": Output("budget-reason-input", "display"),
    },
    inputs={
        "selected": Input("budget-selected-store", "data"),
        "new": Input("budget-new-button", "n_clicks"),
    },
)
def open_movement(*, selected: list[dict[str, Any]] | None, new: int | None) -> dict[str, Any]:
    """Open the movement selected in the list in the form (or an empty form)."""
    if ctx.triggered_id == "budget-new-button" or not selected:
        return {
            "fields": EMPTY,
            "state": _("Nouveau mouvement."),
            "store": {"mode": "new"},
            "reason_shown": "none",
        }
    row = selected[0]
    mode = "correct" if row["status_code"] == "validated" else "edit"
    fields = {
        "axis": str(row["axis_id"]),
        "kind": row["kind_code"],
        "on_date": row["on_date"],
        "amount": input_number(row["amount"]),
        "reference": row["reference"],
        "comment": row["comment"],
    }
    text = _("Mouvement {ref} ({status}).", ref=row["reference"] or row["id"], status=row["status"])
    if mode == "correct":
        text += " " + _("Validé : le modifier crée une correction, avec un motif.")
    store = {
        "mode": mode,
        "id": row["id"],
        "version": row["version"],
        "contract": row["contract_id"],
    }
    return {
        "fields": fields,
        "state": text,
        "store": store,
        "reason_shown": "block" if mode == "correct" else "none",
    }


def _write(form: dict[str, Any], store: dict[str, Any], submit: bool) -> tuple[Any, Any]:
    """Save or correct the movement; return the form's new state and the save's warnings."""
    data = MovementInput(
        contract_id=int(form["contract"]),
        axis_id=int(form["axis"]) if form["axis"] else 0,
        kind=form["kind"] or "",
        on_date=form["on_date"] or None,  # read and checked by the service
        amount=form["amount"],
        reference=form["reference"] or "",
        comment=form["comment"] or "",
    )
    account, today = current_account(), current_settings().today()
    with session_scope(current_engine()) as session:
        if store.get("mode") == "correct":
            saved = correct_movement(
                session=session,
                account=account,
                movement_id=int(store["id"]),
                version=store.get("version"),
                data=data,
                reason=form["reason"] or "",
                today=today,
                submit=submit,
            )
        else:
            saved = save_movement(
                session=session,
                account=account,
                data=data,
                today=today,
                movement_id=store.get("id"),
                version=store.get("version"),
                submit=submit,
            )
    moved = saved.movement
    new = {"mode": "edit", "id": moved.id, "version": moved.version, "contract": moved.contract_id}
    return new, saved.warnings


@dash.callback(  # type: ignore[untyped-decorator]
    output={
        "errors": {key: Output(field_id, "error") for key, field_id in FIELDS.items()},
        "axis_error": Output("budget-axis-select", "error"),
        "message": Output("budget-form-message", "children"),
        "refresh": Output("budget-refresh-store", "data", allow_duplicate=True),
        "store": Output("budget-form-store", "data", allow_duplicate=True),
    },
    inputs={
        "clicks": (
            Input("budget-save-button", "n_clicks"),
            Input("budget-submit-button", "n_clicks"),
        ),
        "form": {
            key: State(field_id, "value")
            for key, field_id in {
                **FIELDS,
                "contract": "budget-contract-select",
                "axis": "budget-axis-select",
            }.items()
        },
        "store": State("budget-form-store", "data"),
        "refresh": State("budget-refresh-store", "data"),
    },
    prevent_initial_call=True,
)
def save(
    *, clicks: Any, form: dict[str, Any], store: dict[str, Any] | None, refresh: int
) -> dict[str, Any]:
    """Save the movement as a draft or submit it; show each refusal next to its field."""
    none = dict.fromkeys(FIELDS)
    if not form["contract"] or not form["axis"]:
        return {
            "errors": none,
            "axis_error": _("Choisissez l'axe."),
            "message": None,
            "refresh": no_update,
            "store": no_update,
        }
    submit = ctx.triggered_id == "budget-submit-button"
    try:
        new_store, warnings = _write(form, store or {"mode": "new"}, submit)
    except ValidationFailed as exc:
        errors = {key: " ".join(exc.result.errors_for(key)) or None for key in FIELDS}
        message = create_notice(
            "error", _("Mouvement non enregistré : corrigez les champs signalés.")
        )
        return {
            "errors": errors,
            "axis_error": None,
            "message": message,
            "refresh": no_update,
            "store": no_update,
        }
    except UserError as exc:
        return {
            "errors": none,
            "axis_error": None,
            "message": create_notice("error", str(exc)),
            "refresh": no_update,
            "store": no_update,
        }
    done = saved_text("movement", submit=submit, flagged=bool(warnings))
    return {
        "errors": none,
        "axis_error": None,
        "message": create_notice(
            "warning" if warnings else "ok", done, [w.message for w in warnings]
        ),
        "refresh": (refresh or 0) + 1,
        "store": new_store,
    }


@dash.callback(  # type: ignore[untyped-decorator]
    Output("budget-step-message", "children"),
    Output("budget-refresh-store", "data", allow_duplicate=True),
    Output("budget-review-reason", "error"),
    *(Input(button, "n_clicks") for button in STEPS),
    State("budget-movements-grid", "selectedRows"),
    State("budget-review-reason", "value"),
    State("budget-refresh-store", "data"),
    prevent_initial_call=True,
)
def step(*values: Any) -> tuple[Any, Any, Any]:
    """Submit, withdraw, validate or reject the selected movement."""
    selected, reason, refresh = values[len(STEPS) :]
    if not selected:
        return create_notice("error", _("Sélectionnez un mouvement.")), no_update, None
    chosen = STEPS[str(ctx.triggered_id)]
    try:
        with session_scope(current_engine()) as session:
            move_movement(
                session=session,
                account=current_account(),
                movement_id=int(selected[0]["id"]),
                version=selected[0].get("version"),
                step=chosen,
                reason=reason or "",
            )
    except ValidationFailed as exc:
        return (
            create_notice("error", exc.result.summary()),
            no_update,
            " ".join(exc.result.errors_for("reason")) or None,
        )
    except UserError as exc:
        return create_notice("error", str(exc)), no_update, None
    return (
        create_notice(
            "ok",
            _("C'est fait : mouvement {ref}.", ref=selected[0]["reference"] or selected[0]["id"]),
        ),
        (refresh or 0) + 1,
        None,
    )
