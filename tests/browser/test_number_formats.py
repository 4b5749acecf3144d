"""Every page in Arabic writes decimals with a comma, as the cards do (issue 19.12).

Arabic pages showed "3.413" (thousands, ar_MA) beside "13.5" (a decimal with a dot, from a
grid): a reader cannot tell which is which. Each page is opened in Arabic and no text on it
(grids, tables, cards, chart labels) may hold a decimal written with a dot.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in
from tests.browser.pages_support import page_paths, settle

pytestmark = pytest.mark.browser

TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript")) continue;
    const text = node.textContent.trim();
    if (text) texts.push(text);
  }
  return texts;
}"""
# In Arabic (ar_MA) a dot groups thousands, always three digits after it: "13.5", "0.25" or
# "1.23456" can only be decimals written the English way.
DOT_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])|\d\.\d{4,}")


def test_no_arabic_page_writes_a_decimal_with_a_dot(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "admin-nombres", "admin", full_name="Admin")
    sign_in(page, live_server, "admin-nombres")
    found = {}
    for path in page_paths():
        page.goto(f"{live_server}{path}?lang=ar")
        settle(page)
        page.wait_for_timeout(500)  # grids fill their rows from a callback
        texts: list[str] = page.evaluate(TEXTS)
        wrong = sorted({t for t in texts if DOT_DECIMAL.search(t)})
        if wrong:
            found[path] = wrong[:5]
    assert found == {}
