"""Results figures: statuses, the CTI x axis achievement matrix, the spread of achievement."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from dashboard.domain.indicators import Status
from dashboard.i18n import _, is_rtl, pair
from dashboard.i18n.formats import percent_suffix
from dashboard.services.figures.common import (
    Figure,
    empty_figure,
    figure,
    first_rows,
    hover,
    number,
    records,
    table,
)
from dashboard.services.formatting import fmt_number, fmt_pct
from dashboard.services.palette import ACHIEVEMENT_SCALE, STATUS_ORDER, status_color, status_label

NO_VALUE = "—"


def build_status_figure(frame: pd.DataFrame, title: str) -> Figure:
    """Draw the number of indicators per status for each row as stacked horizontal bars.

    ``frame`` has columns label, on_track, watch, late, no_data (counts), top row first.
    """
    if frame.empty:
        return empty_figure(title)
    rows = records(frame)[::-1]  # Plotly draws horizontal bars bottom-up
    most = max(sum(int(row[s.value]) for s in STATUS_ORDER) for row in rows)
    # A tick every two indicators reads well for a contract's ten; for a plan of thousands it
    # would be hundreds of ticks and grid lines (eight seconds to draw): let Plotly choose.
    ticks = {"dtick": 2} if most <= 24 else {}
    traces = [
        {
            "type": "bar",
            "y": [row["label"] for row in rows],
            "x": [int(row[state.value]) for row in rows],
            "name": status_label(state),
            "orientation": "h",
            "marker": {"color": status_color(state)},
            "hovertemplate": hover(
                "<b>%{y}</b>",
                pair(status_label(state), "%{x}"),
            ),
        }
        for state in STATUS_ORDER
    ]
    return figure(
        traces,
        title,
        height=max(240, 70 + 34 * len(rows)),
        layout={
            "barmode": "stack",
            "bargap": 0.3,
            "legend": {"traceorder": "normal"},
            "xaxis": {"title": {"text": _("Nombre d'indicateurs")}, **ticks},
        },
    )


def status_table(frame: pd.DataFrame, first_column: str) -> dict[str, Any]:
    """Return the status counts as a table (numbers written as the language writes them)."""
    head = [first_column, *[status_label(s) for s in STATUS_ORDER], _("Total")]
    body = [
        [
            row["label"],
            *[fmt_number(int(row[s.value])) for s in STATUS_ORDER],
            fmt_number(int(sum(row[s.value] for s in Status))),
        ]
        for row in records(frame)
    ]
    return table(head, body)


def _grid(frame: pd.DataFrame) -> tuple[list[str], list[str], dict[tuple[str, str], Any]]:
    """Return the CTIs (last first), the axis columns, and each cell's row."""
    cells = {(str(r["acronym"]), str(r["axis_label"])): r for r in records(frame)}
    ctis = sorted({key[0] for key in cells}, reverse=True)
    axes = sorted({key[1] for key in cells})
    return ctis, axes, cells


def _colorbar() -> dict[str, Any]:
    """Return the heat map's colour bar: after the plot, on the left in right-to-left layouts."""
    bar: dict[str, Any] = {"thickness": 12, "ticksuffix": percent_suffix(), "len": 0.9}
    if is_rtl():
        bar.update({"x": -0.02, "xanchor": "right", "xref": "paper"})
    return bar


def build_matrix_figure(frame: pd.DataFrame, title: str) -> Figure:
    """Draw mean achievement per CTI (rows) and axis (columns) as a heat map (%).

    ``frame`` has columns acronym, axis_label (short column label), axis_title (for hover),
    achievement (mean share of the year's target, capped at 100 %), count. Cells without an
    indicator stay blank.
    """
    if frame.empty:
        return empty_figure(title)
    ctis, axes, cells = _grid(frame)
    titles = {str(r["axis_label"]): r["axis_title"] for r in cells.values()}
    z: list[list[float | None]] = []
    for acronym in ctis:
        values = [
            number(cells[(acronym, a)]["achievement"]) if (acronym, a) in cells else None
            for a in axes
        ]
        z.append([None if v is None else v * 100 for v in values])
    trace = {
        "type": "heatmap",
        "z": z,
        "x": axes,
        "y": ctis,
        "text": [[NO_VALUE if v is None else fmt_pct(v / 100) for v in row] for row in z],
        "texttemplate": "%{text}",
        "customdata": [
            [[int(cells[(c, a)]["count"]) if (c, a) in cells else 0, titles[a]] for a in axes]
            for c in ctis
        ],
        "zmin": 0,
        "zmax": 100,
        "colorscale": ACHIEVEMENT_SCALE,
        "xgap": 2,
        "ygap": 2,
        "colorbar": _colorbar(),
        "hovertemplate": hover(
            "<b>%{y}</b> · %{customdata[1]}",
            pair(_("Réalisation moyenne"), "%{text}"),
            pair(_("Indicateurs"), "%{customdata[0]}"),
        ),
        "hoverongaps": False,
    }
    return figure(
        [trace],
        title,
        height=max(300, 90 + 30 * len(ctis)),
        legend=False,
        layout={
            "xaxis": {"side": "top", "showgrid": False, "tickangle": 0},
            "yaxis": {"showgrid": False},
        },
    )


