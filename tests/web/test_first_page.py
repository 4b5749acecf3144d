"""The first page comes with Dash's layout, checked like the router's, and only for this site."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from tests.web.conftest import create_account


def _container(layout: Any) -> dict[str, Any]:
    """Return the props of the page container's components, by id."""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if str(props.get("id", "")).startswith("_pages_"):
                found[props["id"]] = props
            for value in props.values():
                walk(value)

    walk(layout)
    return found


def _layout(client: FlaskClient, referer: str | None) -> dict[str, Any]:
    headers = {"Referer": referer} if referer else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return _container(json.loads(response.get_data(as_text=True)))


def test_the_layout_holds_the_page_the_browser_is_at(signed_in: Any) -> None:
    client = signed_in("analyst")
    parts = _layout(client, "http://localhost/ctis/CETIA?year=2024")
    location = parts["_pages_location"]
    assert (location["pathname"], location["search"]) == ("/ctis/CETIA", "?year=2024")
    assert "CETIA" in json.dumps(parts["_pages_content"]["children"])


def test_an_unknown_address_gets_the_not_found_page(signed_in: Any) -> None:
    client = signed_in("analyst")
    content = _layout(client, "http://localhost/nulle-part")["_pages_content"]
    assert "Page introuvable" in json.dumps(content["children"], ensure_ascii=False)


@pytest.mark.parametrize("referer", [None, "http://ailleurs.example/ctis/CETIA"])
def test_without_this_site_s_page_the_router_draws_it(signed_in: Any, referer: str | None) -> None:
    client = signed_in("analyst")
    parts = _layout(client, referer)
    assert parts["_pages_content"].get("children") is None
    assert "pathname" not in parts["_pages_location"]  # the Location reports it: router call


@pytest.mark.parametrize("path", ["/admin/users", "/audit"])
def test_restricted_pages_in_the_layout_show_a_refusal(
    app: Dash, engine: Engine, signed_in: Any, path: str
) -> None:
    create_account(engine, "temoin", "analyst")
    client = signed_in("viewer")
    text = json.dumps(
        _layout(client, f"http://localhost{path}")["_pages_content"], ensure_ascii=False
    )
    assert "Accès refusé" in text
    assert "temoin" not in text


def test_the_title_callback_waits_for_a_move_between_pages(app: Dash) -> None:
    title = [c for c in app._callback_list if c["output"] == "_pages_dummy.children"]
    assert title and all(c["prevent_initial_call"] for c in title)


def test_the_page_preloads_the_layout_and_callbacks(signed_in: Any) -> None:
    page = signed_in("analyst").get("/ctis").get_data(as_text=True)
    assert '<link rel="preload" href="/_dash-layout" as="fetch"' in page
    assert '<link rel="preload" href="/_dash-dependencies" as="fetch"' in page


def test_the_page_loads_the_chart_code_with_it(signed_in: Any) -> None:
    # dcc would fetch it only once a chart is drawn, then wait for it.
    client = signed_in("analyst")
    page = client.get("/axes/2").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]*/dcc/async-[a-z]+\.[^"]+\.js)" defer', page)
    assert {re.sub(r".*/async-([a-z]+)\..*", r"\1", s) for s in sources} == {"graph"}
    for source in sources:
        served = client.get(source)
        assert served.status_code == 200
        assert b"webpackChunkdash_core_components" in served.data  # registers with dcc
