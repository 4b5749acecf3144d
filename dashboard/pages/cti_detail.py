"""One contract `/ctis/<ACRONYM>`: the contract, its envelope, indicators, trajectories, budget.

Filters in the URL: ?year= (the view) and ?indicator= (the trajectory shown).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.components.blocks import (
    create_chart_card,
    create_illustrative_badge,
    create_kpi,
    create_not_found,
    create_page_header,
    create_section,
)
from dashboard.components.contract import create_contract_card, create_trajectory_block
from dashboard.components.filters import create_query_names, create_year_control
from dashboard.components.indicators import create_measure_label, create_status_summary
from dashboard.components.paged_table import (
    PagedRows,
    create_paged_indicator_table,
    register_paged_table,
)
from dashboard.i18n import _, page_title
from dashboard.services.context import current_engine, current_settings
from dashboard.services.contracts import (
    CtiView,
    contract_indicator_choices,
    cti_view,
    indicator_trajectory,
)
from dashboard.services.figures import budget as budget_figures
from dashboard.services.formatting import (
    fmt_date,
    fmt_mdh,
    fmt_number,
    fmt_pct,
)
from dashboard.services.freshness_views import StaleLookup, StaleMark, row_mark, stale_lookup
from dashboard.services.measures import MEAN_ACHIEVEMENT
from dashboard.services.page_cache import cached_content, remember_as, remembered
from dashboard.services.scope import PlanScope, load_scope, year_choices

dash.register_page(
    __name__, path_template="/ctis/<acronym>", title=page_title("Contrat-objectifs"), name="cti"
)
TABLE = "cti-indicators-table"
GRID_COLUMNS = (
    "indicator",
    "baseline",
    "latest",
    "achievement",
    "pace",
    "status",
    "projection",
)


def _view(acronym: str, year: object, indicator: object) -> CtiView | None:
    """Return the contract's read model, shared by the page and its table until data changes."""
    settings = current_settings()

    def build() -> CtiView | None:
        return cti_view(
            engine=current_engine(),
            today=settings.today(),
            acronym=acronym,
            year=year,
            indicator=indicator,
            thresholds=settings.thresholds,
        )

    # The same contract whether the page or its table asks: no year or indicator as None.
    key = (acronym.strip().upper(), year or None, indicator or None)
    view = remembered("cti_detail.view", build, *key)
    if view is not None and key[1] is None:
        remember_as("cti_detail.view", view, key[0], str(view.scope.year), key[2])
    return view


def _columns(view: CtiView) -> tuple[str, ...]:
    """Return the table's columns: one target per year of the plan between the values."""
    years = [f"target_{year}" for year in view.scope.years]
    return (*GRID_COLUMNS[:2], *years, *GRID_COLUMNS[2:])


def _stale(acronym: str, scope: PlanScope) -> StaleLookup:
    """Return the stale marks of the CTI's indicators shown (the calendar at the cutoff)."""
    return stale_lookup(engine=current_engine(), today=scope.cutoff, acronym=acronym)


def _trajectory_mark(trajectory: Any, stale: StaleLookup | None) -> StaleMark | None:
    if trajectory is None or stale is None:
        return None
    return row_mark(stale([int(trajectory.row.indicator_id)]), trajectory.row)


def _kpis(view: CtiView) -> Any:
    money = view.budget
    rates = money.execution
    return dmc.SimpleGrid(
        [
            create_kpi(
                _("Enveloppe du contrat"),
                fmt_mdh(money.envelope),
                _(
                    "{share} de l'enveloppe du plan",
                    share=fmt_pct(money.envelope / view.scope.envelope, 1),
                ),
                kpi_id="cti-envelope",
            ),
            create_kpi(
                _("Engagé"),
                fmt_mdh(money.committed),
                _("{share} de l'enveloppe", share=fmt_pct(rates.commitment_rate)),
                progress=rates.commitment_rate,
            ),
            create_kpi(
                _("Décaissé"),
                fmt_mdh(money.disbursed),
                _("{share} de l'enveloppe", share=fmt_pct(rates.disbursement_rate)),
                progress=rates.disbursement_rate,
            ),
            create_kpi(
                _("Taux d'exécution"),
                fmt_pct(rates.disbursement_rate, 1),
                _("{pending} en attente de validation", pending=fmt_mdh(money.pending_disbursed)),
                kpi_id="cti-execution",
            ),
            create_kpi(
                _("Indicateurs"),
                fmt_number(sum(view.status.values())),
                create_status_summary(view.status),
                kpi_id="cti-indicators-kpi",
            ),
            create_kpi(
                create_measure_label(MEAN_ACHIEVEMENT),
                fmt_pct(view.mean_achievement),
                _("Part de l'objectif de l'année atteinte (plafonnée à 100 %)"),
                kpi_id="cti-achievement",
            ),
        ],
        cols={"base": 1, "sm": 2},
    )


