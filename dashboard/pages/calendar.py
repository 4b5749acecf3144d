"""Reporting calendar `/calendar`: my reminders, what each CTI owes, how fresh each figure is.

Everyone signed in sees it; administrators also change the rule (days after the end of a
period). Callbacks only call services, which check the caller on the server.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import ALL, Input, Output, State, ctx, no_update

from dashboard.auth.account import Account
from dashboard.auth.permissions import Action, can
from dashboard.auth.session import current_account
from dashboard.auth.ui import create_error, create_success
from dashboard.components.blocks import create_page_header, create_section
from dashboard.components.exports import with_grid_exports
from dashboard.components.grids import grid_column_defaults, grid_options
from dashboard.components.navigation import NavItem, register_nav_item
from dashboard.components.notification_bell import register_callbacks as register_bell
from dashboard.db.engine import session_scope
from dashboard.domain.calendar import MAX_DUE_DAYS, MAX_LEAD_DAYS
from dashboard.domain.periods import Period
from dashboard.i18n import N_, _, ngettext, page_title
from dashboard.services import calendar, calendar_views, notifications
from dashboard.services.calendar_views import period_label
from dashboard.services.context import current_engine, current_settings
from dashboard.services.errors import UserError
from dashboard.services.formatting import fmt_date, fmt_number
from dashboard.services.page_cache import remembered

dash.register_page(
    __name__, path="/calendar", title=page_title("Calendrier de saisie"), name="calendar"
)
register_nav_item(
    NavItem("/calendar", "Calendrier de saisie", "calendar", section="Saisie et contrôle", order=40)
)
register_bell()  # the header's bell of unread reminders, kept in step with the list below

SUMMARY_COLUMNS = [
    ("cti", N_("CTI"), 110),
    ("period", N_("Période due"), 120),
    ("due_label", N_("Échéance"), 150),
    ("state_label", N_("État"), 170),
    ("to_submit", N_("Valeurs à soumettre"), 160),
    ("to_validate", N_("À valider"), 110),
    ("overdue_periods", N_("Périodes en retard"), 160),
    ("stale", N_("Indicateurs périmés"), 160),
]
# Above this many indicators, the freshness grid shows one CTI at a time: every row of a
# large plan (8,400 at scale 100) would weigh megabytes in the page.
GRID_ROWS = 2_000
INDICATOR_COLUMNS = [
    ("cti", N_("CTI"), 100),
    ("code", N_("Code"), 110),
    ("label", N_("Indicateur"), 320),
    ("latest", N_("Dernière valeur validée"), 190),
    ("age_days", N_("Âge (jours)"), 120),
    ("stale_label", N_("Fraîcheur"), 120),
]


def _view(cti_id: int | None = None) -> calendar.Freshness:
    return remembered(
        "calendar.freshness",
        lambda: calendar.freshness(
            engine=current_engine(), today=current_settings().today(), cti_id=cti_id
        ),
        cti_id,
    )


def _state_style(field: str) -> dict[str, Any]:
    """Colour a cell by the state code kept beside it in the row (the label stays visible)."""
    return {
        "styleConditions": [
            {
                "condition": f"params.data && params.data['{field}'] === '{state.value}'",
                "style": {"backgroundColor": colour},
            }
            for state, colour in calendar_views.STATE_BACKGROUNDS.items()
        ]
    }


def _summary_defs() -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = [
        {"field": key, "headerName": _(label), "width": width}
        for key, label, width in SUMMARY_COLUMNS
    ]
    defs[3]["cellStyle"] = _state_style("state")
    return defs


def _history_defs(labels: list[str]) -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = [{"field": "cti", "headerName": _("CTI"), "pinned": "left"}]
    defs += [
        {
            "field": label,
            "headerName": period_label(Period.parse(label)),
            "cellStyle": _state_style(f"{label}__state"),
        }
        for label in labels
    ]
    return defs


def _indicator_defs() -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = [
        {"field": key, "headerName": _(label), "width": width}
        for key, label, width in INDICATOR_COLUMNS
    ]
    defs[-1]["cellStyle"] = {
        "styleConditions": [
            {"condition": "params.data && params.data.stale", "style": {"color": "#c92a2a"}}
        ]
    }
    return defs


def _grid(
    grid_id: str, rows: list[dict[str, Any]], defs: list[dict[str, Any]], *, height: int = 0
) -> Any:
    """Build a grid: as tall as its rows (one per CTI), or scrolling within ``height`` pixels."""
    options: dict[str, Any] = {"animateRows": False}
    if not height:
        options["domLayout"] = "autoHeight"
    grid = dag.AgGrid(
        id=grid_id,
        rowData=rows,
        columnDefs=defs,
        defaultColDef=grid_column_defaults(),  # numbers as the cards write them
        columnSize="responsiveSizeToFit" if grid_id != "calendar-history-grid" else None,
        dashGridOptions=grid_options(options),  # right to left in Arabic, texts translated
        style={"height": f"{height}px"} if height else {},
    )
    return with_grid_exports(grid, grid_id)  # CSV and Excel of the rows shown


def create_notification_list(items: list[dict[str, Any]]) -> Any:
    """Build the list of the signed-in person's reminders, each with a read/unread switch."""
    if not items:
        return dmc.Text(_("Aucun rappel pour vous."), c="dimmed", id="calendar-no-reminders")
    return dmc.Stack(
        [
            dmc.Paper(
                dmc.Group(
                    [
                        dmc.Stack(
                            [
                                dmc.Text(item["title"], fw=400 if item["read"] else 700),
                                dmc.Text(item["text"], size="sm"),
                                dmc.Group(
                                    [
                                        dmc.Text(item["when"], size="xs", c="dimmed"),
                                        dmc.Anchor(_("Ouvrir"), href=item["link"], size="xs"),
                                    ],
                                    gap="sm",
                                ),
                            ],
                            gap=2,
                        ),
                        dmc.Button(
                            _("Marquer non lu") if item["read"] else _("Marquer lu"),
                            id={"type": "calendar-read-button", "index": item["id"]},
                            variant="subtle",
                            size="xs",
                        ),
                    ],
                    justify="space-between",
                    wrap="nowrap",
                ),
                withBorder=True,
                p="sm",
                className="cti-reminder-read" if item["read"] else "cti-reminder-unread",
            )
            for item in items
        ],
        gap="xs",
    )


