"""Commitments and disbursements: rules against the envelope, workflow, corrections, rights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard.db.engine import session_scope
from dashboard.db.models import BudgetMovement
from dashboard.domain.workflow import Step
from dashboard.services.budget_entry import MovementInput, correct_movement, save_movement
from dashboard.services.budget_entry_views import year_options
from dashboard.services.budget_views import budget_frame
from dashboard.services.budget_workflow import move_movement
from dashboard.services.entry import StaleVersionError, ValidationFailed, WorkflowError
from dashboard.services.errors import PermissionDenied
from dashboard.services.scope import load_scope
from tests.db.entry_support import TODAY, audit_events, make_account, seed_small_plan, snapshot


@pytest.fixture
def plan(any_engine: Engine) -> dict[str, int]:
    return seed_small_plan(any_engine)


@pytest.fixture
def analyst(any_engine: Engine):  # type: ignore[no-untyped-def]
    return make_account(any_engine, "karim", "analyst")


def _data(plan: dict[str, int], kind: str, amount: object, **kw: object) -> MovementInput:
    values: dict[str, object] = {
        "contract_id": plan["contract"],
        "axis_id": plan["axis"],
        "kind": kind,
        "on_date": date(2023, 6, 1),
        "amount": amount,
    }
    values.update(kw)
    return MovementInput(**values)  # type: ignore[arg-type]


def _save(engine: Engine, account, data: MovementInput, **kw) -> BudgetMovement:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return save_movement(
            session=session, account=account, data=data, today=TODAY, **kw
        ).movement


def _step(engine: Engine, account, row: BudgetMovement, step: Step, **kw) -> BudgetMovement:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        current = session.get(BudgetMovement, row.id)
        assert current is not None
        return move_movement(
            session=session,
            account=account,
            movement_id=current.id,  # type: ignore[arg-type]
            version=current.version,
            step=step,
            **kw,
        )


def _refused(engine: Engine, account, data: MovementInput, field: str) -> str:  # type: ignore[no-untyped-def]
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as info:
        _save(engine, account, data)
    assert snapshot(engine) == before
    assert audit_events(engine)[-1].outcome == "refused"
    messages = info.value.result.errors_for(field)
    assert messages, info.value.result
    return messages[0]


def test_commitment_within_the_envelope_is_recorded_and_validated(
    any_engine: Engine, plan: dict[str, int], analyst
) -> None:  # type: ignore[no-untyped-def]
    row = _save(any_engine, analyst, _data(plan, "commitment", "6,5", reference="ENG-1"))
    assert (row.status, row.amount_mdh) == ("draft", 6.5)
    row = _step(any_engine, analyst, row, Step.SUBMIT)
    row = _step(any_engine, analyst, row, Step.VALIDATE)
    assert row.status == "validated"
    frame = budget_frame(
        engine=any_engine, scope=load_scope(engine=any_engine, today=TODAY), acronym="CETIA"
    )
    assert frame["committed"].sum() == pytest.approx(6.5)
    assert [e.action for e in audit_events(any_engine)][-3:] == [
        "budget.create",
        "budget.submit",
        "budget.validate",
    ]


def test_committed_never_above_the_envelope_line(
    any_engine: Engine, plan: dict[str, int], analyst
) -> None:  # type: ignore[no-untyped-def]
    _save(any_engine, analyst, _data(plan, "commitment", 6))
    message = _refused(any_engine, analyst, _data(plan, "commitment", 5), "amount")
    assert "au-delà de l'enveloppe" in message and "10,0" in message


def test_disbursed_never_above_committed(any_engine: Engine, plan: dict[str, int], analyst) -> None:  # type: ignore[no-untyped-def]
    _save(any_engine, analyst, _data(plan, "commitment", 6))
    message = _refused(
        any_engine, analyst, _data(plan, "disbursement", 7, on_date=date(2023, 9, 1)), "amount"
    )
    assert "Décaissé" in message
    before_commitment = _data(plan, "disbursement", 1, on_date=date(2023, 1, 5))
    assert "au 05/01/2023" in _refused(any_engine, analyst, before_commitment, "amount")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"on_date": date(2027, 1, 1)}, "on_date", "futur"),
        ({"on_date": None}, "on_date", "manquante"),
        ({"amount": 0}, "amount", "positif"),
        ({"amount": "douze"}, "amount", "n'est pas un nombre"),
        ({"kind": "gift"}, "kind", "Engagement"),
    ],
)
def test_each_field_is_checked(
    any_engine: Engine, plan: dict[str, int], analyst, changes: dict, field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    data = _data(plan, "commitment", 1)
    data = MovementInput(**{**data.__dict__, **changes})
    assert words in _refused(any_engine, analyst, data, field)


def test_reference_is_unique_per_contract(
    any_engine: Engine, plan: dict[str, int], analyst
) -> None:  # type: ignore[no-untyped-def]
    _save(any_engine, analyst, _data(plan, "commitment", 1, reference="ENG-7"))
    message = _refused(
        any_engine, analyst, _data(plan, "commitment", 1, reference="ENG-7"), "reference"
    )
    assert "déjà utilisée" in message


@pytest.mark.parametrize(("role", "cti"), [("cti_editor", "CETIA"), ("viewer", None)])
def test_only_analysts_record_money(
    any_engine: Engine, plan: dict[str, int], role: str, cti: str | None
) -> None:
    account = make_account(any_engine, "someone", role, cti)
    before = snapshot(any_engine)
    with pytest.raises(PermissionDenied):
        _save(any_engine, account, _data(plan, "commitment", 1))
    assert snapshot(any_engine) == before
    assert audit_events(any_engine)[-1].outcome == "refused"


def test_validated_movement_is_corrected_by_a_new_version(
    any_engine: Engine, plan: dict[str, int], analyst
) -> None:  # type: ignore[no-untyped-def]
    row = _save(any_engine, analyst, _data(plan, "commitment", 4, reference="ENG-2"), submit=True)
    row = _step(any_engine, analyst, row, Step.VALIDATE)
    with pytest.raises(WorkflowError, match="verrouillée"):
        _save(
            any_engine,
            analyst,
            _data(plan, "commitment", 5),
            movement_id=row.id,
            version=row.version,
        )
    with pytest.raises(ValidationFailed), session_scope(any_engine) as session:
        correct_movement(
            session=session,
            account=analyst,
            movement_id=row.id,  # type: ignore[arg-type]
            version=row.version,
            data=_data(plan, "commitment", 5, reference="ENG-2"),
            reason="",
            today=TODAY,
        )
    with session_scope(any_engine) as session:
        fix = correct_movement(
            session=session,
            account=analyst,
            movement_id=row.id,  # type: ignore[arg-type]
            version=row.version,
            data=_data(plan, "commitment", 5, reference="ENG-2"),
            reason="Avenant n° 1 à la convention",
            today=TODAY,
            submit=True,
        ).movement
    _step(any_engine, analyst, fix, Step.VALIDATE)
    with Session(any_engine) as session:
        old = session.get(BudgetMovement, row.id)
        assert old is not None and old.is_superseded and old.amount_mdh == 4
    frame = budget_frame(
        engine=any_engine, scope=load_scope(engine=any_engine, today=TODAY), acronym="CETIA"
    )
    assert frame["committed"].sum() == pytest.approx(5.0), "the old version no longer counts"


def test_rejection_needs_a_reason_and_stale_versions_are_refused(
    any_engine: Engine, plan: dict[str, int], analyst
) -> None:  # type: ignore[no-untyped-def]
    row = _save(any_engine, analyst, _data(plan, "commitment", 2), submit=True)
    with pytest.raises(ValidationFailed):
        _step(any_engine, analyst, row, Step.REJECT, reason="")
    with pytest.raises(StaleVersionError, match="karim"):
        _save(any_engine, analyst, _data(plan, "commitment", 3), movement_id=row.id, version=0)
    rejected = _step(any_engine, analyst, row, Step.REJECT, reason="Pièce justificative absente")
    assert rejected.rejection_reason == "Pièce justificative absente"


def test_the_year_filter_spans_the_plan_and_every_movement(
    any_engine: Engine,
    plan: dict[str, int],
    analyst,  # type: ignore[no-untyped-def]
) -> None:
    with Session(any_engine) as session:
        plan_years = year_options(session)  # no movement yet: the plan's years
    assert plan_years == sorted(plan_years, reverse=True) and len(plan_years) >= 2
    row = _save(any_engine, analyst, _data(plan, "commitment", "1,5"))
    with any_engine.begin() as conn:  # dated outside the plan (say, by an import)
        conn.execute(
            text("UPDATE budgetmovement SET on_date = :day WHERE id = :id"),
            {"day": date(int(plan_years[0]) + 2, 3, 1), "id": row.id},
        )
    with Session(any_engine) as session:
        years = year_options(session)
    assert years[0] == str(int(plan_years[0]) + 2) and years[-1] == plan_years[-1]
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) - 1, -1)]
