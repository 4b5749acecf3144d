"""The page frame: provider, header, navigation and the current page."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc

from dashboard.i18n import _


def create_shell() -> Any:
    """Build the page frame around dash.page_container."""
    return dmc.MantineProvider(
        dmc.Container(
            [
                dmc.Title(_("Tableau de bord du plan CTI 2022-2025"), order=1, my="md"),
                dash.page_container,
            ],
            size="xl",
        )
    )
