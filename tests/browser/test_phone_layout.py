"""The four pages people use on a phone, at 360 px, in French and in Arabic (issue 19.13).

At 360 px: nothing is wider than the screen, the header's sign-out and the help link are
reachable (in the account menu), the navigation opens from the burger, and a table scrolled
sideways keeps its first column in view. At 1440 px the desktop header is unchanged: name,
role, sign-out and the help link in the band.

Set SCREENSHOT_DIR to also save the pages as seen at 360 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in
from tests.browser.pages_support import settle

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1440, "height": 900}
PAGES = ["/", "/ctis/CETIA", "/updates", "/updates/validation"]
USER = "analyste-mobile"
FULL_NAME = "Salma Bennani"

# Where each page's first wide table is, and how to scroll it sideways.
HTML_TABLE = ".cti-table-scroll:has(table.cti-html-table)"
GRIDS = {  # each grid and its first data column
    "/updates": ("#updates-history-grid", "period"),
    "/updates/validation": ("#validation-queue-grid", "cti"),
}


def _open(page: Page, live_server: str, engine: Engine, path: str, lang: str) -> None:
    create_account(engine, USER, "analyst", full_name=FULL_NAME)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, USER, next_path=f"{path}?lang={lang}")
    settle(page)
    page.wait_for_timeout(300)  # charts and grids take their final width
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "_") or "overview"
        page.screenshot(path=str(Path(shots) / f"phone_{name}_{lang}.png"), full_page=True)


def _overflow(page: Page) -> dict[str, object]:
    """Return the document's width against the window's, and the widest elements past it."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const past = [...document.querySelectorAll('body *')]
                .filter((el) => !el.closest('.mantine-AppShell-navbar'))
                .filter((el) => el.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map((el) => el.tagName + '.' + String(el.className).slice(0, 60));
            return {scroll: document.documentElement.scrollWidth, width, past};
        }"""
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_a_phone_page_fits_keeps_the_header_and_the_first_column(
    page: Page, live_server: str, engine: Engine, path: str, lang: str
) -> None:
    _open(page, live_server, engine, path, lang)
    sizes = _overflow(page)
    assert sizes["scroll"] <= sizes["width"], sizes

    # The band holds the burger, the bell and the avatar; the rest is one tap away.
    expect(page.locator(".cti-lang-switch")).to_be_hidden()
    expect(page.locator("#shell-user .cti-logout")).to_be_hidden()
    header = page.locator(".cti-header").bounding_box()
    avatar = page.locator(".cti-user-button")
    box = avatar.bounding_box()
    assert header and box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    avatar.click()
    menu = page.locator(".cti-user-menu")
    expect(menu).to_contain_text(FULL_NAME)
    sign_out = menu.locator("form[action='/logout'][method='post'] button[type=submit]")
    expect(sign_out).to_be_visible()
    assert sign_out.get_attribute("name") == "csrf_token" and sign_out.get_attribute("value")
    help_link = menu.locator("a[href='/aide']")
    expect(help_link).to_be_visible()
    if lang == "fr":
        expect(menu.get_by_role("link", name="Aide")).to_be_visible()
        expect(sign_out).to_have_accessible_name("Se déconnecter")
    else:
        expect(menu.get_by_role("link", name="مساعدة")).to_be_visible()
        expect(sign_out).to_have_accessible_name("تسجيل الخروج")
    menu_box = menu.bounding_box()
    assert menu_box and menu_box["x"] >= 0 and menu_box["x"] + menu_box["width"] <= PHONE["width"]
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    if path == "/":  # the axis chart: bars labelled « Axe 1 »..., not squashed by long names
        ticks = page.locator("#overview-axis-graph .ytick text")
        expect(ticks.first).not_to_contain_text(" · ")
        plot = page.locator("#overview-axis-graph .nsewdrag").first.bounding_box()
        assert plot and plot["width"] > 200 and plot["height"] >= 200, plot

    # A table scrolled sideways to its far end keeps its first column in view.
    if path in GRIDS:
        where = _first_column_kept_in_grid(page, *GRIDS[path])
    else:
        where = _first_column_kept_in_html_table(page)
    assert where["wide"], f"no table wider than the screen on {path}: nothing to check"
    assert where["scrolled"] > 20, where
    for edge in ("head", "cell"):
        assert where[f"{edge}Left"] >= where["left"] - 1, where
        assert where[f"{edge}Right"] <= where["right"] + 1, where
        # ...at the reading start (after a grid's selection column, if any).
        if lang == "ar":
            assert where["right"] - where[f"{edge}Right"] < 60, where
        else:
            assert where[f"{edge}Left"] - where["left"] < 60, where


def _first_column_kept_in_html_table(page: Page) -> dict[str, float]:
    """Scroll the first wide HTML table to its far end; return where its first cell is."""
    return page.evaluate(
        """(selector) => {
            const box = [...document.querySelectorAll(selector)]
                .find((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 20);
            if (!box) { return {wide: 0}; }
            const rtl = getComputedStyle(box).direction === 'rtl';
            box.scrollLeft = rtl ? -box.scrollWidth : box.scrollWidth;
            const frame = box.getBoundingClientRect();
            const head = box.querySelector('thead tr:last-child > :first-child');
            const cell = box.querySelector('tbody tr > :first-child');
            const h = head.getBoundingClientRect(), c = cell.getBoundingClientRect();
            return {wide: 1, scrolled: Math.abs(box.scrollLeft), left: frame.left,
                    right: frame.right, headLeft: h.left, headRight: h.right,
                    cellLeft: c.left, cellRight: c.right};
        }""",
        HTML_TABLE,
    )


def _first_column_kept_in_grid(page: Page, grid: str, column: str) -> dict[str, float]:
    """Scroll a grid sideways to its far end; return where its first data column is."""
    page.locator(f"{grid} .ag-row .ag-cell").first.wait_for(timeout=TIMEOUT)
    return page.evaluate(
        """([grid, column]) => {
            const root = document.querySelector(grid + ' .ag-root-wrapper');
            const scroller = root.querySelector('.ag-body-horizontal-scroll-viewport');
            const center = root.querySelector('.ag-center-cols-viewport');
            const wide = Math.max(scroller.scrollWidth - scroller.clientWidth,
                                  center.scrollWidth - center.clientWidth);
            const rtl = root.classList.contains('ag-rtl');
            for (const el of [scroller, center]) {
                el.scrollLeft = rtl ? -el.scrollWidth : el.scrollWidth;
                el.dispatchEvent(new Event('scroll'));
            }
            const first = root.querySelector(`.ag-header-cell[col-id="${column}"]`);
            const frame = root.getBoundingClientRect(), h = first.getBoundingClientRect();
            return {wide: wide > 20 ? 1 : 0, scrolled: Math.abs(scroller.scrollLeft),
                    left: frame.left, right: frame.right, headLeft: h.left, headRight: h.right,
                    cellLeft: h.left, cellRight: h.right};
        }""",
        [grid, column],
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_burger_opens_the_navigation_on_a_phone(
    page: Page, live_server: str, engine: Engine, lang: str
) -> None:
    _open(page, live_server, engine, "/", lang)
    page.locator(".mantine-Burger-root").click()
    menu = page.locator(".cti-burger-menu")
    expect(menu.locator("a[href='/updates/validation']")).to_be_visible()
    expect(menu.locator("a[href='/aide']")).to_be_visible()
    expect(menu.locator("a.cti-lang-menu")).to_have_count(3)
    box = menu.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"] + 1  # long lists scroll inside
    menu.locator("a[href='/ctis']").click()
    expect(page).to_have_url(re.compile(r"/ctis(\?|$)"))
    expect(page.locator("h1")).to_be_visible()


def test_signing_out_from_the_phone_menu(page: Page, live_server: str, engine: Engine) -> None:
    _open(page, live_server, engine, "/ctis/CETIA", "fr")
    page.locator(".cti-user-button").click()
    with page.expect_navigation():
        page.locator(".cti-user-menu form[action='/logout'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_desktop_header_is_unchanged(
    page: Page, live_server: str, engine: Engine, lang: str
) -> None:
    create_account(engine, USER, "analyst", full_name=FULL_NAME)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, USER, next_path=f"/?lang={lang}")
    settle(page)
    expect(page.locator(".cti-user-text .cti-user-name")).to_have_text(FULL_NAME)
    expect(page.locator(".cti-user-text .cti-user-name")).to_be_visible()
    expect(page.locator(".cti-user-text .cti-user-role")).to_be_visible()
    expect(page.locator("#shell-user .cti-logout")).to_be_visible()
    expect(page.locator(".cti-lang-switch")).to_be_visible()
    expect(page.locator(".mantine-Burger-root")).to_be_hidden()
    name = "Aide" if lang == "fr" else "مساعدة"
    help_link = page.locator(".cti-header").get_by_role("link", name=name, exact=True)
    expect(help_link).to_be_visible()
    assert help_link.get_attribute("href") == "/aide"
    sizes = _overflow(page)
    assert sizes["scroll"] <= sizes["width"], sizes
    # Charts keep their full labels: only phones get the short ones.
    ticks = page.locator("#overview-axis-graph .ytick text")
    expect(ticks.first).to_contain_text(" · ")
    help_link.click()
    expect(page).to_have_url(re.compile(r"/aide"))
