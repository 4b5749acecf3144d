"""Overview `/`: the 2022-2025 plan at a glance, for the year chosen (kept in ?year=)."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components.blocks import (
    create_chart_card,
    create_illustrative_badge,
    create_kpi,
    create_page_header,
    create_section,
    create_source_badge,
)
from dashboard.components.filters import create_query_names, create_year_control
from dashboard.components.freshness import create_freshness_panel
from dashboard.components.indicator_table import create_indicator_table
from dashboard.components.indicators import create_status_summary
from dashboard.i18n import _, ngettext, page_title
from dashboard.services import calendar, calendar_views, freshness_views
from dashboard.services.context import current_engine, current_settings
from dashboard.services.figures import budget as budget_figures
from dashboard.services.figures import money as money_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.formatting import fmt_date, fmt_mdh, fmt_number, fmt_pct
from dashboard.services.overview import OverviewView, overview_view
from dashboard.services.page_cache import cached_content
from dashboard.services.scope import year_choices

dash.register_page(__name__, path="/", title=page_title("Vue d'ensemble"), name="overview")
# Both measures (services/measures.py): the year's target as on the axis and contract pages,
# and the trajectory that ranks the list and sets the status.
LATE_COLUMNS = ("indicator", "cti", "latest", "expected", "achievement", "pace", "status")


def _view(year: object) -> OverviewView:
    settings = current_settings()
    return overview_view(
        engine=current_engine(), today=settings.today(), year=year, thresholds=settings.thresholds
    )


def _freshness(view: OverviewView) -> calendar.Freshness:
    """Return the reporting calendar as of the view's cutoff (today, or the end of a past year)."""
    return calendar.freshness(engine=current_engine(), today=view.scope.cutoff)


def _freshness_section(fresh: calendar.Freshness, illustrative: list[Any]) -> Any:
    return create_section(
        _("Fraîcheur des données"),
        create_freshness_panel(
            freshness_views.panel_rows(fresh),
            calendar_views.freshness_summary(fresh),
            badges=illustrative,
        ),
        description=" ".join(
            [
                _(
                    "Au {day}, par CTI : la période à saisir, les périodes en retard et l'âge"
                    " des dernières valeurs validées.",
                    day=fmt_date(fresh.today),
                ),
                _(
                    "Une valeur est périmée quand une période plus récente a dépassé son"
                    " échéance sans valeur validée."
                ),
            ]
        ),
    )


def _kpis(view: OverviewView) -> Any:
    scope, money = view.scope, view.budget
    rates = money.execution
    allocated = money.envelope
    counts = view.status
    total = sum(counts.values())
    time_value = (
        _("Plan clos")
        if scope.ended
        else ngettext("{months} mois", "{months} mois", scope.months_left, months=scope.months_left)
    )
    first = [
        create_kpi(
            _("Enveloppe du plan"),
            fmt_mdh(scope.envelope),
            [
                _("Convention-cadre du {day}", day=fmt_date(scope.signed_on)),
                " ",
                create_source_badge(view.plan_citation, _("Public")),
            ],
            kpi_id="kpi-envelope",
        ),
        create_kpi(
            _("Allouée aux contrats"),
            fmt_mdh(allocated),
            _("{share} de l'enveloppe du plan", share=fmt_pct(allocated / scope.envelope)),
            progress=allocated / scope.envelope,
            kpi_id="kpi-allocated",
        ),
        create_kpi(
            _("Engagé"),
            fmt_mdh(money.committed),
            _("{share} de l'enveloppe allouée", share=fmt_pct(rates.commitment_rate)),
            progress=rates.commitment_rate,
            kpi_id="kpi-committed",
        ),
        create_kpi(
            _("Décaissé"),
            fmt_mdh(money.disbursed),
            _("{pending} en attente de validation", pending=fmt_mdh(money.pending_disbursed)),
            progress=rates.disbursement_rate,
            kpi_id="kpi-disbursed",
        ),
    ]
    second = [
        create_kpi(
            _("Taux d'exécution"),
            fmt_pct(rates.disbursement_rate, 1),
            _("Décaissé rapporté à l'enveloppe allouée"),
            kpi_id="kpi-execution",
        ),
        create_kpi(
            _("Contrats-objectifs signés"),
            f"{view.contracts_signed} / {view.contracts_total}",
            _("Signés le {day}", day=fmt_date(view.last_signed_on))
            if view.last_signed_on
            else None,
            kpi_id="kpi-contracts",
        ),
        create_kpi(
            _("Indicateurs suivis"),
            fmt_number(total),
            create_status_summary(counts),
            kpi_id="kpi-indicators",
        ),
        create_kpi(
            _("Temps restant"),
            time_value,
            _(
                "Fin du plan le 31 décembre {year} · {elapsed} du temps écoulé",
                year=scope.last_year,
                elapsed=fmt_pct(scope.elapsed),
            ),
            progress=scope.elapsed,
            kpi_id="kpi-time",
        ),
    ]
    grid = {"base": 1, "sm": 2, "lg": 4}
    return dmc.Stack(
        [dmc.SimpleGrid(first, cols=grid), dmc.SimpleGrid(second, cols=grid)], gap="md"
    )


