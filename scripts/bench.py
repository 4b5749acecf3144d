"""Performance figures: callbacks against their SQL floor, pages against their rendering floor.

Usage: python scripts/bench.py [--scales 1,100] [--runs 30] [--out bench/results.json]
Prints a table and writes the JSON file. Nothing here is a pass/fail test: targets are printed
beside the figures (see the issues), so a regression shows without making the suite flaky.

A callback's SQL floor is the time of the bare queries behind its data: those it runs with every
cache off, replayed alone on the driver with their rows fetched (``uncached_statements``). The
queries it runs as served (from the kept read models: a few primary-key reads) are printed
beside it. Flags: ``!`` p95 over its target, ``×`` p50 over 3x its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import g, request  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from dashboard.app import create_app, settle_for_serving  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.db.engine import make_engine, session_scope  # noqa: E402
from dashboard.db.migrate import upgrade  # noqa: E402

TODAY = date(2026, 11, 29)
USER, PASSWORD = "bench-analyste", "mot-de-passe-bench-1"
PAGES = [
    "/",
    "/axes",
    "/axes/2",
    "/ctis",
    "/ctis/CETIA",
    "/baseline",
    "/updates",
    "/budget",
    "/calendar",
    "/audit",
]
PLOTLY_JS = next(
    (ROOT / ".venv").glob("lib/python*/site-packages/plotly/package_data/plotly.min.js"), None
)
TARGETS = {
    "callback_p95_ms": {1: 100, 100: 300},
    "callback_over_floor": 3.0,
    "page_over_render_floor_ms": 300,
    "page_ready_ms": 1500,
    "worker_peak_mb": 400,
}


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (0-1) of the values, by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def build_database(directory: Path, scale: int) -> str:
    """Create, migrate and seed a SQLite database at the given scale; return its URL."""
    from dashboard.services.demo import seed_demo
    from dashboard.services.reference import seed_reference
    from dashboard.services.users import create_user

    path = directory / f"bench-{scale}.db"
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{path}"
    engine = make_engine(url)
    if url.endswith(f"/{path}") and path.exists():
        upgrade(engine)  # kept from an earlier run (--db-dir): only newer migrations to apply
        engine.dispose()
        print(f"  base à l'échelle {scale} reprise de {path}")
        return url
    upgrade(engine)
    started = time.perf_counter()
    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        seed_demo(session, today=TODAY, scale=scale)
    with session_scope(engine) as session:
        create_user(session, username=USER, role="analyst", password=PASSWORD)
    print(f"  base à l'échelle {scale} prête en {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return url


class Timings:
    """Per-callback wall time and SQL time, collected inside the server."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.bodies: dict[str, tuple[str, dict[str, Any]]] = {}
        self.statements: dict[str, list[tuple[str, Any]]] = {}  # a callback's last queries
        self.layouts: dict[str, tuple[str, str]] = {}  # page and Referer of layout requests
        self.local = threading.local()

    def install(self, server: Any, engine: Engine) -> None:
        """Hook the Flask server and the engine."""

        @event.listens_for(engine, "before_cursor_execute")
        def _before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            self.local.sql_started = time.perf_counter()
            if hasattr(self.local, "statements"):
                self.local.statements.append((statement, parameters))

        @event.listens_for(engine, "after_cursor_execute")
        def _after(*_args: Any) -> None:
            started = getattr(self.local, "sql_started", None)
            if started is not None and hasattr(self.local, "sql"):
                self.local.sql += time.perf_counter() - started

        @server.before_request
        def _start() -> None:
            g.bench_started = time.perf_counter()
            self.local.sql = 0.0
            self.local.statements = []

        @server.after_request
        def _stop(response: Any) -> Any:
            if request.path == "/_dash-layout" and response.status_code == 200:
                # The first page comes with the layout (components/page_container.py): the
                # layout request is that page's content callback.
                referrer = request.referrer or ""
                page = request.headers.get("X-Bench-Page") or (
                    "/" + referrer.split("/", 3)[-1].split("?")[0]
                )
                key = f"{page} _dash-layout (page)"
                elapsed = time.perf_counter() - g.bench_started
                self.calls[key].append((elapsed * 1000, self.local.sql * 1000))
                self.layouts.setdefault(key, (page, referrer))
                self.statements[key] = list(self.local.statements)
            if request.path == "/_dash-update-component" and response.status_code == 200:
                body = request.get_json(silent=True) or {}
                page = request.headers.get("X-Bench-Page") or (
                    "/" + (request.referrer or "").split("/", 3)[-1].split("?")[0]
                )
                key = f"{page} {str(body.get('output', ''))[:80]}"
                elapsed = time.perf_counter() - g.bench_started
                self.calls[key].append((elapsed * 1000, self.local.sql * 1000))
                self.bodies.setdefault(key, (page, body))
                self.statements[key] = list(self.local.statements)
            return response


