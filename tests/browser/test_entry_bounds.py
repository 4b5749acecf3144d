"""What a CTI editor sees when a value is out of bounds or unusual (issues 19.7, 20.4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.browser.conftest import create_account, sign_in
from tests.browser.test_entry_workflow import TIMEOUT, _choose, _first_indicator

pytestmark = pytest.mark.browser


def test_a_count_asks_for_a_whole_number_refuses_the_absurd_and_flags_the_unusual(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    _code, unit, latest = _first_indicator(engine)
    sign_in(page, live_server, "saisie-cetia")
    page.goto(f"{live_server}/updates")
    _choose(page, "Période", "2025")
    page.get_by_text("Aucune valeur pour cette période.").wait_for(timeout=TIMEOUT)
    page.get_by_text("Un nombre entier, par exemple 12", exact=True).wait_for(timeout=TIMEOUT)

    field = page.get_by_role("textbox", name=f"Valeur ({unit})")
    field.fill("99 999 999")
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).click()
    page.get_by_text("Valeur non enregistrée : corrigez les champs signalés.").wait_for(
        timeout=TIMEOUT
    )
    page.get_by_text("Valeur trop grande (99 999 999").wait_for(timeout=TIMEOUT)

    field.fill(str(int(latest * 10) + 10))
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).click()
    page.get_by_text("Brouillon enregistré ; la valeur est signalée à vérifier").wait_for(
        timeout=TIMEOUT
    )
    page.get_by_text("Valeur inhabituelle", exact=False).first.wait_for(timeout=TIMEOUT)
    assert page.get_by_text("vous pouvez l'enregistrer").count() == 0
