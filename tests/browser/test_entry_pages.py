"""The Excel round trip and the budget form, driven from the browser by an analyst."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.models import BudgetMovement
from tests.browser.conftest import create_account, sign_in
from tests.db.excel_support import column, edit, find_row

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


def _choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("textbox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_template_download_edit_preview_and_apply(
    page: Any, live_server: str, engine: Engine, tmp_path: Path
) -> None:
    create_account(engine, "analyste-plan", "analyst")
    sign_in(page, live_server, "analyste-plan")
    page.goto(f"{live_server}/import")
    _choose(page, "CTI du modèle", "CETIA — Centre Technique des Industries Agro-alimentaires")
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Télécharger le modèle Excel").click()
    template = tmp_path / "modele.xlsx"
    download.value.save_as(template)

    def change(book: Any) -> None:
        ws = book["Saisie"]
        row = find_row(ws, Statut="Brouillon")
        ws.cell(row, column(ws, "Valeur"), ws.cell(row, column(ws, "Valeur")).value + 1)

    filled = tmp_path / "rempli.xlsx"
    filled.write_bytes(edit(template.read_bytes(), change))
    page.locator("#import-upload input[type=file]").set_input_files(str(filled))
    page.get_by_text("1 modification").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Appliquer l'import").click()
    page.get_by_text("Import appliqué : 1 modification").wait_for(timeout=TIMEOUT)

    bad = tmp_path / "faux.xlsx"
    bad.write_bytes(b"ceci n'est pas un classeur")
    page.locator("#import-upload input[type=file]").set_input_files(str(bad))
    page.get_by_text("n'est pas un classeur Excel .xlsx").wait_for(timeout=TIMEOUT)
    assert page.get_by_role("button", name="Appliquer l'import").is_disabled()


def test_budget_form_shows_errors_next_to_fields_then_records(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "analyste-plan", "analyst")
    sign_in(page, live_server, "analyste-plan")
    page.goto(f"{live_server}/budget")
    _choose(page, "CTI (contrat)", "CETIA — Centre Technique des Industries Agro-alimentaires")
    page.get_by_role("textbox", name="Axe", exact=True).click()
    page.get_by_role("option").first.click()
    page.get_by_role("textbox", name="Date").fill("03/11/2026")
    page.keyboard.press("Tab")
    page.get_by_role("textbox", name="Montant (MDH)").fill("0,001")
    page.get_by_role("textbox", name="Référence").fill("ENG-NAV-1")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    page.get_by_text("Engagement après la fin du plan").wait_for(timeout=TIMEOUT)

    _choose(page, "Type", "Décaissement")
    page.get_by_role("textbox", name="Référence").fill("DEC-NAV-1")
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    page.get_by_text("Mouvement soumis pour validation.").wait_for(timeout=TIMEOUT)
    page.locator('.ag-row:has(.ag-cell[col-id="reference"]:text-is("DEC-NAV-1"))').first.click()
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text("C'est fait : mouvement DEC-NAV-1.").wait_for(timeout=TIMEOUT)
    with Session(engine) as session:
        row = session.exec(
            select(BudgetMovement).where(BudgetMovement.reference == "DEC-NAV-1")
        ).one()
        assert (row.status, row.amount_mdh, row.kind) == ("validated", 0.001, "disbursement")
