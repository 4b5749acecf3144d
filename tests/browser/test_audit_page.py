"""The audit page as an analyst reads it, in French and in Arabic (issue 19.11).

Set SCREENSHOT_DIR to also save screenshots of the page in both languages there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.progress import save_progress
from dashboard.services.progress_workflow import validate_progress
from tests.browser.conftest import create_account, sign_in
from tests.db.entry_support import FREE_PERIOD, TODAY, indicator_of, make_account

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


def _validated_value(engine: Engine) -> str:
    """Enter, submit and validate a CETIA value through the services; return its code."""
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    analyst = make_account(engine, "analyste-valide", "analyst")
    indicator = indicator_of(engine, "CETIA", "entreprises")
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=140,
            today=TODAY,
            submit=True,
        ).entry
        update_id, version = row.id, row.version
    with session_scope(engine) as session:
        validate_progress(session=session, account=analyst, update_id=update_id, version=version)
    return indicator.code


@pytest.mark.parametrize(
    ("lang", "action", "change"),
    [
        ("fr", "Validation d'une valeur", "Statut : soumise → validée"),
        ("ar", "المصادقة على قيمة", "الحالة"),
    ],
)
def test_the_audit_page_says_who_did_what_in_words(
    page: Page, live_server: str, engine: Engine, lang: str, action: str, change: str
) -> None:
    code = _validated_value(engine)
    create_account(engine, "auditrice", "analyst")
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, live_server, "auditrice", next_path=f"/audit?lang={lang}")
    row = page.locator("#audit-grid .ag-center-cols-container .ag-row").filter(has_text=action)
    expect(row.first).to_be_visible(timeout=TIMEOUT)
    expect(row.first.locator('[col-id="object_label"]')).to_have_text(f"{code} · 2024 (CETIA)")
    expect(row.first.locator('[col-id="changes"]')).to_contain_text(change)
    assert "{" not in page.locator("#audit-grid").inner_text()
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"audit-{lang}-1440.png"), full_page=True)
