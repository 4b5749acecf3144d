"""Contract amendments: a target or envelope line changes only with a reason, and is traced."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Contract, EnvelopeLine, IndicatorTarget
from dashboard.services.amendments import amend_envelope_line, amend_target, amendment_rows
from dashboard.services.budget_entry import MovementInput, save_movement
from dashboard.services.entry import StaleVersionError, ValidationFailed
from dashboard.services.errors import PermissionDenied
from tests.db.entry_support import TODAY, audit_events, make_account, seed_small_plan, snapshot


@pytest.fixture
def plan(any_engine: Engine) -> dict[str, int]:
    return seed_small_plan(any_engine)


def _target(engine: Engine, indicator_id: int, year: int) -> IndicatorTarget:
    with Session(engine) as session:
        return session.exec(
            select(IndicatorTarget).where(
                IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == year
            )
        ).one()


def _amend_target(engine: Engine, account, target: IndicatorTarget, value: object, reason: str):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return amend_target(
            session=session,
            account=account,
            target_id=target.id,  # type: ignore[arg-type]
            version=target.version,
            new_value=value,
            reason=reason,
        )


def test_target_revision_keeps_the_old_value_and_the_reason(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    analyst = make_account(any_engine, "karim", "analyst")
    target = _target(any_engine, plan["firms"], 2024)
    _amend_target(any_engine, analyst, target, 180, "Report du salon professionnel")
    assert _target(any_engine, plan["firms"], 2024).value == 180
    with Session(any_engine) as session:
        [row] = amendment_rows(session, kind="target", ref_ids=[target.id])  # type: ignore[list-item]
    assert (row.old_value, row.new_value, row.by) == (200, 180, "karim")
    assert row.text.startswith("Objectif révisé de 200 à 180 le ")
    assert row.text.endswith("par karim : Report du salon professionnel")
    assert audit_events(any_engine)[-1].action == "amend.target"


def test_revision_without_a_reason_changes_nothing(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    analyst = make_account(any_engine, "karim", "analyst")
    target = _target(any_engine, plan["firms"], 2024)
    before = snapshot(any_engine)
    with pytest.raises(ValidationFailed) as info:
        _amend_target(any_engine, analyst, target, 180, "  ")
    assert info.value.result.errors_for("reason")
    assert snapshot(any_engine) == before
    assert audit_events(any_engine)[-1].outcome == "refused"


def test_editors_cannot_amend_contracts(any_engine: Engine, plan: dict[str, int]) -> None:
    editor = make_account(any_engine, "amina", "cti_editor", "CETIA")
    target = _target(any_engine, plan["firms"], 2024)
    before = snapshot(any_engine)
    with pytest.raises(PermissionDenied):
        _amend_target(any_engine, editor, target, 180, "Parce que")
    assert snapshot(any_engine) == before


def test_stale_target_revision_is_refused(any_engine: Engine, plan: dict[str, int]) -> None:
    analyst = make_account(any_engine, "karim", "analyst")
    target = _target(any_engine, plan["firms"], 2024)
    _amend_target(any_engine, analyst, target, 180, "Première révision")
    with pytest.raises(StaleVersionError, match="karim"):
        _amend_target(any_engine, analyst, target, 170, "Seconde révision")


def _amend_line(
    engine: Engine, account, line_id: int, amount: object, reason: str = "Avenant n° 2"
):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        line = session.get(EnvelopeLine, line_id)
        assert line is not None
        version = line.version
    with session_scope(engine) as session:
        return amend_envelope_line(
            session=session,
            account=account,
            line_id=line_id,
            version=version,
            new_amount=amount,
            reason=reason,
        )


def test_envelope_revision_follows_to_the_contract_and_is_described(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    analyst = make_account(any_engine, "karim", "analyst")
    _amend_line(any_engine, analyst, plan["line"], "12,5")
    with Session(any_engine) as session:
        assert session.get(Contract, plan["contract"]).envelope_mdh == 12.5  # type: ignore[union-attr]
        [row] = amendment_rows(session, kind="envelope", ref_ids=[plan["line"]])
    assert "Enveloppe révisée de 10,0\u00a0MDH à 12,5\u00a0MDH" in row.text
    assert (row.old_value, row.new_value, row.by) == (10.0, 12.5, "karim")


def test_envelope_cannot_fall_below_commitments(any_engine: Engine, plan: dict[str, int]) -> None:
    analyst = make_account(any_engine, "karim", "analyst")
    with session_scope(any_engine) as session:
        save_movement(
            session=session,
            account=analyst,
            data=MovementInput(
                contract_id=plan["contract"],
                axis_id=plan["axis"],
                kind="commitment",
                on_date=date(2023, 5, 2),
                amount=6,
            ),
            today=TODAY,
        )
    before = snapshot(any_engine)
    with pytest.raises(ValidationFailed, match="déjà engagés"):
        _amend_line(any_engine, analyst, plan["line"], 5)
    with pytest.raises(ValidationFailed, match="l'enveloppe du plan"):
        _amend_line(any_engine, analyst, plan["line"], 400)
    assert snapshot(any_engine) == before
