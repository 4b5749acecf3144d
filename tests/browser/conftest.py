"""Browser tests: the app served in a thread, driven by Playwright in the system Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use Debian's Chromium with flags that suit a closed, headless machine."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Open pages at a laptop size, in French."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}


@pytest.fixture
def live_server(settings: Settings, engine: Engine) -> Iterator[str]:
    """Serve a fresh app on the demo database on a free port; yield its base URL."""
    app = create_app(settings, engine=engine)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


PASSWORD = "motdepasse-de-test-1"


def create_account(
    engine: Engine, username: str, role: str, cti: str | None = None, full_name: str = ""
) -> None:
    """Create an account directly in the database for a test."""
    from dashboard.db.engine import session_scope
    from dashboard.services.users import create_user

    with session_scope(engine) as session:
        create_user(
            session, username=username, role=role, password=PASSWORD, cti=cti, full_name=full_name
        )


def sign_in(
    page: Any, base_url: str, username: str, password: str = PASSWORD, next_path: str = "/"
) -> None:
    """Sign in through the /login form (inputs named username and password), then open next_path."""
    page.goto(f"{base_url}/login?next={quote(next_path)}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def signed_in_page(page: Any, live_server: str, engine: Engine) -> Any:
    """A Playwright page signed in as an analyst on the live server."""
    create_account(engine, "analyste-test", "analyst")
    sign_in(page, live_server, "analyste-test")
    return page