def render(view: OverviewView, fresh: calendar.Freshness | None = None) -> Any:
    """Build the page body from the overview read model (and the calendar, if given)."""
    scope = view.scope
    when = (
        _("Situation à date, au {day}", day=fmt_date(scope.cutoff))
        if scope.to_date
        else _("Situation à fin {year}", year=scope.year)
    )
    illustrative = [create_illustrative_badge()] if view.budget.illustrative else []
    axis_card = create_chart_card(
        budget_figures.build_budget_bars_figure(
            view.by_axis, _("Budget par axe (MDH)"), height=440
        ),
        budget_figures.budget_bars_table(view.by_axis, _("Axe")),
        graph_id="overview-axis-graph",
        badges=illustrative,
    )
    cti_card = create_chart_card(
        budget_figures.build_budget_bars_figure(view.by_cti, _("Budget par CTI (MDH)"), height=440),
        budget_figures.budget_bars_table(view.by_cti, _("CTI")),
        graph_id="overview-cti-graph",
        badges=illustrative,
    )
    pace_card = create_chart_card(
        budget_figures.build_cumulative_figure(
            view.series,
            view.paths,
            _("Décaissements cumulés et rythmes de référence (MDH)"),
            envelope=scope.envelope,
            envelope_label=_("Enveloppe du plan"),
        ),
        budget_figures.cumulative_table(view.series, view.paths),
        graph_id="overview-pace-graph",
        badges=illustrative,
        note=_(
            "Rythme linéaire : l'enveloppe de {envelope} répartie également sur {years} ans. "
            "Rythme 2014-2020 : dépenses cumulées du plan précédent à la même année de plan.",
            envelope=fmt_mdh(scope.envelope, 0),
            years=len(scope.years),
        ),
    )
    matrix_card = create_chart_card(
        result_figures.build_matrix_figure(
            view.matrix, _("Réalisation des objectifs par CTI et par axe (%)")
        ),
        result_figures.matrix_table(view.matrix),
        graph_id="overview-matrix-graph",
        badges=illustrative,
        note=_(
            "Moyenne, par case, de la part de l'objectif de l'année atteinte (plafonnée à 100 %)."
        ),
    )
    money_card = create_chart_card(
        money_figures.build_money_results_figure(
            view.money_results, _("Dépense et résultats par CTI (%)"), tolerance=view.tolerance
        ),
        money_figures.money_results_table(view.money_results),
        graph_id="overview-money-graph",
        badges=illustrative,
        note=_(
            "Losange cerclé : part de l'enveloppe décaissée supérieure de plus de {gap} points "
            "à la part des objectifs de fin de plan atteinte.",
            gap=fmt_number(view.tolerance * 100),
        ),
    )
    halves = {"base": 1, "lg": 2}
    return dmc.Stack(
        [
            dmc.Group([dmc.Text(when, fw=600, id="overview-when"), *illustrative], gap="sm"),
            _kpis(view),
            create_section(_("Budget"), dmc.SimpleGrid([axis_card, cti_card], cols=halves)),
            create_section(_("Rythme d'exécution"), pace_card),
            create_section(_("Résultats"), dmc.SimpleGrid([matrix_card, money_card], cols=halves)),
            create_section(
                _("Indicateurs les plus en retard"),
                dmc.Paper(
                    create_indicator_table(
                        view.late,
                        table_id="overview-late-table",
                        columns=LATE_COLUMNS,
                        stale=freshness_views.stale_marks(fresh) if fresh else None,
                    ),
                    withBorder=True,
                    p="md",
                    className="cti-card",
                ),
                description=_(
                    "En retard puis à surveiller, du plus éloigné de sa trajectoire au plus proche."
                ),
            ),
            *([_freshness_section(fresh, illustrative)] if fresh else []),
        ],
        gap="md",
    )


@cached_content("overview.layout")
def layout(year: str | None = None, **_query: str) -> Any:
    """Build the overview for the year in the URL (the view to date by default)."""
    view = _view(year)
    scope = view.scope
    controls = create_year_control(
        "overview-year", year_choices(scope.first_year, scope.last_year, scope.today), scope.year
    )
    return html.Div(
        [
            create_query_names("overview-query", ["year"]),
            dcc.Store(id="overview-query-sync"),
            create_page_header(
                _("Vue d'ensemble du plan {code}", code=scope.code),
                _(
                    "{envelope} · {axes} axes stratégiques · {contracts} contrats-objectifs",
                    envelope=fmt_mdh(scope.envelope, 0),
                    axes=len(view.axes),
                    contracts=view.contracts_total,
                ),
                controls=controls,
            ),
            html.Div(render(view, _freshness(view)), id="overview-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("overview-content", "children"),
    Input("overview-year", "value"),
    prevent_initial_call=True,
)
@cached_content("overview.update_overview")
def update_overview(year: str | None) -> Any:
    """Redraw the overview for the year chosen."""
    view = _view(year)
    return render(view, _freshness(view))


dash.clientside_callback(
    ClientsideFunction("cti", "syncQuery"),
    Output("overview-query-sync", "data"),
    Input("overview-year", "value"),
    State("overview-query", "data"),
    prevent_initial_call=True,
)
