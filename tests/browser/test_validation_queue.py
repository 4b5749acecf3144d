"""The validation queue as an analyst sees it, in French and in Arabic, at 1440 px (issue 19.9).

Set SCREENSHOT_DIR to also save screenshots of the queue in both languages there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from dashboard.db.models import ProgressUpdate
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


def _shot(page: Page, name: str) -> None:
    """Save a screenshot when SCREENSHOT_DIR is set."""
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


def _pending(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).where(ProgressUpdate.status == "submitted")).one()


def _cut_cells(page: Page, column: str) -> list[str]:
    """Return the texts of a column's cells that do not fit their cell (cut with an ellipsis)."""
    return page.evaluate(
        """(column) => [...document.querySelectorAll(
                `#validation-queue-grid .ag-center-cols-container .ag-cell[col-id="${column}"]`)]
            .filter((cell) => {
                const text = cell.querySelector('.ag-cell-value') || cell;
                return text.scrollWidth > text.clientWidth + 1;
            })
            .map((cell) => cell.innerText)""",
        column,
    )


def _open_queue(page: Page, live_server: str, lang: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, live_server, "analyste-file", next_path=f"/updates/validation?lang={lang}")
    page.locator('#validation-queue-grid .ag-cell[col-id="code"]').first.wait_for(timeout=TIMEOUT)


def test_the_queue_shows_what_to_compare_and_validates_several_values(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "analyste-file", "analyst")
    pending = _pending(engine)
    _open_queue(page, live_server, "fr")
    expect(page.locator("#validation-queue-note")).to_contain_text(
        f"Valeurs en attente de validation : {pending}."
    )
    headers = page.locator("#validation-queue-grid .ag-header-cell-text").all_inner_texts()
    for header in ("Unité", "Objectif de l'année", "Attendu à cette date", "Précédente"):
        assert header in headers
    assert "Justificatif" in headers and "Saisie par" in headers
    assert _cut_cells(page, "period") == [] and _cut_cells(page, "code") == []
    _shot(page, "validation-queue-fr-1440")

    checks = page.locator("#validation-queue-grid .ag-center-cols-container .ag-row")
    codes = [checks.nth(i).locator('.ag-cell[col-id="code"]').inner_text() for i in range(2)]
    for i in range(2):
        page.locator(
            f'#validation-queue-grid .ag-row[row-index="{i}"] .ag-selection-checkbox input'
        ).first.check()
    page.get_by_role("button", name="Valider la sélection", exact=True).click()
    expect(page.locator("#validation-message")).to_contain_text("2 validées.", timeout=TIMEOUT)
    expect(page.locator("#validation-queue-note")).to_contain_text(
        f"Valeurs en attente de validation : {pending - 2}.", timeout=TIMEOUT
    )
    assert _pending(engine) == pending - 2 and all(codes)


def test_the_arabic_queue_shows_whole_periods_and_codes(
    page: Page, live_server: str, engine: Engine
) -> None:
    create_account(engine, "analyste-file", "analyst")
    _open_queue(page, live_server, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    periods = page.locator(
        '#validation-queue-grid .ag-center-cols-container .ag-cell[col-id="period"]'
    ).all_inner_texts()
    quarters = [p for p in periods if p.startswith("الفصل")]
    assert quarters, periods
    # The whole period, year included ("الفصل 4 من 2025"), and nothing cut.
    assert all(p.split()[-1].isdigit() and len(p.split()[-1]) == 4 for p in quarters), quarters
    for column in ("period", "code", "cti", "value_text", "expected_text"):
        assert _cut_cells(page, column) == [], column
    expect(page.locator("#validation-queue-note")).to_contain_text("القيم في انتظار المصادقة")
    _shot(page, "validation-queue-ar-1440")
