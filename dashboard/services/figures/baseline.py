"""Figures comparing the 2014-2020 plan (baseline) with the 2022-2025 plan."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.i18n import _, pair
from dashboard.services.figures.common import Figure, figure, hover, number, records, table
from dashboard.services.formatting import MISSING, fmt_mdh, fmt_number, fmt_signed_pct, fmt_value
from dashboard.services.palette import BASELINE_PLAN_COLOR, CURRENT_PLAN_COLOR

TARGET_COLOR = "#a6bfe0"


ACTUAL_PATTERN = "/"  # spent (illustrative in the demo) against planned (public envelopes)


def _envelope_trace(rows: list[dict[str, Any]], colors: list[str]) -> dict[str, Any]:
    texts = [fmt_mdh(number(row["envelope"]), 0) for row in rows]
    return {
        "type": "bar",
        "x": [row["plan"] for row in rows],
        "y": [number(row["envelope"]) for row in rows],
        "marker": {"color": colors},
        "text": texts,
        "textposition": "outside",
        "constraintext": "none",
        "textfont": {"size": 12},
        "cliponaxis": False,
        "customdata": [[t, int(r["years"])] for t, r in zip(texts, rows, strict=True)],
        "hovertemplate": hover(
            "<b>%{x}</b>", "%{customdata[0]}", pair(_("Durée"), _("{n} ans", n="%{customdata[1]}"))
        ),
        "showlegend": False,
    }


def _intensity_trace(
    rows: list[dict[str, Any]], colors: list[str], *, actual: bool
) -> dict[str, Any]:
    """Return one kind of yearly intensity of each plan: planned, or actually spent."""
    column = "actual_intensity" if actual else "intensity"
    name = intensity_name(actual=actual)
    amounts = [fmt_mdh(number(row[column]), 1) for row in rows]
    # On the bars the number alone (the axis says "MDH par an"): four labels side by side.
    texts = [fmt_number(number(row[column]), 1) for row in rows]
    basis = [
        _("{spent} sur {years} ans", spent=fmt_mdh(number(r["spent"])), years=_years(r))
        if actual
        else _(
            "{envelope} sur {years} ans",
            envelope=fmt_mdh(number(r["envelope"]), 0),
            years=str(int(r["years"])),
        )
        for r in rows
    ]
    return {
        "type": "bar",
        "name": name,
        # Two levels under the axis: the kind of intensity under each bar, then the plan.
        "x": [[row["plan"] for row in rows], [_short_name(actual=actual)] * len(rows)],
        "y": [number(row[column]) for row in rows],
        "xaxis": "x2",
        "yaxis": "y2",
        "marker": {
            "color": colors,
            "opacity": 0.55 if actual else 1.0,
            "line": {"color": colors, "width": 1.5},
            "pattern": {"shape": ACTUAL_PATTERN if actual else "", "fgcolor": colors},
        },
        "text": texts,
        "textposition": "outside",
        "constraintext": "none",
        "textfont": {"size": 12},
        "cliponaxis": False,
        "customdata": [[t, b] for t, b in zip(amounts, basis, strict=True)],
        "hovertemplate": hover("<b>%{x}</b>", pair(name, "%{customdata[0]}"), "%{customdata[1]}"),
        "showlegend": False,
    }


def _years(row: dict[str, Any]) -> str:
    years = number(row["actual_years"])
    return MISSING if years is None else fmt_number(years, 0 if years == int(years) else 1)


def _short_name(*, actual: bool) -> str:
    return _("Réalisée") if actual else _("Prévue")


def intensity_name(*, actual: bool) -> str:
    """Return the name of a yearly intensity: planned (envelopes) or actual (spending)."""
    return _("Réalisée (dépenses)") if actual else _("Prévue (enveloppe)")


def build_intensity_figure(frame: pd.DataFrame, title: str) -> Figure:
    """Draw each plan's envelope (MDH) and its yearly intensities (MDH a year) side by side.

    ``frame`` (``services.baseline.intensity_frame``): plan, envelope, years, intensity,
    spent, actual_years, actual_intensity; the baseline plan first. Envelope on the left
    (x, y); on the right (x2, y2) each plan's planned intensity (its envelope over its years)
    beside what it actually spent a year (hatched), each bar named under it.
    """
    rows = records(frame)
    colors = [BASELINE_PLAN_COLOR, CURRENT_PLAN_COLOR][: len(rows)]
    traces = [
        _envelope_trace(rows, colors),
        _intensity_trace(rows, colors, actual=False),
        _intensity_trace(rows, colors, actual=True),
    ]
    highest = max(
        [float(frame["intensity"].max())]
        + [float(v) for v in frame["actual_intensity"] if number(v) is not None]
    )
    return figure(
        traces,
        title,
        height=380,
        legend=False,
        layout={
            "barmode": "overlay",
            "bargap": 0.3,
            "xaxis": {"domain": [0.0, 0.36], "title": {"text": _("Enveloppe totale")}},
            "xaxis2": {
                "domain": [0.48, 1.0],
                "anchor": "y2",
                "automargin": True,
                "title": {"text": _("Intensité annuelle")},
            },
            "yaxis": {
                "title": {"text": _("MDH")},
                "range": [0, float(frame["envelope"].max()) * 1.2],
            },
            "yaxis2": {
                "title": {"text": _("MDH par an")},
                "range": [0, highest * 1.25],
                "anchor": "x2",
                "gridcolor": "#e6e9ef",
                "automargin": True,
            },
        },
    )


def intensity_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the envelopes and the planned and actual intensities as a table."""
    body = [
        [
            row["plan"],
            fmt_mdh(number(row["envelope"]), 0),
            str(int(row["years"])),
            fmt_mdh(number(row["intensity"]), 1),
            fmt_mdh(number(row["spent"]), 1),
            _years(row),
            fmt_mdh(number(row["actual_intensity"]), 1),
        ]
        for row in records(frame)
    ]
    head = [
        _("Plan"),
        _("Enveloppe"),
        _("Années"),
        _("Intensité prévue (par an)"),
        _("Dépensé"),
        _("Années couvertes"),
        _("Intensité réalisée (par an)"),
    ]
    return table(head, body)