def _unread_label(items: list[dict[str, Any]]) -> str:
    unread = sum(not item["read"] for item in items)
    return ngettext("{n} non lu", "{n} non lus", unread, n=fmt_number(unread))


def _my_reminders(account: Account | None) -> list[dict[str, Any]]:
    if account is None:
        return []
    with session_scope(current_engine()) as session:
        return calendar_views.notification_items(notifications.list_for(session, account=account))


def _rule_panel(view: calendar.Freshness) -> Any:
    return dmc.Paper(
        [
            dmc.Title(_("Règle de saisie (administrateurs)"), order=3, size="h4", mb="xs"),
            dmc.Group(
                [
                    dmc.NumberInput(
                        id="calendar-rule-due-days",
                        label=_("Jours après la fin de la période"),
                        value=view.rule.due_days,
                        min=0,
                        max=MAX_DUE_DAYS,
                        allowDecimal=False,
                        w=240,
                    ),
                    dmc.NumberInput(
                        id="calendar-rule-lead-days",
                        label=_("Rappel, jours avant l'échéance"),
                        value=view.rule.lead_days,
                        min=0,
                        max=MAX_LEAD_DAYS,
                        allowDecimal=False,
                        w=240,
                    ),
                    dmc.Button(_("Enregistrer la règle"), id="calendar-rule-save-button"),
                ],
                align="flex-end",
            ),
            dmc.Box(id="calendar-rule-message", mt="xs"),
        ],
        withBorder=True,
        p="md",
    )


def _kpis(view: calendar.Freshness) -> Any:
    summary = calendar_views.freshness_summary(view)
    return dmc.SimpleGrid(
        [
            _kpi(_("Dernière période échue"), summary.expected, summary.expected_due),
            _kpi(_("CTI en retard"), f"{summary.overdue_ctis} / {summary.ctis}", None),
            _kpi(_("Indicateurs périmés"), f"{summary.stale} / {summary.indicators}", None),
        ],
        cols={"base": 1, "sm": 3},
    )


def _kpi(label: str, value: str, detail: str | None) -> Any:
    children = [dmc.Text(label, size="xs", tt="uppercase", fw=700, c="dimmed")]
    children.append(dmc.Text(value, fw=700, size="xl"))
    if detail:
        children.append(dmc.Text(_("échéance : {day}", day=detail), size="xs", c="dimmed"))
    return dmc.Paper(children, withBorder=True, p="md")


