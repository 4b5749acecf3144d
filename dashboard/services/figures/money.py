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


# Label placement on a nominal plot area (px): the chart's height less its title, legend and
# axis; the width of a half-page card. Plotly places a label beside its marker, so a label
# box is computed from the text's length and the font size, and each label takes the first
# place where it covers neither another label nor a marker (deterministic: same data, same
# places).
PLOT_PX = (480.0, 260.0)
LABEL_FONT_PX = 12.0
CHAR_EM = 0.62  # a wide average capital: acronyms are capitals
MARKER_PX = 14.0
PLACES = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
Box = tuple[float, float, float, float]  # left, bottom, right, top (px)


def label_box(x: float, y: float, text: str, place: str) -> Box:
    """Return the box a label takes beside its marker at (x, y) px, for a Plotly textposition."""
    width, height = len(text) * LABEL_FONT_PX * CHAR_EM, LABEL_FONT_PX * 1.2
    gap = MARKER_PX / 2 + 1
    vertical, horizontal = place.split()
    dx = {"left": -(gap + width / 2), "center": 0.0, "right": gap + width / 2}[horizontal]
    dy = {"top": gap + height / 2, "middle": 0.0, "bottom": -(gap + height / 2)}[vertical]
    if vertical != "middle" and horizontal != "center":  # a corner: nearer the marker
        dx, dy = dx - gap * 0.5 * (1 if dx > 0 else -1), dy - gap * 0.5 * (1 if dy > 0 else -1)
    cx, cy = x + dx, y + dy
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _overlap(a: Box, b: Box) -> float:
    """Return the area two boxes share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _outside(box: Box) -> float:
    """Return how much of a box lies outside the plot area (its area beyond the edges)."""
    inside = _overlap(box, (0.0, 0.0, *PLOT_PX))
    return (box[2] - box[0]) * (box[3] - box[1]) - inside


def to_px(value: float, axis_range: list[float], size: float) -> float:
    """Return where a value falls on the nominal plot area, in px from its start."""
    low, high = axis_range
    return (value - low) / (high - low) * size if high != low else 0.0


def _cost(box: Box, others: list[Box]) -> float:
    """Return how much a label box covers other boxes and lies outside the plot area."""
    return sum(_overlap(box, other) for other in others) + _outside(box)


def place_labels(
    points: list[tuple[float, float, str]], x_range: list[float], y_range: list[float]
) -> list[str]:
    """Choose each label's textposition so that labels cover no other label and no marker.

    The most crowded points choose first, while they still have room; each takes the first
    free place of ``PLACES``, or the one that covers least when none is free.
    """
    spots = [
        (to_px(x, x_range, PLOT_PX[0]), to_px(y, y_range, PLOT_PX[1]), text)
        for x, y, text in points
    ]
    half = MARKER_PX / 2
    markers = [(x - half, y - half, x + half, y + half) for x, y, _t in spots]
    crowd = [
        -sum(1 for u, v, _t in spots if abs(u - x) < 80 and abs(v - y) < 40) for x, y, _t in spots
    ]
    placed: list[Box] = []
    chosen = [PLACES[0]] * len(spots)
    for i in sorted(range(len(spots)), key=lambda k: (crowd[k], spots[k][2])):
        x, y, text = spots[i]
        others = placed + markers[:i] + markers[i + 1 :]
        costs = {place: _cost(label_box(x, y, text, place), others) for place in PLACES}
        chosen[i] = min(PLACES, key=lambda place: (costs[place] > 0, costs[place]))
        placed.append(label_box(x, y, text, chosen[i]))
    return chosen


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
    places = dict(
        zip(
            data["acronym"],
            place_labels(
                [
                    (float(x) * 100, float(y) * 100, str(a))
                    for x, y, a in zip(
                        data["spent_share"], data["results_share"], data["acronym"], strict=True
                    )
                ],
                x_range,
                y_range,
            ),
            strict=True,
        )
    )
    for flagged, name, symbol in (
        (False, _("En phase"), "circle"),
        (True, _("À examiner"), "diamond"),
    ):
        part = data[data["ahead"] == flagged]
        if not part.empty:
            traces.append(_points(part, name, symbol, flagged=flagged, places=places))
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


def _points(
    part: pd.DataFrame, name: str, symbol: str, *, flagged: bool, places: dict[Any, str]
) -> dict[str, Any]:
    """Return the markers of some CTIs, in their own colours, ringed in red when flagged."""
    rows = records(part)
    return {
        "type": "scatter",
        "x": [float(r["spent_share"]) * 100 for r in rows],
        "y": [float(r["results_share"]) * 100 for r in rows],
        "mode": "markers+text",
        "name": name,
        "text": [r["acronym"] for r in rows],
        "textposition": [places[r["acronym"]] for r in rows],
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
