"""Every endpoint but the sign-in page refuses anonymous requests: no page, no data."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dash
import pytest
from dash import Dash
from flask.testing import FlaskClient

from tests.web.conftest import callback_body, logout

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SAMPLE_VALUES = {"number": "1", "acronym": "CETIA", "code": "CETIA", "year": "2024"}


def page_paths() -> list[str]:
    """Return a concrete URL for every page Dash registered (path variables filled in)."""
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        paths.append(re.sub(r"<([^>]+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), template))
    return sorted(set(paths))


def assert_refused(response: Any) -> None:
    """A refusal: 401 with a short French JSON message and nothing else."""
    assert response.status_code == 401, (response.status_code, response.request.path)
    assert set(response.get_json()) == {"erreur"}


def test_every_registered_page_sends_anonymous_browsers_to_login(
    app: Dash, client: FlaskClient
) -> None:
    paths = page_paths()
    assert {"/", "/audit", "/admin/users"} <= set(paths)
    for path in [*paths, "/no-such-page", "/ctis/CETIA?year=2024"]:
        response = client.get(path, headers=HTML)
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        expected_next = [path] if path != "/" else None
        assert parse_qs(location.query).get("next") == expected_next
        assert b"_dash-config" not in response.data


def test_pages_fetched_without_html_get_401(app: Dash, client: FlaskClient) -> None:
    for path in page_paths():
        assert_refused(client.get(path, headers={"Accept": "application/json"}))


def test_dash_endpoints_refuse_anonymous(app: Dash, client: FlaskClient) -> None:
    for path in ("/_dash-layout", "/_dash-dependencies", "/_reload-hash", "/_favicon.ico"):
        assert_refused(client.get(path, headers=HTML))
    assert_refused(client.get("/assets/auth-session.js"))
    assert_refused(client.post("/_dash-update-component", json={}))


def test_every_script_and_stylesheet_of_the_app_refuses_anonymous(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("viewer")
    index = client.get("/", headers=HTML).get_data(as_text=True)
    resources = re.findall(r'(?:src|href)="(/[^"]+)"', index)
    suites = [r for r in resources if r.startswith("/_dash-component-suites/")]
    assert len(suites) > 5 and any("dash_renderer" in r for r in suites)
    assert client.get(suites[0]).status_code == 200  # served to a signed-in user
    logout(client)
    for resource in resources:
        assert_refused(client.get(resource))


def test_every_callback_refuses_anonymous(app: Dash, client: FlaskClient) -> None:
    assert len(app.callback_map) >= 5
    for key, spec in app.callback_map.items():
        response = client.post("/_dash-update-component", json=callback_body(key, spec))
        assert_refused(response)
        assert b"response" not in response.data, key


def test_the_same_callback_payloads_run_when_signed_in(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    """The payloads above are real: a signed-in admin gets past the guard with them."""
    signed_in("admin")
    for key, spec in app.callback_map.items():
        response = client.post("/_dash-update-component", json=callback_body(key, spec))
        assert response.status_code not in (401, 403), key


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"[1, 2]", "application/json"),
        (b"null", "application/json"),
        (b"{", "application/json"),
        (b"output=x", "application/x-www-form-urlencoded"),
    ],
)
def test_a_callback_body_that_is_not_an_object_gets_a_clear_400(
    client: FlaskClient, signed_in: Any, body: bytes, kind: str
) -> None:
    """A forged or broken body is refused with a message, not an error 500 and a traceback."""
    signed_in("analyst")
    response = client.post("/_dash-update-component", data=body, content_type=kind)
    assert response.status_code == 400
    assert response.get_json() == {
        "erreur": "Requête mal formée : rechargez la page et recommencez."
    }


@pytest.mark.parametrize(
    "output", ["no-such-component.children", ["overview-year.value"], None, 7, ""]
)
def test_a_callback_naming_no_callback_gets_a_clear_400(
    client: FlaskClient, signed_in: Any, output: Any
) -> None:
    """An output no callback writes (forged, or a page from an older version) is refused."""
    signed_in("analyst")
    body = {"output": output, "outputs": [], "inputs": [], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert response.get_json() == {
        "erreur": "Requête mal formée : rechargez la page et recommencez."
    }


def test_sign_in_page_its_files_and_health_check_are_open(client: FlaskClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.get_data(as_text=True)
    css = client.get("/auth-static/login.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert client.get("/auth-static/favicon.svg").status_code == 200
    assert client.get("/healthz").get_data(as_text=True) == "ok"


def test_signed_in_user_gets_the_app(client: FlaskClient, signed_in: Any) -> None:
    signed_in("viewer")
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and b"_dash-config" in page.data
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200 and layout.get_json()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_refuse_anonymous(client: FlaskClient, method: str) -> None:
    response = getattr(client, method)("/_dash-update-component")
    assert response.status_code == 401
