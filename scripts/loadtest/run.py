"""`make loadtest`: signed-in people browsing and filtering against a local multi-worker server.

Usage: .venv/bin/python scripts/loadtest/run.py [--users 50] [--duration 60] [--workers 4]
       [--scale 1] [--database-url URL] [--out bench/loadtest.json]

1. A fresh database: `cti_load` on a throw-away PostgreSQL (scripts/pg.sh, port 54339, its
   own folder, stopped afterwards if this script started it), or --database-url; SQLite in a
   temporary folder when PostgreSQL is not installed. Migrated, seeded with the demo data
   (--scale), and --users accounts (60 % viewers, 20 % analysts, 20 % CETIA editors).
2. `gunicorn -w 4 dashboard.wsgi:server` on 127.0.0.1 (a free port), checked with /healthz.
3. A preflight: every recorded callback (payloads.json) replayed once per role, so that a
   stale recording is reported as such (re-record with record.py), and the workers are warm.
4. locust, headless, in its own venv (.venv-load): --users people for --duration seconds.
5. A table and a JSON file (requests, failures, p50/p95/p99 per request, workers' peak
   memory). Exits 1 when any request failed.
"""

# ruff: noqa: S603, S607 - runs our own tools (pg.sh, gunicorn, locust, pgrep) on local paths
from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import PAYLOADS, ROOT, TODAY, accounts, create_accounts, prepare_database
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dashboard.db.engine import make_engine

PG_PORT, PG_DIR = "54339", str(Path(tempfile.gettempdir()) / "pgci-cti-load")
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SPAWN_RATE = 5  # people arriving per second (each signs in: argon2 is meant to be costly)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[tuple[str, str]]:
    """Yield (URL, backend) of an empty database, created for this run."""
    if url:
        yield url, make_url(url).get_backend_name()
        return
    if not list(Path("/usr/lib/postgresql").glob("*/bin")):
        print("PostgreSQL absent : base SQLite (apt-get install -y postgresql pour PostgreSQL)")
        yield f"sqlite:///{folder / 'load.db'}", "sqlite"
        return
    env = {**os.environ, "PG_TEST_PORT": PG_PORT, "PG_TEST_DIR": PG_DIR}
    pg = str(ROOT / "scripts" / "pg.sh")
    probe = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/postgres")
    try:
        with probe.connect():
            already = True
    except Exception:
        already = False
    finally:
        probe.dispose()
    server = subprocess.run([pg, "start"], env=env, check=True, capture_output=True, text=True)
    admin = make_engine(
        make_url(server.stdout.strip()).set(database="postgres").render_as_string(False)
    )
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "cti_load" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "cti_load"'))
    admin.dispose()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/cti_load", "postgresql"
    finally:
        if not already:
            subprocess.run([pg, "stop"], env=env, check=False)


@contextmanager
def gunicorn(url: str, workers: int, folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve the app with gunicorn on a free port of 127.0.0.1; yield its address."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "DASHBOARD_TODAY": TODAY.isoformat(),
        "DASHBOARD_DATA_DIR": str(folder),
    }
    log = (folder / "gunicorn.log").open("wb")
    command = [
        str(GUNICORN),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "dashboard.wsgi:server",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=10) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:  # refused, reset or timed out while the workers start
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn ne répond pas ; journal : {folder / 'gunicorn.log'}")
            time.sleep(0.5)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def worker_peaks(master: int) -> list[float]:
    """Return the peak resident memory (MB) of each gunicorn worker of this master."""
    children = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(round(int(line.split()[1]) / 1024, 1))
    return peaks