def _year(value: Any) -> str:
    amount = number(value)
    return MISSING if amount is None else str(int(amount))


def build_yearly_figure(
    frame: pd.DataFrame,
    title: str,
    *,
    baseline_intensity: float,
    current_intensity: float,
    current_years: int | None = None,
) -> Figure:
    """Draw spending per plan year of both plans, with each plan's planned intensity as a line.

    ``frame`` has columns plan_year, baseline_year, baseline (MDH), current_year, current (MDH,
    validated disbursements), after_end (year after the current plan's end, drawn hatched).
    Each line spans its own plan's years (``current_years``: the current plan's, all if None).
    """
    rows = records(frame)
    x = [_("Année {n}", n=int(row["plan_year"])) for row in rows]
    after = _("(après la fin du plan)")
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": x,
            "y": [number(row["baseline"]) for row in rows],
            "name": _("2014-2020 : dépenses"),
            "marker": {"color": BASELINE_PLAN_COLOR},
            "customdata": [
                [_year(r["baseline_year"]), fmt_mdh(number(r["baseline"]))] for r in rows
            ],
            "hovertemplate": hover(
                "<b>%{x}</b> (%{customdata[0]})", pair(_("Dépenses"), "%{customdata[1]}")
            ),
        },
        {
            "type": "bar",
            "x": x,
            "y": [number(row["current"]) for row in rows],
            "name": _("2022-2025 : décaissé"),
            "marker": {
                "color": CURRENT_PLAN_COLOR,
                "pattern": {"shape": ["/" if row["after_end"] else "" for row in rows]},
            },
            "customdata": [
                [
                    _year(r["current_year"]) + (f" {after}" if r["after_end"] else ""),
                    fmt_mdh(number(r["current"])),
                ]
                for r in rows
            ],
            "hovertemplate": hover(
                "<b>%{x}</b> (%{customdata[0]})", pair(_("Décaissé"), "%{customdata[1]}")
            ),
        },
    ]
    last = current_years or max((int(row["plan_year"]) for row in rows), default=0)
    spans = (
        [label for label, row in zip(x, rows, strict=True) if number(row["baseline"]) is not None],
        [label for label, row in zip(x, rows, strict=True) if int(row["plan_year"]) <= last],
    )
    for value, name, color, shown in (
        (baseline_intensity, _("Intensité prévue 2014-2020"), BASELINE_PLAN_COLOR, spans[0]),
        (current_intensity, _("Intensité prévue 2022-2025"), CURRENT_PLAN_COLOR, spans[1]),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": shown,
                "y": [value] * len(shown),
                "mode": "lines",
                "name": _("{name} ({amount}/an)", name=name, amount=fmt_number(value, 1)),
                "line": {"color": color, "width": 2, "dash": "dash"},
                "hovertemplate": hover(pair(name, _("{amount} par an", amount=fmt_mdh(value)))),
            }
        )
    return figure(
        traces,
        title,
        height=380,
        layout={
            "barmode": "group",
            "bargap": 0.25,
            "yaxis": {"title": {"text": _("MDH")}, "rangemode": "tozero"},
        },
    )


