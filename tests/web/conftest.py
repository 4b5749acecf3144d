"""HTTP tests: the app's Flask server driven by its test client, one fresh database per test."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.engine import session_scope

PASSWORD = "motdepasse-de-test-1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Dash:
    """The whole app (Dash pages, callbacks, auth) on the demo database."""
    dash_app = create_app(settings, engine=engine)
    # Dash registers its pages router on the first request: make callback_map complete.
    dash_app.server.test_client().get("/healthz")
    return dash_app


@pytest.fixture
def client(app: Dash) -> FlaskClient:
    """A browser-like client with its own cookie jar.

    Not used as a context manager: a client kept open would leave its request context
    pushed, and a second client's requests would then share Flask's `g` with it.
    """
    return app.server.test_client()


def create_account(engine: Engine, username: str, role: str, cti: str | None = None) -> None:
    """Create an account directly in the database (as the command line would)."""
    from dashboard.services.users import create_user

    with session_scope(engine) as session:
        create_user(session, username=username, role=role, password=PASSWORD, cti=cti)


def csrf_token(client: FlaskClient) -> str:
    """Open the sign-in page and return the form's CSRF token."""
    response = client.get("/login")
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, ("the sign-in form carries a CSRF token", response.status_code, response.headers)
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD, **extra: str) -> Any:
    """Sign in through the form, as a browser would."""
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    data.update(extra)
    return client.post("/login", data=data)


def logout(client: FlaskClient) -> Any:
    """Sign out as a browser does: the confirmation page's form, posted with its token."""
    page = client.get("/logout").get_data(as_text=True)
    match = CSRF_RE.search(page)
    return client.post("/logout", data={"csrf_token": match.group(1) if match else ""})


@pytest.fixture
def signed_in(client: FlaskClient, engine: Engine) -> Any:
    """Return a function that creates an account of a role and signs the client in with it."""

    def _sign_in(role: str, cti: str | None = None, username: str | None = None) -> FlaskClient:
        name = username or f"{role.replace('_', '-')}-test"
        create_account(engine, name, role, cti)
        response = login(client, name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _sign_in


def split_output(key: str) -> Any:
    """Turn a callback_map key into the `outputs` Dash's front end sends."""
    if key.startswith(".."):
        return [split_output(part) for part in key[2:-2].split("...")]
    ident, prop = key.rsplit(".", 1)
    return {"id": _id(ident), "property": prop.split("@")[0]}


def _id(ident: str) -> Any:
    return json.loads(ident) if ident.startswith("{") else ident


def callback_body(key: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Build the JSON body the browser posts to /_dash-update-component for a callback."""

    def items(deps: list[dict[str, Any]]) -> list[Any]:
        out: list[Any] = []
        for dep in deps:
            if dep["id"].startswith("{"):
                out.append([])  # a pattern-matching input with no matching component
            else:
                out.append({"id": dep["id"], "property": dep["property"], "value": None})
        return out

    inputs = items(spec["inputs"])
    changed = [f"{d['id']}.{d['property']}" for d in spec["inputs"][:1] if "{" not in d["id"]]
    return {
        "output": key,
        "outputs": split_output(key),
        "inputs": inputs,
        "state": items(spec["state"]),
        "changedPropIds": changed,
    }


def _router(app: Dash) -> tuple[str, dict[str, Any]]:
    key = next(k for k in app.callback_map if "_pages_content" in k)
    return key, app.callback_map[key]


def open_page(app: Dash, client: FlaskClient, path: str, search: str = "") -> str:
    """Ask the pages router for a page's content, as the browser does on navigation."""
    key, spec = _router(app)
    values = {"pathname": path, "search": search, "hash": "", "href": f"http://localhost{path}"}
    inputs = [
        {"id": d["id"], "property": d["property"], "value": values.get(d["property"])}
        for d in spec["inputs"]
    ]
    body = {
        "output": key,
        "outputs": split_output(key),
        "inputs": inputs,
        "state": [{"id": d["id"], "property": d["property"], "value": None} for d in spec["state"]],
        "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)
