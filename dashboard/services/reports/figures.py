"""The charts of a report: the pages' own figure builders, fed the same read models."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.services.figures import baseline as baseline_figures
from dashboard.services.figures import budget as budget_figures
from dashboard.services.figures import money as money_figures
from dashboard.services.figures import results as result_figures
from dashboard.services.figures import trajectory as trajectory_figures
from dashboard.services.figures.common import Figure
from dashboard.services.reports.charts import chart_image
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.language import Formats

Step = Callable[[str], None]


@dataclass(frozen=True)
class Chart:
    """A chart of the PDF: its section, the PNG as a data URI, a note, and its width."""

    section: str
    key: str
    image: str
    note: str = ""
    half: bool = False


@dataclass(frozen=True)
class FigureSpec:
    """A page figure to draw: where it goes, how wide, and the note shown under it."""

    section: str
    key: str
    figure: Figure
    note: str = ""
    half: bool = False
    height: int | None = None


def _national(data: ReportData, f: Formats) -> list[FigureSpec]:
    assert data.national is not None
    overview, contracts = data.national.overview, data.national.contracts
    scope = data.scope
    specs = [
        FigureSpec(
            "budget",
            "by_axis",
            budget_figures.build_budget_bars_figure(
                overview.by_axis, f._("Budget par axe (MDH)"), height=330
            ),
        ),
        FigureSpec(
            "budget",
            "by_cti",
            budget_figures.build_budget_bars_figure(
                overview.by_cti, f._("Budget par CTI (MDH)"), height=430
            ),
        ),
        FigureSpec(
            "budget",
            "pace",
            budget_figures.build_cumulative_figure(
                overview.series,
                overview.paths,
                f._("Décaissements cumulés et rythmes de référence (MDH)"),
                envelope=scope.envelope,
                envelope_label=f._("Enveloppe du plan"),
            ),
            f._(
                "Rythme linéaire : l'enveloppe de {envelope} répartie également sur {years} ans. "
                "Rythme 2014-2020 : dépenses cumulées du plan précédent à la même année de plan.",
                envelope=f.mdh(scope.envelope, 0),
                years=len(scope.years),
            ),
            height=330,
        ),
        FigureSpec(
            "results",
            "status_by_cti",
            result_figures.build_status_figure(
                contracts.status_by_cti, f._("Statut des indicateurs par CTI")
            ),
            half=True,
        ),
        FigureSpec(
            "results",
            "money_results",
            money_figures.build_money_results_figure(
                overview.money_results,
                f._("Dépense et résultats par CTI (%)"),
                tolerance=overview.tolerance,
            ),
            f._(
                "Losange cerclé : part de l'enveloppe décaissée supérieure de plus de {gap} "
                "points à la part des objectifs de fin de plan atteinte.",
                gap=f.number(overview.tolerance * 100),
            ),
            half=True,
        ),
        FigureSpec(
            "results",
            "matrix",
            result_figures.build_matrix_figure(
                overview.matrix, f._("Réalisation des objectifs par CTI et par axe (%)")
            ),
            f._(
                "Moyenne, par case, de la part de l'objectif de l'année atteinte "
                "(plafonnée à 100 %)."
            ),
        ),
    ]
    baseline = data.national.baseline
    if baseline is not None:
        specs.append(
            FigureSpec(
                "baseline",
                "yearly",
                baseline_figures.build_yearly_figure(
                    baseline.yearly,
                    f._("Dépenses par année de plan (MDH)"),
                    baseline_intensity=baseline.baseline.intensity,
                    current_intensity=baseline.current.intensity,
                    current_years=baseline.current.last_year - baseline.current.first_year + 1,
                ),
                f._(
                    "Année 1 = 2014 pour le plan 2014-2020 et 2022 pour le plan 2022-2025. "
                    "Hachures : décaissements après la fin du plan."
                ),
                height=330,
            )
        )
    return specs


def _cti(data: ReportData, f: Formats) -> list[FigureSpec]:
    view = data.cti
    assert view is not None
    short = {a.number: f._("Axe {n}", n=a.number) for a in view.axes}
    specs = [
        FigureSpec(
            "budget",
            "envelope_split",
            budget_figures.build_envelope_split_figure(
                view.grid, short, f._("Enveloppe par axe et par année (MDH)")
            ),
            half=True,
        ),
        FigureSpec(
            "budget",
            "by_axis",
            budget_figures.build_budget_bars_figure(
                view.by_axis.assign(label=[short.get(int(a), "") for a in view.by_axis["axis"]]),
                f._("Exécution par axe (MDH)"),
                height=340,
            ),
            half=True,
        ),
        FigureSpec(
            "budget",
            "pace",
            budget_figures.build_cumulative_figure(
                view.series,
                view.paths,
                f._("Décaissements cumulés du contrat (MDH)"),
                envelope=view.budget.envelope,
                envelope_label=f._("Enveloppe du contrat"),
            ),
            height=320,
        ),
    ]
    for trajectory in data.trajectories:
        row = trajectory.row
        title = f._("Trajectoire de {code} ({unit})", code=row.code, unit=row.unit)
        specs.append(
            FigureSpec(
                "trajectories",
                f"trajectory_{row.code}",
                trajectory_figures.build_trajectory_figure(trajectory, title),
                row.label,
                height=300,
            )
        )
    return specs


def figure_specs(data: ReportData, f: Formats) -> list[FigureSpec]:
    """Return the figures of the report, built as the pages build them."""
    return _national(data, f) if data.national is not None else _cti(data, f)


def draw(specs: list[FigureSpec], step: Step) -> list[Chart]:
    """Draw each figure (calling ``step`` with its key after each one)."""
    charts = []
    for spec in specs:
        width = 380 if spec.half else 760
        png = chart_image(spec.figure, width=width, height=spec.height)
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        charts.append(Chart(spec.section, spec.key, uri, spec.note, spec.half))
        step(spec.key)
    return charts