def yearly_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return spending by plan year of both plans as a table."""
    body = [
        [
            _("Année {n}", n=int(row["plan_year"])),
            _year(row["baseline_year"]),
            fmt_mdh(number(row["baseline"])),
            _year(row["current_year"]),
            fmt_mdh(number(row["current"])),
        ]
        for row in records(frame)
    ]
    head = [
        _("Année de plan"),
        _("Année 2014-2020"),
        _("Dépenses 2014-2020"),
        _("Année 2022-2025"),
        _("Décaissé 2022-2025"),
    ]
    return table(head, body)


def build_network_figure(frame: pd.DataFrame, title: str) -> Figure:
    """Draw network figures as an index (reference = 100): 2025 target and latest validated.

    ``frame`` has columns label, unit, reference, latest, ctis_target, latest_index,
    target_index (ratios to the reference).
    """
    rows = records(frame)
    labels = [row["label"] for row in rows]
    traces: list[dict[str, Any]] = []
    for index_column, value_column, name, color in (
        ("target_index", "ctis_target", _("Objectif 2025 (somme des contrats)"), TARGET_COLOR),
        ("latest_index", "latest", _("Dernière valeur validée"), CURRENT_PLAN_COLOR),
    ):
        ratios = [number(row[index_column]) for row in rows]
        values = [None if r is None else r * 100 for r in ratios]
        traces.append(
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "name": name,
                "marker": {"color": color},
                "text": [MISSING if v is None else fmt_number(v) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [
                    [
                        fmt_value(number(row[value_column]), row["unit"]),
                        fmt_value(number(row["reference"]), row["unit"]),
                    ]
                    for row in rows
                ],
                "hovertemplate": hover(
                    "<b>%{x}</b>",
                    pair(name, "%{customdata[0]}"),
                    pair(_("Référence"), "%{customdata[1]}"),
                    pair(_("Indice"), "%{y:.0f}"),
                ),
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": labels,
            "y": [100] * len(labels),
            "mode": "lines+markers",
            "name": _("Référence fin du plan 2014-2020 = 100"),
            "line": {"color": BASELINE_PLAN_COLOR, "width": 2, "dash": "dash"},
            "marker": {
                "symbol": "line-ew",
                "size": 30,
                "line": {"width": 3, "color": BASELINE_PLAN_COLOR},
            },
            "hovertemplate": hover(_("Référence") + " = 100"),
        }
    )
    return figure(
        traces,
        title,
        height=380,
        layout={
            "barmode": "group",
            "bargap": 0.3,
            "yaxis": {"title": {"text": _("Indice (référence = 100)")}, "rangemode": "tozero"},
        },
    )


def network_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the network figures in their units as a table."""
    body = []
    for row in records(frame):
        unit = str(row["unit"])
        reference = fmt_value(number(row["reference"]), unit)
        if number(row["reference_year"]) is not None:
            reference += f" ({_year(row['reference_year'])})"
        announced = MISSING
        growth = number(row["announced_growth"])
        if growth is not None:
            target = fmt_value(number(row["announced_target"]), unit)
            announced = _("{growth} → {target}", growth=fmt_signed_pct(growth / 100), target=target)
        index = number(row["latest_index"])
        body.append(
            [
                row["label"],
                reference,
                announced,
                fmt_value(number(row["ctis_target"]), unit),
                fmt_value(number(row["latest"]), unit),
                fmt_signed_pct(None if index is None else index - 1),
            ]
        )
    head = [
        _("Indicateur du réseau"),
        _("Référence"),
        _("Objectif annoncé"),
        _("Objectif des contrats"),
        _("Dernière valeur"),
        _("Évolution depuis la référence"),
    ]
    return table(head, body)