def _options(choices: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Return the indicator select's options: value the code, label "code · label"."""
    return [{"value": code, "label": f"{code} · {label}"} for code, label in choices]


def render(view: CtiView, stale: StaleLookup | None = None) -> Any:
    """Build the page body from the contract read model (stale values marked, if given)."""
    trajectory = view.trajectory
    badges = [create_illustrative_badge()] if view.illustrative else []
    labels = {a.number: a.label for a in view.axes}
    short = {a.number: _("Axe {n}", n=a.number) for a in view.axes}
    split_card = create_chart_card(
        budget_figures.build_envelope_split_figure(
            view.grid, short, _("Enveloppe par axe et par année (MDH)")
        ),
        budget_figures.envelope_split_table(view.grid, labels),
        graph_id="cti-envelope-graph",
        badges=badges,
    )
    budget_card = create_chart_card(
        budget_figures.build_budget_bars_figure(view.by_axis, _("Exécution par axe (MDH)")),
        budget_figures.budget_bars_table(view.by_axis, _("Axe")),
        graph_id="cti-budget-graph",
        badges=badges,
    )
    pace_card = create_chart_card(
        budget_figures.build_cumulative_figure(
            view.series,
            view.paths,
            _("Décaissements cumulés du contrat (MDH)"),
            envelope=view.budget.envelope,
            envelope_label=_("Enveloppe du contrat"),
        ),
        budget_figures.cumulative_table(view.series, view.paths),
        graph_id="cti-pace-graph",
        badges=badges,
    )
    # Only the indicator shown: the list of them all (933 at scale 100, 112 KB) comes by
    # indicator_choices when the select is first approached or reached (cti.js: pointer over
    # it, or focus in it). Set on load, it was drawn after the charts and kept the page busy
    # ~0.1 s longer.
    shown = [trajectory.row] if trajectory else []
    selector = dmc.Select(
        id="cti-indicator",
        data=_options((r.code, r.label) for r in shown),
        value=trajectory.row.code if trajectory else None,
        label=_("Indicateur"),
        searchable=True,
        allowDeselect=False,
        w=560,
        size="sm",
    )
    return dmc.Stack(
        [
            dmc.Grid(
                [
                    dmc.GridCol(
                        create_contract_card(view.info, view.citations), span={"base": 12, "lg": 5}
                    ),
                    dmc.GridCol(_kpis(view), span={"base": 12, "lg": 7}),
                ]
            ),
            create_section(
                _("Enveloppe et exécution"),
                dmc.SimpleGrid([split_card, budget_card], cols={"base": 1, "lg": 2}),
            ),
            create_section(_("Rythme de décaissement"), pace_card),
            create_section(
                _("Indicateurs du contrat"),
                dmc.Paper(
                    [
                        dmc.Group(badges, justify="flex-end", mb=6),
                        create_paged_indicator_table(TABLE, _paged_rows(view, stale)),
                    ],
                    withBorder=True,
                    p="md",
                    className="cti-card",
                ),
                description=_(
                    "Objectifs annuels, dernière valeur validée, réalisation de l'objectif de "
                    "l'année, respect de la trajectoire, statut et projection au rythme actuel."
                ),
            ),
            html.Section(
                [
                    dmc.Group(
                        [
                            dmc.Title(
                                _("Trajectoire d'un indicateur"),
                                order=2,
                                size="h3",
                                className="cti-section-title",
                            ),
                            selector,
                        ],
                        justify="space-between",
                        align="flex-end",
                        mb="sm",
                    ),
                    dcc.Store(id="cti-indicator-wanted", data=False),
                    html.Div(
                        create_trajectory_block(
                            trajectory, badges, _trajectory_mark(trajectory, stale)
                        ),
                        id="cti-trajectory",
                    ),
                ],
                className="cti-section",
                id="trajectoire",
            ),
        ],
        gap="md",
    )


@cached_content("cti_detail.layout")
def layout(
    acronym: str = "", year: str | None = None, indicator: str | None = None, **_query: str
) -> Any:
    """Build the page of one contract, or a "not found" page for an unknown acronym."""
    view = _view(acronym, year, indicator)
    if view is None:
        return create_not_found(
            _("Contrat introuvable"),
            _(
                "Aucun contrat-objectifs n'est enregistré pour le CTI « {acronym} ».",
                acronym=acronym,
            ),
            back_href="/ctis",
            back_label=_("← Retour aux contrats-objectifs"),
        )
    scope, info = view.scope, view.info
    badges = [create_illustrative_badge()] if view.illustrative else []
    return html.Div(
        [
            create_query_names("cti-query", ["year", "indicator"]),
            dcc.Store(id="cti-query-sync"),
            dcc.Store(id="cti-acronym", data=info.acronym),
            create_page_header(
                f"{info.acronym} · {info.name}",
                _(
                    "Contrat-objectifs {code}, signé le {day}",
                    code=scope.code,
                    day=fmt_date(info.signed_on),
                ),
                crumbs=[(_("Contrats-objectifs"), "/ctis"), (info.acronym, None)],
                badges=badges,
                controls=create_year_control(
                    "cti-year",
                    year_choices(scope.first_year, scope.last_year, scope.today),
                    scope.year,
                ),
            ),
            html.Div(render(view, _stale(info.acronym, scope)), id="cti-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("cti-content", "children"),
    Input("cti-year", "value"),
    State("cti-indicator", "value"),
    State("cti-acronym", "data"),
    prevent_initial_call=True,
)
@cached_content("cti_detail.update_cti")
def update_cti(year: str | None, indicator: str | None, acronym: str) -> Any:
    """Redraw the contract for the year chosen, keeping the indicator shown."""
    view = _view(acronym, year, indicator)
    return render(view, _stale(acronym, view.scope)) if view is not None else dash.no_update


def _rows(year: str | None, acronym: str) -> PagedRows | None:
    """Return the contract's indicators for the year, for its paged table and its exports."""
    view = _view(acronym, year, None)
    return _paged_rows(view, _stale(acronym, view.scope)) if view is not None else None


def _paged_rows(view: CtiView, stale: StaleLookup | None) -> PagedRows:
    return PagedRows(view.indicators, _columns(view), units=False, stale=stale)


register_paged_table(TABLE, [State("cti-year", "value"), State("cti-acronym", "data")], _rows)


@dash.callback(  # type: ignore[untyped-decorator]
    Output("cti-trajectory", "children"),
    Input("cti-indicator", "value"),
    State("cti-year", "value"),
    State("cti-acronym", "data"),
    prevent_initial_call=True,
)
@cached_content("cti_detail.update_trajectory")
def update_trajectory(indicator: str | None, year: str | None, acronym: str) -> Any:
    """Draw the trajectory of the indicator chosen."""
    settings = current_settings()
    trajectory = indicator_trajectory(
        engine=current_engine(),
        today=settings.today(),
        acronym=acronym,
        code=indicator,
        year=year,
        thresholds=settings.thresholds,
    )
    badges = [create_illustrative_badge()] if trajectory and trajectory.row.illustrative else []
    scope = load_scope(engine=current_engine(), today=settings.today(), year=year)
    stale = _stale(acronym, scope) if trajectory else None
    return create_trajectory_block(trajectory, badges, _trajectory_mark(trajectory, stale))


@dash.callback(  # type: ignore[untyped-decorator]
    Output("cti-indicator", "data"),
    Input("cti-indicator-wanted", "data"),
    State("cti-acronym", "data"),
    State("cti-year", "value"),
    prevent_initial_call=True,
)
@cached_content("cti_detail.indicator_choices")
def indicator_choices(wanted: bool | None, acronym: str | None, year: str | None) -> Any:
    """List every indicator of the contract in the trajectory's select, once it is reached."""
    if not wanted or not acronym:
        return dash.no_update
    today = current_settings().today()
    found = contract_indicator_choices(
        engine=current_engine(), today=today, acronym=acronym, year=year
    )
    return _options(found)


dash.clientside_callback(
    ClientsideFunction("cti", "syncQuery"),
    Output("cti-query-sync", "data"),
    Input("cti-year", "value"),
    Input("cti-indicator", "value"),
    State("cti-query", "data"),
    prevent_initial_call=True,
)