def matrix_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the matrix as a table (rows CTIs, columns axes)."""
    ctis, axes, cells = _grid(frame)
    body = [
        [
            acronym,
            *[
                fmt_pct(number(cells[(acronym, a)]["achievement"]))
                if (acronym, a) in cells
                else NO_VALUE
                for a in axes
            ],
        ]
        for acronym in reversed(ctis)
    ]
    return table([_("CTI"), *axes], body)


def _jitter(index: int) -> float:
    """Return a fixed small offset so points with equal values stay visible side by side."""
    return ((index * 0.6180339887) % 1.0 - 0.5) * 0.5


LABELLED_POINTS = 1_000  # beyond, indicators with about the same achievement share a dot


def _quantile(values: list[float], share: float) -> float:
    """Return Plotly's "linear" quantile of sorted values (its ``Lib.interp``)."""
    at = share * len(values) - 0.5
    if at < 0:
        return values[0]
    if at > len(values) - 1:
        return values[-1]
    low, part = int(at), at % 1
    high = min(low + 1, len(values) - 1)
    return part * values[high] + (1 - part) * values[low]


def _box_stats(values: list[float]) -> dict[str, list[float]]:
    """Return a box drawn from its quartiles, as Plotly would compute them, not from every value.

    The whiskers reach the extremes, as Plotly draws them when it shows no points.
    """
    stats = {
        "q1": _quantile(values, 0.25),
        "median": _quantile(values, 0.5),
        "q3": _quantile(values, 0.75),
        "lowerfence": values[0],
        "upperfence": values[-1],
    }
    return {key: [round(value, 2)] for key, value in stats.items()}


