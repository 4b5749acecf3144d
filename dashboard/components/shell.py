"""The page frame: theme, header (title, language, signed-in user), navigation, current page."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from dashboard.auth.csrf import csrf_token
from dashboard.auth.permissions import ROLE_NAMES
from dashboard.auth.session import current_account
from dashboard.components.callback_errors import create_notification_area
from dashboard.components.navigation import create_nav_links, create_nav_menu_items
from dashboard.components.notification_bell import create_notification_bell, unread_for
from dashboard.components.page_container import create_page_container
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_lang, direction
from dashboard.services.formatting import fmt_date
from dashboard.services.palette import ARABIC_FONT_STACK, FONT_STACK

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

THEME: dict[str, Any] = {
    "primaryColor": "ministry",
    "primaryShade": 8,
    "colors": {"ministry": MINISTRY_BLUE},
    "fontFamily": FONT_STACK,
    "headings": {"fontFamily": FONT_STACK, "fontWeight": "650"},
    "defaultRadius": "md",
}
# What each language link shows; its accessible name is the language's own name followed by
# the short form, so that it contains the visible text (WCAG 2.5.3, label in name).
LANGUAGE_SHORT = {"fr": "FR", "en": "EN", "ar": "ع"}
MAIN_ID = "main-content"


def theme_for(lang: str) -> dict[str, Any]:
    """Return the Mantine theme, with the Arabic font stack for Arabic."""
    if direction(lang) != "rtl":
        return THEME
    headings = {**THEME["headings"], "fontFamily": ARABIC_FONT_STACK}
    return {**THEME, "fontFamily": ARABIC_FONT_STACK, "headings": headings}


def _today() -> date:
    try:
        from dashboard.services.context import current_settings

        return current_settings().today()
    except (RuntimeError, KeyError):  # outside a request (a unit test building the shell)
        return date.today()


def create_language_switch(lang: str) -> Any:
    """Build the language links (?lang=...): a full page load, the server keeps the choice.

    assets/cti.js rewrites a link when it is followed so that the page's other URL
    parameters (year, filters) are kept.
    """
    return html.Nav(
        [
            html.A(
                LANGUAGE_SHORT[code],
                href=f"?lang={code}",
                title=LANGUAGE_NAMES[code],
                lang=code,
                hrefLang=code,
                className="cti-lang" + (" cti-lang-active" if code == lang else ""),
                **{"aria-label": f"{LANGUAGE_NAMES[code]} · {LANGUAGE_SHORT[code]}"},
                **({"aria-current": "true"} if code == lang else {}),
            )
            for code in LANGUAGES
        ],
        className="cti-lang-switch",
        **{"aria-label": _("Langue")},
    )


def _language_items(lang: str) -> list[Any]:
    """Build the language entries of the compact menu (the switch is hidden on small screens)."""
    return [
        dmc.MenuItem(
            LANGUAGE_NAMES[code],
            href=f"?lang={code}",
            refresh=True,  # the server lays the page out in the language: a full load
            className="cti-lang-menu",
            disabled=code == lang,
        )
        for code in LANGUAGES
    ]


def create_skip_link() -> Any:
    """Build the first focusable link, which jumps over the header and navigation."""
    return html.A(_("Aller au contenu"), href=f"#{MAIN_ID}", className="cti-skip-link")


HELP_PATH = "/aide"


def create_help_link() -> Any:
    """Build the header's link to the help page: a question mark named « Aide »."""
    return dcc.Link(
        [
            html.Img(src="/assets/icons/help.svg", alt="", width=22, height=22),
            html.Span(_("Aide"), className="cti-sr-only"),
        ],
        href=HELP_PATH,
        className="cti-help-link",
        title=_("Aide"),
    )


def _help_item() -> Any:
    return dmc.MenuItem(
        _("Aide"),
        href=HELP_PATH,
        leftSection=html.Img(src="/assets/icons/help-menu.svg", alt="", width=20, height=20),
        className="cti-help-item",
    )


def create_sign_out(*, in_menu: bool = False) -> Any:
    """Build the sign-out form: a POST with the form token (auth/views.py), never a link.

    The button sends the token as its own name and value.
    """
    if in_menu:
        label: Any = [
            html.Img(src="/assets/icons/logout.svg", alt="", width=20, height=20),
            html.Span(_("Se déconnecter")),
        ]
        css = "cti-menu-logout"
    else:
        label, css = _("Se déconnecter"), "cti-logout"
    return html.Form(
        html.Button(label, type="submit", name="csrf_token", value=csrf_token(), className=css),
        method="post",
        action="/logout",
        className="cti-logout-form",
    )


