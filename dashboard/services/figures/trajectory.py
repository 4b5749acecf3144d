"""The trajectory chart of one indicator: plan, validated values, pending values, projection."""

from __future__ import annotations

from typing import Any

from dashboard.i18n import _, pair
from dashboard.services.figures.common import Figure, figure, hover, number, records, table
from dashboard.services.formatting import fmt_date, fmt_value
from dashboard.services.palette import BASELINE_PLAN_COLOR, PATH_COLOR, PENDING_COLOR, cti_color
from dashboard.services.trajectory import TrajectoryView


def _points(rows: list[dict[str, Any]], unit: str) -> dict[str, Any]:
    """Return the x, y and hover data of measured values (period, value, date of the figure)."""
    return {
        "x": [r["date"] for r in rows],
        "y": [number(r["value"]) for r in rows],
        "customdata": [
            [r["period"], fmt_value(number(r["value"]), unit), fmt_date(r["date"])] for r in rows
        ],
    }


def build_trajectory_figure(view: TrajectoryView, title: str) -> Figure:
    """Draw the planned trajectory, the yearly targets, validated and pending values, projection.

    Validated values are a solid line in the CTI's colour; pending values (draft or submitted)
    are hollow markers in another colour and shape; the projection is dashed.
    """
    row, unit = view.row, view.row.unit
    plan = records(view.plan)
    targets = [p for p in plan if p["kind"] == "target"]
    points = records(view.points)
    validated = [p for p in points if p["state"] == "validated"]
    pending = [p for p in points if p["state"] != "validated"]
    color = cti_color(row.acronym)
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [plan[0]["date"], plan[-1]["date"]],
            "y": [row.baseline, row.baseline],
            "mode": "lines",
            "name": _("Référence fin 2014-2020"),
            "line": {"color": BASELINE_PLAN_COLOR, "width": 1.5, "dash": "dot"},
            "hovertemplate": hover(pair(_("Référence"), fmt_value(row.baseline, unit))),
        },
        {
            "type": "scatter",
            "x": [p["date"] for p in plan],
            "y": [number(p["value"]) for p in plan],
            "mode": "lines",
            "name": _("Trajectoire prévue"),
            "line": {"color": PATH_COLOR, "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": [p["date"] for p in targets],
            "y": [number(p["value"]) for p in targets],
            "mode": "markers",
            "name": _("Objectifs annuels"),
            "marker": {"symbol": "diamond", "size": 11, "color": PATH_COLOR},
            "customdata": [[str(p["year"]), fmt_value(number(p["value"]), unit)] for p in targets],
            "hovertemplate": hover(
                pair(_("Objectif {year}", year="%{customdata[0]}"), "%{customdata[1]}")
            ),
        },
        {
            "type": "scatter",
            **_points(validated, unit),
            "mode": "lines+markers",
            "name": _("Valeurs validées"),
            "line": {"color": color, "width": 3},
            "marker": {"size": 7},
            "hovertemplate": hover(
                "%{customdata[0]}",
                pair(_("Valeur validée"), "%{customdata[1]}"),
                pair(_("Date de la mesure"), "%{customdata[2]}"),
            ),
        },
    ]
    if pending:
        name = _("En attente de validation")
        traces.append(
            {
                "type": "scatter",
                **_points(pending, unit),
                "mode": "markers",
                "name": name,
                "marker": {
                    "symbol": "circle-open",
                    "size": 12,
                    "color": PENDING_COLOR,
                    "line": {"width": 2.5},
                },
                "hovertemplate": hover(
                    "%{customdata[0]}",
                    pair(name, "%{customdata[1]}"),
                    pair(_("Date de la mesure"), "%{customdata[2]}"),
                ),
            }
        )
    projection = records(view.projection)
    if projection:
        end = projection[-1]
        label = _("Projection au {day}", day=fmt_date(end["date"]))
        traces.append(
            {
                "type": "scatter",
                "x": [p["date"] for p in projection],
                "y": [number(p["value"]) for p in projection],
                "mode": "lines",
                "name": _("Projection au rythme actuel"),
                "line": {"color": color, "width": 2, "dash": "dash"},
                "hovertemplate": hover(pair(label, fmt_value(number(end["value"]), unit))),
            }
        )
    return figure(
        traces,
        title,
        height=420,
        layout={
            "yaxis": {
                "title": {"text": unit},
                "rangemode": "tozero" if row.direction == "higher" else "normal",
            },
            "xaxis": {"dtick": "M12", "tickformat": "%Y", "ticklabelmode": "period"},
        },
    )


def trajectory_table(view: TrajectoryView) -> dict[str, Any]:
    """Return the plan, measured values and projection as one table in time order."""
    unit = view.row.unit
    rows: list[tuple[Any, str, str]] = []
    for item in records(view.plan):
        label = (
            _("Référence")
            if item["kind"] == "baseline"
            else _("Objectif {year}", year=item["year"])
        )
        rows.append((item["date"], label, fmt_value(number(item["value"]), unit)))
    for item in records(view.points):
        state = _("Validée") if item["state"] == "validated" else _("En attente de validation")
        value = fmt_value(number(item["value"]), unit)
        rows.append((item["date"], f"{item['period']} · {state}", value))
    for item in records(view.projection)[-1:]:
        value = fmt_value(number(item["value"]), unit)
        rows.append((item["date"], _("Projection au rythme actuel"), value))
    rows.sort(key=lambda r: r[0])
    body = [[fmt_date(day), label, value] for day, label, value in rows]
    return table([_("Date"), _("Point"), _("Valeur")], body)
