"""Security headers on every response, same-site writes only, no traceback ever shown."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from dashboard.app import create_app
from dashboard.config import Settings
from tests.web.conftest import callback_body, create_account, login

HTML = {"Accept": "text/html"}


def _check_headers(response: Any) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in directives["script-src"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def _layout_callback(app: Dash) -> tuple[str, dict[str, Any]]:
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    return key, app.callback_map[key]


def test_headers_on_every_kind_of_response(app: Dash, client: FlaskClient, signed_in: Any) -> None:
    anonymous = [
        client.get("/login"),
        client.post("/login", data={}),
        client.get("/auth-static/login.css"),
        client.get("/healthz"),
        client.get("/", headers=HTML),
        client.get("/_dash-layout"),
        client.post("/_dash-update-component", json={}, headers={"Origin": "http://evil.x"}),
    ]
    signed_in("viewer")
    index = client.get("/", headers=HTML)
    script = re.search(r'src="(/_dash-component-suites/[^"]+)"', index.get_data(as_text=True))
    assert script
    key, spec = _layout_callback(app)
    responses = [
        *anonymous,
        index,
        client.get("/_dash-layout"),
        client.get("/_dash-dependencies"),
        client.get(script.group(1)),
        client.post("/_dash-update-component", json=callback_body(key, spec)),
        client.get("/logout"),
    ]
    for response in responses:
        _check_headers(response)
    assert index.headers["Cache-Control"] == "no-store"


def test_policy_allows_exactly_the_inline_scripts_dash_serves(
    client: FlaskClient, signed_in: Any
) -> None:
    signed_in("viewer")
    response = client.get("/", headers=HTML)
    # Drop HTML comments: Dash's Internet Explorer warning sits in one and never runs.
    html = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline, "Dash bootstraps its renderer with an inline script"
    policy = response.headers["Content-Security-Policy"]
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_cross_site_posts_are_refused_even_when_signed_in(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("admin")
    key, spec = _layout_callback(app)
    body = callback_body(key, spec)
    body["inputs"][0]["value"] = "/"
    host = "http://localhost"
    same = client.post("/_dash-update-component", json=body, headers={"Origin": host})
    assert same.status_code == 200
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
        {"Origin": "http://localhost.evil.example"},
    ):
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == 403, headers
        assert b"response" not in response.data
    refused = client.post("/logout", headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403
    assert client.get("/_dash-layout").status_code == 200  # still signed in


def test_cross_site_sign_in_is_refused(client: FlaskClient) -> None:
    response = client.post("/login", data={}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def test_server_errors_show_a_french_page_without_traceback(
    settings: Settings, engine: Engine
) -> None:
    app = create_app(settings, engine=engine)

    def explode() -> str:
        raise RuntimeError("secret internal detail")

    app.server.add_url_rule("/explode", view_func=explode)
    app.server.add_url_rule("/_dash-explode", "dash_explode", view_func=explode)
    create_account(engine, "amina", "viewer")
    client = app.server.test_client()
    login(client, "amina")
    page = client.get("/explode", headers=HTML)
    text = page.get_data(as_text=True)
    assert page.status_code == 500
    assert "erreur interne" in text and "secret" not in text and "Traceback" not in text
    _check_headers(page)
    data = client.get("/_dash-explode")
    assert data.status_code == 500 and "secret" not in data.get_data(as_text=True)
    assert "erreur" in data.get_json()
    assert app.server.debug is False


def test_unknown_dash_resources_are_plain_404(client: FlaskClient, signed_in: Any) -> None:
    signed_in("viewer")
    response = client.get("/_dash-component-suites/nope/nope.js")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "Registered libraries" not in text