def create_user_box(account: Any) -> Any:
    """Show who is signed in, their role, and sign-out (nothing when nobody is).

    The avatar opens the account panel (name, role, help, sign-out): a native disclosure
    (<details>), which keyboards and screen readers know, and which works before any script.
    On small screens the avatar alone stays in the header, and that panel is the way to them.
    """
    if account is None:
        return html.Div(id="shell-user")
    words = [part for part in account.display_name.split() if part[0].isalpha()]
    initials = "".join(part[0] for part in words[:2]).upper() or "?"
    role = _(ROLE_NAMES.get(account.role, account.role))
    if account.cti_acronym:
        role = f"{role} · {account.cti_acronym}"

    def who(css: str) -> Any:
        return html.Div(
            [
                html.Div(account.display_name, className="cti-user-name"),
                html.Div(role, className="cti-user-role"),
            ],
            className=css,
        )

    hidden = {"aria-hidden": "true"}  # the initials repeat the name that names the button
    avatar = dmc.Avatar(initials, radius="xl", color="white", variant="outline", **hidden)
    panel = html.Div(
        [
            who("cti-user-menu-who"),
            dcc.Link(
                [
                    html.Img(src="/assets/icons/help-menu.svg", alt="", width=20, height=20),
                    html.Span(_("Aide")),
                ],
                href=HELP_PATH,
                className="cti-user-menu-item",
            ),
            create_sign_out(in_menu=True),
        ],
        className="cti-user-menu",
    )
    # The summary is named by the person's name and role, also where only the avatar shows.
    details = html.Details(
        [html.Summary([avatar, who("cti-user-text")], className="cti-user-button"), panel],
        className="cti-user-details",
    )
    return dmc.Group(
        [details, dmc.Box(create_sign_out(), visibleFrom="sm")],
        gap="sm",
        id="shell-user",
        wrap="nowrap",
    )


def _unread(account: Any) -> int:
    try:
        return unread_for(account)
    except (RuntimeError, KeyError):  # outside a request (a unit test building the shell)
        return 0


def create_header(account: Any, lang: str) -> Any:
    """Build the top bar: the ministry's name, the product's name, language and user."""
    menu = dmc.Box(
        dmc.Menu(
            [
                dmc.MenuTarget(
                    dmc.Burger(opened=False, color="white", size="sm", **{"aria-label": _("Menu")})
                ),
                dmc.MenuDropdown(
                    [
                        *create_nav_menu_items(account),
                        dmc.MenuDivider(),
                        _help_item(),
                        dmc.MenuDivider(),
                        *_language_items(lang),
                    ],
                    className="cti-burger-menu",
                ),
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
                ],
                className="cti-brand-text",
            ),
        ],
        gap="sm",
        wrap="nowrap",
        className="cti-brand",
    )
    return dmc.AppShellHeader(
        dmc.Group(
            [
                brand,
                dmc.Group(
                    [
                        dmc.Box(create_help_link(), visibleFrom="sm", className="cti-help-box"),
                        create_language_switch(lang),
                        create_notification_bell(account, _unread(account)),
                        create_user_box(account),
                    ],
                    gap="lg",
                    wrap="nowrap",
                    className="cti-header-tools",
                ),
            ],
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
    """Build the page frame around the page container, in the request's language."""
    account = current_account()
    lang = current_lang()
    return dmc.DirectionProvider(
        dmc.MantineProvider(
            # Date pickers name months and days in the page's language (assets/dayjs-locales.js).
            dmc.DatesProvider(
                dmc.AppShell(
                    [
                        create_skip_link(),
                        create_notification_area(),
                        create_header(account, lang),
                        create_navbar(account, _today()),
                        dmc.AppShellMain(
                            html.Div(
                                create_page_container(),
                                className="cti-page",
                                id=MAIN_ID,
                                tabIndex="-1",
                            ),
                            className="cti-main",
                        ),
                    ],
                    header={"height": 64},
                    navbar={"width": 248, "breakpoint": "sm", "collapsed": {"mobile": True}},
                    padding="lg",
                    id="shell",
                ),
                settings={"locale": lang, "firstDayOfWeek": 1, "weekendDays": [0, 6]},
            ),
            theme=theme_for(lang),
            forceColorScheme="light",
        ),
        direction=direction(lang),
        id="shell-direction",
    )
