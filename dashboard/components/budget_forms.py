"""The forms of the budget pages, as factories (the pages own the callbacks)."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from dashboard.components.entry_forms import create_actions, create_grid
from dashboard.i18n import N_, _

MOVEMENT_COLUMNS = [
    ("cti", N_("CTI"), 90),
    ("axis", N_("Axe"), 70),
    ("kind", N_("Type"), 120),
    ("on_date", N_("Date"), 110),
    ("amount", N_("Montant (MDH)"), 130),
    ("reference", N_("Référence"), 170),
    ("status", N_("Statut"), 150),
    ("comment", N_("Commentaire"), 220),
    ("reason", N_("Motif"), 200),
    ("by", N_("Saisi par"), 110),
    ("at", N_("Le (UTC)"), 140),
]
KIND_CHOICES = [("commitment", N_("Engagement")), ("disbursement", N_("Décaissement"))]


def create_movement_form(
    contracts: list[dict[str, str]], axes: list[dict[str, str]], today: date
) -> Any:
    """Build the form of a commitment or disbursement (a label on every field)."""
    first = contracts[0]["value"] if contracts else None
    return dmc.Stack(
        [
            dmc.Text(id="budget-form-state", size="sm"),
            dmc.Group(
                [
                    dmc.Select(
                        id="budget-contract-select",
                        label=_("CTI (contrat)"),
                        data=contracts,
                        value=first,
                        allowDeselect=False,
                        searchable=True,
                        w=300,
                    ),
                    dmc.Select(id="budget-axis-select", label=_("Axe"), data=axes, w=320),
                ]
            ),
            dmc.Group(
                [
                    dmc.Select(
                        id="budget-kind-select",
                        label=_("Type"),
                        value="commitment",
                        data=[{"value": v, "label": _(label)} for v, label in KIND_CHOICES],
                        allowDeselect=False,
                        w=180,
                    ),
                    dmc.DateInput(
                        id="budget-date-input",
                        label=_("Date"),
                        description=_("JJ/MM/AAAA"),
                        valueFormat="DD/MM/YYYY",
                        maxDate=today.isoformat(),
                        clearable=True,
                        w=170,
                    ),
                    dmc.TextInput(
                        id="budget-amount-input",
                        label=_("Montant (MDH)"),
                        description=_("Par exemple 1,25 pour 1 250 000 DH"),
                        w=200,
                    ),
                    dmc.TextInput(id="budget-reference-input", label=_("Référence"), w=220),
                ],
                align="flex-start",
            ),
            dmc.Textarea(
                id="budget-comment-input", label=_("Commentaire"), autosize=True, minRows=2
            ),
            dmc.Textarea(
                id="budget-reason-input",
                label=_("Motif de la correction"),
                description=_("Obligatoire pour corriger un mouvement validé"),
                autosize=True,
                display="none",
            ),
            create_actions(
                dmc.Button(_("Nouveau mouvement"), id="budget-new-button", variant="subtle"),
                dmc.Button(
                    _("Enregistrer le brouillon"), id="budget-save-button", variant="outline"
                ),
                dmc.Button(_("Enregistrer et soumettre"), id="budget-submit-button"),
            ),
            html.Div(id="budget-form-message"),
            dcc.Store(id="budget-form-store"),
        ],
        gap="sm",
        maw=900,
    )


def create_movement_filters(
    axes: list[dict[str, str]], years: list[str], states: list[dict[str, str]]
) -> Any:
    """Build the filters of the movement list (axis, year, state), empty meaning all."""
    choices = [
        ("budget-filter-axis", _("Filtrer par axe"), axes, _("Tous les axes"), 260),
        ("budget-filter-year", _("Filtrer par année"), years, _("Toutes les années"), 160),
        ("budget-filter-status", _("Filtrer par statut"), states, _("Tous les statuts"), 180),
    ]
    return dmc.Group(
        [
            dmc.Select(id=i, label=label, data=data, clearable=True, placeholder=empty, w=width)
            for i, label, data, empty, width in choices
        ]
    )


def create_movement_list(filters: Any, *, steps: bool = True) -> Any:
    """Build the movement list, the workflow buttons (with ``steps``), the selected versions.

    Accounts that may not move a movement through the workflow get the list without buttons.
    """
    workflow = [
        dmc.Textarea(
            id="budget-review-reason",
            label=_("Motif du rejet"),
            description=_("Obligatoire pour rejeter"),
            autosize=True,
        ),
        create_actions(
            dmc.Button(_("Soumettre"), id="budget-step-submit", variant="outline"),
            dmc.Button(_("Retirer"), id="budget-step-withdraw", variant="subtle"),
            # Colours dark enough for their text (WCAG AA 4.5:1).
            dmc.Button(_("Valider"), id="budget-step-validate", color="#1e7b34"),
            dmc.Button(_("Rejeter"), id="budget-step-reject", color="red.9", variant="outline"),
        ),
        html.Div(id="budget-step-message"),
    ]
    return dmc.Stack(
        [
            filters,
            dmc.Text(id="budget-movements-note", size="sm", c="dimmed"),
            create_grid("budget-movements-grid", MOVEMENT_COLUMNS, selectable=True, height=380),
            *(workflow if steps else []),
            dmc.Title(_("Versions du mouvement sélectionné"), order=3, size="h4"),
            create_grid("budget-history-grid", MOVEMENT_COLUMNS, height=200),
            dcc.Store(id="budget-refresh-store", data=0),
        ],
        gap="sm",
    )
