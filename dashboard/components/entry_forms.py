"""Pieces shared by the entry pages (/updates, /budget, /import): grids, notices, lists.

Factories only (no callbacks). Every text coming from people (comments, reasons) is passed as
plain text to components that render text, never as HTML or Markdown.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc

from dashboard.auth.permissions import ACTION_LABELS, ROLE_NAMES, Action
from dashboard.components.exports import with_grid_exports
from dashboard.components.grids import grid_column_defaults, grid_options
from dashboard.i18n import _

Column = tuple[str, str, int]  # field, French header (message id), width


def create_grid(
    grid_id: str,
    columns: list[Column],
    *,
    editable: tuple[str, ...] = (),
    selectable: bool = False,
    height: int = 420,
    row_id: str | None = "id",
) -> Any:
    """Build an AG Grid with French headers; ``editable`` columns can be typed into."""
    defs = [
        {
            "field": field,
            "headerName": _(header),
            "width": width,
            "editable": field in editable,
            "tooltipField": field,
            **({"cellClass": "cti-editable-cell"} if field in editable else {}),
        }
        for field, header, width in columns
    ]
    options: dict[str, Any] = {
        "animateRows": False,
        "tooltipShowDelay": 300,
        "singleClickEdit": True,
        "stopEditingWhenCellsLoseFocus": True,
        "localeText": {"noRowsToShow": _("Aucune ligne.")},
    }
    if selectable:
        options["rowSelection"] = {
            "mode": "singleRow",
            "checkboxes": False,
            "enableClickSelection": True,
        }
    extra = {"getRowId": f"params.data.{row_id}"} if row_id else {}
    grid = dag.AgGrid(
        id=grid_id,
        rowData=[],
        columnDefs=defs,
        defaultColDef=grid_column_defaults(),  # numbers as the cards write them
        dashGridOptions=grid_options(options),  # right to left in Arabic, texts translated
        style={"height": f"{height}px"},
        **extra,
    )
    return with_grid_exports(grid, grid_id)  # CSV and Excel of the rows shown


def create_notice(kind: str, message: str, items: list[str] | None = None) -> Any:
    """Build a success, warning or error notice, with an optional list (all as text)."""
    colors = {"ok": "green", "warning": "yellow", "error": "red"}
    titles = {"ok": _("C'est fait"), "warning": _("À vérifier"), "error": _("Opération refusée")}
    children: list[Any] = [dmc.Text(message, size="sm")]
    if items:
        children.append(
            dmc.List([dmc.ListItem(dmc.Text(item, size="sm")) for item in items], mt="xs")
        )
    return dmc.Alert(
        children,
        title=titles[kind],
        color=colors[kind],
        withCloseButton=True,
        className=f"cti-notice cti-notice-{kind}",
    )


def create_text_list(lines: list[str], empty: str) -> Any:
    """Build a list of sentences (amendment descriptions), or a dimmed note when empty."""
    if not lines:
        return dmc.Text(empty, size="sm", c="dimmed")
    return dmc.List([dmc.ListItem(dmc.Text(line, size="sm")) for line in lines], spacing="xs")


def create_actions(*buttons: Any) -> Any:
    """Lay out a row of form buttons."""
    return dmc.Group(list(buttons), gap="sm", mt="sm")


def create_role_notice(
    page_id: str, account: Any, action: str, see: tuple[str, str] | None = None
) -> Any:
    """Say, instead of a form, that the account's role may read the page's data but not do this.

    ``see`` is a (label, link) to where the role finds what it may read.
    """
    role = _(ROLE_NAMES.get(account.role, account.role)) if account is not None else "?"
    children: list[Any] = [
        dmc.Text(
            _(
                "Votre rôle ({role}) permet de consulter les tableaux de bord et d'exporter des "
                "rapports, pas de {action} : cette page ne vous propose donc aucun formulaire.",
                role=role,
                action=_(ACTION_LABELS[Action(action)]),
            ),
            size="sm",
        )
    ]
    if see is not None:
        children.append(dmc.Anchor(see[0], href=see[1], size="sm", mt="xs", display="block"))
    return dmc.Alert(
        children, title=_("Consultation seule"), color="blue", id=f"{page_id}-read-only"
    )
