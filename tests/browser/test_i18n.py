"""Every page in Arabic (right to left) and in English, in a real browser.

The strongest check is on the text itself: no text node of a page may be a French message id
of the catalogs whose translation differs, so a string shown untranslated (a label built
outside ``_()``, a catalog entry missing) fails the test with its text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import User
from dashboard.i18n import translate
from dashboard.i18n.extract import build_template
from tests.browser.conftest import PASSWORD, create_account, sign_in
from tests.browser.pages_support import page_paths, settle

pytestmark = pytest.mark.browser

ARABIC = re.compile(r"[\u0600-\u06ff]")
TEXT_NODES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) seen.add(text);
  }
  return Array.from(seen);
}"""


def untranslated_texts(lang: str) -> dict[str, str]:
    """Return the French message ids (without placeholders) that read differently in ``lang``."""
    found = {}
    for message in build_template():
        text = message.id
        if isinstance(text, str) and text and "{" not in text:
            translated = translate(text, lang)
            if translated != text:
                found[text] = translated
    return found


def open_in(page: Page, url: str, lang: str) -> None:
    """Open a page in a language (keeping its query)."""
    page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}")
    settle(page)


@pytest.fixture
def admin_page(page: Page, live_server: str, engine: Engine) -> Page:
    """A page signed in as an administrator, who may open every page."""
    create_account(engine, "admin-i18n", "admin", full_name="Admin i18n")
    sign_in(page, live_server, "admin-i18n")
    return page


def _check_every_page(page: Page, live_server: str, lang: str) -> dict[str, Any]:
    """Open every page in ``lang``; return what went wrong, by page."""
    french = untranslated_texts(lang)
    problems: dict[str, Any] = {}
    for path in page_paths():
        open_in(page, f"{live_server}{path}", lang)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", lang)
        expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        texts: list[str] = page.evaluate(TEXT_NODES)
        left = sorted(t for t in texts if t in french)
        main = page.locator("main").inner_text()
        if lang == "ar" and len(ARABIC.findall(main)) < 20:
            left.append("(peu ou pas de texte arabe dans <main>)")
        title = page.title()
        if lang == "ar" and not ARABIC.search(title):
            left.append(f"(titre non traduit : {title})")
        if lang == "en" and not title.endswith("CTI plan"):
            left.append(f"(titre non traduit : {title})")
        if left:
            problems[path] = left
    return problems


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_speaks_the_language_and_arabic_reads_right_to_left(
    admin_page: Page, live_server: str, lang: str
) -> None:
    assert len(page_paths()) >= 8
    problems = _check_every_page(admin_page, live_server, lang)
    assert problems == {}, f"textes non traduits ({lang}) : {problems}"


def test_arabic_shell_mirrors_the_navigation_and_the_charts(
    admin_page: Page, live_server: str
) -> None:
    page = admin_page
    open_in(page, f"{live_server}/ctis/CETIA", "ar")
    expect(page.locator("nav.mantine-AppShell-navbar")).to_contain_text("نظرة عامة")
    # The navigation sits on the right-hand side, the content on its left.
    nav = page.locator("nav.mantine-AppShell-navbar").bounding_box()
    main = page.locator("main").bounding_box()
    assert nav is not None and main is not None and nav["x"] > main["x"]
    expect(page.locator("#cti-envelope")).to_contain_text("مليون درهم")
    expect(page.locator(".cti-page-title")).to_contain_text("المركز التقني للصناعات الغذائية")
    expect(page.locator("#cti-budget-graph .plot-container")).to_have_count(1)
    layout = page.evaluate(
        "() => { const g = document.querySelector('#cti-budget-graph .js-plotly-plot');"
        " return {x: g._fullLayout.xaxis.range, side: g._fullLayout.yaxis.side,"
        " title: g._fullLayout.title.xanchor, sep: g._fullLayout.separators,"
        " legend: g.data.map(t => t.name)}; }"
    )
    # The value axis runs right to left (Plotly turns "reversed" into a decreasing range).
    assert layout["x"][0] > layout["x"][1] and layout["side"] == "right"
    assert layout["title"] == "right" and layout["sep"] == ",."
    assert layout["legend"][:3] == ["الغلاف المالي", "الملتزم به", "المصروف"]


def test_english_numbers_and_dates(admin_page: Page, live_server: str) -> None:
    page = admin_page
    open_in(page, f"{live_server}/", "en")
    expect(page.locator("#kpi-envelope")).to_contain_text("250.0\u00a0MDH")
    expect(page.locator("#kpi-envelope")).to_contain_text("7 June 2022")
    expect(page.locator("#shell-today")).to_have_text("29 November 2026")
    open_in(page, f"{live_server}/", "ar")
    expect(page.locator("#kpi-envelope")).to_contain_text("250,0\u00a0مليون درهم")
    expect(page.locator("#shell-today")).to_have_text("29 نونبر 2026")


def test_the_language_switch_keeps_the_page_and_its_filters(
    admin_page: Page, live_server: str
) -> None:
    page = admin_page
    page.goto(f"{live_server}/ctis?year=2023&status=late")
    settle(page)
    page.locator(".cti-lang-switch a[hreflang=ar]").click()
    page.wait_for_url(re.compile(r"/ctis\?"))
    settle(page)
    assert "year=2023" in page.url and "status=late" in page.url and "lang=ar" in page.url
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#ctis-status")).to_have_value("متأخر")
    # Keyboard: the links are reachable and followed with Enter.
    link = page.locator(".cti-lang-switch a[hreflang=en]")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"lang=en"))
    settle(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "year=2023" in page.url


def test_the_choice_follows_the_account_to_another_browser(
    admin_page: Page, live_server: str, engine: Engine, browser: Browser
) -> None:
    open_in(admin_page, f"{live_server}/axes", "ar")
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "admin-i18n")).one()
        assert user.language == "ar"
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = other.new_page()
        sign_in(page, live_server, "admin-i18n")
        settle(page)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("nav.mantine-AppShell-navbar")).to_contain_text("المحاور الاستراتيجية")
    finally:
        other.close()


def test_a_language_picked_on_the_sign_in_page_is_kept_and_remembered(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "lecteur-en", "viewer")
    page.goto(f"{live_server}/login?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text("لوحة قيادة")
    page.locator("nav.langs a[lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("input[name=username]", "lecteur-en")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    settle(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_contain_text("Overview")
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "lecteur-en")).one()
        assert user.language == "en"


@pytest.mark.parametrize(
    ("lang", "locale", "weekday"),
    [("fr", "fr", "lu"), ("ar", "ar_MA", "إثنين"), ("en", "en", "Mo")],
)
def test_date_pickers_name_months_and_days_in_the_page_language(
    admin_page: Page, live_server: str, lang: str, locale: str, weekday: str
) -> None:
    from babel.dates import get_month_names

    months = "|".join(get_month_names("wide", locale=locale).values())
    page = admin_page
    open_in(page, f"{live_server}/audit", lang)
    page.locator("#audit-dates").click()
    # The month shown (the current one) is named in the page's language.
    level = page.locator(".mantine-DatePickerInput-calendarHeaderLevel").first
    expect(level).to_have_text(re.compile(rf"({months}) \d{{4}}"))
    # Weeks start on Monday, as in Morocco's administration.
    expect(page.locator(".mantine-DatePickerInput-weekday").first).to_have_text(weekday)