def _spread_hover(part: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a status trace's hover: code, label and achievement of each indicator."""
    return {
        "customdata": [[r["code"], r["label"], fmt_pct(number(r["achievement"]))] for r in part],
        "hovertemplate": hover(
            "<b>%{customdata[0]}</b>",
            "%{customdata[1]}",
            pair(_("Réalisation"), "%{customdata[2]}"),
        ),
    }


def _point_traces(
    by_status: dict[str, list[dict[str, Any]]], position: dict[Any, int]
) -> list[dict[str, Any]]:
    """Return one point per indicator, by status, spread a little within its group's band."""
    return [
        {
            "type": "scatter",
            "x": [round(float(r["achievement"]) * 100, 1) for r in part],
            "y": [round(position[r["group"]] + _jitter(i), 2) for i, r in enumerate(part)],
            "mode": "markers",
            "name": status_label(state),
            "marker": {
                "color": status_color(state),
                "size": 10,
                "line": {"color": "white", "width": 1},
            },
            **_spread_hover(part),
        }
        for state in STATUS_ORDER
        if (part := by_status.get(state.value, []))
    ]


BIN_PCT = 2  # beyond LABELLED_POINTS, indicators within 2 points of achievement share a dot
MAX_DOT = 18  # the largest dot's diameter (px); the others by area


def _binned_traces(
    by_status: dict[str, list[dict[str, Any]]], position: dict[Any, int]
) -> list[dict[str, Any]]:
    """Return each status's indicators as dots of those with about the same achievement.

    Thousands of points drawn one by one made a solid band (8,400 on the axes page at N=100)
    and most of the page's drawing time. Each dot stands for the indicators of one group and
    status whose achievement rounds to the same 2 points; its area grows with their number,
    and its hover says how many. The statuses sit on three lines within their group's band.
    """
    bins = {
        state: Counter(
            (r["group"], round(float(r["achievement"]) * 100 / BIN_PCT) * BIN_PCT)
            for r in by_status.get(state.value, [])
        )
        for state in STATUS_ORDER
    }
    largest = max((n for counts in bins.values() for n in counts.values()), default=1)
    return [
        {
            "type": "scatter",
            "x": [at for _group, at in counts],
            "y": [round(position[group] + (1 - rank) * 0.22, 2) for group, _at in counts],
            "mode": "markers",
            "name": status_label(state),
            "marker": {
                "color": status_color(state),
                "size": [
                    round(4 + (MAX_DOT - 4) * (n / largest) ** 0.5, 1) for n in counts.values()
                ],
                "line": {"color": "white", "width": 0.5},
            },
            "customdata": list(counts.values()),
            "hovertemplate": hover(
                "<b>" + status_label(state) + "</b>",
                pair(_("Indicateurs"), "%{customdata}"),
                pair(_("Réalisation"), "≈ %{x:.0f}" + percent_suffix()),
            ),
        }
        for rank, state in enumerate(STATUS_ORDER)
        if (counts := bins.get(state))
    ]


def spread_note(frame: pd.DataFrame) -> str:
    """Return how to read the spread figure when its indicators are drawn as shared dots."""
    if int(frame["achievement"].notna().sum()) <= LABELLED_POINTS:
        return ""
    return _(
        "Plus de {count} indicateurs : chaque point regroupe ceux d'un même statut dont la "
        "réalisation est à {step} points près ; sa surface croît avec leur nombre.",
        count=fmt_number(LABELLED_POINTS),
        step=BIN_PCT,
    )


def build_spread_figure(frame: pd.DataFrame, title: str, *, target_label: str) -> Figure:
    """Draw each indicator's achievement (%) by group, coloured by status, with the target line.

    ``frame`` has columns group (axis or CTI label, in display order), label (indicator),
    acronym, code, achievement (share of the year's target, may exceed 1), status.
    """
    rows = [r for r in records(frame) if number(r["achievement"]) is not None]
    if not rows:
        return empty_figure(title)
    groups = list(dict.fromkeys(frame["group"]))
    position = {g: len(groups) - 1 - i for i, g in enumerate(groups)}
    by_group: dict[Any, list[float]] = {g: [] for g in groups}
    for r in rows:
        by_group[r["group"]].append(float(r["achievement"]) * 100)
    traces: list[dict[str, Any]] = []
    for group in groups:
        values = sorted(by_group[group])
        if len(values) >= 5:  # a box of fewer points says less than the points themselves
            traces.append(
                {
                    "type": "box",
                    **_box_stats(values),
                    "y": [position[group]],
                    "orientation": "h",
                    "name": str(group),
                    "showlegend": False,
                    "boxpoints": False,
                    "fillcolor": "rgba(68,84,106,0.08)",
                    "line": {"color": "#9aa5b1", "width": 1},
                    "hoverinfo": "skip",
                }
            )
    by_status: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_status.setdefault(r["status"], []).append(r)
    crowded = len(rows) > LABELLED_POINTS
    traces.extend((_binned_traces if crowded else _point_traces)(by_status, position))
    top = len(groups) - 0.5
    traces.append(
        {
            "type": "scatter",
            "x": [100, 100],
            "y": [-0.5, top],
            "mode": "lines",
            "name": target_label,
            "line": {"color": "#1f2a37", "width": 1.5, "dash": "dash"},
            "hoverinfo": "skip",
        }
    )
    return figure(
        traces,
        title,
        height=max(280, 90 + 46 * len(groups)),
        layout={
            "yaxis": {
                "tickvals": list(position.values()),
                "ticktext": list(position.keys()),
                "range": [-0.6, top + 0.1],
                "showgrid": False,
            },
            "xaxis": {
                "title": {"text": _("Réalisation de l'objectif de l'année (%)")},
                "ticksuffix": percent_suffix(),
            },
        },
    )


def spread_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return each indicator's achievement and status as a table (its first rows at scale)."""
    shown, total = first_rows(frame)
    body = [
        [
            row["group"],
            row["code"],
            row["label"],
            fmt_pct(number(row["achievement"])),
            status_label(row["status"]),
        ]
        for row in records(shown)
    ]
    head = [_("Groupe"), _("Code"), _("Indicateur"), _("Réalisation"), _("Statut")]
    return table(head, body, total)
