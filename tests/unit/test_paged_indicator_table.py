"""Long tables one page at a time (components/paged_table.py): the rows, the count, the pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import plotly
import pytest

from dashboard.components import paged_table
from dashboard.components.blocks import DATA_ROWS, create_chart_numbers
from dashboard.services.figures.common import first_rows, table


def indicators(n: int) -> pd.DataFrame:
    """Return ``n`` indicators with the fields the indicator and status columns read."""
    return pd.DataFrame(
        {
            "code": [f"CETIA-A1-{i:04d}" for i in range(n)],
            "label": [f"Indicateur {i}" for i in range(n)],
            "unit": ["entreprises"] * n,
            "acronym": ["CETIA"] * n,
            "status": ["late", "watch", "on_track", "no_data"] * (n // 4),
        }
    )


def tree(component: Any) -> Any:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def find(node: Any, kind: str) -> list[dict[str, Any]]:
    """Return every component of type ``kind`` in a serialised component tree."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == kind:
            found.append(node)
        for value in node.values():
            found += find(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += find(value, kind)
    return found


def text(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


class _Rows(HTMLParser):
    """Collect the body rows of an HTML table as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def body_rows(node: Any) -> list[list[str]]:
    """Return the rows of the indicator tables (HTML blocks) in a serialised tree."""
    parser = _Rows()
    for block in find(node, "Div"):
        parser.feed(block["props"].get("data-html", ""))
    return [row for row in parser.rows if row]


def test_a_long_list_renders_one_page_of_rows_a_count_and_the_pages() -> None:
    frame = indicators(2_000)
    rows_shown = paged_table.PagedRows(frame, ("indicator",))
    block = tree(paged_table.create_paged_indicator_table("t", rows_shown))
    # The table holds its first page of rows in the box "t-page" (the page callback draws the
    # others), the pages and the exports of the whole list.
    [pager] = find(block, "Pagination")
    assert pager["props"]["total"] == 40 and pager["props"]["value"] == 1
    assert pager["props"]["id"] == "t-pagination"
    [box] = [d for d in find(block, "Div") if d["props"].get("id") == "t-page"]
    assert len(body_rows(box)) == 50 and "1-50 sur 2\u00a0000 indicateurs" in text(box)
    assert "Store" not in text(block)  # the export is built on the server, not held here
    first = tree(paged_table.create_indicator_page(frame, table_id="t", columns=("indicator",)))
    rows = body_rows(first)
    assert len(rows) == paged_table.PAGE_SIZE == 50
    assert "CETIA-A1-0000" in rows[0][0] and "CETIA-A1-0049" in rows[-1][0]
    assert "CETIA-A1-0050" not in text(first)
    assert "1-50 sur 2\u00a0000 indicateurs" in text(first)
    assert len(text(first)) < 200_000


def test_a_page_shows_its_rows_and_the_last_page_is_short() -> None:
    frame = indicators(120)
    page = tree(
        paged_table.create_indicator_page(frame, table_id="t", page=3, columns=("indicator",))
    )
    rows = body_rows(page)
    assert len(rows) == 20 and "CETIA-A1-0100" in rows[0][0]
    assert "101-120 sur 120 indicateurs" in text(page)


@pytest.mark.parametrize(
    ("page", "expected"),
    [(None, (1, 0, 50)), ("2", (2, 50, 100)), (99, (3, 100, 120)), (0, (1, 0, 50))],
)
def test_a_page_number_stays_within_the_pages(page: object, expected: tuple[int, int, int]) -> None:
    assert paged_table.page_slice(120, page) == expected


def test_a_chart_lists_its_first_rows_and_says_how_many_are_left() -> None:
    data = {"head": ["Code", "Réalisation"], "body": [[f"C{i}", "50 %"] for i in range(400)]}
    shown = text(tree(create_chart_numbers(data, "Titre")))
    assert "C49" in shown and "C50" not in shown
    assert f"{DATA_ROWS} premières lignes sur 400 ; 350 lignes non affichées." in shown
    pointed = text(tree(create_chart_numbers(data, "Titre", "exportez la liste")))
    assert "50 premières lignes sur 400 : exportez la liste." in pointed
    short = {"head": ["Code"], "body": [["C1"], ["C2"]]}
    assert "premières lignes" not in text(tree(create_chart_numbers(short, "Titre")))


def test_a_table_built_from_its_first_rows_still_counts_them_all() -> None:
    # A chart's table builder formats its first rows only (figures.common.first_rows).
    frame = pd.DataFrame({"code": [f"C{i}" for i in range(8_400)]})
    shown, total = first_rows(frame)
    data = table(["Code"], [[c] for c in shown["code"]], total)
    assert len(data["body"]) == DATA_ROWS and data["total"] == 8_400
    text_shown = text(tree(create_chart_numbers(data, "Titre")))
    assert "C49" in text_shown and "C50" not in text_shown and '"total"' not in text_shown
    assert "50 premières lignes sur 8\u00a0400 ; 8\u00a0350 lignes non affichées." in text_shown
    assert "total" not in table(["Code"], [["C1"]], 1)


def test_stale_marks_are_looked_up_for_the_rows_shown_only() -> None:
    frame = indicators(120).assign(indicator_id=range(1000, 1120))
    asked: list[list[int]] = []

    def lookup(ids: Any) -> dict[int, Any]:
        asked.append(list(ids))
        return {}

    columns = ("indicator", "status")
    paged_table.create_indicator_page(frame, table_id="t", page=2, columns=columns, stale=lookup)
    assert asked == [list(range(1050, 1100))]
    paged_table.create_indicator_page(frame, table_id="t", columns=columns, stale=lookup)
    assert asked[-1] == list(range(1000, 1050))
