"""Money against results: each CTI's share of envelope spent against its share of targets."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard.i18n import _, pair
from dashboard.i18n.formats import percent_suffix
from dashboard.services.figures.common import (
    Figure,
    empty_figure,
    figure,
    hover,
    number,
    records,
    table,
)
from dashboard.services.formatting import fmt_pct
from dashboard.services.palette import OKABE_ITO, cti_color

NO_VALUE = "—"


def _zoom(shares: pd.Series) -> list[float]:
    """Return an axis range in % around the shares, on multiples of ten, at least 30 wide."""
    low = max(0.0, math.floor((float(shares.min()) - 0.08) * 10) * 10.0)
    high = math.ceil((float(shares.max()) + 0.08) * 10) * 10.0
    return [low, max(high, low + 30.0)]


def _label_positions(part: pd.DataFrame) -> list[str]:
    """Alternate label positions of points sorted by x, so neighbours' labels do not collide."""
    order = part["spent_share"].rank(method="first").astype(int)
    cycle = ["top center", "bottom center", "middle right", "middle left"]
    return [cycle[(rank - 1) % len(cycle)] for rank in order]


def build_money_results_figure(frame: pd.DataFrame, title: str, *, tolerance: float) -> Figure:
    """Plot each CTI's share of envelope disbursed against its share of targets reached (%).

    ``frame`` has columns acronym, spent_share, results_share, ahead (spending ahead of results
    by more than ``tolerance``). Points in the shaded area, below the dashed line by more than
    the tolerance, are flagged with a ringed diamond.
    """
    data = frame.dropna(subset=["spent_share", "results_share"])
    if data.empty:
        return empty_figure(title)
    x_range, y_range = _zoom(data["spent_share"]), _zoom(data["results_share"])
    top = max(x_range[1], y_range[1])
    edge = tolerance * 100
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [edge, top, top],
            "y": [0, top - edge, 0],
            "fill": "toself",
            "mode": "none",
            "fillcolor": "rgba(213,94,0,0.08)",
            "name": _("Dépense en avance des résultats"),
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": [0, top],
            "y": [0, top],
            "mode": "lines",
            "name": _("Dépense et résultats au même rythme"),
            "line": {"color": "#9aa5b1", "width": 1.5, "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]
    for flagged, name, symbol in (
        (False, _("En phase"), "circle"),
        (True, _("À examiner"), "diamond"),
    ):
        part = data[data["ahead"] == flagged]
        if not part.empty:
            traces.append(_points(part, name, symbol, flagged=flagged))
    axis = {"ticksuffix": percent_suffix()}
    return figure(
        traces,
        title,
        height=400,
        mirror=False,  # two measures against each other: no reading direction to follow
        layout={
            "xaxis": {
                **axis,
                "title": {"text": _("Part de l'enveloppe décaissée (%)")},
                "range": x_range,
            },
            "yaxis": {
                **axis,
                "title": {"text": _("Part des objectifs atteints (%)")},
                "range": y_range,
            },
        },
    )


def _points(part: pd.DataFrame, name: str, symbol: str, *, flagged: bool) -> dict[str, Any]:
    """Return the markers of some CTIs, in their own colours, ringed in red when flagged."""
    rows = records(part)
    return {
        "type": "scatter",
        "x": [float(r["spent_share"]) * 100 for r in rows],
        "y": [float(r["results_share"]) * 100 for r in rows],
        "mode": "markers+text",
        "name": name,
        "text": [r["acronym"] for r in rows],
        "textposition": _label_positions(part),
        "marker": {
            "symbol": symbol,
            "size": 14 if flagged else 12,
            "color": [cti_color(r["acronym"]) for r in rows],
            "line": {
                "color": OKABE_ITO["vermillion"] if flagged else "white",
                "width": 2.5 if flagged else 1,
            },
        },
        "customdata": [
            [r["acronym"], fmt_pct(number(r["spent_share"])), fmt_pct(number(r["results_share"]))]
            for r in rows
        ],
        "hovertemplate": hover(
            "<b>%{customdata[0]}</b>",
            pair(_("Enveloppe décaissée"), "%{customdata[1]}"),
            pair(_("Objectifs atteints"), "%{customdata[2]}"),
        ),
    }


def _verdict(ahead: object) -> str:
    """Say whether a CTI's spending runs ahead of its results (a dash when unknown)."""
    if ahead is None or pd.isna(ahead):  # type: ignore[call-overload]
        return NO_VALUE
    return _("À examiner") if bool(ahead) else _("En phase")


def money_results_table(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the money against results figures as a table."""
    body = [
        [
            row["acronym"],
            fmt_pct(number(row["spent_share"])),
            fmt_pct(number(row["results_share"])),
            _verdict(row["ahead"]),
        ]
        for row in records(frame)
    ]
    head = [_("CTI"), _("Enveloppe décaissée"), _("Objectifs atteints"), _("Appréciation")]
    return table(head, body)