class Browser:
    """A minimal signed-in HTTP client (stdlib only) for the preflight."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def sign_in(self, name: str, password: str) -> None:
        with self.opener.open(f"{self.base}/login") as page:
            token = CSRF.search(page.read().decode("utf-8"))
        assert token, "formulaire de connexion sans jeton CSRF"
        form = urllib.parse.urlencode(
            {"username": name, "password": password, "csrf_token": token.group(1)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}/login", data=form, headers={"Origin": self.base}
        )
        with self.opener.open(request) as answer:
            assert urllib.parse.urlsplit(answer.url).path != "/login", f"connexion de {name}"

    def callback(self, body: dict[str, Any]) -> int:
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}/_dash-update-component",
            data=json.dumps(body).encode(),
            headers={"Origin": self.base, "Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=60) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


def preflight(base: str, people: list[tuple[str, str, str | None]], password: str) -> None:
    """Replay every recorded callback once per role; stop if the recording is stale."""
    roles = json.loads(PAYLOADS.read_text(encoding="utf-8"))["roles"]
    stale = []
    for role, pages in roles.items():
        name = next(n for n, r, _ in people if r == role)
        browser = Browser(base)
        browser.sign_in(name, password)
        for path, page in pages.items():
            for body in page["load"] + [b for change in page["filters"] for b in change]:
                status = browser.callback(body)
                if status not in (200, 204):
                    stale.append(f"{role} {path} {body.get('output', '')[:60]} -> {status}")
    if stale:
        print("\n".join(stale[:20]))
        raise SystemExit(
            f"{len(stale)} rappels enregistrés échouent : pages modifiées ? Réenregistrez avec "
            ".venv/bin/python scripts/loadtest/record.py"
        )
    print("  rappels enregistrés : tous rejoués avec succès (et les workers sont chauds)")


def run_locust(
    base: str, args: argparse.Namespace, folder: Path, accounts_file: Path
) -> dict[str, Any]:
    """Run locust headless and return its summary."""
    summary = folder / "locust.json"
    ramp = math.ceil(args.users / SPAWN_RATE)  # arrivals; then --duration s with everyone in
    env = {
        **os.environ,
        "LOADTEST_ACCOUNTS": str(accounts_file),
        "LOADTEST_PAYLOADS": str(PAYLOADS),
        "LOADTEST_OUT": str(summary),
    }
    command = [
        str(LOCUST), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--users", str(args.users), "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{args.duration + ramp}s", "--host", base, "--only-summary",
        "--stop-timeout", "30", "--loglevel", "WARNING",
        *(["--reset-stats"] if args.steady else []),
    ]  # fmt: skip
    log = folder / "locust.log"
    with log.open("wb") as output:
        subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=output, stderr=output)
    if not summary.exists():
        print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        raise SystemExit("locust n'a pas produit de résultats (journal ci-dessus).")
    return dict(json.loads(summary.read_text(encoding="utf-8")))


def print_table(result: dict[str, Any]) -> None:
    """Print the figures per request, then the total."""
    rows = sorted(result["requests"].items())
    width = max(len(name) for name, _ in rows) + 2
    header = f"{'requête':<{width}}{'n':>7}{'échecs':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print("\n" + header + "\n" + "-" * len(header))
    totals = [("CONNEXION (total)", result["signin"]), ("NAVIGATION (total)", result["browsing"])]
    for name, f in [*rows, *totals, ("TOTAL", result["total"])]:
        print(
            f"{name:<{width}}{f['requests']:>7}{f['failures']:>8}{f['p50_ms']:>9.0f}"
            f"{f['p95_ms']:>9.0f}{f['p99_ms']:>9.0f}"
        )


def main() -> int:
    """Set up, load, report; return 1 when a request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("LOADTEST_DATABASE_URL"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "loadtest.json")
    parser.add_argument(
        "--steady", action="store_true", help="count only once everyone has arrived (no sign-ins)"
    )
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} absent : lancez `make loadtest` (il crée .venv-load).")
    folder = Path(tempfile.mkdtemp(prefix="cti-load-"))
    password = secrets.token_urlsafe(16)
    people = accounts(args.users)
    checkers = accounts(5, prefix="verif")  # at least one per role, for the preflight
    try:
        with database(args.database_url, folder) as (url, backend):
            started = time.perf_counter()
            prepare_database(url, scale=args.scale)
            create_accounts(url, people + checkers, password)
            print(f"Base {backend} prête en {time.perf_counter() - started:.0f} s "
                  f"(démo échelle {args.scale}, {len(people)} comptes)")  # fmt: skip
            accounts_file = folder / "accounts.json"
            accounts_file.write_text(json.dumps({"people": people, "password": password}))
            with gunicorn(url, args.workers, folder) as (base, proc):
                print(f"gunicorn -w {args.workers} sur {base}")
                preflight(base, checkers, password)
                load_before = round(os.getloadavg()[0], 1)
                print(f"locust : {args.users} personnes pendant {args.duration} s ...")
                result = run_locust(base, args, folder, accounts_file)
                peaks = worker_peaks(proc.pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result["setup"] = {
        "users": args.users,
        "duration_s": args.duration,
        "workers": args.workers,
        "backend": backend,
        "scale": args.scale,
        "steady_state_only": args.steady,
        "today": TODAY.isoformat(),
        "worker_peak_mb": peaks,
        "cpus": os.cpu_count(),
        "machine_load_1min_before": load_before,
        "machine_load_1min_after": round(os.getloadavg()[0], 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_table(result)
    total, browsing = result["total"], result["browsing"]
    print(
        f"\n{total['requests']} requêtes, {total['failures']} échecs, {total['rps']} req/s ; "
        f"p95 navigation {browsing['p95_ms']:.0f} ms, p95 tout compris {total['p95_ms']:.0f} ms ;"
        f" mémoire max des workers : {peaks} Mo ; charge de la machine (1 min) : "
        f"{os.getloadavg()[0]:.1f} ; JSON : {args.out}"
    )
    for error in result["errors"][:10]:
        print(f"  échec : {error['request']} x{error['count']} : {error['error'][:160]}")
    return 1 if total["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
