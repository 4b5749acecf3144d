"""Contracts `/ctis`: the nine contrats-objectifs, their execution and results.

Filters in the URL: ?year= (the view) and ?status= (contracts with indicators in that status).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ClientsideFunction, Input, Output, State, dcc, html
from markupsafe import Markup

from dashboard.components.blocks import (
    create_chart_card,
    create_illustrative_badge,
    create_page_header,
    create_section,
    create_source_badge,
)
from dashboard.components.filters import (
    create_query_names,
    create_status_control,
    create_year_control,
)
from dashboard.components.indicators import create_status_legend, measure_head
from dashboard.components.markup import create_html_block, cti_label, join, table_head, tag
from dashboard.domain.indicators import Status
from dashboard.i18n import _, ngettext, page_title, pair
from dashboard.services.context import current_engine, current_settings
from dashboard.services.contracts import ContractSummary, ContractsView, contracts_view
from dashboard.services.figures import budget as budget_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.formatting import fmt_date, fmt_mdh, fmt_pct
from dashboard.services.measures import MEAN_ACHIEVEMENT
from dashboard.services.page_cache import cached_content
from dashboard.services.palette import STATUS_ORDER, status_color, status_label
from dashboard.services.scope import year_choices

dash.register_page(__name__, path="/ctis", title=page_title("Contrats-objectifs"), name="ctis")


def _view(year: object, status: object) -> ContractsView:
    settings = current_settings()
    return contracts_view(
        engine=current_engine(),
        today=settings.today(),
        year=year,
        status=status,
        thresholds=settings.thresholds,
    )


def _counts(summary: ContractSummary) -> Markup:
    """Show the contract's indicators per status: a badge each, its label for screen readers."""
    badges = [_count_badge(s, summary.status[s]) for s in STATUS_ORDER]
    return tag("div", join(badges), class_="cti-counts")


def _count_badge(status: Status, count: int) -> Markup:
    label = tag("span", f" {status_label(status)}", class_="cti-sr-only")
    return tag(
        "span",
        join([str(count), label]),
        class_="cti-badge cti-count-badge" + ("" if count else " cti-count-none"),
        style=f"--cti-status:{status_color(status)}",
        data_tip=pair(status_label(status), count),  # for the mouse
    )


def _bar(ratio: float | None, label: str) -> Markup:
    """Show a share as a thin bar named for screen readers, like ``create_progress``."""
    value = max(0.0, min(ratio or 0.0, 1.0)) * 100
    return tag(
        "div",
        tag("div", class_="cti-bar-fill", style=f"width:{value:.1f}%"),
        class_="cti-bar",
        role="progressbar",
        aria_label=label,
        aria_valuemin="0",
        aria_valuemax="100",
        aria_valuenow=f"{value:.0f}",
    )


def _row(summary: ContractSummary) -> Markup:
    info, money = summary.info, summary.budget
    rates = money.execution
    numbers = [fmt_mdh(money.envelope), fmt_mdh(money.committed), fmt_mdh(money.disbursed)]
    federation = info.federation_name or info.federation
    return tag(
        "tr",
        join(
            [
                tag(
                    "td",
                    cti_label(info.acronym, f"/ctis/{info.acronym}")
                    + tag("div", info.name, class_="cti-sub"),
                    class_="cti-contract-cell",
                ),
                tag("td", tag("span", info.federation, data_tip=federation)),
                *[tag("td", number, class_="cti-num") for number in numbers],
                tag(
                    "td",
                    tag("div", fmt_pct(rates.disbursement_rate))
                    + _bar(rates.disbursement_rate, _("Décaissé / enveloppe")),
                    class_="cti-num cti-rate-cell",
                ),
                tag("td", fmt_pct(summary.mean_achievement), class_="cti-num"),
                tag("td", _counts(summary)),
            ]
        ),
    )


