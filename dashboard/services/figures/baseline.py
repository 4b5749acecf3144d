"""Figures comparing the 2014-2020 plan (baseline) with the 2022-2025 plan."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.i18n import _, pair
from dashboard.services.figures.common import Figure, figure, hover, number, records, table
from dashboard.services.formatting import MISSING, fmt_mdh, fmt_number, fmt_signed_pct, fmt_value
from dashboard.services.palette import BASELINE_PLAN_COLOR, CURRENT_PLAN_COLOR

TARGET_COLOR = "#a6bfe0"


def build_intensity_figure(frame: pd.DataFrame, title: str) -> Figure:
    """Draw each plan's envelope (MDH) and its yearly intensity (MDH a year) side by side.

    ``frame`` has columns plan (label), envelope, years, intensity; the baseline plan first.
    Two panels share the figure: envelope on the left (x, y), intensity on the right (x2, y2).
    """
    rows = records(frame)
    colors = [BASELINE_PLAN_COLOR, CURRENT_PLAN_COLOR][: len(rows)]
    traces = []
    for column, axis, decimals in (("envelope", "", 0), ("intensity", "2", 1)):
        texts = [fmt_mdh(number(row[column]), decimals) for row in rows]
        traces.append(
            {
                "type": "bar",
                "x": [row["plan"] for row in rows],
                "y": [number(row[column]) for row in rows],
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "marker": {"color": colors},
                "text": texts,
                "textposition": "outside",
                "constraintext": "none",
                "textfont": {"size": 12},
                "cliponaxis": False,
                "customdata": [[t, int(r["years"])] for t, r in zip(texts, rows, strict=True)],
                "hovertemplate": hover(
                    "<b>%{x}</b>",
                    "%{customdata[0]}",
                    pair(_("Durée"), _("{n} ans", n="%{customdata[1]}")),
                ),
                "showlegend": False,
            }
        )
    return figure(
        traces,
        title,
        height=360,
        legend=False,
        layout={
            "bargap": 0.45,
            "xaxis": {"domain": [0.0, 0.43], "title": {"text": _("Enveloppe totale")}},
            "xaxis2": {
                "domain": [0.57, 1.0],
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
                "range": [0, float(frame["intensity"].max()) * 1.25],
                "anchor": "x2",
                "gridcolor": "#e6e9ef",
                "automargin": True,
            },
        },
    )


def intensity_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the envelopes, durations and intensities as a table."""
    body = [
        [
            row["plan"],
            fmt_mdh(number(row["envelope"]), 0),
            str(int(row["years"])),
            fmt_mdh(number(row["intensity"]), 1),
        ]
        for row in records(frame)
    ]
    return table([_("Plan"), _("Enveloppe"), _("Années"), _("Intensité annuelle")], body)


def _year(value: Any) -> str:
    amount = number(value)
    return MISSING if amount is None else str(int(amount))


def build_yearly_figure(
    frame: pd.DataFrame, title: str, *, baseline_intensity: float, current_intensity: float
) -> Figure:
    """Draw spending per plan year of both plans, with each plan's yearly intensity as a line.

    ``frame`` has columns plan_year, baseline_year, baseline (MDH), current_year, current (MDH,
    validated disbursements), after_end (year after the current plan's end, drawn hatched).
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
    for value, name, color in (
        (baseline_intensity, _("Intensité 2014-2020"), BASELINE_PLAN_COLOR),
        (current_intensity, _("Intensité 2022-2025"), CURRENT_PLAN_COLOR),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": [value] * len(x),
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
