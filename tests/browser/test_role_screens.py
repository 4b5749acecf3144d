"""Each role sees what it may do (issue 19.8): navigation entries, forms, buttons, CTI lists.

The server checks stay as they are (tests/web); these check what a person is offered, so that
nobody fills a form only to be refused, nor follows a link to « Accès refusé ».
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.budget_entry_views import (
    MovementFilter,
    MovementTotals,
    contract_options,
    movement_totals,
)
from dashboard.services.formatting import fmt_mdh
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
CETIA = "CETIA — Centre Technique des Industries Agro-alimentaires"


def _nav(page: Any) -> list[str]:
    """Return the labels of the navigation bar."""
    links = page.locator(".cti-nav-link")
    links.first.wait_for(timeout=TIMEOUT)
    return [text.strip() for text in links.all_inner_texts()]


def _options(page: Any, label: str) -> list[str]:
    """Open a select and return its options."""
    page.get_by_role("textbox", name=label, exact=True).click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=TIMEOUT)
    texts = [text.strip() for text in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return texts


def _totals_of_first_contract(engine: Engine) -> MovementTotals:
    """Return the totals of the contract /budget opens first, from the service."""
    with session_scope(engine) as session:
        first = int(contract_options(session)[0]["value"])
        return movement_totals(session, where=MovementFilter(contract_id=first))


def _button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=name, exact=True)


def test_a_viewer_is_offered_no_entry_form_nor_workflow_button(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "lecteur", "viewer")
    sign_in(page, live_server, "lecteur")
    nav = _nav(page)
    assert "Engagements et décaissements" in nav
    for hidden in ("Saisie de l'avancement", "Import Excel", "Validation"):
        assert hidden not in nav

    page.goto(f"{live_server}/updates")
    page.get_by_text("Consultation seule").wait_for(timeout=TIMEOUT)
    expect(page.get_by_text("Votre rôle (Lecteur)")).to_be_visible()
    expect(_button(page, "Enregistrer le brouillon")).to_have_count(0)
    expect(page.get_by_text("File de validation")).to_have_count(0)

    page.goto(f"{live_server}/import")
    page.get_by_text("Consultation seule").wait_for(timeout=TIMEOUT)
    expect(_button(page, "Appliquer l'import")).to_have_count(0)

    page.goto(f"{live_server}/budget")
    page.locator("#budget-envelope").wait_for(timeout=TIMEOUT)  # the totals, to read
    expect(page.get_by_text("Consultation seule")).to_be_visible()
    for name in ("Enregistrer et soumettre", "Valider", "Rejeter", "Soumettre"):
        expect(_button(page, name)).to_have_count(0)
    expect(page.get_by_text("Réviser une enveloppe (avenant)")).to_have_count(0)
    assert len(_options(page, "CTI (contrat)")) == 9  # a viewer reads every contract


def test_a_cti_editor_is_offered_its_own_cti_and_no_validation(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    sign_in(page, live_server, "saisie-cetia")
    nav = _nav(page)
    assert "Saisie de l'avancement" in nav and "Import Excel" in nav
    assert "Validation" not in nav

    page.goto(f"{live_server}/updates")
    page.get_by_text("Une valeur, avec son justificatif").wait_for(timeout=TIMEOUT)
    expect(page.get_by_role("link", name="File de validation")).to_have_count(0)
    expect(page.get_by_role("link", name="Import Excel", exact=True).last).to_be_visible()
    assert _options(page, "CTI") == [CETIA]

    page.goto(f"{live_server}/budget")
    page.locator("#budget-envelope").wait_for(timeout=TIMEOUT)
    assert _options(page, "CTI (contrat)") == [CETIA]  # was: all nine centres
    for name in ("Enregistrer le brouillon", "Valider", "Rejeter"):
        expect(_button(page, name)).to_have_count(0)
    expect(page.get_by_text("Réviser une enveloppe (avenant)")).to_have_count(0)

    page.goto(f"{live_server}/import")
    page.get_by_role("textbox", name="CTI du modèle", exact=True).wait_for(timeout=TIMEOUT)
    assert _options(page, "CTI du modèle") == [CETIA]


def test_an_analyst_is_offered_entry_validation_and_every_centre(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "analyste-plan", "analyst")
    sign_in(page, live_server, "analyste-plan")
    nav = _nav(page)
    for shown in ("Saisie de l'avancement", "Validation", "Import Excel"):
        assert shown in nav

    page.goto(f"{live_server}/updates")
    page.get_by_text("Une valeur, avec son justificatif").wait_for(timeout=TIMEOUT)
    expect(page.get_by_role("link", name="File de validation")).to_be_visible()
    assert len(_options(page, "CTI")) == 9

    page.goto(f"{live_server}/budget")
    page.locator("#budget-envelope").wait_for(timeout=TIMEOUT)
    # The totals (issue 19.14) are those of the contract shown, written as the cards write them.
    totals = _totals_of_first_contract(engine)
    for kpi, amount in [
        ("budget-envelope", totals.envelope),
        ("budget-committed", totals.committed),
        ("budget-disbursed", totals.disbursed),
        ("budget-pending-committed", totals.pending_committed),
    ]:
        expect(page.locator(f"#{kpi} .cti-kpi-value")).to_have_text(fmt_mdh(amount))
    expect(page.get_by_text("Consultation seule")).to_have_count(0)
    for name in ("Enregistrer le brouillon", "Valider", "Rejeter"):
        expect(_button(page, name)).to_be_visible()
    expect(page.get_by_text("Réviser une enveloppe (avenant)")).to_be_visible()
    assert len(_options(page, "CTI (contrat)")) == 9
