"""/reports in a real browser: a viewer gets a file; anonymous visitors are sent to sign in.

Also the export buttons of the other pages: a chart downloads as PNG and SVG, a grid as CSV
and Excel with what it shows.
"""

from __future__ import annotations

import csv as csv_module
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser


def _download(page: Page, target: str | Locator, timeout: int = 60_000) -> tuple[str, bytes]:
    """Click the target and return the file the browser downloads (name and content)."""
    with page.expect_download(timeout=timeout) as info:
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()
    download = info.value
    path = download.path()
    return download.suggested_filename, Path(path).read_bytes()


def test_a_viewer_exports_the_national_report_as_excel(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "lecteur-rapports", "viewer")
    sign_in(page, live_server, "lecteur-rapports", next_path="/reports")
    expect(page.locator("#reports-generate")).to_be_visible()
    page.get_by_role("radio", name="Excel").check()
    page.click("#reports-generate")
    expect(page.locator("#reports-ready")).to_be_visible(timeout=60_000)
    name, content = _download(page, "#reports-download-button")
    assert name.startswith("rapport-cti-national-2025") and name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert {"Synthèse", "Indicateurs", "Budget", "Historique", "Sources"} <= set(book.sheetnames)


def test_a_viewer_exports_a_cti_report_as_pdf(page: Page, live_server: str, engine: Engine) -> None:
    create_account(engine, "lecteur-pdf", "viewer")
    sign_in(page, live_server, "lecteur-pdf", next_path="/reports")
    page.click("#reports-scope")
    page.get_by_role("option", name="CETIA", exact=False).first.click()
    page.click("#reports-generate")
    expect(page.locator("#reports-ready")).to_be_visible(timeout=90_000)
    name, content = _download(page, "#reports-download-button")
    assert name.startswith("rapport-cti-cetia-") and name.endswith(".pdf")
    assert content.startswith(b"%PDF")


def test_anonymous_visitors_are_sent_to_sign_in(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/reports")
    expect(page).to_have_url(f"{live_server}/login?next=/reports")
    assert page.locator("#reports-generate").count() == 0


def test_charts_download_as_png_and_svg(signed_in_page: Page, live_server: str) -> None:
    page = signed_in_page
    page.goto(f"{live_server}/axes")
    expect(page.locator("#axes-budget-graph .plot-container")).to_be_visible(timeout=20_000)
    card = page.locator("figure").filter(has=page.locator("#axes-budget-graph"))
    png_name, png = _download(page, card.locator("button.cti-export-png"))
    assert png_name == "budget-par-axe-mdh.png" and png.startswith(b"\x89PNG")
    svg_name, svg = _download(page, card.locator("button.cti-export-svg"))
    assert svg_name == "budget-par-axe-mdh.svg" and b"<svg" in svg[:400]


def test_an_indicator_table_exports_the_rows_it_shows(
    signed_in_page: Page, live_server: str, engine: Engine
) -> None:
    page = signed_in_page
    page.goto(f"{live_server}/ctis/CETIA")
    table = page.locator("#cti-indicators-table")
    expect(table).to_be_visible(timeout=20_000)
    block = page.locator(".cti-grid-block").filter(has=table)
    shown = table.locator("tbody tr").count()
    _name, csv = _download(page, block.locator("button.cti-export-csv"))
    lines = csv.decode("utf-8-sig").strip().splitlines()
    # Every field quoted (domain/csv_cells.py): read the header as CSV.
    header = next(csv_module.reader(io.StringIO(lines[0]), delimiter=";"))
    assert header[:3] == ["Code", "Indicateur", "Unité"] and len(lines) == shown + 1
    name, xlsx = _download(page, block.locator("button.cti-export-xlsx"))
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None and sheet.max_row == shown + 1
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {
        c.strip() for c in table.locator("tbody tr td:first-child a").all_inner_texts()
    }


def test_a_grid_exports_the_rows_it_shows(page: Page, live_server: str, engine: Engine) -> None:
    create_account(engine, "admin-exports", "admin")
    sign_in(page, live_server, "admin-exports", next_path="/admin/users")
    grid = page.locator("#admin-users-grid")
    expect(grid.locator(".ag-row").first).to_be_visible(timeout=20_000)
    shown = grid.locator(".ag-center-cols-container .ag-row").count()
    csv_name, csv = _download(page, "button.cti-export-csv")
    assert csv_name.endswith(".csv")
    assert b"admin-exports" in csv
    xlsx_name, xlsx = _download(page, "button.cti-export-xlsx")
    assert xlsx_name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    values: list[Any] = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == shown
    assert any("admin-exports" in [str(v) for v in row] for row in values)