@contextmanager
def serve(url: str, timings: Timings) -> Iterator[tuple[str, Any]]:
    """Serve the app in a thread on a free port, with the timing hooks."""
    settings = Settings.from_env(database_url=url, fixed_today=TODAY, secret_key="b" * 40)
    engine = make_engine(url)
    app = create_app(settings, engine=engine)
    settle_for_serving()  # as dashboard.wsgi does for gunicorn
    timings.install(app.server, engine)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        engine.dispose()


def _one_value_per_contract(engine: Engine) -> list[int]:
    """Return the id of one progress value of each contract (the latest), to write to."""
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT MAX(p.id) FROM progressupdate AS p JOIN indicator AS i "
                "ON i.id = p.indicator_id GROUP BY i.contract_id ORDER BY i.contract_id"
            )
        )
        return [int(row[0]) for row in found]


def _write(engine: Engine, value_id: int) -> None:
    """Write to one progress value, as an entry or a validation does (the triggers fire)."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE progressupdate SET comment = comment WHERE id = :id"), {"id": value_id}
        )


def replay_cold(app: Any, timings: Timings, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Replay every callback seen while browsing, each time just after a write: the cold cost.

    The browser run is what people get between writes (pages are served from each worker's
    cache until the data changes); this is the first view after a write to one CTI's figures
    (a different CTI each time, in turn), when the page is built again, its read models run
    their SQL, and the plan's indicators are evaluated again for that CTI (the others' are
    kept per contract: ``services/indicator_parts.py``). Writes are not timed.
    """
    from dashboard.services.context import EXTENSION

    engine = app.server.extensions[EXTENSION]["engine"]
    values = _one_value_per_contract(engine)
    client = _signed_in(app)
    bodies = dict(timings.bodies)
    layouts = dict(timings.layouts)
    timings.calls.clear()
    for _key, (page, body) in bodies.items():
        for run in range(runs):
            _write(engine, values[run % len(values)])
            client.post("/_dash-update-component", json=body, headers={"X-Bench-Page": page})
    for _key, (page, referrer) in layouts.items():
        for run in range(runs):
            _write(engine, values[run % len(values)])
            client.get("/_dash-layout", headers=_layout_headers(page, referrer))
    return dict(timings.calls)


def _signed_in(app: Any) -> Any:
    """Return a test client of the app signed in as the bench's analyst."""
    client = app.server.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
    return client


def _layout_headers(page: str, referrer: str) -> dict[str, str]:
    # The test client's host is "localhost": the page container wants the same host.
    path = referrer.split("/", 3)[-1] if referrer else page.lstrip("/")
    return {"X-Bench-Page": page, "Referer": f"http://localhost/{path}"}


