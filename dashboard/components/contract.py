"""Pieces of a contract's page: its public facts, and an indicator's trajectory with its facts."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from markupsafe import Markup

from dashboard.components.blocks import create_chart_card, create_source_badge, create_status_badge
from dashboard.components.markup import create_html_block, stale_badge, tag
from dashboard.i18n import _
from dashboard.services.figures import trajectory as trajectory_figures
from dashboard.services.formatting import fmt_date, fmt_period, fmt_value
from dashboard.services.freshness_views import StaleMark
from dashboard.services.structure import ContractInfo
from dashboard.services.trajectory import TrajectoryView


def _fact(label: str, value: str, mark: Markup | None = None) -> Any:
    """Show a labelled fact (and a mark beside its value): one component of HTML, not three."""
    shown = tag("div", value, class_="cti-fact-value")
    if mark is not None:
        shown = tag("div", shown + mark, class_="cti-fact-marked")
    return create_html_block(tag("div", tag("div", label, class_="cti-fact-label") + shown))


def create_contract_card(info: ContractInfo, citations: dict[str, str]) -> Any:
    """Show a contract's public facts: sector, federation, signing date, signatories."""
    citation = citations.get(info.source, info.source)
    return dmc.Paper(
        dmc.Stack(
            [
                dmc.Group(
                    [
                        dmc.Title(_("Le contrat"), order=2, size="h4"),
                        create_source_badge(citation, _("Public")),
                    ],
                    justify="space-between",
                ),
                dmc.SimpleGrid(
                    [
                        _fact(_("Secteur"), info.sector),
                        _fact(
                            _("Fédération"),
                            f"{info.federation} · {info.federation_name}"
                            if info.federation_name
                            else info.federation,
                        ),
                        _fact(_("Signé le"), fmt_date(info.signed_on)),
                        _fact(_("Ville"), info.city or "—"),
                    ],
                    cols=2,
                    spacing="sm",
                ),
                _fact(_("Signataires"), info.signatories),
            ],
            gap="sm",
        ),
        withBorder=True,
        p="md",
        className="cti-card",
        id="cti-contract",
    )


def _indicator_facts(trajectory: TrajectoryView, stale: StaleMark | None = None) -> Any:
    """List where an indicator stands: value, expectation, projection, pace, pending value."""
    row = trajectory.row
    latest = _fact(
        _("Dernière valeur validée"),
        f"{fmt_value(row.latest_value, row.unit)} "
        f"({fmt_period(row.latest_year, row.latest_quarter)})",
        # The word and its explanation beside the value, not colour alone.
        None if stale is None else stale_badge(stale),
    )
    pending = (
        _(
            "{value} ({period}) en attente de validation",
            value=fmt_value(row.pending_value, row.unit),
            period=fmt_period(row.pending_year, row.pending_quarter),
        )
        if row.pending_count
        else _("Aucune")
    )
    pace = (
        _("plan terminé")
        if row.pace_needed is None
        else _("{value} par an", value=fmt_value(row.pace_needed, row.unit))
    )
    current = _("{value} par an", value=fmt_value(row.pace_current, row.unit))
    return dmc.Stack(
        [
            dmc.Group(
                [dmc.Text(row.code, fw=700), create_status_badge(row.status)],
                justify="space-between",
            ),
            dmc.Text(row.label, size="sm"),
            latest,
            _fact(_("Attendu à cette date"), fmt_value(row.expected, row.unit)),
            _fact(_("Objectif de fin de plan"), fmt_value(row.final_target, row.unit)),
            _fact(_("Projection fin de plan"), fmt_value(row.projected_end, row.unit)),
            _fact(_("Rythme actuel / nécessaire"), f"{current} · {pace}"),
            _fact(_("Valeur en attente"), pending),
            _fact(_("Mesure de référence 2014-2020"), row.baseline_measure or "—"),
        ],
        gap=8,
    )


def create_trajectory_block(
    trajectory: TrajectoryView | None, badges: list[Any], stale: StaleMark | None = None
) -> Any:
    """Build the trajectory chart of the selected indicator with its key facts.

    ``stale`` marks the latest validated value as stale (see ``freshness_views.mark_for``).
    """
    if trajectory is None:
        return dmc.Text(_("Ce contrat n'a pas encore d'indicateur."), c="dimmed")
    title = _("Trajectoire de {code} ({unit})", code=trajectory.row.code, unit=trajectory.row.unit)
    card = create_chart_card(
        trajectory_figures.build_trajectory_figure(trajectory, title),
        trajectory_figures.trajectory_table(trajectory),
        graph_id="cti-trajectory-graph",
        badges=badges,
    )
    facts = dmc.Paper(
        _indicator_facts(trajectory, stale), withBorder=True, p="md", className="cti-card"
    )
    return dmc.Grid(
        [
            dmc.GridCol(card, span={"base": 12, "lg": 8}),
            dmc.GridCol(facts, span={"base": 12, "lg": 4}),
        ]
    )
