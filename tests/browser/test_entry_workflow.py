"""A CTI editor enters and submits a value; an analyst validates it; the CTI chart shows it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.models import Contract, Cti, EntryStatus, Indicator, ProgressUpdate
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
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text(f"Valeur validée : {code} 2025.").wait_for(timeout=TIMEOUT)

    page.goto(f"{live_server}/ctis/CETIA?indicator={code}")
    page.locator("#cti-trajectory-graph .js-plotly-plot").wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "() => { const p = document.querySelector('#cti-trajectory-graph .js-plotly-plot');"
        " return p && p.data && p.data.length > 0; }",
        timeout=TIMEOUT,
    )
    assert float(value) in _chart_values(page)
