"""Any unknown address: a clear "page not found" with a way back (Dash's 404 page module)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard.components.blocks import create_not_found
from dashboard.i18n import _, page_title

dash.register_page(__name__, path="/404", title=page_title("Page introuvable"))


def layout(**_query: str) -> Any:
    """Say that the page does not exist and link to the overview."""
    return create_not_found(
        _("Page introuvable"),
        _("L'adresse demandée ne correspond à aucune page du tableau de bord."),
        back_href="/",
        back_label=_("← Retour à la vue d'ensemble"),
    )
