"""Signed-in people browsing the dashboard and changing its filters (run by run.py).

Each simulated user signs in with its own account (the sign-in form and its CSRF token, as a
browser would), then opens pages and changes filters, 2 to 8 seconds apart. The first page,
and one in five after it (a bookmark, a new tab), is loaded from its URL: the HTML, Dash's
layout and dependencies; the others come from the menu, which Dash routes in the browser:
only the page's callbacks reach the server. A filter change sends the callbacks it fired.
The callbacks are the JSON bodies recorded from Chromium by record.py (payloads.json),
replayed as they were sent, with the Origin header of the site.

Environment: LOADTEST_ACCOUNTS (JSON file: [[name, role, cti], ...] and the password),
LOADTEST_PAYLOADS (payloads.json), LOADTEST_OUT (JSON summary written at the end).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.stats import StatsEntry

PAYLOADS = json.loads(Path(os.environ["LOADTEST_PAYLOADS"]).read_text(encoding="utf-8"))["roles"]
ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OK = (200, 204)  # Dash answers 204 when a callback has nothing to update
_next_account = itertools.count()


def short(output: str) -> str:
    """Name a callback by its first output ("axes-content.children")."""
    return output.strip(".").split("...")[0][:48]


def _routed(body: dict[str, Any]) -> bool:
    """Tell whether a callback fires on a move between pages (the router, the bell)."""
    return any(i.get("id") == "_pages_location" for i in body.get("inputs", []))


class Person(HttpUser):  # type: ignore[misc]
    """One signed-in person: a viewer, an analyst or a CTI editor, as the account says."""

    wait_time = between(2, 8)  # reading a page or a chart before the next click
    full_loads = 0.2  # share of page openings by URL (a bookmark, a new tab), not the menu

    def on_start(self) -> None:
        """Sign in through the form with the next free account."""
        name, self.role, _cti = ACCOUNTS["people"][next(_next_account) % len(ACCOUNTS["people"])]
        self.loaded = False
        self.origin = {"Origin": self.host.rstrip("/")}
        self.pages = PAYLOADS[self.role]
        with self.client.get("/login", name="/login (formulaire)", catch_response=True) as page:
            match = CSRF.search(page.text or "")
            if page.status_code != 200 or not match:
                page.failure(f"pas de formulaire de connexion ({page.status_code})")
                return
        form = {"username": name, "password": ACCOUNTS["password"], "csrf_token": match.group(1)}
        with self.client.post(
            "/login",
            data=form,
            headers=self.origin,
            allow_redirects=False,
            name="/login (connexion)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"connexion refusée ({answer.status_code})")

    def _get(self, path: str, name: str, headers: dict[str, str] | None = None) -> None:
        with self.client.get(
            path, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} (session perdue ?)")

    def _callbacks(self, page: str, bodies: list[dict[str, Any]], what: str) -> None:
        """Send the callbacks one action fired, in the order the browser sent them."""
        for body in bodies:
            with self.client.post(
                "/_dash-update-component",
                json=body,
                headers=self.origin,
                name=f"{what} {page} {short(body.get('output', ''))}",
                catch_response=True,
            ) as answer:
                if answer.status_code not in OK:
                    answer.failure(f"{answer.status_code} {answer.text[:200]}")

    def _load(self, path: str) -> None:
        """Load a page from its URL: the HTML, Dash's layout (holding the page) and callbacks.

        The browser asks for the layout from the page, whose URL the Referer gives: the
        layout then holds the page's content (components/page_container.py).
        """
        self._get(path, "page (HTML)")
        referer = {"Referer": self.host.rstrip("/") + path}
        self._get("/_dash-layout", "/_dash-layout (page)", headers=referer)
        self._get("/_dash-dependencies", "/_dash-dependencies")

    @task(3)
    def open_page(self) -> None:
        """Open a page: from the menu (Dash's router callbacks) or, sometimes, by its URL."""
        path = random.choice(list(self.pages))  # noqa: S311 - not for security
        bodies = self.pages[path]["load"]
        if not self.loaded or random.random() < self.full_loads:  # noqa: S311
            self._load(path)
            self.loaded = True
            # Loaded by its URL, the page came with the layout: no routing callbacks.
            bodies = [b for b in bodies if not _routed(b)]
        self._callbacks(path, bodies, "chargement")

    @task(2)
    def change_filter(self) -> None:
        """Change one filter of a page (a year, a CTI, a status...)."""
        with_filters = [path for path, page in self.pages.items() if page["filters"]]
        path = random.choice(with_filters)  # noqa: S311
        change = random.choice(self.pages[path]["filters"])  # noqa: S311
        self._callbacks(path, change, "filtre")


@events.quitting.add_listener  # type: ignore[misc]
def write_summary(environment: Any, **_kwargs: Any) -> None:
    """Write every request's count, failures and percentiles to LOADTEST_OUT."""
    out = os.environ.get("LOADTEST_OUT")
    if not out:
        return
    stats = environment.stats

    def figures(entry: Any) -> dict[str, Any]:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.50) or 0,
            "p95_ms": entry.get_response_time_percentile(0.95) or 0,
            "p99_ms": entry.get_response_time_percentile(0.99) or 0,
            "max_ms": round(entry.max_response_time or 0),
            "rps": round(entry.total_rps, 2),
        }

    signin, browsing = (StatsEntry(stats, name, "") for name in ("sign-in", "browsing"))
    for entry in stats.entries.values():
        (signin if entry.name.startswith("/login") else browsing).extend(entry)
    summary = {
        "total": figures(stats.total),
        "signin": figures(signin),
        "browsing": figures(browsing),
        "requests": {f"{e.method} {e.name}": figures(e) for e in stats.entries.values()},
        "errors": [
            {"request": f"{e.method} {e.name}", "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    Path(out).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
