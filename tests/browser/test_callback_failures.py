"""A save that fails for a reason outside the form is announced on screen (issue 20.5)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser


def test_a_save_on_a_busy_database_shows_why_on_screen(
    page: Page, live_server: str, engine: Engine
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the file-level lock is SQLite's")
    create_account(engine, "chef", "admin")
    sign_in(page, live_server, "chef", next_path="/admin/users")
    page.fill("#admin-users-new-username", "pendant-verrou")
    page.fill("#admin-users-new-fullname", "Nouvelle Personne")

    def _short_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")  # 0.2 s instead of 5 s

    event.listen(engine, "connect", _short_wait)
    engine.dispose()
    other = sqlite3.connect(str(engine.url.database), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds the base
    try:
        page.click("#admin-users-create-button")
        notice = page.get_by_role("alert").filter(has_text="La base est occupée")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("réessayez dans un instant")
        text = notice.locator(".mantine-Notification-description")
        assert text.evaluate("e => getComputedStyle(e).color") == "rgb(52, 58, 64)"  # gray 8
        expect(page.locator("#admin-users-message")).to_be_empty()  # the form is as it was
    finally:
        other.execute("ROLLBACK")
        other.close()
    # Once the other writer is done, the same click creates the account.
    notice.get_by_role("button").click()  # close it
    page.click("#admin-users-create-button")
    expect(page.locator("#admin-users-message")).to_contain_text("Compte créé")
    expect(page.get_by_role("alert").filter(has_text="La base est occupée")).to_have_count(0)
