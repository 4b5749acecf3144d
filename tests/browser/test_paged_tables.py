"""A long indicator table in a real browser: one page at a time, the next page on request."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.components import paged_table
from dashboard.db.models import Indicator
from tests.browser.test_accessibility import axe_violations, blocking

pytestmark = pytest.mark.browser


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three rows a page, so that the demo's contract fills several pages."""
    monkeypatch.setattr(paged_table, "PAGE_SIZE", 3)


def _codes(page: Page) -> list[str]:
    links = page.locator("#cti-indicators-table tbody tr td:first-child a")
    return [code.strip() for code in links.all_inner_texts()]


def test_page_two_of_a_contract_shows_other_indicators(
    small_pages: None, signed_in_page: Page, live_server: str
) -> None:
    page = signed_in_page
    page.goto(f"{live_server}/ctis/CETIA")
    rows = page.locator("#cti-indicators-table tbody tr")
    expect(rows).to_have_count(3, timeout=20_000)
    first = _codes(page)
    count = page.locator("#cti-indicators-table-page .cti-page-count")
    expect(count).to_contain_text("1-3 sur")
    pager = page.locator("#cti-indicators-table-pagination")
    pager.get_by_role("button", name="2", exact=True).click()
    expect(count).to_contain_text("4-6 sur")
    expect(rows.first).not_to_contain_text(first[0])
    second = _codes(page)
    assert len(second) == 3 and not set(second) & set(first)
    expect(pager.get_by_role("button", name="2", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(pager.get_by_role("button", name="Page suivante")).to_have_count(1)
    assert blocking(axe_violations(page), "/ctis/CETIA page 2") == []
    # Keyboard: a page's button takes the focus and Enter opens it.
    pager.get_by_role("button", name="1", exact=True).focus()
    page.keyboard.press("Enter")
    expect(count).to_contain_text("1-3 sur")
    assert _codes(page) == first


def test_a_label_holding_markup_or_braces_shows_as_text(
    signed_in_page: Page, live_server: str, engine: Engine
) -> None:
    # The rows are one block of HTML, turned into elements by dcc.Markdown's JSX parser: a
    # label must come out as the very text typed, run nothing, and break no row.
    hostile = 'Essais <script>alert("x")</script> <img src=x onerror=alert(2)> {alert(1)} & co'
    with Session(engine) as session:
        indicator = session.exec(select(Indicator).where(Indicator.code == "CETIA-A1-01")).one()
        before = indicator.label
        indicator.label = hostile
        session.add(indicator)
        session.commit()
    dialogs: list[str] = []
    page = signed_in_page
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{live_server}/ctis/CETIA")
        row = page.locator("#cti-indicators-table tbody tr").first
        expect(row).to_contain_text(hostile, timeout=20_000)
        assert page.locator("#cti-indicators-table img, #cti-indicators-table script").count() == 0
        # As many cells as an untouched row (11 since both measures are shown): none broken.
        cells = page.locator("#cti-indicators-table tbody tr").nth(1).locator("td").count()
        assert cells >= 10
        expect(row.locator("td")).to_have_count(cells)
        assert not dialogs
    finally:
        with Session(engine) as session:
            indicator = session.exec(select(Indicator).where(Indicator.code == "CETIA-A1-01")).one()
            indicator.label = before
            session.add(indicator)
            session.commit()
