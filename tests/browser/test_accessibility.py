"""Accessibility (WCAG 2.2 AA) in a real browser: axe-core on every page, keyboard checks.

axe-core (tests/browser/vendor/axe.min.js, MPL-2.0) is evaluated in the page through the
DevTools protocol, which the page's Content-Security-Policy does not apply to, so the policy
under test stays the production one. Only serious and critical violations fail a test; the
others are printed, to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in
from tests.browser.pages_support import page_paths, settle

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " | " + (n.failureSummary || ""))
  }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return its violations of WCAG 2.x A and AA."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_TAGS)
    return violations


def blocking(violations: list[dict[str, Any]], where: str) -> list[str]:
    """Keep the serious and critical violations, print the others."""
    for v in violations:
        if v["impact"] not in BLOCKING:
            print(f"[axe {v['impact']}] {where}: {v['id']} {v['help']}")
    return [
        f"{where}: {v['impact']} {v['id']} ({v['help']}) {v['nodes']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def admin_page(page: Page, live_server: str, engine: Engine) -> Page:
    """A page signed in as an administrator, who may open every page."""
    create_account(engine, "admin-a11y", "admin", full_name="Admin Accessibilité")
    sign_in(page, live_server, "admin-a11y")
    return page


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_sign_in_page_has_no_serious_violation(page: Page, live_server: str, lang: str) -> None:
    page.goto(f"{live_server}/login?lang={lang}")
    assert blocking(axe_violations(page), f"/login?lang={lang}") == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_page_has_no_serious_or_critical_violation(
    admin_page: Page, live_server: str, lang: str
) -> None:
    found: list[str] = []
    for path in page_paths():
        admin_page.goto(f"{live_server}{path}?lang={lang}")
        settle(admin_page)
        found += blocking(axe_violations(admin_page), f"{path} ({lang})")
    assert found == [], "\n".join(found)


def test_keyboard_skip_link_focus_ring_and_chart_data(admin_page: Page, live_server: str) -> None:
    page = admin_page
    page.goto(f"{live_server}/")
    settle(page)
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.locator(".cti-skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    # Every focused control shows a ring: the page's own CSS, not only the browser's default.
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2
    # A chart's numbers open from the keyboard, in a table captioned with the chart's title.
    summary = page.locator("#overview-axis-graph-summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#overview-axis-graph-data")).to_have_attribute("open", "")
    caption = page.locator("#overview-axis-graph-data caption")
    expect(caption).to_have_text("Budget par axe (MDH)")
    figure = page.locator("figure[aria-labelledby='overview-axis-graph-title']")
    expect(figure).to_have_count(1)
    expect(page.locator("#overview-axis-graph-title")).to_have_text("Budget par axe (MDH)")


def test_landmarks_and_page_titles(admin_page: Page, live_server: str) -> None:
    page = admin_page
    for path in ("/", "/ctis/CETIA"):
        page.goto(f"{live_server}{path}")
        settle(page)
        for role in ("banner", "navigation", "main"):
            assert page.get_by_role(role).count() >= 1, (path, role)
        expect(page.locator("main h1")).to_have_count(1)
        assert page.title().endswith("Plan CTI") and page.title() != "Plan CTI"