def uncached_statements(app: Any, timings: Timings) -> dict[str, list[tuple[str, Any]]]:
    """Return the queries each recorded callback runs with every cache off: its data's SQL.

    What the database must do to give a callback its data, computed from the tables: the
    floor the issue sets the callbacks against (its remedies include caching that stays
    correct after a write, which can only beat a floor measured without it). The queries a
    callback actually runs, from its caches, are kept beside it (``sql_floor_ms``).
    """
    from dashboard.services.context import EXTENSION

    cache = app.server.extensions[EXTENSION]["render_cache"]
    kept, cache.max_entries = cache.max_entries, 0
    cache.clear()
    client = _signed_in(app)
    found: dict[str, list[tuple[str, Any]]] = {}
    timings.calls.clear()  # the floor's runs are not samples (the replays hold theirs)
    try:
        for key, (page, body) in dict(timings.bodies).items():
            timings.statements.pop(key, None)  # a refused request records none: no floor
            client.post("/_dash-update-component", json=body, headers={"X-Bench-Page": page})
            if key in timings.statements:
                found[key] = timings.statements[key]
        for key, (page, referrer) in dict(timings.layouts).items():
            timings.statements.pop(key, None)
            client.get("/_dash-layout", headers=_layout_headers(page, referrer))
            if key in timings.statements:
                found[key] = timings.statements[key]
    finally:
        cache.max_entries = kept
    return found


