"""The page frame: theme, header (title, language, signed-in user), navigation, current page."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard.auth.session import current_account
from dashboard.components.navigation import create_nav_links, create_nav_menu_items
from dashboard.i18n import _, current_lang
from dashboard.services.formatting import fmt_date

# A deep institutional blue, from light to dark (Mantine needs ten shades).
MINISTRY_BLUE = [
    "#eaf0f8",
    "#d2deef",
    "#a6bfe0",
    "#779ecf",
    "#5183c2",
    "#3a72ba",
    "#2c66b5",
    "#1f559f",
    "#174b8f",
    "#0b3a75",
]
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
THEME = {
    "primaryColor": "ministry",
    "primaryShade": 8,
    "colors": {"ministry": MINISTRY_BLUE},
    "fontFamily": FONT_STACK,
    "headings": {"fontFamily": FONT_STACK, "fontWeight": "650"},
    "defaultRadius": "md",
}
ROLE_LABELS = {
    "viewer": "Lecture",
    "analyst": "Analyste",
    "cti_editor": "Saisie CTI",
    "admin": "Administration",
}
LANGUAGE_LINKS = (("fr", "FR", "Français"), ("en", "EN", "English"), ("ar", "ع", "العربية"))


def _today() -> date:
    try:
        from dashboard.services.context import current_settings

        return current_settings().today()
    except (RuntimeError, KeyError):  # outside a request (a unit test building the shell)
        return date.today()


def create_language_switch(lang: str) -> Any:
    """Build the language links (?lang=...): a full page load, the server keeps the choice."""
    return html.Nav(
        [
            html.A(
                short,
                href=f"?lang={code}",
                title=name,
                lang=code,
                className="cti-lang" + (" cti-lang-active" if code == lang else ""),
                **({"aria-current": "true"} if code == lang else {}),
            )
            for code, short, name in LANGUAGE_LINKS
        ],
        className="cti-lang-switch",
        **{"aria-label": _("Langue")},
    )


def create_user_box(account: Any) -> Any:
    """Show who is signed in, their role, and a sign-out link (nothing when nobody is)."""
    if account is None:
        return html.Div(id="shell-user")
    initials = "".join(part[0] for part in account.display_name.split()[:2]).upper() or "?"
    role = _(ROLE_LABELS.get(account.role, account.role))
    if account.cti_acronym:
        role = f"{role} · {account.cti_acronym}"
    return dmc.Group(
        [
            dmc.Avatar(initials, radius="xl", size="md", color="white", variant="outline"),
            html.Div(
                [
                    html.Div(account.display_name, className="cti-user-name"),
                    html.Div(role, className="cti-user-role"),
                ],
                className="cti-user-text",
            ),
            html.A(_("Se déconnecter"), href="/logout", className="cti-logout"),
        ],
        gap="sm",
        id="shell-user",
        wrap="nowrap",
    )


def create_header(account: Any, lang: str) -> Any:
    """Build the top bar: the ministry's name, the product's name, language and user."""
    menu = dmc.Box(
        dmc.Menu(
            [
                dmc.MenuTarget(
                    dmc.Burger(opened=False, color="white", size="sm", **{"aria-label": _("Menu")})
                ),
                dmc.MenuDropdown(create_nav_menu_items(account)),
            ],
            position="bottom-start",
        ),
        hiddenFrom="sm",
    )
    brand = dmc.Group(
        [
            menu,
            html.Img(src="/assets/icons/emblem.svg", alt="", width=36, height=36),
            html.Div(
                [
                    html.Div(
                        _("Royaume du Maroc · Ministère de l'Industrie et du Commerce"),
                        className="cti-brand-ministry",
                    ),
                    html.Div(
                        _("Pilotage du plan de développement des CTI"), className="cti-brand-title"
                    ),
                ]
            ),
        ],
        gap="sm",
        wrap="nowrap",
    )
    return dmc.AppShellHeader(
        dmc.Group(
            [brand, dmc.Group([create_language_switch(lang), create_user_box(account)], gap="lg")],
            justify="space-between",
            h="100%",
            px="md",
            wrap="nowrap",
        ),
        className="cti-header",
    )


def create_navbar(account: Any, today: date) -> Any:
    """Build the side navigation with the date the figures are computed for."""
    return dmc.AppShellNavbar(
        [
            dmc.AppShellSection(create_nav_links(account), grow=True, className="cti-nav"),
            dmc.AppShellSection(
                [
                    dmc.Text(_("Situation au"), size="xs", c="dimmed"),
                    dmc.Text(fmt_date(today), size="sm", fw=600, id="shell-today"),
                    dmc.Text(
                        _("Seules les valeurs validées entrent dans les chiffres officiels."),
                        size="xs",
                        c="dimmed",
                        mt=4,
                    ),
                ],
                className="cti-nav-footer",
            ),
        ],
        p="sm",
    )


def create_shell() -> Any:
    """Build the page frame around dash.page_container."""
    account = current_account()
    lang = current_lang()
    return dmc.MantineProvider(
        dmc.AppShell(
            [
                create_header(account, lang),
                create_navbar(account, _today()),
                dmc.AppShellMain(
                    html.Div(dash.page_container, className="cti-page"), className="cti-main"
                ),
            ],
            header={"height": 64},
            navbar={"width": 248, "breakpoint": "sm", "collapsed": {"mobile": True}},
            padding="lg",
            id="shell",
        ),
        theme=THEME,
        forceColorScheme="light",
    )
