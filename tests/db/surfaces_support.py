"""Read what each surface shows: a page's component tree, a report's HTML, PDF and workbook.

The pages are built by their own view builders (``render(view)``) and walked as the JSON Dash
sends; their tables and captions are blocks of HTML (components/markup.py), read here with
the HTML parser. Reports come through ``render_html`` (the very document WeasyPrint lays
out), ``pdftotext`` and openpyxl. Every text is returned with plain spaces.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import dash
import openpyxl

from dashboard.services.cache import to_json_text

SPACES = re.compile(r"[\u00a0\u202f\s]+")
# Screen-reader copies (a measure's definition after its name): not what the eye reads.
HIDDEN = frozenset({"cti-sr-only"})


def page_module(name: str) -> Any:
    """Return a page module as Dash imported it for the app built last (``pages.<name>``).

    Never ``import dashboard.pages.<name>`` in a test: it registers the page a second time
    under another name, and every app built after it in the process refuses requests
    (Dash: duplicate paths).
    """
    [module] = [m for m in dash.page_registry if m.rsplit(".", 1)[-1] == name]
    return sys.modules[module]


def plain(text: str) -> str:
    """Return the text with every run of spaces (no-break ones included) as one plain space."""
    return SPACES.sub(" ", text).strip()


@dataclass
class Table:
    """An HTML table as read: its id, header texts and rows of cell texts."""

    id: str
    heads: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def column(self, name: str) -> int | None:
        """Return the index of the column headed ``name`` (the last header row's), if any."""
        return self.heads.index(name) if name in self.heads else None

    def by(self, key: str, names: list[str]) -> dict[str, tuple[str, ...]]:
        """Return, per row, the first word of its ``key`` cell and its cells under ``names``."""
        index = self.column(key)
        found = [self.column(n) for n in names]
        if index is None or any(i is None for i in found):
            return {}
        return {
            row[index].split(" ")[0]: tuple(row[i] for i in found if i is not None)
            for row in self.rows
            if len(row) == len(self.heads)
        }


class _Tables(HTMLParser):
    """Collect the tables of an HTML text (cells' text, hidden copies left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.stack: list[Table] = []
        self.cell: list[str] | None = None
        self.head = False
        self.hidden = 0
        self.depth: list[bool] = []
        self.row: list[str] = []
        self.head_row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        hides = bool(classes & HIDDEN)
        self.depth.append(hides)
        self.hidden += hides
        if tag == "table":
            self.stack.append(Table(dict(attrs).get("id") or ""))
        elif tag == "tr":
            self.row, self.head_row = [], []
        elif tag in ("td", "th"):
            self.cell, self.head = [], tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.hidden -= self.depth.pop()
        if tag in ("td", "th") and self.cell is not None:
            text = plain(" ".join(self.cell))
            (self.head_row if self.head else self.row).append(text)
            self.cell = None
        elif tag == "tr" and self.stack:
            if self.head_row and not self.row:
                self.stack[-1].heads = _merge_heads(self.stack[-1].heads, self.head_row)
            elif self.row:
                self.stack[-1].rows.append(self.row)
        elif tag == "table" and self.stack:
            self.tables.append(self.stack.pop())

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def _merge_heads(first: list[str], second: list[str]) -> list[str]:
    """Keep one header row: a second row (the years under « Objectifs annuels ») joins it."""
    if not first:
        return second
    group = "Objectifs annuels"
    if group in first:
        index = first.index(group)
        return [*first[:index], *second, *first[index + 1 :]]
    return first + second


def html_tables(text: str) -> list[Table]:
    """Return the tables of an HTML text."""
    parser = _Tables()
    parser.feed(text)
    return parser.tables


def html_text(text: str) -> str:
    """Return an HTML text's words (tags dropped, hidden copies left out)."""
    words: list[str] = []

    class Words(_Tables):
        def handle_data(self, data: str) -> None:
            if not self.hidden:
                words.append(data)

    Words().feed(text)
    return plain(" ".join(words))


def page_tree(component: Any) -> dict[str, Any]:
    """Return a page's components as the JSON Dash sends."""
    tree: dict[str, Any] = json.loads(to_json_text(component))
    return tree


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Yield every component of a tree, depth first."""
    if isinstance(tree, list):
        for item in tree:
            yield from nodes(item)
    elif isinstance(tree, dict) and "props" in tree:
        yield tree
        yield from nodes(tree["props"].get("children"))


def text_of(tree: Any) -> str:
    """Return what a component shows as text (its HTML blocks' words included)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            parts.append(str(node))
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node:
            if node["props"].get("data-html"):
                parts.append(html_text(node["props"]["data-html"]))
            walk(node["props"].get("children"))

    walk(tree)
    return plain(" ".join(parts))


def page_tables(tree: Any) -> dict[str, Table]:
    """Return the page's HTML tables by id."""
    found: dict[str, Table] = {}
    for node in nodes(tree):
        block = node["props"].get("data-html")
        if block:
            for table in html_tables(block):
                found[table.id or f"#{len(found)}"] = table
    return found


def kpis(tree: Any) -> dict[str, str]:
    """Return each key-figure card's label and big value, as shown."""
    cards: dict[str, str] = {}
    for node in nodes(tree):
        if "cti-kpi" in str(node["props"].get("className", "")).split():
            children = node["props"]["children"]
            cards[text_of(children[0])] = text_of(children[1])
    return cards


def graphs(tree: Any) -> dict[str, dict[str, Any]]:
    """Return the figures of the page's graphs by id."""
    return {
        str(node["props"]["id"]): node["props"]["figure"]
        for node in nodes(tree)
        if node.get("type") == "Graph" and "figure" in node["props"]
    }


def trace_numbers(figure: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the numbers each trace of a figure draws (its x, y or z that are not labels).

    Labels may be shorter in a report (« Axe 1 » for the page's full axis name).
    """
    data = json.loads(to_json_text(figure))["data"]  # dates and arrays as Dash sends them
    return [
        {k: trace[k] for k in ("x", "y", "z") if k in trace and not _labels(trace[k])}
        for trace in data
    ]


def _labels(values: Any) -> bool:
    """Tell whether a trace's coordinates are words (category labels) rather than numbers."""
    flat = [v for row in values for v in (row if isinstance(row, list) else [row])]
    return any(isinstance(v, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d.*", v) for v in flat)


def workbook_table(content: bytes, names: list[str]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Return the first table of the workbook whose header has all ``names``, and its rows."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for index, row in enumerate(rows):
            header = [str(c) if c is not None else "" for c in row or ()]
            if all(n in header for n in names):
                body = []
                for line in rows[index + 1 :]:
                    if not line or all(c is None for c in line):
                        break
                    body.append(tuple(line))
                return header, body
    raise AssertionError(f"no table with {names} in the workbook")


def workbook_pairs(content: bytes, sheet: str) -> dict[str, Any]:
    """Return a sheet's label -> value pairs (its first two columns)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    return {
        str(row[0]): row[1]
        for row in book[sheet].iter_rows(values_only=True)
        if row and row[0] is not None and len(row) > 1
    }
