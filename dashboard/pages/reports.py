"""Reports `/reports`: a PDF or Excel report, national or of one CTI, built in the background.

Asking for a report records a job and returns at once; the page then polls the job (a database
row, so any worker can answer) and offers the file when it is ready. Every step re-checks the
signed-in account on the server: asking, polling (own jobs only) and downloading.
"""

from __future__ import annotations

import base64
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html, no_update

from dashboard.auth.permissions import Action
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_access_denied, create_error, page_allowed
from dashboard.components import exports
from dashboard.components.blocks import create_page_header
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.i18n import LANGUAGE_NAMES, _, current_lang, page_title
from dashboard.services.context import current_engine, current_settings
from dashboard.services.errors import UserError
from dashboard.services.reports import check_request
from dashboard.services.reports.jobs import JobView, job_file, job_view, start_export
from dashboard.services.scope import load_scope, year_choices
from dashboard.services.structure import list_contracts

dash.register_page(__name__, path="/reports", title=page_title("Rapports"), name="reports")
register_nav_item(NavItem("/reports", "Rapports", "reports", section="Rapports", order=10))
exports.register_callbacks()  # the export buttons of every page's charts and grids
NATIONAL = "national"
POLL_MS = 700


def _form() -> Any:
    settings = current_settings()
    engine = current_engine()
    scope = load_scope(engine=engine, today=settings.today())
    contracts = list_contracts(engine=engine, plan_id=scope.plan_id)
    scopes = [{"value": NATIONAL, "label": _("National (tous les CTI)")}] + [
        {"value": c.acronym, "label": f"{c.acronym} · {c.name}"} for c in contracts
    ]
    years = [
        {"value": str(y), "label": _("{year} (à date)", year=y) if to_date else str(y)}
        for y, to_date in reversed(year_choices(scope.first_year, scope.last_year, scope.today))
    ]
    quarters = [{"value": "0", "label": _("Année entière")}] + [
        {"value": str(q), "label": _("Jusqu'au T{n}", n=q)} for q in range(1, 5)
    ]
    return dmc.Stack(
        [
            dmc.Select(
                id="reports-scope",
                label=_("Périmètre"),
                data=scopes,
                value=NATIONAL,
                allowDeselect=False,
                searchable=True,
            ),
            dmc.Group(
                [
                    dmc.Select(
                        id="reports-year",
                        label=_("Année"),
                        data=years,
                        value=str(scope.year),
                        allowDeselect=False,
                        w=180,
                    ),
                    dmc.Select(
                        id="reports-quarter",
                        label=_("Valeurs déclarées"),
                        description=_("Historique arrêté à un trimestre"),
                        data=quarters,
                        value="0",
                        allowDeselect=False,
                        w=200,
                    ),
                ],
                align="flex-start",
            ),
            dmc.RadioGroup(
                dmc.Group([dmc.Radio("PDF", value="pdf"), dmc.Radio("Excel", value="xlsx")]),
                id="reports-format",
                label=_("Format"),
                value="pdf",
            ),
            dmc.Select(
                id="reports-lang",
                label=_("Langue du rapport"),
                data=[{"value": code, "label": name} for code, name in LANGUAGE_NAMES.items()],
                value="fr",
                allowDeselect=False,
                w=200,
            ),
            dmc.Button(_("Générer le rapport"), id="reports-generate", mt="sm"),
        ],
        gap="md",
    )


def _contents() -> Any:
    pdf = _(
        "PDF (A4) : couverture, synthèse des chiffres clés, graphiques des pages de suivi, "
        "tableaux des indicateurs avec leur statut, budget, valeurs déclarées, filtres, "
        "méthode et sources."
    )
    xlsx = _(
        "Excel : une feuille par thème (synthèse, indicateurs, budget, historique des valeurs, "
        "sources), graphiques natifs, montants en MDH et taux en %, filtres automatiques."
    )
    note = _(
        "Les chiffres sont ceux des pages de suivi à la même date ; seules les valeurs "
        "validées y entrent."
    )
    return dmc.Stack(
        [
            dmc.Text(pdf, size="sm"),
            dmc.Text(xlsx, size="sm"),
            dmc.Text(note, size="sm", c="dimmed"),
        ],
        gap="xs",
    )


def _status_panel() -> Any:
    """Build the right-hand panel: what the files hold, the progress, the download button."""
    return dmc.Paper(
        dmc.Stack(
            [
                dmc.Title(_("Contenu"), order=2, size="h4"),
                _contents(),
                html.Div(id="reports-status", role="status", **{"aria-live": "polite"}),
                dmc.Button(
                    _("Télécharger le rapport"),
                    id="reports-download-button",
                    style={"display": "none"},
                ),
            ],
            gap="md",
        ),
        withBorder=True,
        p="lg",
        className="cti-card",
    )


