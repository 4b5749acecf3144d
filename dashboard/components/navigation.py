"""The navigation entries, as data: other pages append theirs with ``register_nav_item``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dash_mantine_components as dmc
from dash import html

from dashboard.auth.visibility import can_somewhere
from dashboard.i18n import N_, _


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation bar.

    ``label`` is a French message id (translated when the bar is drawn; the catalog
    extraction reads it as NavItem's second argument), ``icon`` the name of
    an SVG in assets/icons, ``section`` the heading it sits under, ``order`` its place in the
    section. ``action`` (of the permission table) lists the entry only for accounts that may do
    it somewhere (on their own CTI, for a CTI editor); ``visible`` decides anything else from
    the signed-in account (or None). The page itself must still check permissions on the server.
    """

    path: str
    label: str
    icon: str
    section: str = "Suivi du plan"
    order: int = 100
    exact: bool = False
    visible: Callable[[Any], bool] = field(default=lambda account: True, compare=False)
    action: str | None = None


SECTIONS = [N_("Suivi du plan"), N_("Saisie et contrôle"), N_("Rapports"), N_("Administration")]

NAV_ITEMS: list[NavItem] = [
    NavItem("/", "Vue d'ensemble", "overview", order=10, exact=True),
    NavItem("/axes", "Axes stratégiques", "axes", order=20),
    NavItem("/ctis", "Contrats-objectifs", "contracts", order=30),
    NavItem("/baseline", "Comparaison 2014-2020", "baseline", order=40),
]


def register_nav_item(item: NavItem) -> None:
    """Add an entry to the navigation (or replace the one with the same path)."""
    NAV_ITEMS[:] = [existing for existing in NAV_ITEMS if existing.path != item.path]
    NAV_ITEMS.append(item)


def visible_items(account: Any) -> list[NavItem]:
    """Return the entries the account may see, by section then order."""
    rank = {name: index for index, name in enumerate(SECTIONS)}
    items = [
        item
        for item in NAV_ITEMS
        if item.visible(account) and (item.action is None or can_somewhere(account, item.action))
    ]
    return sorted(items, key=lambda i: (rank.get(i.section, len(SECTIONS)), i.order, i.path))


def _icon(name: str) -> html.Img:
    return html.Img(src=f"/assets/icons/{name}.svg", alt="", width=20, height=20)


def create_nav_links(account: Any) -> list[Any]:
    """Build the section headings and links of the navigation bar."""
    children: list[Any] = []
    section = None
    for item in visible_items(account):
        if item.section != section:
            section = item.section
            children.append(
                dmc.Text(_(section), className="cti-nav-section", size="xs", fw=700, c="dimmed")
            )
        children.append(
            dmc.NavLink(
                label=_(item.label),
                href=item.path,
                leftSection=_icon(item.icon),
                active="exact" if item.exact else "partial",
                className="cti-nav-link",
                id={"type": "nav-link", "index": item.path},
            )
        )
    return children


def create_nav_menu_items(account: Any) -> list[Any]:
    """Build the same entries as menu items, for the compact menu of narrow screens."""
    return [
        dmc.MenuItem(_(item.label), href=item.path, leftSection=_icon(item.icon))
        for item in visible_items(account)
    ]
