"""Axes `/axes`: the five strategic axes, their budget and how their indicators stand."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components.blocks import (
    create_chart_card,
    create_illustrative_badge,
    create_page_header,
    create_section,
    create_source_badge,
)
from dashboard.components.filters import create_query_names, create_year_control
from dashboard.components.indicators import create_measure_label, create_status_summary
from dashboard.i18n import _, page_title
from dashboard.services.axes import AxesView, AxisSummary, axes_view
from dashboard.services.context import current_engine, current_settings
from dashboard.services.figures import budget as budget_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.formatting import fmt_date, fmt_mdh, fmt_pct
from dashboard.services.measures import MEAN_ACHIEVEMENT
from dashboard.services.page_cache import cached_content
from dashboard.services.palette import COMMITTED_COLOR, DISBURSED_COLOR
from dashboard.services.scope import year_choices

dash.register_page(__name__, path="/axes", title=page_title("Axes stratégiques"), name="axes")


def _view(year: object) -> AxesView:
    settings = current_settings()
    return axes_view(
        engine=current_engine(), today=settings.today(), year=year, thresholds=settings.thresholds
    )


def _money_line(label: Any, value: str, color: str | None = None) -> Any:
    dot = [html.Span(className="cti-dot", style={"background": color})] if color else []
    return dmc.Group(
        [dmc.Text([*dot, label], size="sm", c="dimmed"), dmc.Text(value, size="sm", fw=600)],
        justify="space-between",
    )


def _axis_card(summary: AxisSummary) -> Any:
    info, money = summary.info, summary.budget
    rates = money.execution
    bar = dmc.ProgressRoot(
        [
            dmc.ProgressSection(
                value=(rates.disbursement_rate or 0) * 100,
                color=DISBURSED_COLOR,
                **{"aria-label": _("Décaissé")},
            ),
            dmc.ProgressSection(
                value=max((rates.commitment_rate or 0) - (rates.disbursement_rate or 0), 0) * 100,
                color=COMMITTED_COLOR,
                **{"aria-label": _("Engagé, pas encore décaissé")},
            ),
        ],
        size="lg",
        mt=4,
    )
    return dmc.Paper(
        dmc.Stack(
            [
                dmc.Group(
                    [
                        html.Div(str(info.number), className="cti-axis-number"),
                        dmc.Anchor(
                            info.short or _("Axe {n}", n=info.number),
                            href=f"/axes/{info.number}",
                            fw=700,
                            size="lg",
                        ),
                    ],
                    gap="sm",
                    wrap="nowrap",
                ),
                dmc.Text(info.title, size="sm", c="dimmed", lineClamp=3),
                _money_line(_("Enveloppe"), fmt_mdh(money.envelope)),
                _money_line(
                    _("Engagé"),
                    f"{fmt_mdh(money.committed)} · {fmt_pct(rates.commitment_rate)}",
                    COMMITTED_COLOR,
                ),
                _money_line(
                    _("Décaissé"),
                    f"{fmt_mdh(money.disbursed)} · {fmt_pct(rates.disbursement_rate)}",
                    DISBURSED_COLOR,
                ),
                bar,
                _money_line(
                    create_measure_label(MEAN_ACHIEVEMENT), fmt_pct(summary.mean_achievement)
                ),
                create_status_summary(summary.status),
                dmc.Anchor(
                    _("Voir l'axe et ses indicateurs →"),
                    href=f"/axes/{info.number}",
                    size="sm",
                    fw=600,
                ),
            ],
            gap=8,
        ),
        withBorder=True,
        p="md",
        className="cti-axis-card",
        id=f"axes-card-{info.number}",
    )


def render(view: AxesView) -> Any:
    """Build the page body from the axes read model."""
    badges = [create_illustrative_badge()] if view.illustrative else []
    budget_card = create_chart_card(
        budget_figures.build_budget_bars_figure(
            view.by_axis, _("Budget par axe (MDH)"), height=420
        ),
        budget_figures.budget_bars_table(view.by_axis, _("Axe")),
        graph_id="axes-budget-graph",
        badges=badges,
    )
    crowded = result_figures.spread_note(view.spread)  # how to read shared dots, if any
    spread_card = create_chart_card(
        result_figures.build_spread_figure(
            view.spread,
            _("Réalisation de chaque indicateur, par axe (%)"),
            target_label=_("Objectif de l'année atteint"),
        ),
        result_figures.spread_table(view.spread),
        graph_id="axes-spread-graph",
        badges=badges,
        full_data=_("la page de chaque axe liste ses indicateurs et les exporte (CSV, Excel)"),
        note=" ".join([crowded, _("La boîte couvre la moitié centrale des indicateurs.")])
        if crowded
        else _(
            "Chaque point est l'indicateur d'un CTI ; "
            "la boîte couvre la moitié centrale des indicateurs."
        ),
    )
    return dmc.Stack(
        [
            dmc.SimpleGrid([_axis_card(a) for a in view.axes], cols={"base": 1, "sm": 2, "xl": 3}),
            create_section(
                _("Budget et résultats par axe"),
                dmc.SimpleGrid([budget_card, spread_card], cols={"base": 1, "lg": 2}),
            ),
        ],
        gap="md",
    )


@cached_content("axes.layout")
def layout(year: str | None = None, **_query: str) -> Any:
    """Build the axes page for the year in the URL."""
    view = _view(year)
    scope = view.scope
    badges = [create_source_badge(view.citation, _("Intitulés publics"))]
    if view.illustrative:
        badges.append(create_illustrative_badge())
    return html.Div(
        [
            create_query_names("axes-query", ["year"]),
            dcc.Store(id="axes-query-sync"),
            create_page_header(
                _("Axes stratégiques du plan {code}", code=scope.code),
                _("Convention-cadre du {day}", day=fmt_date(scope.signed_on)),
                badges=badges,
                controls=create_year_control(
                    "axes-year",
                    year_choices(scope.first_year, scope.last_year, scope.today),
                    scope.year,
                ),
            ),
            html.Div(render(view), id="axes-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("axes-content", "children"), Input("axes-year", "value"), prevent_initial_call=True
)
@cached_content("axes.update_axes")
def update_axes(year: str | None) -> Any:
    """Redraw the axes for the year chosen."""
    return render(_view(year))


dash.clientside_callback(
    ClientsideFunction("cti", "syncQuery"),
    Output("axes-query-sync", "data"),
    Input("axes-year", "value"),
    State("axes-query", "data"),
    prevent_initial_call=True,
)