def layout(**_query: str) -> Any:
    """Show the reminders of the signed-in person, the calendar per CTI and the freshness."""
    account = current_account()
    own_cti = account.cti_id if account else None
    view = _view()
    items = _my_reminders(account)
    cti_choices = [{"value": str(c.cti_id), "label": c.acronym} for c in view.ctis]
    one_cti = len(view.indicators) > GRID_ROWS and bool(view.ctis)
    if own_cti is None and one_cti:
        own_cti = view.ctis[0].cti_id
    own_view = calendar_views.only_cti(view, own_cti) if own_cti is not None else view
    fresh = calendar_views.limited_indicator_rows(own_view.indicators)
    children = [
        create_page_header(
            _("Calendrier de saisie"),
            _("Situation au {day}", day=fmt_date(view.today)),
        ),
        dmc.Text(calendar_views.rule_text(view), id="calendar-rule-text", size="sm"),
        _kpis(view),
        create_section(
            _("Mes rappels"),
            dmc.Stack(
                [
                    dmc.Group(
                        [
                            dmc.Badge(_unread_label(items), id="calendar-unread", variant="light"),
                            dmc.Button(
                                _("Tout marquer comme lu"),
                                id="calendar-read-all-button",
                                variant="outline",
                                size="xs",
                            ),
                        ]
                    ),
                    dmc.Box(id="calendar-reminder-message"),
                    dmc.Box(create_notification_list(items), id="calendar-notifications"),
                ],
                gap="xs",
            ),
        ),
        create_section(
            _("Par CTI : ce qui est dû"),
            _grid("calendar-summary-grid", calendar_views.summary_rows(view), _summary_defs()),
            description=_("La dernière période ouverte à la saisie, et l'arriéré de chaque CTI."),
        ),
        create_section(
            _("Historique des périodes"),
            _grid(
                "calendar-history-grid",
                calendar_views.history_rows(view),
                _history_defs(calendar_views.history_columns(view)),
            ),
        ),
        create_section(
            _("Fraîcheur des indicateurs"),
            dmc.Stack(
                [
                    dmc.Select(
                        id="calendar-cti-select",
                        label=_("CTI"),
                        data=cti_choices,
                        value=str(own_cti) if own_cti is not None else None,
                        clearable=not one_cti,
                        placeholder=None if one_cti else _("Tous les CTI"),
                        description=ngettext(
                            "Un CTI à la fois : le plan compte {n} indicateur.",
                            "Un CTI à la fois : le plan compte {n} indicateurs.",
                            len(view.indicators),
                            n=fmt_number(len(view.indicators)),
                        )
                        if one_cti
                        else None,
                        w=200 if not one_cti else 320,
                    ),
                    dmc.Text(
                        fresh.note(calendar_views.INDICATORS_LIMITED),
                        id="calendar-indicator-note",
                        size="sm",
                        c="dimmed",
                    ),
                    _grid("calendar-indicator-grid", fresh.rows, _indicator_defs(), height=480),
                ],
                gap="xs",
            ),
            description=_(
                "Une valeur est périmée quand une période plus récente a dépassé son échéance"
                " sans valeur validée."
            ),
        ),
    ]
    if can(account, Action.MANAGE_REFERENCE):
        children.append(_rule_panel(view))
    return dmc.Stack(children, gap="lg")


@dash.callback(  # type: ignore[untyped-decorator]
    Output("calendar-notifications", "children"),
    Output("calendar-unread", "children"),
    Output("calendar-reminder-message", "children"),
    Input({"type": "calendar-read-button", "index": ALL}, "n_clicks"),
    Input("calendar-read-all-button", "n_clicks"),
    prevent_initial_call=True,
)
def switch_read(_clicks: list[int | None], _all: int | None) -> tuple[Any, Any, Any]:
    """Mark one reminder read or unread, or all of them read (one's own only)."""
    account = current_account()
    trigger = ctx.triggered_id
    if account is None or trigger is None or not any(t.get("value") for t in ctx.triggered):
        return no_update, no_update, no_update
    try:
        with session_scope(current_engine()) as session:
            if trigger == "calendar-read-all-button":
                notifications.mark_all_read(session, account=account)
            else:
                notifications.toggle_read(
                    session, account=account, notification_id=int(trigger["index"])
                )
    except UserError as exc:
        return no_update, no_update, create_error(str(exc))
    items = _my_reminders(account)
    return create_notification_list(items), _unread_label(items), None


@dash.callback(  # type: ignore[untyped-decorator]
    Output("calendar-indicator-grid", "rowData"),
    Output("calendar-indicator-note", "children"),
    Input("calendar-cti-select", "value"),
    prevent_initial_call=True,
)
def show_indicators(cti: str | None) -> tuple[list[dict[str, Any]], str]:
    """Show the freshness of the chosen CTI's indicators (all CTIs when none is chosen)."""
    cti_id = int(cti) if cti and cti.isdigit() else None

    def build() -> Any:
        with session_scope(current_engine()) as session:
            return calendar.indicator_freshness(
                session, today=current_settings().today(), cti_id=cti_id
            )

    found = remembered("calendar.indicator_freshness", build, cti_id)
    fresh = calendar_views.limited_indicator_rows(found)
    return fresh.rows, fresh.note(calendar_views.INDICATORS_LIMITED)


@dash.callback(  # type: ignore[untyped-decorator]
    Output("calendar-rule-message", "children"),
    Output("calendar-rule-text", "children"),
    Output("calendar-summary-grid", "rowData"),
    Output("calendar-history-grid", "rowData"),
    Output("calendar-history-grid", "columnDefs"),
    Input("calendar-rule-save-button", "n_clicks"),
    State("calendar-rule-due-days", "value"),
    State("calendar-rule-lead-days", "value"),
    prevent_initial_call=True,
)
def save_rule(_clicks: int | None, due_days: Any, lead_days: Any) -> tuple[Any, ...]:
    """Change the reporting rule (administrators; checked again by the service)."""
    try:
        with session_scope(current_engine()) as session:
            calendar.set_rule(
                session, actor=current_account(), due_days=due_days, lead_days=lead_days
            )
    except UserError as exc:
        return create_error(str(exc)), no_update, no_update, no_update, no_update
    view = _view()
    return (
        create_success(_("Règle enregistrée.")),
        calendar_views.rule_text(view),
        calendar_views.summary_rows(view),
        calendar_views.history_rows(view),
        _history_defs(calendar_views.history_columns(view)),
    )
