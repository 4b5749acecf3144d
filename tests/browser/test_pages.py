"""The monitoring pages in a real browser, on the demo data: charts, filters, links, errors.

Set SCREENSHOT_DIR to also save a 1280x900 screenshot of each page there.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response, expect

pytestmark = pytest.mark.browser

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
TRACE_NAMES = "id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');" + (
    " return g && g.data ? g.data.map(t => t.name || t.type) : null; }"
)
TRACE_DATA = (
    "([id, name]) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
    " const t = g.data.find(t => t.name === name); return Array.from(t.x); }"
)


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    console: list[str] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)


@pytest.fixture
def watched(signed_in_page: Page) -> Iterator[tuple[Page, Problems]]:
    """The signed-in page, with console errors and failed Dash callbacks collected."""
    page = signed_in_page
    problems = Problems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.console.append(message.text)

    def on_response(response: Response) -> None:
        if "/_dash-update-component" in response.url and response.status >= 400:
            problems.callbacks.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.console.append(str(exc)))
    page.on("response", on_response)
    page.add_init_script(WATCH_CSP)
    yield page, problems
    assert problems.callbacks == [], "a Dash callback failed"
    assert problems.console == [], "the browser console reported errors"


def open_page(page: Page, url: str, graphs: int) -> None:
    """Open a page and wait until its content and its ``graphs`` charts are drawn."""
    page.goto(url)
    expect(page.locator("#_pages_content")).not_to_be_empty()
    # Generous: the first page of a session also loads and compiles Plotly (3 MB).
    expect(page.locator(".js-plotly-plot .plot-container")).to_have_count(graphs, timeout=20_000)
    page.wait_for_load_state("networkidle")
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        path = url.split("//", 1)[-1].split("/", 1)[-1]
        name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "overview"
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


def traces(page: Page, graph_id: str) -> list[str]:
    """Return the trace names of the chart inside the element ``graph_id``."""
    names: list[str] = page.evaluate(TRACE_NAMES, graph_id)
    return names


def trace_x(page: Page, graph_id: str, name: str) -> list[Any]:
    """Return the x values of one trace of a chart."""
    values: list[Any] = page.evaluate(TRACE_DATA, [graph_id, name])
    return values


def wait_until(page: Page, check: Any, timeout: float = 5.0) -> None:
    """Poll a condition from Python (the page's CSP forbids Playwright's eval-based waits).

    page.wait_for_timeout, unlike time.sleep, lets Playwright take in the page's events
    (such as a new URL) between two checks.
    """
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)


def test_overview_draws_every_chart_and_labels_illustrative_data(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/", graphs=5)
    assert traces(page, "overview-axis-graph") == ["Enveloppe", "Engagé", "Décaissé"]
    assert traces(page, "overview-cti-graph") == ["Enveloppe", "Engagé", "Décaissé"]
    assert traces(page, "overview-pace-graph") == [
        "Enveloppe du plan",
        "Rythme linéaire de l'enveloppe",
        "Rythme du plan 2014-2020",
        "Engagé (cumul)",
        "Décaissé (cumul)",
    ]
    assert traces(page, "overview-matrix-graph") == ["heatmap"]
    assert "Dépense et résultats au même rythme" in traces(page, "overview-money-graph")
    expect(page.locator("#kpi-envelope")).to_contain_text("250,0\u00a0MDH")
    expect(page.locator("#kpi-contracts")).to_contain_text("9 / 9")
    expect(page.locator("#kpi-time")).to_contain_text("Plan clos")
    expect(page.get_by_text("Données illustratives").first).to_be_visible()
    expect(page.locator("#overview-late-table tbody tr")).to_have_count(8)
    # Every chart shows its numbers on request.
    page.locator("#overview-axis-graph").locator("xpath=..").get_by_text("Voir les données").click()
    expect(page.locator(".cti-data-details[open] table").first).to_contain_text("Axe 1")
    assert page.evaluate("window.__csp") == []


# Each is true with the browser's own built-ins, false with @babel/polyfill's copies (which
# count U+180E as white space). Function.prototype.toString: the polyfill's own shows its
# additions (setImmediate) as native code.
BUILT_INS = {
    "trim": "'\\u180e'.trim() === '\\u180e'",
    "trimStart": "'\\u180e'.trimStart() === '\\u180e'",
    "trimEnd": "'\\u180e'.trimEnd() === '\\u180e'",
    "trimLeft": "'\\u180e'.trimLeft() === '\\u180e'",
    "trimRight": "'\\u180e'.trimRight() === '\\u180e'",
    "parseInt": "Number.isNaN(parseInt('\\u180e08'))",
    "Number.parseInt": "Number.isNaN(Number.parseInt('\\u180e08'))",
    "parseFloat": "Number.isNaN(parseFloat('\\u180e1'))",
    "Number.parseFloat": "Number.isNaN(Number.parseFloat('\\u180e1'))",
    "toString": "!Function.prototype.toString.call(setImmediate).includes('[native code]')",
    "sinh": "Function.prototype.toString.call(Math.sinh).includes('[native code]')",
}


def test_the_page_runs_on_the_browsers_own_built_ins(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    # Dash's polyfill swaps these for slow copies (Plotly parses every marker colour with
    # trim and parseInt); assets/natives-keep.js and natives.js give the browser's back.
    page, _problems = watched
    open_page(page, f"{live_server}/", graphs=5)
    checks = {name: page.evaluate(f"() => {test}") for name, test in BUILT_INS.items()}
    assert checks == dict.fromkeys(BUILT_INS, True)
    # The polyfill's additions stay (Dash's renderer uses regeneratorRuntime).
    assert page.evaluate("typeof regeneratorRuntime") == "object"
    assert page.evaluate("window.__ctiNatives") is None
    # assets/store-batching.js: Dash's store tells its subscribers once per burst of resets.
    assert page.evaluate("window.store.ctiBatchedResets") is True
    calls = page.evaluate(
        """async () => {
             const store = window.store;
             let calls = 0;
             const stop = store.subscribe(() => { calls += 1; });
             for (let i = 0; i < 100; i++) {
               store.dispatch({type: 'RESET_COMPONENT_STATE', payload: {itempath: ['none', i]}});
             }
             const during = calls;
             await Promise.resolve();
             const after = calls;
             store.dispatch({type: 'SET_HOOKS', payload: store.getState().hooks});
             const other = calls - after;
             stop();
             return [during, after, other];
           }"""
    )
    assert calls == [0, 1, 1]  # none during the burst, one after it; other actions as before


def test_year_filter_changes_the_charts_and_the_url(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/", graphs=5)
    before = trace_x(page, "overview-axis-graph", "Décaissé")
    page.locator("#overview-year").get_by_text("Fin 2023").click()
    expect(page.locator("#overview-when")).to_have_text("Situation à fin 2023")
    wait_until(page, lambda: "year=2023" in page.url)
    after = trace_x(page, "overview-axis-graph", "Décaissé")
    assert after != before and sum(after) < sum(before)
    # The link can be shared: opening it shows the same view.
    page.goto(page.url)
    expect(page.locator("#overview-when")).to_have_text("Situation à fin 2023")


def test_shell_shows_the_user_the_languages_and_the_navigation(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/axes", graphs=2)
    expect(page.locator("#shell-user")).to_contain_text("analyste-test")
    expect(page.locator("#shell-user")).to_contain_text("Analyste")
    # The header's own sign-out button (the account panel under the avatar holds another).
    expect(page.locator("#shell-user form[action='/logout'] button.cti-logout")).to_be_visible()
    for code in ("fr", "en", "ar"):
        expect(page.locator(f".cti-lang-switch a[href='?lang={code}']")).to_have_count(1)
    nav = page.locator(".cti-nav")
    for label in ("Vue d'ensemble", "Axes stratégiques", "Contrats-objectifs"):
        expect(nav.get_by_text(label)).to_be_visible()
    expect(page.locator("#shell-today")).to_have_text("29 novembre 2026")


def test_axes_then_one_axis_with_its_filters_in_the_url(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/axes", graphs=2)
    expect(page.locator("[id^=axes-card-]")).to_have_count(5)
    assert traces(page, "axes-budget-graph") == ["Enveloppe", "Engagé", "Décaissé"]
    spread = traces(page, "axes-spread-graph")
    assert "En retard" in spread and "Conforme" in spread
    page.locator("#axes-card-2").get_by_role("link").first.click()
    expect(page.locator("#axis-budget-graph .plot-container")).to_have_count(1)
    expect(page.locator("#axis-spread-graph .plot-container")).to_have_count(1)
    expect(page.locator("#axis-indicators-table")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/axes/2")
    expect(page.get_by_role("heading", name=re.compile("Axe 2"))).to_be_visible()
    expect(page).to_have_title(re.compile(r"^2 · "))  # the router's title, after an in-app move
    rows_all = page.locator("#axis-indicators-table tbody tr").count()
    page.locator("#axis-status").click()
    page.get_by_role("option", name="En retard").click()
    wait_until(page, lambda: "status=late" in page.url)
    table = page.locator("#axis-indicators-table tbody tr")
    expect(table.first).to_contain_text("En retard")
    assert 0 < table.count() < rows_all
    for text in table.all_inner_texts():
        assert "En retard" in text


def test_contracts_list_then_one_contract_and_its_trajectories(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/ctis", graphs=2)
    expect(page.locator("#ctis-table tbody tr")).to_have_count(9)
    cetia = page.locator("#ctis-table tbody tr", has_text="CETIA")
    expect(cetia.get_by_role("progressbar", name="Décaissé / enveloppe")).to_have_count(1)
    expect(cetia.locator(".cti-counts")).to_contain_text("En retard")  # read out, not colour
    cetia.get_by_text("FENAGRI").hover()  # the federation's acronym, its name on hover
    expect(page.locator(".cti-tip")).to_contain_text("Fédération")
    statuses = ["En retard", "À surveiller", "Conforme", "Sans donnée"]
    assert traces(page, "ctis-status-graph") == statuses
    page.locator("#ctis-table").get_by_role("link", name="CETIA").click()
    expect(page.locator("#cti-trajectory-graph .plot-container")).to_have_count(1)
    expect(page.locator(".js-plotly-plot .plot-container")).to_have_count(4)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/ctis/CETIA")
    expect(page.locator("#cti-contract")).to_contain_text("11 avril 2023")
    expect(page.locator("#cti-contract")).to_contain_text("FENAGRI")
    # The demo recipe gives each CTI seven to eleven indicators.
    assert 7 <= page.locator("#cti-indicators-table tbody tr").count() <= 11
    names = traces(page, "cti-trajectory-graph")
    assert names[:4] == [
        "Référence fin 2014-2020",
        "Trajectoire prévue",
        "Objectifs annuels",
        "Valeurs validées",
    ]
    assert set(traces(page, "cti-envelope-graph")) >= {"2022", "2023", "2024", "2025"}
    page.locator("#cti-indicator").click()
    page.get_by_role("option", name=re.compile("^CETIA-A3-01")).click()
    expect(page.locator("#cti-trajectory")).to_contain_text("CETIA-A3-01")
    wait_until(page, lambda: "indicator=CETIA-A3-01" in page.url)
    title = page.evaluate(
        "() => document.querySelector('#cti-trajectory-graph .js-plotly-plot').layout.title.text"
    )
    assert "CETIA-A3-01" in title
    # Another year redraws the page: the select lists every indicator again (they come by a
    # callback when the select is reached), and keeps the one shown.
    page.evaluate("document.getElementById('cti-indicator').dataset.before = 'yes'")
    page.locator("#cti-year").get_by_text("Fin 2023").click()
    wait_until(page, lambda: "year=2023" in page.url)
    expect(page.locator("#cti-indicator[data-before]")).to_have_count(0)  # redrawn
    expect(page.locator("#cti-indicators-table tbody tr")).not_to_have_count(0)
    page.locator("#cti-indicator").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    wait_until(page, lambda: 7 <= options.count() <= 11)
    expect(page.locator("#cti-indicator")).to_have_value(re.compile("^CETIA-A3-01"))


def test_a_link_to_an_indicator_opens_its_trajectory(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/", graphs=5)
    link = page.locator("#overview-late-table tbody tr").first.get_by_role("link").first
    code = link.inner_text()
    link.click()
    expect(page.locator("#cti-trajectory-graph .plot-container")).to_have_count(1)
    expect(page.locator("#cti-trajectory")).to_contain_text(code)
    assert f"indicator={code}" in page.url


def test_the_indicator_list_comes_when_the_select_is_reached_by_keyboard(
    watched: tuple[Page, Problems], live_server: str
) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/ctis/CETIA", graphs=4)
    page.wait_for_load_state("networkidle")
    select = page.locator("#cti-indicator")
    assert select.get_attribute("data-list-asked") is None  # not asked for on load
    select.focus()  # as Tab would
    page.keyboard.press("ArrowDown")
    options = page.get_by_role("option")
    wait_until(page, lambda: 7 <= options.count() <= 11)
    page.keyboard.press("Escape")


def test_baseline_compares_the_two_plans(watched: tuple[Page, Problems], live_server: str) -> None:
    page, _problems = watched
    open_page(page, f"{live_server}/baseline", graphs=3)
    expect(page.locator("#baseline-intensity")).to_contain_text("41,4\u00a0MDH → 62,5\u00a0MDH")
    expect(page.locator("#baseline-actual-intensity")).to_contain_text(
        "37,2\u00a0MDH → 34,1\u00a0MDH"
    )
    texts = page.evaluate(
        "() => document.querySelector('#baseline-intensity-graph .js-plotly-plot').data[1].text"
    )
    assert texts == ["41,4", "62,5"]
    yearly = traces(page, "baseline-yearly-graph")
    assert yearly[:2] == ["2014-2020 : dépenses", "2022-2025 : décaissé"]
    assert "Dernière valeur validée" in traces(page, "baseline-network-graph")
    expect(page.locator("#baseline-mapping-table")).to_contain_text("Non comparable")
    page.locator("#baseline-mapping-table .cti-badge-differs").first.hover()
    expect(page.locator(".cti-tip")).to_contain_text("la comparaison est indicative")


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/ctis/XYZ", "Contrat introuvable"),
        ("/axes/9", "Axe introuvable"),
        ("/cette-page-n-existe-pas", "Page introuvable"),
    ],
)
def test_unknown_addresses_show_a_clear_not_found_page(
    watched: tuple[Page, Problems], live_server: str, path: str, title: str
) -> None:
    page, _problems = watched
    page.goto(f"{live_server}{path}")
    expect(page.locator("#not-found")).to_contain_text(title)
    expect(page.locator("#not-found a")).to_be_visible()