def layout(**_query: str) -> Any:
    """Show the report form to any signed-in account allowed to export."""
    if not page_allowed(current_account(), Action.EXPORT, page="/reports"):
        return create_access_denied("reports")
    return html.Div(
        [
            create_page_header(
                _("Rapports"),
                _(
                    "PDF et Excel pour les comités de pilotage : la situation nationale ou "
                    "celle d'un CTI."
                ),
            ),
            dmc.Grid(
                [
                    dmc.GridCol(
                        dmc.Paper(_form(), withBorder=True, p="lg", className="cti-card"),
                        span={"base": 12, "md": 5},
                    ),
                    dmc.GridCol(_status_panel(), span={"base": 12, "md": 7}),
                ]
            ),
            dcc.Store(id="reports-job"),
            dcc.Interval(id="reports-poll", interval=POLL_MS, disabled=True),
            dcc.Download(id="reports-download"),
        ]
    )


def _progress(view: JobView) -> Any:
    """Show where the job stands: a bar and the current step, or the outcome."""
    if view.status == "failed":
        return create_error(view.message)
    if view.status == "done":
        size = max(view.size // 1024, 1)
        return dmc.Alert(
            _("Rapport prêt : {name} ({size} Ko).", name=view.filename, size=size),
            title=_("C'est fait"),
            color="green",
            id="reports-ready",
        )
    label = view.step or _("En attente")
    return dmc.Stack(
        [
            dmc.Text(_("Préparation du rapport… {step}", step=label), size="sm"),
            dmc.Progress(
                value=max(view.progress, 3), animated=True, striped=True, **{"aria-label": label}
            ),
        ],
        gap=6,
        id="reports-running",
    )


@dash.callback(  # type: ignore[untyped-decorator]
    Output("reports-job", "data"),
    Output("reports-poll", "disabled"),
    Output("reports-status", "children"),
    Output("reports-download-button", "style"),
    Input("reports-generate", "n_clicks"),
    State("reports-scope", "value"),
    State("reports-year", "value"),
    State("reports-quarter", "value"),
    State("reports-format", "value"),
    State("reports-lang", "value"),
    prevent_initial_call=True,
)
def start_report(
    _clicks: int | None,
    scope: str | None,
    year: str | None,
    quarter: str | None,
    fmt: str | None,
    lang: str | None,
) -> tuple[Any, Any, Any, Any]:
    """Check the request and start the job in the background (the answer comes at once)."""
    settings, engine = current_settings(), current_engine()
    try:
        request = check_request(
            engine=engine,
            today=settings.today(),
            fmt=fmt,
            cti=None if scope in (None, NATIONAL) else scope,
            year=year,
            quarter=quarter,
            lang=lang or "fr",
            thresholds=settings.thresholds,
        )
        job_id = start_export(
            engine=engine, settings=settings, account=current_account(), request=request
        )
    except UserError as exc:
        return no_update, True, create_error(str(exc)), {"display": "none"}
    waiting = JobView(job_id, "queued", 0, "", "", "", 0)
    return job_id, False, _progress(waiting), {"display": "none"}


@dash.callback(  # type: ignore[untyped-decorator]
    Output("reports-status", "children", allow_duplicate=True),
    Output("reports-poll", "disabled", allow_duplicate=True),
    Output("reports-download-button", "style", allow_duplicate=True),
    Input("reports-poll", "n_intervals"),
    State("reports-job", "data"),
    prevent_initial_call=True,
)
def poll_report(_ticks: int | None, job_id: str | None) -> tuple[Any, Any, Any]:
    """Show the job's progress; stop polling once it is done or failed."""
    try:
        view = job_view(
            engine=current_engine(),
            account=current_account(),
            job_id=job_id or "",
            lang=current_lang(),
        )
    except UserError as exc:
        return create_error(str(exc)), True, {"display": "none"}
    shown = {} if view.status == "done" else {"display": "none"}
    return _progress(view), view.finished, shown


@dash.callback(  # type: ignore[untyped-decorator]
    Output("reports-download", "data"),
    Output("reports-status", "children", allow_duplicate=True),
    Input("reports-download-button", "n_clicks"),
    State("reports-job", "data"),
    prevent_initial_call=True,
)
def download_report(_clicks: int | None, job_id: str | None) -> tuple[Any, Any]:
    """Send the finished file (the right to export and the ownership are checked again)."""
    try:
        report = job_file(
            engine=current_engine(),
            settings=current_settings(),
            account=current_account(),
            job_id=job_id or "",
        )
    except UserError as exc:
        return no_update, create_error(str(exc))
    content = base64.b64encode(report.content).decode("ascii")
    return {
        "content": content,
        "filename": report.filename,
        "type": report.media_type,
        "base64": True,
    }, no_update
