"""Filter controls whose values pages keep in the URL query (see assets/cti.js syncQuery)."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import dcc

from dashboard.domain.indicators import Status
from dashboard.i18n import _
from dashboard.services.palette import STATUS_ORDER, status_label

ALL = "all"


def year_label(year: int, to_date: bool) -> str:
    """Return the label of a year choice: "Fin 2023", or "À date" for the current view."""
    return _("À date") if to_date else _("Fin {year}", year=year)


def create_year_control(component_id: str, choices: list[tuple[int, bool]], value: int) -> Any:
    """Build the year selector: one segment per past year, then the view to date."""
    label_id = f"{component_id}-label"
    return dmc.Stack(
        [
            dmc.Text(_("Situation"), size="xs", fw=700, c="dimmed", tt="uppercase", id=label_id),
            dmc.SegmentedControl(
                id=component_id,
                **{"aria-labelledby": label_id},
                data=[
                    {"value": str(year), "label": year_label(year, to_date)}
                    for year, to_date in choices
                ],
                value=str(value),
                size="sm",
                className="cti-year-control",
            ),
        ],
        gap=4,
    )


def create_status_control(component_id: str, value: str) -> Any:
    """Build the status filter (all, or one status)."""
    options = [{"value": ALL, "label": _("Tous les statuts")}] + [
        {"value": s.value, "label": status_label(s)} for s in STATUS_ORDER
    ]
    return dmc.Select(
        id=component_id,
        label=_("Statut"),
        data=options,
        value=value if value in {s.value for s in Status} else ALL,
        allowDeselect=False,
        w=180,
        size="sm",
    )


def create_choice_control(
    component_id: str, label: str, options: list[tuple[str, str]], value: str, *, all_label: str
) -> Any:
    """Build a select among options (value, label) with an "all" choice first."""
    values = {v for v, _label in options}
    return dmc.Select(
        id=component_id,
        label=label,
        data=[{"value": ALL, "label": all_label}] + [{"value": v, "label": t} for v, t in options],
        value=value if value in values else ALL,
        allowDeselect=False,
        searchable=len(options) > 8,
        w=220,
        size="sm",
    )


def create_query_names(component_id: str, names: list[str]) -> Any:
    """Hold the URL parameter names the page's filters write, in the order of their inputs."""
    return dcc.Store(id=component_id, data=names)


def pick(value: Any, allowed: set[str]) -> str | None:
    """Return a filter value when it is one of the allowed ones, else None (meaning all)."""
    text = str(value) if value is not None else ""
    return text if text in allowed else None
