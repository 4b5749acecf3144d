"""Overview page `/`: the plans and the CTIs (the monitoring views build on it)."""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc

from dashboard.i18n import _
from dashboard.services.catalog import list_ctis, list_plans
from dashboard.services.context import current_engine

dash.register_page(__name__, path="/", title="Plan CTI", name="overview")


def layout(**_query: str) -> Any:
    """List the plans and the CTIs from the database."""
    engine = current_engine()
    plans = list_plans(engine)
    ctis = list_ctis(engine)
    plan_rows = [
        dmc.TableTr(
            [
                dmc.TableTd(p.code),
                dmc.TableTd(p.title),
                dmc.TableTd(f"{p.envelope_mdh:,.0f} MDH".replace(",", "\u202f")),
                dmc.TableTd(_("Référence") if p.is_baseline else _("En cours")),
            ]
        )
        for p in plans
    ]
    cti_rows = [
        dmc.TableTr([dmc.TableTd(c.acronym), dmc.TableTd(c.name), dmc.TableTd(c.federation)])
        for c in ctis
    ]
    return dmc.Stack(
        [
            dmc.Title(_("Plans"), order=2),
            dmc.Table(
                [
                    dmc.TableThead(
                        dmc.TableTr(
                            [
                                dmc.TableTh(_("Code")),
                                dmc.TableTh(_("Intitulé")),
                                dmc.TableTh(_("Enveloppe")),
                                dmc.TableTh(_("Statut")),
                            ]
                        )
                    ),
                    dmc.TableTbody(plan_rows),
                ],
                id="overview-plans-table",
            ),
            dmc.Title(_("Centres techniques"), order=2),
            dmc.Table(
                [
                    dmc.TableThead(
                        dmc.TableTr(
                            [
                                dmc.TableTh(_("Sigle")),
                                dmc.TableTh(_("Nom")),
                                dmc.TableTh(_("Fédération")),
                            ]
                        )
                    ),
                    dmc.TableTbody(cti_rows),
                ],
                id="overview-ctis-table",
            ),
        ]
    )
