"""Bidi controls in free text are removed on every entry path (issue 20.7).

"rapport<RLO>fdp.exe" would show as "rapportexe.pdf": comments, reasons, references and
names are stored without the control, whatever path they came by.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.db.engine import session_scope
from dashboard.db.models import Amendment, BudgetMovement, IndicatorTarget, ProgressUpdate, User
from dashboard.domain.periods import Period
from dashboard.domain.text import BIDI_CONTROLS
from dashboard.domain.workflow import Step
from dashboard.services.amendments import amend_target, amendment_rows
from dashboard.services.budget_entry import MovementInput, save_movement
from dashboard.services.progress import save_progress
from dashboard.services.progress_workflow import move_progress
from dashboard.services.users import create_user
from tests.db.entry_support import TODAY, make_account, seed_small_plan

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
HOSTILE = f"rapport{RLO}fdp.exe {RLI}x{PDI}"
CLEAN = "rapportfdp.exe x"


def _no_controls(*texts: str | None) -> bool:
    return not any(c in BIDI_CONTROLS for text in texts for c in text or "")


def test_comments_reasons_references_and_names_are_stored_clean(any_engine: Engine) -> None:
    ids = seed_small_plan(any_engine)
    analyst = make_account(any_engine, "karim", "analyst")
    with session_scope(any_engine) as session:
        saved = save_progress(
            session=session,
            account=analyst,
            indicator_id=ids["firms"],
            period=Period(2024),
            value=210,
            comment=HOSTILE,
            today=TODAY,
            submit=True,
        )
        update_id, version = saved.entry.id, saved.entry.version
    with session_scope(any_engine) as session:
        assert update_id is not None
        move_progress(
            session=session,
            account=analyst,
            update_id=update_id,
            version=version,
            step=Step.REJECT,
            reason=f"{RLO}Justificatif manquant{PDF}",
        )
    with session_scope(any_engine) as session:
        save_movement(
            session=session,
            account=analyst,
            data=MovementInput(
                contract_id=ids["contract"],
                axis_id=ids["axis"],
                kind="commitment",
                on_date=date(2023, 5, 2),
                amount=1,
                reference=f"ENG{RLO}-1",
                comment=HOSTILE,
            ),
            today=TODAY,
        )
    with session_scope(any_engine) as session:
        target = session.exec(
            select(IndicatorTarget).where(IndicatorTarget.indicator_id == ids["firms"])
        ).first()
        assert target is not None and target.id is not None
        amend_target(
            session=session,
            account=analyst,
            target_id=target.id,
            version=target.version,
            new_value=target.value + 5,
            reason=HOSTILE,
        )
        create_user(session, username="amina", role="viewer", password="x" * 16, full_name=HOSTILE)
    with Session(any_engine) as session:
        value = session.get(ProgressUpdate, update_id)
        movement = session.exec(select(BudgetMovement)).one()
        amendment = session.exec(select(Amendment)).one()
        user = session.exec(select(User).where(User.username == "amina")).one()
    assert value is not None and value.comment == CLEAN
    assert value.rejection_reason == "Justificatif manquant"
    assert (movement.reference, movement.comment) == ("ENG-1", CLEAN)
    assert amendment.reason == CLEAN and user.full_name == CLEAN


def test_a_reason_stored_before_the_cleaning_is_shown_clean(any_engine: Engine) -> None:
    seed_small_plan(any_engine)
    with session_scope(any_engine) as session:
        old = Amendment(kind="target", ref_id=1, old_value=1, new_value=2, reason=HOSTILE)
        session.add(old)
    with Session(any_engine) as session:
        [row] = amendment_rows(session, kind="target", ref_ids=[1])
    assert _no_controls(row.reason, row.text) and row.text.endswith(CLEAN)
