"""A CTI editor enters and submits a value; an analyst validates it; the CTI chart shows it.

An analyst revises a target: the CTI first, then one of its indicators, then a year.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import (
    Contract,
    Cti,
    EntryStatus,
    Indicator,
    IndicatorTarget,
    ProgressUpdate,
)
from tests.browser.conftest import create_account, sign_in

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


def _first_indicator(engine: Engine) -> tuple[str, str, float]:
    """Return CETIA's first indicator code, its unit and its latest validated value."""
    with Session(engine) as session:
        indicator = session.exec(
            select(Indicator)
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(Cti.acronym == "CETIA")
            .order_by(col(Indicator.code))
        ).first()
        assert indicator is not None
        latest = session.exec(
            select(ProgressUpdate.value)
            .where(
                ProgressUpdate.indicator_id == indicator.id,
                ProgressUpdate.status == EntryStatus.VALIDATED.value,
            )
            .order_by(col(ProgressUpdate.year).desc(), col(ProgressUpdate.quarter).desc())
        ).first()
        return indicator.code, indicator.unit, float(latest or 0)


def _choose(page: Any, label: str, option: str) -> None:
    """Pick an option of a Mantine select by its label."""
    page.get_by_role("textbox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _chart_values(page: Any) -> list[float]:
    """Return the y values of the "validated values" trace of the trajectory chart."""
    return page.evaluate(
        """() => {
            const plot = document.querySelector('#cti-trajectory-graph .js-plotly-plot');
            const trace = (plot && plot.data || []).find(t => t.name === 'Valeurs validées');
            return trace ? Array.from(trace.y) : [];
        }"""
    )


def test_value_entered_by_editor_is_validated_and_charted(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    create_account(engine, "analyste-plan", "analyst")
    code, unit, latest = _first_indicator(engine)
    value = int(latest) + 7

    sign_in(page, live_server, "saisie-cetia")
    page.goto(f"{live_server}/updates")
    page.get_by_text("Une valeur, avec son justificatif").wait_for(timeout=TIMEOUT)
    _choose(page, "Période", "2025")
    page.get_by_text("Aucune valeur pour cette période.").wait_for(timeout=TIMEOUT)
    assert code in page.get_by_role("textbox", name="Indicateur", exact=True).input_value()
    page.get_by_role("textbox", name=f"Valeur ({unit})").fill(str(value))
    page.get_by_role("textbox", name="Commentaire", exact=True).fill("Bilan annuel <b>2025</b>")
    page.get_by_role("button", name="Enregistrer et soumettre", exact=True).click()
    page.get_by_text("Valeur soumise pour validation.").wait_for(timeout=TIMEOUT)
    page.get_by_text("Valeur en cours : soumise.").wait_for(timeout=TIMEOUT)

    page.goto(f"{live_server}/logout")
    page.click("button[type=submit]")  # the confirmation page's sign-out button
    sign_in(page, live_server, "analyste-plan")
    page.goto(f"{live_server}/updates/validation")
    _choose(page, "CTI", "CETIA — Centre Technique des Industries Agro-alimentaires")
    row = page.locator(
        ".ag-row"
        f':has(.ag-cell[col-id="code"]:text-is("{code}"))'
        ':has(.ag-cell[col-id="period"]:text-is("2025"))'
    )
    row.first.click(timeout=TIMEOUT)
    # The comment is shown as text, never as markup.
    assert (
        row.first.locator('.ag-cell[col-id="comment"]').inner_text() == "Bilan annuel <b>2025</b>"
    )
    page.get_by_role("button", name="Valider la sélection", exact=True).click()
    page.get_by_text("1 validée.", exact=True).wait_for(timeout=TIMEOUT)

    page.goto(f"{live_server}/ctis/CETIA?indicator={code}")
    page.locator("#cti-trajectory-graph .js-plotly-plot").wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => { const p = document.querySelector('#cti-trajectory-graph .js-plotly-plot');"
        " return p && p.data && p.data.length > 0; }",
        timeout=TIMEOUT,
    )
    assert float(value) in _chart_values(page)


def test_analyst_revises_a_target_choosing_the_cti_first(
    page: Any, live_server: str, engine: Engine
) -> None:
    create_account(engine, "analyste-plan", "analyst")
    code, _unit, _latest = _first_indicator(engine)
    with Session(engine) as session:
        target = session.exec(
            select(IndicatorTarget)
            .join(Indicator, col(Indicator.id) == col(IndicatorTarget.indicator_id))
            .where(Indicator.code == code)
            .order_by(col(IndicatorTarget.year).desc())
        ).first()
        assert target is not None
    new_value = int(target.value) + 5

    sign_in(page, live_server, "analyste-plan")
    page.goto(f"{live_server}/updates/validation")
    indicator = page.get_by_role("textbox", name="Indicateur", exact=True)
    indicator.wait_for(timeout=TIMEOUT)
    # No indicator is offered before a CTI is chosen.
    indicator.click()
    expect(page.get_by_role("option")).to_have_count(0)
    _choose(page, "CTI (contrat)", "CETIA — Centre Technique des Industries Agro-alimentaires")
    indicator.click()
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("CETIA-", timeout=TIMEOUT)
    assert all(text.startswith("CETIA-") for text in options.all_inner_texts())
    options.filter(has_text=code).first.click()
    _choose(page, "Année de l'objectif", f"{target.year} : {target.value:g}")
    page.get_by_role("textbox", name="Nouvel objectif", exact=True).fill(str(new_value))
    page.get_by_role("textbox", name="Justification (obligatoire)").fill("Report du salon")
    page.get_by_role("button", name="Réviser l'objectif", exact=True).click()
    page.get_by_text("Objectif révisé.", exact=True).wait_for(timeout=TIMEOUT)
    page.get_by_text("par analyste-plan : Report du salon").wait_for(timeout=TIMEOUT)
    with Session(engine) as session:
        revised = session.get(IndicatorTarget, target.id)
        assert revised is not None and revised.value == new_value
