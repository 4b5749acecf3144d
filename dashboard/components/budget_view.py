"""Parts of /budget for everyone: the totals above the movements, the readers' contract select.

Those who may enter movements pick the contract in the movement form (budget_forms); the
others, who only read, get the same select (same id) on its own.
"""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc

from dashboard.components.blocks import create_kpi
from dashboard.domain.budget import Execution
from dashboard.i18n import _
from dashboard.services.budget_entry_views import MovementTotals
from dashboard.services.formatting import fmt_mdh, fmt_pct


def create_movement_totals(totals: MovementTotals, scope: str) -> Any:
    """Build the key figures of a selection of movements; ``scope`` says what it covers."""
    rates = Execution(totals.envelope, totals.committed, totals.disbursed)
    share = _("{share} de l'enveloppe", share=fmt_pct(rates.commitment_rate))
    paid = _("{share} de l'enveloppe", share=fmt_pct(rates.disbursement_rate))
    return dmc.Stack(
        [
            dmc.Text(scope, size="sm", c="dimmed", id="budget-totals-scope"),
            dmc.SimpleGrid(
                [
                    create_kpi(_("Enveloppe"), fmt_mdh(totals.envelope), kpi_id="budget-envelope"),
                    create_kpi(
                        _("Engagé (validé)"),
                        fmt_mdh(totals.committed),
                        share,
                        progress=rates.commitment_rate,
                        kpi_id="budget-committed",
                    ),
                    create_kpi(
                        _("Décaissé (validé)"),
                        fmt_mdh(totals.disbursed),
                        paid,
                        progress=rates.disbursement_rate,
                        kpi_id="budget-disbursed",
                    ),
                    create_kpi(
                        _("Engagements en attente"),
                        fmt_mdh(totals.pending_committed),
                        _("Soumis, pas encore validés"),
                        kpi_id="budget-pending-committed",
                    ),
                    create_kpi(
                        _("Décaissements en attente"),
                        fmt_mdh(totals.pending_disbursed),
                        _("Soumis, pas encore validés"),
                        kpi_id="budget-pending-disbursed",
                    ),
                ],
                cols={"base": 1, "sm": 3, "lg": 5},
            ),
        ],
        gap=6,
        mb="sm",
    )


def create_contract_choice(contracts: list[dict[str, str]]) -> Any:
    """Build the contract select of those who only read the movements."""
    return dmc.Select(
        id="budget-contract-select",
        label=_("CTI (contrat)"),
        data=contracts,
        value=contracts[0]["value"] if contracts else None,
        allowDeselect=False,
        searchable=True,
        w=300,
    )