def bare_sql(engine: Engine, statements: list[tuple[str, Any]], runs: int = 5) -> float:
    """Return the median time (ms) of a callback's queries run alone, their rows all fetched.

    The SQL time measured inside a callback counts each query's execution but not the
    fetching of its rows (on SQLite, part of the work): this is the floor in full, the
    queries replayed with their own parameters straight on the driver (reads only).
    """
    reads = [
        (statement, parameters)
        for statement, parameters in statements
        if statement.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    if not reads:
        return 0.0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            for statement, parameters in reads:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
        raw.rollback()
        return statistics.median(times)
    finally:
        raw.close()


# Ready: the page's content is in, nothing is loading, every paged table's rows are drawn, and
# every chart the page holds is drawn:
# each dcc.Graph (class dash-graph from its first render, before Plotly.js has drawn into it,
# which is when it gets js-plotly-plot) and at least as many as the first, settled, visit saw.
READY_JS = """(expected) => {
  const content = document.getElementById('_pages_content');
  if (!content || !content.firstElementChild) return false;
  if (document.querySelector('._dash-loading, [data-dash-is-loading="true"]')) return false;
  // A paged table's rows are drawn (its box holds a table, not the placeholder).
  const boxes = [...document.querySelectorAll('[id$="-table-page"]')];
  if (boxes.some(box => !box.querySelector('table'))) return false;
  const graphs = [...document.querySelectorAll('.dash-graph')];
  if (graphs.length < expected) return false;
  return graphs.every(g => {
    const p = g.classList.contains('js-plotly-plot') ? g : g.querySelector('.js-plotly-plot');
    return p && p._fullLayout && p.querySelector('.main-svg');
  });
}"""

FIGURES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(
  p => ({data: p.data, layout: p.layout}))"""


def browse(base: str, runs: int) -> dict[str, dict[str, Any]]:
    """Open each page `runs` times in headless Chromium; time it and its rendering floor."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, Any]] = {}
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/login")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in PAGES:
            # A first visit, waited on until the network is quiet, counts the charts.
            page.goto(f"{base}{path}")
            page.wait_for_function(READY_JS, arg=0, timeout=30_000)
            page.wait_for_load_state("networkidle")
            figures = page.evaluate(FIGURES_JS)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                page.goto(f"{base}{path}", wait_until="commit")
                page.wait_for_function(READY_JS, arg=len(figures), timeout=30_000, polling=10)
                times.append((time.perf_counter() - started) * 1000)
            floor = render_floor(browser, figures, runs) if figures else []
            results[path] = {
                "charts": len(figures),
                "p50_ms": statistics.median(times),
                "p95_ms": pct(times, 0.95),
                "floor_p50_ms": statistics.median(floor) if floor else 0.0,
            }
            print(
                f"  {path:<14} {results[path]['p50_ms']:7.0f} ms (plancher "
                f"{results[path]['floor_p50_ms']:5.0f} ms, {len(figures)} graphiques)"
            )
        browser.close()
    return results


def render_floor(browser: Any, figures: list[dict[str, Any]], runs: int) -> list[float]:
    """Time a static HTML page that draws the same Plotly figures (no Dash, no server)."""
    if PLOTLY_JS is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "floor.html"
        divs = "".join(f'<div id="f{i}" style="height:400px"></div>' for i in range(len(figures)))
        html.write_text(
            f"<html><body>{divs}<script src='file://{PLOTLY_JS}'></script><script>"
            f"const figs={json.dumps(figures)};window.done=false;"
            "Promise.all(figs.map((f,i)=>Plotly.newPlot('f'+i,f.data,f.layout)))"
            ".then(()=>{window.done=true});</script></body></html>",
            encoding="utf-8",
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            page.goto(f"file://{html}")
            page.wait_for_function("() => window.done === true", timeout=30_000)
            times.append((time.perf_counter() - started) * 1000)
        page.close()
    return times


def worker_memory(url: str) -> float:
    """Start one gunicorn worker, open every page once, return its peak resident memory (MB)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "b" * 40,
        "DASHBOARD_TODAY": TODAY.isoformat(),
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            "1",
            "-b",
            "127.0.0.1:8099",
            "dashboard.wsgi:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        browse("http://127.0.0.1:8099", 1)
        peak = 0.0
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        return peak
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def report_times(url: str) -> dict[str, float]:
    """Time the report exports when the reports service exists."""
    try:
        from dashboard.services import reports  # type: ignore[attr-defined]
    except ImportError:
        return {}
    engine = make_engine(url)
    out: dict[str, float] = {}
    jobs = getattr(reports, "BENCH_JOBS", {})
    for name, job in jobs.items():
        started = time.perf_counter()
        job(engine=engine, today=TODAY)
        out[name] = (time.perf_counter() - started) * 1000
    return out


def bench_scale(scale: int, runs: int, directory: Path) -> dict[str, Any]:
    """Measure everything at one data scale."""
    print(f"Échelle {scale}")
    url = build_database(directory, scale)
    timings = Timings()
    with serve(url, timings) as (base, app):
        pages = browse(base, runs)
        warm = dict(timings.calls)
        cold = replay_cold(app, timings, runs)
        from dashboard.services.context import EXTENSION

        engine = app.server.extensions[EXTENSION]["engine"]
        bare = {key: bare_sql(engine, queries) for key, queries in timings.statements.items()}
        data = {key: bare_sql(engine, q) for key, q in uncached_statements(app, timings).items()}
    return {
        "scale": scale,
        "callbacks": summarise(warm, bare, data),
        "callbacks_cold": summarise(cold, bare, data),
        "pages": pages,
        "reports_ms": report_times(url),
        "worker_peak_mb": worker_memory(url),
        "bench_process_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def summarise(
    calls: dict[str, list[tuple[float, float]]],
    bare: dict[str, float] | None = None,
    data: dict[str, float] | None = None,
) -> dict[str, dict[str, Any]]:
    """Return p50, p95, the SQL floors and the ratio of each callback's samples.

    ``sql_floor_ms`` is the queries' time inside the callback as served (from its caches),
    ``sql_bare_ms`` the same queries replayed alone with their rows fetched, ``sql_data_ms``
    the queries behind its data with every cache off, replayed alone (``uncached_statements``).
    The ratio is to the data's floor; ``ratio_served`` to the larger of the first two.
    """
    out = {}
    for key, samples in sorted(calls.items()):
        wall = [s[0] for s in samples]
        p50 = statistics.median(wall)
        inside = statistics.median([s[1] for s in samples])
        alone = (bare or {}).get(key, 0.0)
        floor = max(inside, alone)
        behind = (data or {}).get(key, floor)
        out[key] = {
            "n": len(wall),
            "p50_ms": p50,
            "p95_ms": pct(wall, 0.95),
            "sql_floor_ms": inside,
            "sql_bare_ms": alone,
            "sql_data_ms": behind,
            "ratio": p50 / behind if behind > 0.05 else None,
            "ratio_served": p50 / floor if floor > 0.05 else None,
        }
    return out


def print_callbacks(title: str, callbacks: dict[str, dict[str, Any]], target: float) -> None:
    """Print one table of callbacks against the targets.

    Columns: SQL run inside the callback, the same alone, the SQL behind its data with every
    cache off (the floor), and the ratio of the p50 to that floor.
    """
    print(f"\n== {title}")
    print(
        f"{'callback':<62} {'n':>4} {'p50':>7} {'p95':>7} {'SQL':>7} {'SQL seul':>8} "
        f"{'plancher':>8} {'ratio':>6}"
    )
    for key, c in callbacks.items():
        ratio = f"{c['ratio']:.1f}" if c["ratio"] else "-"
        flag = " !" if c["p95_ms"] > target else ""
        flag += " ×" if (c["ratio"] or 0) > TARGETS["callback_over_floor"] else ""
        print(
            f"{key[:62]:<62} {c['n']:>4} {c['p50_ms']:>7.1f} {c['p95_ms']:>7.1f} "
            f"{c['sql_floor_ms']:>7.1f} {c.get('sql_bare_ms', 0.0):>8.1f} "
            f"{c.get('sql_data_ms', 0.0):>8.1f} {ratio:>6}{flag}"
        )


def print_table(result: dict[str, Any]) -> None:
    """Print one scale's figures as a table with the targets."""
    scale = result["scale"]
    target = TARGETS["callback_p95_ms"].get(scale, 300)
    print_callbacks(
        f"Échelle {scale} : callbacks vus du navigateur (cache des pages actif ; cible p95 ≤ "
        f"{target} ms, ≤ 3× le plancher SQL de ses données)",
        result["callbacks"],
        target,
    )
    print_callbacks(
        f"Échelle {scale} : mêmes callbacks, première vue après une écriture (une valeur d'un "
        "CTI, un autre à chaque fois)",
        result["callbacks_cold"],
        target,
    )
    print(f"\n== Échelle {scale} : pages (cible ≤ plancher de rendu + 300 ms)")
    for path, p in result["pages"].items():
        if not p["charts"]:
            # No chart, so no static page to compare with: the 1.5 s applies.
            flag = " !" if p["p95_ms"] > TARGETS["page_ready_ms"] else ""
            print(
                f"{path:<16} p50 {p['p50_ms']:7.0f} ms  p95 {p['p95_ms']:7.0f} ms  "
                f"(sans graphique : cible ≤ {TARGETS['page_ready_ms']} ms){flag}"
            )
            continue
        over = p["p50_ms"] - p["floor_p50_ms"]
        flag = " !" if over > TARGETS["page_over_render_floor_ms"] else ""
        print(
            f"{path:<16} p50 {p['p50_ms']:7.0f} ms  p95 {p['p95_ms']:7.0f} ms  plancher "
            f"{p['floor_p50_ms']:6.0f} ms  écart {over:6.0f} ms{flag}"
        )
    for name, ms in result["reports_ms"].items():
        print(f"rapport {name:<20} {ms:7.0f} ms")
    print(f"mémoire de pointe d'un worker : {result['worker_peak_mb']:.0f} MB (cible ≤ 400)")


def main() -> int:
    """Run the benchmark for each scale, print the tables and write the JSON file."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--db-dir", help="keep the seeded databases here and reuse them on the next run"
    )
    parser.add_argument("--pages", help="only these pages, comma-separated (default: all)")
    args = parser.parse_args()
    if args.pages:
        PAGES[:] = args.pages.split(",")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(args.db_dir or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        for scale in (int(s) for s in args.scales.split(",")):
            result = bench_scale(scale, args.runs, directory)
            print_table(result)
            results.append(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"date": time.strftime("%Y-%m-%d %H:%M"), "results": results},
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nRésultats écrits dans {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
