"""Money figures: envelope against committed and disbursed, cumulative pace, envelope split."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.domain.budget import safe_rate
from dashboard.i18n import _, pair
from dashboard.services.figures.common import (
    Figure,
    empty_figure,
    figure,
    hover,
    number,
    records,
    table,
)
from dashboard.services.formatting import fmt_mdh, fmt_pct
from dashboard.services.palette import (
    BASELINE_PLAN_COLOR,
    COMMITTED_COLOR,
    DISBURSED_COLOR,
    ENVELOPE_COLOR,
    PATH_COLOR,
    SCHEDULED_COLOR,
)

YEAR_SHADES = ["#c6dbef", "#6baed6", "#2171b5", "#08306b", "#041c3f", "#020d1f"]


def build_budget_bars_figure(
    frame: pd.DataFrame, title: str, *, height: int | None = None
) -> Figure:
    """Draw envelope, committed and disbursed per row as overlaid horizontal bars (MDH).

    ``frame`` has columns label, envelope, scheduled, committed, disbursed (one row per axis
    or CTI, top row first). A tick marks what was scheduled up to the year viewed when that
    differs from the whole envelope.
    """
    if frame.empty:
        return empty_figure(title)
    rows = records(frame)[::-1]  # Plotly draws horizontal bars bottom-up
    labels = [row["label"] for row in rows]
    traces: list[dict[str, Any]] = []
    for column, name, color, width in (
        ("envelope", _("Enveloppe"), ENVELOPE_COLOR, 0.78),
        ("committed", _("Engagé"), COMMITTED_COLOR, 0.52),
        ("disbursed", _("Décaissé"), DISBURSED_COLOR, 0.28),
    ):
        detail = [fmt_mdh(number(row[column])) for row in rows]
        if column != "envelope":
            rates = [fmt_pct(safe_rate(row[column], row["envelope"])) for row in rows]
            detail = [f"{d} ({r})" for d, r in zip(detail, rates, strict=True)]
        traces.append(
            {
                "type": "bar",
                "y": labels,
                "x": [number(row[column]) for row in rows],
                "name": name,
                "orientation": "h",
                "marker": {"color": color},
                "width": width,
                "customdata": detail,
                "hovertemplate": hover("<b>%{y}</b>", pair(name, "%{customdata}")),
            }
        )
    if any(row["scheduled"] < row["envelope"] - 1e-9 for row in rows):
        name = _("Programmé à date")
        traces.append(
            {
                "type": "scatter",
                "y": labels,
                "x": [number(row["scheduled"]) for row in rows],
                "mode": "markers",
                "name": name,
                "marker": {
                    "symbol": "line-ns",
                    "size": 22,
                    "line": {"width": 3, "color": SCHEDULED_COLOR},
                },
                "customdata": [fmt_mdh(number(row["scheduled"])) for row in rows],
                "hovertemplate": hover("<b>%{y}</b>", pair(name, "%{customdata}")),
            }
        )
    return figure(
        traces,
        title,
        height=height or max(260, 90 + 40 * len(labels)),
        layout={
            "barmode": "overlay",
            "bargap": 0.25,
            "xaxis": {"title": {"text": _("MDH")}, "rangemode": "tozero"},
        },
    )


def budget_bars_table(frame: pd.DataFrame, first_column: str) -> dict[str, Any]:
    """Return the numbers of the budget bars as a table."""
    head = [
        first_column,
        _("Enveloppe"),
        _("Programmé à date"),
        _("Engagé"),
        _("Décaissé"),
        _("Taux d'engagement"),
        _("Taux de décaissement"),
        _("Décaissements en attente"),
    ]
    body = [
        [
            row["label"],
            fmt_mdh(number(row["envelope"])),
            fmt_mdh(number(row["scheduled"])),
            fmt_mdh(number(row["committed"])),
            fmt_mdh(number(row["disbursed"])),
            fmt_pct(safe_rate(row["committed"], row["envelope"])),
            fmt_pct(safe_rate(row["disbursed"], row["envelope"])),
            fmt_mdh(number(row["pending_disbursed"])),
        ]
        for row in records(frame)
    ]
    return table(head, body)


def _line(
    x: list[Any], y: list[Any], name: str, line: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name, "line": line, **extra}


def build_cumulative_figure(
    series: pd.DataFrame, paths: pd.DataFrame, title: str, *, envelope: float, envelope_label: str
) -> Figure:
    """Draw cumulative commitments and disbursements against the reference paces (MDH).

    ``series`` has columns date, committed, disbursed (cumulative, month ends); ``paths`` has
    date, linear (the steady pace of the envelope) and, optionally, baseline_pace (the
    2014-2020 plan's cumulative spending, aligned by plan year).
    """
    days = list(paths["date"])
    traces = [
        _line(
            [days[0], days[-1]],
            [envelope, envelope],
            envelope_label,
            {"color": "#9aa5b1", "width": 1.5, "dash": "dot"},
            hovertemplate=hover(pair(envelope_label, fmt_mdh(envelope))),
        ),
        _line(
            days,
            list(paths["linear"]),
            _("Rythme linéaire de l'enveloppe"),
            {"color": PATH_COLOR, "width": 2, "dash": "dash"},
            customdata=[fmt_mdh(number(v)) for v in paths["linear"]],
            hovertemplate=hover("%{x|%d/%m/%Y}", pair(_("Rythme linéaire"), "%{customdata}")),
        ),
    ]
    if "baseline_pace" in paths:
        traces.append(
            _line(
                days,
                list(paths["baseline_pace"]),
                _("Rythme du plan 2014-2020"),
                {"color": BASELINE_PLAN_COLOR, "width": 2, "dash": "dashdot"},
                mode="lines+markers",
                marker={"size": 6},
                customdata=[fmt_mdh(number(v)) for v in paths["baseline_pace"]],
                hovertemplate=hover(
                    "%{x|%d/%m/%Y}",
                    pair(_("Plan 2014-2020, même année de plan"), "%{customdata}"),
                ),
            )
        )
    for column, name, color in (
        ("committed", _("Engagé (cumul)"), COMMITTED_COLOR),
        ("disbursed", _("Décaissé (cumul)"), DISBURSED_COLOR),
    ):
        traces.append(
            _line(
                list(series["date"]),
                list(series[column]),
                name,
                {"color": color, "width": 3, "shape": "hv"},
                customdata=[fmt_mdh(number(v)) for v in series[column]],
                hovertemplate=hover("%{x|%m/%Y}", pair(name, "%{customdata}")),
            )
        )
    return figure(
        traces,
        title,
        height=380,
        layout={
            "yaxis": {"title": {"text": _("MDH cumulés")}, "rangemode": "tozero"},
            "xaxis": {
                "dtick": "M12",
                "tickformat": "%Y",
                "ticklabelmode": "period",
                "range": _date_range([*days, *series["date"]]),
            },
        },
    )


def _date_range(days: list[Any]) -> list[str] | None:
    """Return an x range holding every date, with a margin on each side (ISO dates).

    Plotly's own range ends on the last point, so the last step of the cumulative lines ran
    into the chart's edge and looked cut off.
    """
    stamps = pd.to_datetime(pd.Series(days), errors="coerce").dropna()
    if stamps.empty:
        return None
    first, last = stamps.min(), stamps.max()
    margin = max((last - first) * 0.03, pd.Timedelta(days=20))
    return [f"{first - margin:%Y-%m-%d}", f"{last + margin:%Y-%m-%d}"]


def cumulative_table(series: pd.DataFrame, paths: pd.DataFrame) -> dict[str, Any]:
    """Return the cumulative amounts at each year end beside the reference paces."""
    with_baseline = "baseline_pace" in paths
    body = []
    for row in records(paths):
        day: date = row["date"]
        before = series[series["date"] < day]
        committed = float(before["committed"].max()) if not before.empty else 0.0
        disbursed = float(before["disbursed"].max()) if not before.empty else 0.0
        body.append(
            [
                day.strftime("%d/%m/%Y"),
                fmt_mdh(committed),
                fmt_mdh(disbursed),
                fmt_mdh(number(row["linear"])),
                *([fmt_mdh(number(row["baseline_pace"]))] if with_baseline else []),
            ]
        )
    head = [_("Au"), _("Engagé (cumul)"), _("Décaissé (cumul)"), _("Rythme linéaire")]
    if with_baseline:
        head.append(_("Rythme du plan 2014-2020"))
    return table(head, body)


def build_envelope_split_figure(grid: pd.DataFrame, labels: dict[int, str], title: str) -> Figure:
    """Draw an envelope by axis, stacked by year (MDH).

    ``grid`` has a column axis, then one column per year.
    """
    years = [c for c in grid.columns if c != "axis"]
    if grid.empty or not years:
        return empty_figure(title)
    x = [labels.get(int(a), _("Axe {n}", n=a)) for a in grid["axis"]]
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": x,
            "y": [number(v) for v in grid[year]],
            "name": str(year),
            "marker": {"color": YEAR_SHADES[index % len(YEAR_SHADES)]},
            "customdata": [fmt_mdh(number(v)) for v in grid[year]],
            "hovertemplate": hover("<b>%{x}</b>", pair(year, "%{customdata}")),
        }
        for index, year in enumerate(years)
    ]
    totals = [float(v) for v in grid[years].sum(axis=1)]
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": totals,
            "mode": "text",
            "text": [fmt_mdh(v) for v in totals],
            "textposition": "top center",
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    return figure(
        traces,
        title,
        height=340,
        layout={
            "barmode": "stack",
            "yaxis": {"title": {"text": _("MDH")}, "rangemode": "tozero"},
        },
    )


def envelope_split_table(grid: pd.DataFrame, labels: dict[int, str]) -> dict[str, Any]:
    """Return an envelope by axis and year with row and column totals."""
    years = [c for c in grid.columns if c != "axis"]
    body: list[list[Any]] = [
        [labels.get(int(row["axis"]), str(row["axis"]))]
        + [fmt_mdh(number(row[y]), 2) for y in years]
        + [fmt_mdh(float(sum(row[y] for y in years)), 2)]
        for row in records(grid)
    ]
    body.append(
        [_("Total")]
        + [fmt_mdh(float(grid[y].sum()), 2) for y in years]
        + [fmt_mdh(float(grid[years].to_numpy().sum()), 2)]
    )
    return table([_("Axe"), *[str(y) for y in years], _("Total")], body)
