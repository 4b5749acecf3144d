"""Helpers shared by the browser tests of languages and accessibility: the pages to visit."""

from __future__ import annotations

import re

import dash
from playwright.sync_api import Page, expect

# Values for the pages whose path has variables.
PATH_VALUES = {"number": "2", "acronym": "CETIA"}


def page_paths() -> list[str]:
    """Return a URL for every registered page (path variables filled in), 404 excepted."""
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        path = re.sub(r"<(\w+)>", lambda m: PATH_VALUES.get(m.group(1), "1"), template)
        if path != "/404":
            paths.append(path)
    return sorted(set(paths))


def settle(page: Page) -> None:
    """Wait until the page's content and its charts are drawn."""
    expect(page.locator("#_pages_content")).not_to_be_empty()
    page.wait_for_load_state("networkidle")
