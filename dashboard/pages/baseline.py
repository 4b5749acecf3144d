"""Baseline `/baseline`: the 2014-2020 plan against the 2022-2025 plan, side by side."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
import pandas as pd
from dash import Input, Output, html

from dashboard.components.blocks import (
    create_chart_card,
    create_illustrative_badge,
    create_kpi,
    create_page_header,
    create_section,
    create_source_badge,
)
from dashboard.components.markup import create_html_block, explained, join, table_head, tag
from dashboard.components.paged_table import (
    create_page_count,
    create_pager,
    page_slice,
    page_total,
)
from dashboard.i18n import _, page_title
from dashboard.services.baseline import BaselineView, baseline_view, intensity_change
from dashboard.services.context import current_engine, current_settings
from dashboard.services.figures import baseline as baseline_figures
from dashboard.services.formatting import (
    fmt_date,
    fmt_mdh,
    fmt_month,
    fmt_signed_pct,
    fmt_value,
)
from dashboard.services.page_cache import cached_content

dash.register_page(
    __name__, path="/baseline", title=page_title("Comparaison 2014-2020"), name="baseline"
)
TABLE = "baseline-mapping-table"


def _intensity_kpis(view: BaselineView) -> list[Any]:
    """Planned intensity (public envelopes) beside actual intensity (spending), each sourced."""
    old, new = view.baseline, view.current
    planned, actual = intensity_change(old, new)
    spent_badge = (
        create_illustrative_badge()
        if new.actual_illustrative or old.actual_illustrative
        else create_source_badge(_("Mouvements validés"), _("Données saisies"))
    )
    return [
        create_kpi(
            _("Intensité annuelle prévue"),
            _("{old} → {new}", old=fmt_mdh(old.intensity), new=fmt_mdh(new.intensity)),
            [
                _("Enveloppe ÷ années du plan : {change}", change=fmt_signed_pct(planned)),
                " ",
                create_source_badge(new.citation, _("Public")),
            ],
            kpi_id="baseline-intensity",
        ),
        create_kpi(
            _("Intensité annuelle réalisée"),
            _(
                "{old} → {new}",
                old=fmt_mdh(old.actual_intensity),
                new=fmt_mdh(new.actual_intensity),
            ),
            [
                _(
                    "Dépensé ÷ années couvertes ({years} pour {code}) : {change}",
                    years=fmt_value(new.actual_years, ""),
                    code=new.code,
                    change=fmt_signed_pct(actual),
                ),
                " ",
                spent_badge,
            ],
            kpi_id="baseline-actual-intensity",
        ),
    ]


def _kpis(view: BaselineView) -> Any:
    old, new = view.baseline, view.current
    return dmc.SimpleGrid(
        [
            create_kpi(
                _("Plan {code}", code=old.code),
                fmt_mdh(old.envelope, 0),
                [
                    _(
                        "{n} ans · signé en {day}",
                        n=old.last_year - old.first_year + 1,
                        day=fmt_month(old.signed_on),
                    ),
                    " ",
                    create_source_badge(old.citation, _("Public")),
                ],
                kpi_id="baseline-old-envelope",
            ),
            create_kpi(
                _("Plan {code}", code=new.code),
                fmt_mdh(new.envelope, 0),
                [
                    _(
                        "{n} ans · convention du {day}",
                        n=new.last_year - new.first_year + 1,
                        day=fmt_date(new.signed_on),
                    ),
                    " ",
                    create_source_badge(new.citation, _("Public")),
                ],
                kpi_id="baseline-new-envelope",
            ),
            *_intensity_kpis(view),
        ],
        cols={"base": 1, "sm": 2},
    )


def _view() -> BaselineView | None:
    settings = current_settings()
    return baseline_view(
        engine=current_engine(), today=settings.today(), thresholds=settings.thresholds
    )


def _mapping_page(view: BaselineView, page: object = 1) -> Any:
    """Build one page of the mapping (its rows in the view's order) and its row count."""
    _number, start, stop = page_slice(len(view.mapping), page)
    table = _mapping(view.mapping.iloc[start:stop])
    if page_total(len(view.mapping)) == 1:
        return [table]
    return [create_page_count(start, stop, len(view.mapping)), table]


def _mapping(frame: pd.DataFrame) -> Any:
    """Build the mapping's rows as one block of HTML (components/markup.py)."""
    head = [
        _("Axe"),
        _("Indicateur 2022-2025"),
        _("Mesure 2014-2020 de référence"),
        _("Comparaison"),
        _("CTI"),
    ]
    same = tag("span", _("À l'identique"), class_="cti-badge cti-badge-same")
    differs = explained(
        tag("span", _("Non comparable"), class_="cti-badge cti-badge-differs"),
        _("Périmètre, méthode ou référentiel différents : la comparaison est indicative."),
    )
    rows = [
        tag(
            "tr",
            join(
                [
                    tag("td", str(row.axis)),
                    tag(
                        "td",
                        tag("div", row.label, class_="cti-strong-label")
                        + tag("div", row.unit, class_="cti-sub"),  # translated by the view
                    ),
                    tag("td", row.baseline_measure or "—"),
                    tag("td", same if row.like_for_like else differs),
                    tag("td", str(row.ctis), class_="cti-num"),
                ]
            ),
        )
        for row in frame.itertuples()
    ]
    header = table_head([(h, False) for h in head])
    table = tag(
        "table",
        header + tag("tbody", join(rows), class_="cti-rows"),
        id=TABLE,
        class_="cti-table cti-html-table cti-mapping-table",
    )
    return create_html_block(tag("div", table, class_="cti-table-scroll"))


def _notes(view: BaselineView) -> Any:
    items = [
        dmc.Paper(
            [
                dmc.Text(note.text, size="sm"),
                dmc.Text(_("Retenu : {followed}", followed=note.followed), size="sm", fw=600, mt=4),
                *[
                    dmc.Text(_("Source : {citation}", citation=c), className="cti-source")
                    for c in note.sources
                ],
            ],
            withBorder=True,
            p="sm",
        )
        for note in view.notes
    ]
    return dmc.SimpleGrid(items, cols={"base": 1, "md": 2})


def render(view: BaselineView) -> Any:
    """Build the page body from the baseline read model."""
    old, new = view.baseline, view.current
    intensity = view.intensity
    spending_badges = [create_illustrative_badge()] if view.spending_illustrative else []
    intensity_card = create_chart_card(
        baseline_figures.build_intensity_figure(intensity, _("Enveloppes et intensité annuelle")),
        baseline_figures.intensity_table(intensity),
        graph_id="baseline-intensity-graph",
        badges=[
            create_source_badge(new.citation, _("Chiffres publics")),
            *spending_badges,
        ],
        note=" ".join(
            [
                _("Prévue : enveloppe divisée par le nombre d'années du plan (chiffres publics)."),
                _(
                    "Réalisée : dépenses du plan divisées par ses années, écoulées s'il est en "
                    "cours ; les paiements faits après sa fin comptent."
                ),
            ]
        ),
    )
    yearly_card = create_chart_card(
        baseline_figures.build_yearly_figure(
            view.yearly,
            _("Dépenses par année de plan (MDH)"),
            baseline_intensity=old.intensity,
            current_intensity=new.intensity,
            current_years=new.last_year - new.first_year + 1,
        ),
        baseline_figures.yearly_table(view.yearly),
        graph_id="baseline-yearly-graph",
        badges=spending_badges,
        note=_(
            "Année 1 = 2014 pour le plan 2014-2020 et 2022 pour le plan 2022-2025. "
            "Hachures : décaissements après la fin du plan."
        ),
    )
    network_card = create_chart_card(
        baseline_figures.build_network_figure(
            view.network, _("Indicateurs du réseau : indice, référence 2014-2020 = 100")
        ),
        baseline_figures.network_table(view.network),
        graph_id="baseline-network-graph",
        badges=[create_illustrative_badge()],
        note=_(
            "Références publiques (RECTIM, 2021) quand elles existent ; sinon somme des références "
            "des contrats. Objectifs et dernières valeurs : somme des neuf contrats."
        ),
    )
    return dmc.Stack(
        [
            _kpis(view),
            create_section(
                _("Moyens"),
                dmc.SimpleGrid([intensity_card, yearly_card], cols={"base": 1, "lg": 2}),
            ),
            create_section(_("Résultats du réseau"), network_card),
            create_section(
                _("Correspondance des indicateurs"),
                dmc.Paper(
                    [
                        dmc.Group([create_illustrative_badge()], justify="flex-end", mb=6),
                        create_pager(
                            TABLE,
                            body=_mapping_page(view),
                            total=len(view.mapping),
                            page=1,
                            label=_("Pages du tableau"),
                        ),
                    ],
                    withBorder=True,
                    p="md",
                    className="cti-card",
                ),
                description=_(
                    "La mesure du plan 2014-2020 à laquelle chaque indicateur 2022-2025 se compare."
                ),
            ),
            create_section(_("Notes sur les sources"), _notes(view)),
        ],
        gap="md",
    )


@cached_content("baseline.layout")
def layout(**_query: str) -> Any:
    """Build the comparison of the two plans."""
    view = _view()
    if view is None:
        return dmc.Alert(
            _(
                "Le plan de référence 2014-2020 n'est pas chargé : "
                "lancez « python -m dashboard seed »."
            ),
            color="red",
            id="baseline-missing",
        )
    return html.Div(
        [
            create_page_header(
                _("Plan {old} et plan {new}", old=view.baseline.code, new=view.current.code),
                _(
                    "Le plan 2014-2020, évalué par le comité de pilotage du FACET, "
                    "sert de référence."
                ),
            ),
            html.Div(render(view), id="baseline-content"),
        ]
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output(f"{TABLE}-page", "children"),
    Input(f"{TABLE}-pagination", "value"),
    prevent_initial_call=True,
)
@cached_content("baseline.show_mapping_page")
def show_mapping_page(page: int | None) -> Any:
    """Show one page of the mapping of the indicators."""
    view = _view()
    return _mapping_page(view, page) if view is not None else dash.no_update
