"""One axis `/axes/<number>`: its budget by CTI and its indicators across the CTIs.

Filters in the URL: ?year= (the view), ?cti= and ?status= (the indicator table).
"""

from __future__ import annotations

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
    create_source_badge,
)
from dashboard.components.filters import (
    create_choice_control,
    create_query_names,
    create_status_control,
    create_year_control,
)
from dashboard.components.indicators import create_status_summary
from dashboard.components.paged_table import (
    PagedRows,
    create_paged_indicator_table,
    register_paged_table,
)
from dashboard.i18n import _, ngettext, page_title
from dashboard.services import freshness_views
from dashboard.services.axes import AxisView, axis_view
from dashboard.services.context import current_engine, current_settings
from dashboard.services.figures import budget as budget_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.formatting import fmt_mdh, fmt_number, fmt_pct
from dashboard.services.page_cache import cached_content, remember_as, remembered
from dashboard.services.scope import year_choices

dash.register_page(
    __name__, path_template="/axes/<number>", title=page_title("Axe stratégique"), name="axis"
)
TABLE = "axis-indicators-table"
COLUMNS = ("indicator", "cti", "baseline", "latest", "target", "achievement", "pace", "status")


def _view(number: object, year: object, cti: object, status: object) -> AxisView | None:
    """Return the axis's read model, shared by the page and its table until data changes."""
    settings = current_settings()

    def build() -> AxisView | None:
        return axis_view(
            engine=current_engine(),
            today=settings.today(),
            number=number,
            year=year,
            cti=str(cti) if cti else None,
            status=str(status) if status else None,
            thresholds=settings.thresholds,
        )

    # The same axis whether the page or its table asks: the number as text, no filter as None.
    key = (str(number), year or None, cti or None, status or None)
    view = remembered("axis_detail.view", build, *key)
    if view is not None and key[1] is None:
        remember_as("axis_detail.view", view, key[0], str(view.scope.year), *key[2:])
    return view


def _stale(view: AxisView) -> freshness_views.StaleLookup:
    """Return the stale marks of the indicators shown (the calendar at the view's cutoff)."""
    return freshness_views.stale_lookup(engine=current_engine(), today=view.scope.cutoff)


def _kpis(view: AxisView) -> Any:
    money = view.summary.budget
    rates = money.execution
    total = sum(view.summary.status.values())
    return dmc.SimpleGrid(
        [
            create_kpi(
                _("Enveloppe de l'axe"), fmt_mdh(money.envelope), _("Somme des neuf contrats")
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
                _("Indicateurs"),
                fmt_number(total),
                create_status_summary(view.summary.status),
                kpi_id="axis-indicators-kpi",
            ),
        ],
        cols={"base": 1, "sm": 2, "lg": 4},
    )


def render(view: AxisView) -> Any:
    """Build the page body from the axis read model."""
    badges = [create_illustrative_badge()] if view.illustrative else []
    budget_card = create_chart_card(
        budget_figures.build_budget_bars_figure(view.by_cti, _("Budget de l'axe par CTI (MDH)")),
        budget_figures.budget_bars_table(view.by_cti, _("CTI")),
        graph_id="axis-budget-graph",
        badges=badges,
    )
    spread_card = create_chart_card(
        result_figures.build_spread_figure(
            view.spread,
            _("Réalisation des indicateurs de l'axe, par CTI (%)"),
            target_label=_("Objectif de l'année atteint"),
        ),
        result_figures.spread_table(view.spread),
        graph_id="axis-spread-graph",
        badges=badges,
        full_data=_("le tableau complet s'exporte depuis « Indicateurs de l'axe » (CSV, Excel)"),
        note=" ".join(
            [
                _(
                    "Réalisation moyenne de l'axe : {share}.",
                    share=fmt_pct(view.summary.mean_achievement),
                ),
                result_figures.spread_note(view.spread),
            ]
        ).strip(),
    )
    return dmc.Stack(
        [
            _kpis(view),
            create_section(
                _("Budget et résultats"),
                dmc.SimpleGrid([budget_card, spread_card], cols={"base": 1, "lg": 2}),
            ),
            create_section(
                _("Indicateurs de l'axe"),
                dmc.Paper(
                    create_paged_indicator_table(TABLE, _paged_rows(view)),
                    withBorder=True,
                    p="md",
                    className="cti-card",
                ),
                description=ngettext(
                    "{n} indicateur affiché selon les filtres.",
                    "{n} indicateurs affichés selon les filtres.",
                    len(view.indicators),
                    n=fmt_number(len(view.indicators)),
                ),
            ),
        ],
        gap="md",
    )


@cached_content("axis_detail.layout")
def layout(
    number: str = "",
    year: str | None = None,
    cti: str | None = None,
    status: str | None = None,
    **_query: str,
) -> Any:
    """Build the page of one axis, or a "not found" page for an unknown number."""
    view = _view(number, year, cti, status)
    if view is None:
        return create_not_found(
            _("Axe introuvable"),
            _(
                "Le plan ne comporte pas d'axe « {number} ». Les axes sont numérotés de 1 à 5.",
                number=number,
            ),
            back_href="/axes",
            back_label=_("← Retour aux axes stratégiques"),
        )
    scope, info = view.scope, view.summary.info
    badges = [create_source_badge(view.citation, _("Intitulé public"))]
    controls = dmc.Group(
        [
            create_choice_control(
                "axis-cti",
                _("CTI"),
                [(c, c) for c in view.ctis],
                cti or "",
                all_label=_("Tous les CTI"),
            ),
            create_status_control("axis-status", status or ""),
            create_year_control(
                "axis-year",
                year_choices(scope.first_year, scope.last_year, scope.today),
                scope.year,
            ),
        ],
        align="flex-end",
    )
    return html.Div(
        [
            create_query_names("axis-query", ["year", "cti", "status"]),
            dcc.Store(id="axis-query-sync"),
            dcc.Store(id="axis-number", data=info.number),
            create_page_header(
                info.label,
                info.title,
                crumbs=[(_("Axes stratégiques"), "/axes"), (_("Axe {n}", n=info.number), None)],
                badges=badges,
                controls=controls,
            ),
            html.Div(render(view), id="axis-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("axis-content", "children"),
    Input("axis-year", "value"),
    Input("axis-cti", "value"),
    Input("axis-status", "value"),
    State("axis-number", "data"),
    prevent_initial_call=True,
)
@cached_content("axis_detail.update_axis")
def update_axis(year: str | None, cti: str | None, status: str | None, number: int) -> Any:
    """Redraw the axis for the filters chosen."""
    view = _view(number, year, cti, status)
    return render(view) if view is not None else dash.no_update


def _rows(year: str | None, cti: str | None, status: str | None, number: int) -> PagedRows | None:
    """Return the axis's indicators the filters keep, for its paged table and its exports."""
    view = _view(number, year, cti, status)
    return _paged_rows(view) if view is not None else None


def _paged_rows(view: AxisView) -> PagedRows:
    return PagedRows(view.indicators, COLUMNS, stale=_stale(view))


register_paged_table(
    TABLE,
    [
        State("axis-year", "value"),
        State("axis-cti", "value"),
        State("axis-status", "value"),
        State("axis-number", "data"),
    ],
    _rows,
)


dash.clientside_callback(
    ClientsideFunction("cti", "syncQuery"),
    Output("axis-query-sync", "data"),
    Input("axis-year", "value"),
    Input("axis-cti", "value"),
    Input("axis-status", "value"),
    State("axis-query", "data"),
    prevent_initial_call=True,
)
