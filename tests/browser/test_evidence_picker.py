"""The evidence picker forgets its file when the value on screen changes (issue 19.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import ProgressUpdate
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


def _choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("textbox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_file_chosen_for_one_indicator_is_not_attached_to_the_next(
    page: Any, live_server: str, engine: Engine, tmp_path: Path
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    evidence = tmp_path / "bilan.pdf"
    evidence.write_bytes(b"%PDF-1.7\n% bilan\n%%EOF\n")
    sign_in(page, live_server, "saisie-cetia")
    page.goto(f"{live_server}/updates")
    page.get_by_text("Une valeur, avec son justificatif").wait_for(timeout=TIMEOUT)
    _choose(page, "Période", "2024")
    page.get_by_text("Aucune valeur pour cette période.").wait_for(timeout=TIMEOUT)
    page.locator("#updates-evidence-upload input[type=file]").set_input_files(str(evidence))
    chosen = page.get_by_text("Fichier choisi : bilan.pdf")
    chosen.wait_for(timeout=TIMEOUT)

    # Another indicator: the file chosen for the first one is forgotten, on screen and for saving.
    indicator = page.get_by_role("textbox", name="Indicateur", exact=True)
    first = indicator.input_value()
    indicator.click()
    page.get_by_role("option").nth(1).click()
    expect(indicator).not_to_have_value(first, timeout=TIMEOUT)
    expect(chosen).to_have_count(0, timeout=TIMEOUT)
    page.get_by_text("Aucune valeur pour cette période.").wait_for(timeout=TIMEOUT)
    page.locator("#updates-value-input").fill("5")
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).click()
    page.get_by_text("Valeur en cours : brouillon.").wait_for(timeout=TIMEOUT)
    with Session(engine) as session:
        saved = session.exec(
            select(ProgressUpdate).where(ProgressUpdate.year == 2024, ProgressUpdate.quarter == 0)
        ).all()
    assert [(r.value, r.evidence_name) for r in saved] == [(5.0, "")]