def _table(view: ContractsView) -> Any:
    """Build the contracts' table as one block of HTML (components/markup.py)."""
    heads = [
        (_("CTI"), False),
        (_("Fédération"), False),
        (_("Enveloppe"), True),
        (_("Engagé"), True),
        (_("Décaissé"), True),
        (_("Décaissé / enveloppe"), True),
        (measure_head(MEAN_ACHIEVEMENT), True),
        (_("Indicateurs par statut"), False),
    ]
    rows = [_row(c) for c in view.shown] or [
        tag(
            "tr",
            tag("td", _("Aucun contrat pour ce filtre."), colspan=len(heads)),
            class_="cti-empty-row",
        )
    ]
    table = tag(
        "table",
        table_head(heads) + tag("tbody", join(rows), class_="cti-rows"),
        id="ctis-table",
        class_="cti-table cti-html-table cti-contracts-table",
    )
    return create_html_block(tag("div", table, class_="cti-table-scroll"))


def render(view: ContractsView) -> Any:
    """Build the page body from the contracts read model."""
    badges = [create_illustrative_badge()] if view.illustrative else []
    status_card = create_chart_card(
        result_figures.build_status_figure(view.status_by_cti, _("Statut des indicateurs par CTI")),
        result_figures.status_table(view.status_by_cti, _("CTI")),
        graph_id="ctis-status-graph",
        badges=badges,
    )
    budget_card = create_chart_card(
        budget_figures.build_budget_bars_figure(
            view.by_cti, _("Exécution budgétaire par CTI (MDH)")
        ),
        budget_figures.budget_bars_table(view.by_cti, _("CTI")),
        graph_id="ctis-budget-graph",
        badges=badges,
    )
    return dmc.Stack(
        [
            dmc.Paper(
                [
                    dmc.Group(badges, justify="flex-end", mb=6),
                    _table(view),
                    create_status_legend(),
                ],
                withBorder=True,
                p="md",
                className="cti-card",
            ),
            create_section(
                _("Résultats et exécution"),
                dmc.SimpleGrid([status_card, budget_card], cols={"base": 1, "lg": 2}),
            ),
        ],
        gap="md",
    )


@cached_content("ctis.layout")
def layout(year: str | None = None, status: str | None = None, **_query: str) -> Any:
    """Build the contracts page for the filters in the URL."""
    view = _view(year, status)
    scope = view.scope
    signed = sorted({c.info.signed_on for c in view.contracts if c.info.signed_on})
    subtitle = ngettext("{n} contrat signé", "{n} contrats signés", len(view.contracts))
    if signed:
        subtitle += " " + _("le {day}", day=fmt_date(signed[-1]))
    controls = dmc.Group(
        [
            create_status_control("ctis-status", status or ""),
            create_year_control(
                "ctis-year",
                year_choices(scope.first_year, scope.last_year, scope.today),
                scope.year,
            ),
        ],
        align="flex-end",
    )
    return html.Div(
        [
            create_query_names("ctis-query", ["year", "status"]),
            dcc.Store(id="ctis-query-sync"),
            create_page_header(
                _("Contrats-objectifs {code}", code=scope.code),
                subtitle,
                badges=[create_source_badge(view.citation, _("Signataires et dates publics"))],
                controls=controls,
            ),
            html.Div(render(view), id="ctis-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("ctis-content", "children"),
    Input("ctis-year", "value"),
    Input("ctis-status", "value"),
    prevent_initial_call=True,
)
@cached_content("ctis.update_ctis")
def update_ctis(year: str | None, status: str | None) -> Any:
    """Redraw the contracts for the filters chosen."""
    return render(_view(year, status))


dash.clientside_callback(
    ClientsideFunction("cti", "syncQuery"),
    Output("ctis-query-sync", "data"),
    Input("ctis-year", "value"),
    Input("ctis-status", "value"),
    State("ctis-query", "data"),
    prevent_initial_call=True,
)
