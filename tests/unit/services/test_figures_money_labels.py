"""The spending-against-results scatter: no label covers another (issue 19, also seen).

On the overview, CERIMME's and CETIA's labels were drawn over each other. Boxes are
approximated from the figure's data as a reader's eye would: text length x font size, beside
the marker on the side its textposition says, on a plot the size of a half-page card.
"""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.services.figures import money as money_figures

# The demo data on the demo date (overview_view(...).money_results, 29 November 2026).
DEMO = pd.DataFrame(
    {
        "acronym": [
            "CETIEV",
            "CERIMME",
            "CETIA",
            "CTTH",
            "CETEMCO",
            "CTPC",
            "CTIBA",
            "CMTC",
            "CERIC",
        ],
        "spent_share": [0.369, 0.627, 0.589, 0.647, 0.670, 0.323, 0.736, 0.661, 0.685],
        "results_share": [0.764, 0.899, 0.893, 0.803, 0.970, 0.856, 0.784, 0.944, 0.954],
        "ahead": [False] * 9,
    }
)
PLOT = (460.0, 250.0)  # px: a half-page card at 1440 px, less the axes, title and legend
FONT = 12.0
MARKER = 12.0


def _boxes(
    fig: go.Figure,
) -> list[tuple[str, tuple[float, float, float, float], tuple[float, float]]]:
    """Return (label, its box, its marker's centre) in px for every labelled point."""
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    found = []
    for trace in fig.data:
        if not trace.text:
            continue
        for x, y, text, place in zip(trace.x, trace.y, trace.text, trace.textposition, strict=True):
            px, py = (x - x0) / (x1 - x0) * PLOT[0], (y - y0) / (y1 - y0) * PLOT[1]
            width, height = len(text) * FONT * 0.6, FONT * 1.15
            vertical, horizontal = place.split()
            left = {"left": px - MARKER / 2 - width, "center": px - width / 2}.get(
                horizontal, px + MARKER / 2
            )
            bottom = {"top": py + MARKER / 2, "bottom": py - MARKER / 2 - height}.get(
                vertical, py - height / 2
            )
            found.append((text, (left, bottom, left + width, bottom + height), (px, py)))
    return found


def _covers(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@pytest.mark.parametrize("flagged", [(), ("CETIA", "CTIBA")])
def test_no_label_covers_another_label_or_a_marker(flagged: tuple[str, ...]) -> None:
    frame = DEMO.assign(ahead=DEMO["acronym"].isin(flagged))
    fig = go.Figure(money_figures.build_money_results_figure(frame, "Dépense", tolerance=0.15))
    boxes = _boxes(fig)
    assert len(boxes) == len(DEMO)
    clashes = [(a[0], b[0]) for a, b in itertools.combinations(boxes, 2) if _covers(a[1], b[1])]
    half = MARKER / 2
    hidden = [
        (label, other)
        for label, box, _centre in boxes
        for other, _box, (x, y) in boxes
        if other != label and _covers(box, (x - half, y - half, x + half, y + half))
    ]
    assert clashes == [] and hidden == []


def test_the_same_data_gets_the_same_places() -> None:
    first = money_figures.build_money_results_figure(DEMO, "Dépense", tolerance=0.15)
    again = money_figures.build_money_results_figure(DEMO, "Dépense", tolerance=0.15)
    assert [t.get("textposition") for t in first["data"]] == [
        t.get("textposition") for t in again["data"]
    ]
