"""Freshness in a real browser: the overview's panel, stale marks, the header's reminders bell.

Set SCREENSHOT_DIR to also save screenshots of the overview and of a contract page there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from dashboard.services import freshness_views
from dashboard.services.reminders import run_reminders
from tests.browser.conftest import sign_in
from tests.conftest import DEMO_TODAY
from tests.db.calendar_support import make_person

pytestmark = pytest.mark.browser


def _shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot when SCREENSHOT_DIR is set."""
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=full_page)


def _open(page: Page, url: str, shot: str) -> None:
    page.goto(url)
    expect(page.locator("#_pages_content")).not_to_be_empty()
    page.wait_for_load_state("networkidle")
    _shot(page, shot)


def test_overview_shows_what_each_cti_owes_and_how_old_its_figures_are(
    signed_in_page: Page, live_server: str
) -> None:
    page = signed_in_page
    _open(page, f"{live_server}/", "overview_freshness")
    panel = page.locator("#overview-freshness")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", name="Fraîcheur des données")).to_be_visible()
    rows = page.locator("#overview-freshness-table tbody tr")
    expect(rows).to_have_count(9)
    ceric = rows.filter(has_text="CERIC")
    expect(ceric).to_contain_text("2025-T4")
    expect(ceric).to_contain_text("En retard (318 j)")  # the state in words, not colour alone
    expect(ceric).to_contain_text("7 périodes")
    expect(panel).to_contain_text("CTI en retard")
    expect(panel.get_by_text("Données illustratives")).to_be_visible()
    # The latest values of the most-late list are marked when stale.
    expect(page.locator("#overview-late-table .cti-stale-badge").first).to_be_visible()
    page.locator("#overview-freshness-link").click()
    expect(page).to_have_url(f"{live_server}/calendar")


def test_contract_page_marks_its_stale_values(
    signed_in_page: Page, live_server: str, engine: Engine
) -> None:
    view = freshness_views.cti_freshness(engine=engine, today=DEMO_TODAY, acronym="CERIC")
    stale = freshness_views.stale_marks(view)
    assert stale
    page = signed_in_page
    _open(page, f"{live_server}/ctis/CERIC", "cti_freshness")
    badges = page.locator("#cti-indicators-table .cti-stale-badge")
    expect(badges).to_have_count(len(stale))
    # The explanation shows on hover and on keyboard focus, and Escape hides it (WCAG 1.4.13);
    # screen readers have it in the badge's own text.
    tip = page.locator(".cti-tip")
    badges.first.hover()
    expect(tip).to_contain_text("Valeur périmée : mesure au")
    page.keyboard.press("Escape")
    expect(tip).to_have_count(0)
    page.mouse.move(0, 0)
    badges.nth(1).locator("xpath=..").focus()
    expect(tip).to_have_count(1)
    expect(tip).to_contain_text("Valeur périmée : mesure au")
    expect(badges.first.locator("xpath=..")).to_contain_text("Valeur périmée : mesure au")
    # The trajectory's hover text gives the date each figure measures.
    expect(page.locator("#cti-trajectory-graph .js-plotly-plot")).to_be_visible()
    templates = page.evaluate(
        "() => document.querySelector('#cti-trajectory-graph .js-plotly-plot')"
        ".data.map(t => t.hovertemplate || '')"
    )
    assert any("Date de la mesure" in t for t in templates)


def test_the_bell_counts_unread_reminders_and_follows_marking_them_read(
    page: Page, live_server: str, engine: Engine
) -> None:
    make_person(engine, "amina", "cti_editor", "CETIA")
    run_reminders(engine=engine, today=DEMO_TODAY, smtp=None)
    sign_in(page, live_server, "amina")
    bell = page.locator("#shell-bell")
    expect(bell.locator(".cti-bell-count")).to_have_text("1")
    expect(bell).to_contain_text("Rappels : 1 non lu")
    _shot(page, "bell", full_page=False)
    bell.click()
    expect(page).to_have_url(f"{live_server}/calendar")
    page.get_by_role("button", name="Marquer lu").click()
    expect(page.locator("#calendar-unread")).to_have_text("0 non lu")
    expect(bell.locator(".cti-bell-count")).to_have_count(0)
    expect(bell).to_contain_text("Rappels : 0 non lu")
    page.get_by_role("link", name="Vue d'ensemble").first.click()  # moving keeps the count
    expect(bell).to_contain_text("Rappels : 0 non lu")
