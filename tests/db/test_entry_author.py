"""Who entered a value is the account that saved it: a demo draft edited by a person is theirs."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard.db.engine import session_scope
from dashboard.db.models import (
    BudgetMovement,
    Contract,
    Cti,
    EntryStatus,
    Indicator,
    ProgressUpdate,
)
from dashboard.domain.periods import Period
from dashboard.services.budget_entry import MovementInput, save_movement
from dashboard.services.entry_views import history_rows
from dashboard.services.progress import save_progress
from tests.db.entry_support import TODAY, make_account


def _demo_draft(engine: Engine) -> ProgressUpdate:
    """Return an illustrative draft of a CETIA indicator (the demo writes some)."""
    with Session(engine) as session:
        row = session.exec(
            select(ProgressUpdate)
            .join(Indicator, col(Indicator.id) == col(ProgressUpdate.indicator_id))
            .join(Contract, col(Contract.id) == col(Indicator.contract_id))
            .join(Cti, col(Cti.id) == col(Contract.cti_id))
            .where(
                Cti.acronym == "CETIA",
                ProgressUpdate.status == EntryStatus.DRAFT.value,
                ProgressUpdate.origin == "illustrative",
            )
        ).first()
        assert row is not None, "the demo has CETIA drafts"
        return row


def test_value_entered_over_a_demo_draft_names_who_saved_it(engine: Engine) -> None:
    draft = _demo_draft(engine)
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    with session_scope(engine) as session:
        history = history_rows(session, indicator_id=draft.indicator_id)
    assert next(r for r in history if r["id"] == draft.id)["by"] == "données illustratives"

    with session_scope(engine) as session:
        save_progress(
            session=session,
            account=editor,
            indicator_id=draft.indicator_id,
            period=Period(draft.year, draft.quarter or None),
            value=draft.value + 1,
            today=TODAY,
            update_id=draft.id,
            version=draft.version,
        )
    with session_scope(engine) as session:
        saved = session.get(ProgressUpdate, draft.id)
        assert saved is not None
        assert (saved.created_by_id, saved.origin) == (editor.id, "entered")
        history = history_rows(session, indicator_id=draft.indicator_id)
    assert next(r for r in history if r["id"] == draft.id)["by"] == "saisie-cetia"


def test_movement_edited_over_a_demo_draft_names_who_saved_it(engine: Engine) -> None:
    with Session(engine) as session:
        draft = session.exec(
            select(BudgetMovement).where(
                BudgetMovement.status == EntryStatus.DRAFT.value,
                BudgetMovement.origin == "illustrative",
            )
        ).first()
    if draft is None:  # the demo may have no draft movement: make one illustrative
        with session_scope(engine) as session:
            draft = session.exec(
                select(BudgetMovement).where(BudgetMovement.status == EntryStatus.SUBMITTED.value)
            ).first()
            assert draft is not None
            draft.status, draft.origin, draft.created_by_id = "draft", "illustrative", None
            session.add(draft)
        with Session(engine) as session:
            draft = session.get(BudgetMovement, draft.id)
    assert draft is not None
    analyst = make_account(engine, "analyste-plan", "analyst")
    with session_scope(engine) as session:
        save_movement(
            session=session,
            account=analyst,
            data=MovementInput(
                contract_id=draft.contract_id,
                axis_id=draft.axis_id,
                kind=draft.kind,
                on_date=draft.on_date,
                amount=draft.amount_mdh,
                reference=draft.reference,
                comment="saisi par une personne",
            ),
            today=TODAY,
            movement_id=draft.id,
            version=draft.version,
        )
    with Session(engine) as session:
        saved = session.get(BudgetMovement, draft.id)
        assert saved is not None
        assert (saved.created_by_id, saved.origin) == (analyst.id, "entered")
