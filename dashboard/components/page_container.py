"""Dash's page container, holding the requested page's content from the start.

``dash.page_container`` arrives empty: once the layout is drawn, its ``dcc.Location`` reports
the URL, and Dash's router callback sends the page, a second round trip and a second render
before the first chart can be drawn. Here the layout request (made by the page at that URL,
which its Referer names) builds the page's content in the same way as the router does, with
the same inputs: the ``Location`` then starts at the URL, so the router is not called on
load; it still draws every later move between pages.

Security is unchanged: the layout request is signed in like any other (auth/guard.py), and
each page's ``layout`` checks its reader itself, whatever calls it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import dash
from dash import _pages, dcc, html
from flask import has_request_context, request

log = logging.getLogger(__name__)

# The ids of dash.page_container, which Dash's router callback reads and writes.
LOCATION_ID = "_pages_location"
CONTENT_ID = "_pages_content"
STORE_ID = "_pages_store"
DUMMY_ID = "_pages_dummy"


def requested_url() -> tuple[str, str, str] | None:
    """Return the path, query and URL of the page asking for the layout (None if unknown).

    Dash fetches its layout from the page itself, so the Referer is the page's URL (the
    app's Referrer-Policy is same-origin); anything else (no Referer, another host) is
    ignored, and the router draws the page as Dash does by default.
    """
    if not has_request_context():
        return None
    referer = request.headers.get("Referer")
    if not referer:
        return None
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    if not parts.netloc or parts.netloc.lower() != request.host.lower():
        return None
    search = f"?{parts.query}" if parts.query else ""
    return parts.path or "/", search, referer.split("#", 1)[0]


def page_content(pathname: str, search: str) -> Any:
    """Return a page's content for a URL, as Dash's router callback does."""
    page, variables = _pages._path_to_page(dash.strip_relative_path(pathname) or "")
    if not page:
        page = next(
            (p for m, p in _pages.PAGE_REGISTRY.items() if m.split(".")[-1] == "not_found_404"),
            {"layout": html.H1("404")},
        )
    layout = page.get("layout", "")
    if callable(layout):
        layout = layout(**{**(variables or {}), **_pages._parse_query_string(search)})
    return layout


def create_page_container() -> Any:
    """Build dash.page_container, with the requested page already in it when it is known."""
    url = requested_url()
    content: Any = None
    location: dict[str, str] = {}
    if url is not None:
        pathname, search, href = url
        try:
            content = page_content(pathname, search)
        except Exception:  # the router will try again, and report the error as it does
            log.exception("Page %s not built with the layout", pathname)
        else:
            # The URL the browser is at: the Location has nothing to report, no router call.
            # (The page's title is already in the HTML document: i18n/web.py.)
            location = {"pathname": pathname, "search": search, "href": href, "hash": ""}
    return html.Div(
        [
            dcc.Location(id=LOCATION_ID, refresh="callback-nav", **location),
            html.Div(content, id=CONTENT_ID, disable_n_clicks=True),
            dcc.Store(id=STORE_ID),
            html.Div(id=DUMMY_ID, disable_n_clicks=True),
        ]
    )
