"""The forms of the progress pages, as factories (the pages own the callbacks)."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from dashboard.components.entry_forms import create_actions, create_grid
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _
from dashboard.services.formatting import fmt_period

EVIDENCE_MAX = 10 * 1024 * 1024
HISTORY_COLUMNS = [
    ("period", N_("Période"), 95),
    ("value", N_("Valeur"), 100),
    ("status", N_("Statut"), 150),
    ("by", N_("Saisie par"), 120),
    ("at", N_("Le (UTC)"), 140),
    ("reviewed_by", N_("Revue par"), 120),
    ("comment", N_("Commentaire"), 200),
    ("reason", N_("Motif"), 220),
    ("evidence", N_("Justificatif"), 150),
]


def period_label(text: str) -> str:
    """Show a period value ("2025-T3") in the reader's language ("2025-Q3" in English)."""
    try:
        period = Period.parse(text)
    except ValueError:
        return text
    return fmt_period(period.year, period.quarter)


def create_choice_controls(prefix: str, ctis: list[dict[str, str]], periods: list[str]) -> Any:
    """Build the CTI and period selects (the most recent quarter chosen by default)."""
    quarter = next((p for p in periods if "T" in p), periods[0] if periods else None)
    return dmc.Group(
        [
            dmc.Select(
                id=f"{prefix}-cti-select",
                label=_("CTI"),
                data=ctis,
                value=ctis[0]["value"] if ctis else None,
                allowDeselect=False,
                w=320,
            ),
            dmc.Select(
                id=f"{prefix}-period-select",
                label=_("Période"),
                data=[{"value": p, "label": period_label(p)} for p in periods],
                value=quarter,
                allowDeselect=False,
                w=160,
            ),
        ]
    )


def create_evidence_upload() -> Any:
    """Build the evidence picker: a button, and the chosen file's name."""
    return html.Div(
        [
            dmc.Text(
                _("Justificatif (PDF, image, xlsx ou csv ; 10 Mo au plus)"),
                size="sm",
                fw=500,
                id="updates-evidence-upload-label",  # names the file input (assets/cti.js)
            ),
            dcc.Upload(
                dmc.Button(_("Choisir un fichier"), variant="outline", size="xs"),
                id="updates-evidence-upload",
                max_size=EVIDENCE_MAX,
            ),
            dmc.Text(id="updates-evidence-name", size="xs", c="dimmed"),
        ]
    )


def create_progress_form() -> Any:
    """Build the form for one value: indicator, value, comment, correction reason, evidence."""
    return dmc.Stack(
        [
            dmc.Select(
                id="updates-indicator-select", label=_("Indicateur"), data=[], searchable=True
            ),
            dmc.Text(id="updates-entry-state", size="sm"),
            dmc.TextInput(
                id="updates-value-input",
                label=_("Valeur"),
                description=_("Un nombre, par exemple 12 ou 12,5"),
            ),
            dmc.Textarea(
                id="updates-comment-input", label=_("Commentaire"), autosize=True, minRows=2
            ),
            dmc.Textarea(
                id="updates-reason-input",
                label=_("Motif de la correction"),
                description=_("Obligatoire pour corriger une valeur validée"),
                autosize=True,
                display="none",
            ),
            create_evidence_upload(),
            create_actions(
                dmc.Button(
                    _("Enregistrer le brouillon"), id="updates-save-button", variant="outline"
                ),
                dmc.Button(_("Enregistrer et soumettre"), id="updates-submit-button"),
                dmc.Button(
                    _("Retirer (repasser en brouillon)"),
                    id="updates-withdraw-button",
                    variant="subtle",
                ),
            ),
            html.Div(id="updates-form-message"),
            dcc.Store(id="updates-entry-store"),
        ],
        gap="sm",
        maw=640,
    )


def create_history() -> Any:
    """Build the history of an indicator: its values, evidence download, target revisions."""
    return dmc.Stack(
        [
            create_grid("updates-history-grid", HISTORY_COLUMNS, selectable=True, height=300),
            create_actions(
                dmc.Button(
                    _("Télécharger le justificatif"),
                    id="updates-evidence-button",
                    variant="outline",
                    size="xs",
                )
            ),
            dcc.Download(id="updates-evidence-download"),
            dmc.Title(_("Révisions des objectifs"), order=3, size="h4"),
            html.Div(id="updates-targets-history"),
        ]
    )
