"""Shared look of the figures: fonts, margins, French number separators, empty states.

Figures are built in one pass from plain dicts (``figure(traces, title, ...)``): Plotly still
validates every property, but building a figure trace by trace and then calling
``update_layout`` several times costs five to ten times more, and callbacks must stay fast.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import _

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOR = "#1f2a37"
GRID_COLOR = "#e6e9ef"
# Plotly's separators: decimal comma, then a (narrow no-break) space between thousands.
FRENCH_SEPARATORS = ",\u202f"
Layout = dict[str, Any]


def merge(base: Layout, extra: Layout) -> Layout:
    """Return ``base`` updated with ``extra``, nested dicts merged key by key."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _axis(zero: str) -> Layout:
    return {"gridcolor": GRID_COLOR, "zerolinecolor": zero, "automargin": True}


def house_layout(title: str, *, height: int, legend: bool) -> Layout:
    """Return the house layout: title top left, legend under it, French separators."""
    return {
        "title": {
            "text": title,
            "x": 0.012,
            "xref": "container",
            "xanchor": "left",
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 6},
            "font": {"size": 15},
        },
        "font": {"family": FONT, "size": 12, "color": TEXT_COLOR},
        "separators": FRENCH_SEPARATORS,
        "height": height,
        "margin": {"l": 12, "r": 16, "t": 74 if legend else 44, "b": 12},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left"},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "xanchor": "left",
            "x": 0.0,
            "font": {"size": 11},
        },
        "xaxis": _axis(GRID_COLOR),
        "yaxis": _axis("#c3cad5"),
    }


def figure(
    traces: list[dict[str, Any]],
    title: str,
    *,
    height: int = 360,
    legend: bool = True,
    layout: Layout | None = None,
) -> go.Figure:
    """Build a figure in the house style from trace dicts and layout overrides."""
    full = merge(house_layout(title, height=height, legend=legend), layout or {})
    return go.Figure(data=traces, layout=full)


def empty_figure(title: str, message: str | None = None) -> go.Figure:
    """Return a figure with no data and a centred explanation."""
    note = {
        "text": message or _("Aucune donnée à afficher pour cette sélection."),
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 13, "color": "#6b7785"},
    }
    hidden = {"visible": False}
    return figure(
        [],
        title,
        height=220,
        legend=False,
        layout={"annotations": [note], "xaxis": hidden, "yaxis": hidden},
    )


def hover(*lines: str) -> str:
    """Join hover lines and hide Plotly's trace-name box."""
    return "<br>".join(lines) + "<extra></extra>"


def table(head: list[str], body: list[list[Any]]) -> dict[str, Any]:
    """Return table data in the shape dmc.Table's ``data`` prop takes."""
    return {"head": head, "body": body}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of a frame as dicts, for building tables and hover texts."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def number(value: Any) -> float | None:
    """Return a value as a float, or None when it is missing (None, NaN, pandas NA)."""
    if value is None or pd.isna(value):
        return None
    return float(value)
