"""`serve` is for development only, and no server names its version (issue 20.7)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

import dashboard.__main__ as cli
from dashboard.app import create_app
from dashboard.auth.headers import QuietRequestHandler
from dashboard.config import Settings

ROOT = Path(__file__).resolve().parents[2]
VERSION = re.compile(r"\d+\.\d+|werkzeug|python", re.IGNORECASE)


def _get(port: int, path: str = "/healthz") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@contextmanager
def _dev_server(server: Flask) -> Iterator[int]:
    """Serve as `python -m dashboard serve` does, on a free port."""
    httpd = make_server("127.0.0.1", 0, server, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def test_serve_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setattr(cli, "_engine", lambda *_a, **_k: pytest.fail("the app was built"))
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "production" in err and "gunicorn dashboard.wsgi:server" in err


def test_serve_uses_the_quiet_handler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    class FakeApp:
        def run(self, **options: Any) -> None:
            seen.update(options)

    monkeypatch.delenv("DASHBOARD_ENV", raising=False)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(cli, "_engine", lambda *_a, **_k: None)
    monkeypatch.setattr("dashboard.app.create_app", lambda *_a, **_k: FakeApp())
    monkeypatch.setattr("dashboard.app.settle_for_serving", lambda: None)
    assert cli.main(["serve", "--port", "8123"]) == 0
    assert seen["request_handler"] is QuietRequestHandler and seen["port"] == 8123


def test_the_development_server_names_no_version(settings: Settings, engine: Engine) -> None:
    server = create_app(settings, engine=engine).server
    with _dev_server(server) as port:
        for path in ("/healthz", "/login", "/nowhere", "/_dash-layout"):
            response = _get(port, path)
            banners = response.headers.get_all("Server") or []
            assert banners == ["cti-dashboard"], (path, banners)
            assert not any(VERSION.search(b) for b in banners)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_names_no_version(tmp_path: Path, empty_engine: Engine) -> None:
    """The production server, as deployed: its Server header has no version either."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_engine.url.render_as_string(hide_password=False),
        "DASHBOARD_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 48,
        "DASHBOARD_ENV": "development",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        response = None
        deadline = time.monotonic() + 60
        while response is None and time.monotonic() < deadline:
            try:
                response = _get(port)
            except OSError:
                time.sleep(0.3)
        assert response is not None, "gunicorn did not answer"
        banners = response.headers.get_all("Server") or []
        assert banners and not any(VERSION.search(b) for b in banners), banners
    finally:
        proc.terminate()
        proc.wait(timeout=30)
