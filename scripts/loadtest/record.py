"""Record the Dash callbacks a browser sends, per role, for the load test to replay.

Usage: .venv/bin/python scripts/loadtest/record.py [--out scripts/loadtest/payloads.json]

Serves the app on a fresh demo database, signs in as a viewer, an analyst and a CTI editor in
headless Chromium (/usr/bin/chromium), moves to each page of common.PAGES as the menu does,
then changes each of
the page's filters (year segments and selects) in turn. Every POST to /_dash-update-component
is kept with its JSON body, as the page-load callbacks and, per filter change, the callbacks
it fired. Re-record after changing a page's callbacks (the load test says when replies fail).
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common import PAGES, PAYLOADS, TODAY, accounts, create_accounts, prepare_database
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import make_engine

PASSWORD = secrets.token_urlsafe(16)  # throw-away accounts of a throw-away database
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic"]  # fmt: skip
READY_JS = """() => !document.querySelector('._dash-loading, [data-dash-is-loading="true"]')"""
# A move between pages as dcc.Link makes it: the URL changes, Dash's Location is told.
MOVE_JS = """(path) => {
  window.history.pushState({}, '', path);
  window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
}"""
# Filters only: year segments and selects; never a button, an upload or a grid (they write).
SEGMENTS = ".mantine-SegmentedControl-root"
SELECTS = "input.mantine-Select-input:not([disabled])"
MAX_CHOICES = 2  # per filter: enough to vary the requests without recording for minutes


@contextmanager
def serve(url: str, data_dir: Path) -> Iterator[str]:
    """Serve the app in a thread on a free port of 127.0.0.1."""
    settings = Settings.from_env(
        database_url=url, fixed_today=TODAY, secret_key="r" * 40, data_dir=data_dir
    )
    engine = make_engine(url)
    app = create_app(settings, engine=engine)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        engine.dispose()


def is_callback(url: str) -> bool:
    """Tell whether a URL is Dash's callback endpoint (the renderer adds ?endId=...)."""
    return urlsplit(url).path == "/_dash-update-component"


class Recorder:
    """Collect the callback requests of a page, grouped by what the person did."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.failures: list[str] = []

    def on_request(self, request: Any) -> None:
        if request.method == "POST" and is_callback(request.url):
            self.bodies.append(json.loads(request.post_data or "{}"))

    def on_response(self, response: Any) -> None:
        if is_callback(response.url) and response.status not in (200, 204):
            self.failures.append(f"{response.status} {response.request.post_data[:120]}")

    def take(self) -> list[dict[str, Any]]:
        taken, self.bodies = self.bodies, []
        return taken


def settle(page: Any) -> None:
    """Wait until Dash has answered every callback the last action fired."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(READY_JS, timeout=30_000)
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)  # chained callbacks start just after the previous answer


def change_filters(page: Any, recorder: Recorder) -> list[list[dict[str, Any]]]:
    """Change each filter of the page to other values; return the callbacks of each change."""
    changes = []
    for index in range(page.locator(SEGMENTS).count()):
        labels = page.locator(SEGMENTS).nth(index).locator("label")
        for choice in range(min(labels.count(), MAX_CHOICES)):
            labels.nth(choice).click()
            settle(page)
            if bodies := recorder.take():
                changes.append(bodies)
    for index in range(page.locator(SELECTS).count()):
        select = page.locator(SELECTS).nth(index)
        if not select.is_visible():
            continue
        for choice in (1, 2)[:MAX_CHOICES]:
            select.click()
            settle(page)  # a select may fill its list when reached (the contract page's)
            options = page.locator(".mantine-Select-option:visible")
            if options.count() <= choice:
                page.keyboard.press("Escape")
                break
            options.nth(choice).click()
            settle(page)
            if bodies := recorder.take():
                changes.append(bodies)
    return changes


def record_role(browser: Any, base: str, role: str, username: str) -> dict[str, Any]:
    """Sign in as one person and record every page of the role."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    recorder = Recorder()
    page.on("request", recorder.on_request)
    page.on("response", recorder.on_response)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    settle(page)
    recorder.take()
    pages = {}
    for path in PAGES[role]:
        # Reached from the menu, as most pages are: Dash's router callback and the page's own.
        # (A page opened by its URL comes with the layout; the load test drops the routing
        # callbacks then.) A neutral page first, so that every path is a move.
        page.goto(f"{base}/loadtest-depart")
        settle(page)
        recorder.take()
        page.evaluate(MOVE_JS, path)
        time.sleep(0.5)  # the router's request starts once React has seen the move
        settle(page)
        settle(page)  # then the new page's own first callbacks
        load = recorder.take()
        filters = change_filters(page, recorder)
        pages[path] = {"load": load, "filters": filters}
        print(f"  {role:<10} {path:<20} {len(load):2d} au chargement, {len(filters):2d} filtres")
    context.close()
    if recorder.failures:
        raise SystemExit(f"Réponses en erreur pendant l'enregistrement : {recorder.failures[:5]}")
    return pages


def main() -> None:
    """Record the payloads of every role and write them as JSON."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PAYLOADS)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    people = {role: (name, role, cti) for name, role, cti in accounts(5, prefix="enregistrement")}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'record.db'}"
        prepare_database(url)
        create_accounts(url, list(people.values()), PASSWORD)
        with serve(url, Path(tmp)) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
            roles = {role: record_role(browser, base, role, people[role][0]) for role in PAGES}
            browser.close()
    args.out.write_text(
        json.dumps({"today": TODAY.isoformat(), "roles": roles}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(f"Écrit : {args.out}")


if __name__ == "__main__":
    main()
