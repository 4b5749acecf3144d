"""What both formats of a report hold: its tables, the filters used, and how figures are made."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dashboard.domain.indicators import DEFAULT_THRESHOLDS, StatusThresholds
from dashboard.services.measures import MEASURES
from dashboard.services.reports import digest, indicators, tables
from dashboard.services.reports.data import ReportData
from dashboard.services.reports.language import Formats
from dashboard.services.reports.tables import Table

LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}


@dataclass(frozen=True)
class Content:
    """The report's tables by key, with the keys of the budget and baseline sections in order."""

    tables: dict[str, Table]
    budget: list[str] = field(default_factory=list)
    baseline: list[str] = field(default_factory=list)
    # The PDF's lists shown as a summary, being too long for paper: "indicators", "history".
    summarised: tuple[str, ...] = ()


def _national(data: ReportData, f: Formats, found: dict[str, Table]) -> Content:
    view = data.national
    assert view is not None
    for key, frame, first, title in (
        ("by_axis", view.overview.by_axis, f._("Axe"), f._("Budget par axe")),
        ("by_cti", view.overview.by_cti, f._("CTI"), f._("Budget par CTI")),
    ):
        found[key] = tables.budget_table(
            frame, f, key=key, title=title, first=first, totals=data.budget
        )
    found["axes"] = tables.axes_table(view.axes, f)
    found["contracts"] = tables.contracts_table(view.contracts, f)
    baseline = []
    if view.baseline is not None:
        for table in tables.baseline_tables(view.baseline, f):
            found[table.key] = table
            baseline.append(table.key)
    return Content(found, ["by_axis", "by_cti"], baseline)


def _cti(data: ReportData, f: Formats, found: dict[str, Table]) -> Content:
    view = data.cti
    assert view is not None
    found["by_axis"] = tables.budget_table(
        view.by_axis,
        f,
        key="by_axis",
        title=f._("Exécution par axe"),
        first=f._("Axe"),
        totals=data.budget,
    )
    labels = {a.number: a.label for a in view.axes}
    found["envelope_grid"] = tables.envelope_grid_table(view.grid, labels, data.scope.years, f)
    return Content(found, ["envelope_grid", "by_axis"])


def _pdf_lists(data: ReportData, f: Formats, found: dict[str, Table]) -> tuple[str, ...]:
    """Add the PDF's indicator and values tables, summarised when too long; return which were."""
    national = data.national is not None
    summarised: tuple[str, ...] = ()
    if digest.too_long(len(data.indicators)):
        found["indicator_counts"] = digest.status_counts_table(data, f)
        found["indicator_late"] = digest.most_late_table(data, f)
        summarised += ("indicators",)
    else:
        found["indicators"] = _indicators(data, f)
    values = indicators.period_rows(data)
    if not national and digest.too_long(len(values)):
        found["history_pdf"] = digest.values_counts_table(values, data, f)
        summarised += ("history",)
    else:
        found["history_pdf"] = indicators.period_history_table(data, f)
    return summarised


def _indicators(data: ReportData, f: Formats) -> Table:
    return indicators.indicators_table(
        data.indicators,
        f,
        national=data.national is not None,
        years=data.scope.years,
        title=f._("Indicateurs"),
    )


def report_content(data: ReportData, f: Formats, *, fmt: str) -> Content:
    """Return the tables of the report in one format (the PDF summarises the long lists)."""
    national = data.national is not None
    found: dict[str, Table] = {
        "status": tables.status_table(data.status, f),
        "late": indicators.late_table(data.late, f, national=national),
    }
    summarised: tuple[str, ...] = ()
    if fmt == "pdf":
        summarised = _pdf_lists(data, f, found)
    else:  # the workbook keeps every indicator and every value
        found["indicators"] = _indicators(data, f)
        found["history"] = indicators.history_table(
            data.history, f, national=national, title=f._("Historique des valeurs")
        )
    content = _national(data, f, found) if national else _cti(data, f, found)
    return replace(content, summarised=summarised)


def filters_used(data: ReportData, f: Formats) -> list[tuple[str, str]]:
    """Return the filters the report was built with, as (label, value) lines."""
    request, scope = data.request, data.scope
    year = f._("{year} (à date)", year=scope.year) if scope.to_date else str(scope.year)
    return [
        (f._("Périmètre"), request.cti or f._("National (tous les CTI)")),
        (f._("Année"), year),
        (
            f._("Trimestre"),
            f._("T{n} (valeurs déclarées jusqu'à ce trimestre)", n=request.quarter)
            if request.quarter
            else f._("Année entière"),
        ),
        (f._("Date d'arrêté des chiffres"), f.date(scope.cutoff)),
        (f._("Langue"), LANGUAGE_NAMES.get(request.lang, request.lang)),
        (
            f._("Seuils de statut"),
            f._(
                "conforme à partir de {on_track} du progrès attendu, à surveiller à partir de "
                "{watch}",
                on_track=f.pct(request.thresholds.on_track),
                watch=f.pct(request.thresholds.watch),
            ),
        ),
    ]


def method_lines(f: Formats, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """Return how the figures are computed: the measures' definitions (services/measures.py)."""
    return [
        f._("Seules les valeurs et les mouvements validés entrent dans les chiffres officiels."),
        f._("Taux d'exécution : montant décaissé rapporté à l'enveloppe allouée aux contrats."),
        *(
            f.pair(measure.name(f.lang), measure.definition(f.lang, thresholds))
            for measure in MEASURES
        ),
        f._(
            "Trajectoire : linéaire entre la référence et les objectifs annuels, chacun "
            "atteint à la fin de son année."
        ),
        f._("Projection : valeur de fin de plan si le rythme actuel se maintient."),
    ]


def illustrative_note(f: Formats) -> str:
    """Say what illustrative data is and that it will be replaced."""
    return f._(
        "Les enveloppes par CTI, les indicateurs, leurs objectifs et leurs valeurs, ainsi que "
        "les mouvements budgétaires, ne sont pas publics. Ce document les montre à titre "
        "illustratif : ils ont été générés de façon reproductible pour la démonstration et "
        "seront remplacés par les chiffres réels, par import ou saisie. Les faits publics "
        "(plans, enveloppes globales, axes, signataires) sont cités avec leur source."
    )


def report_title(data: ReportData, f: Formats) -> str:
    """Return the report's short title: "Plan CTI 2022-2025 · Rapport national"."""
    if data.cti is not None:
        return f._(
            "Plan CTI {code} · {acronym}", code=data.scope.code, acronym=data.cti.info.acronym
        )
    return f._("Plan CTI {code} · Rapport national", code=data.scope.code)
