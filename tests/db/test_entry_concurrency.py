"""Two people on the same entry, on SQLite and PostgreSQL: the second save never overwrites."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.db.engine import session_scope
from dashboard.db.models import ProgressUpdate
from dashboard.domain.periods import Period
from dashboard.services import progress_writes
from dashboard.services.entry import StaleVersionError, ValidationFailed
from dashboard.services.progress import save_progress
from dashboard.services.progress_workflow import submit_progress, validate_progress
from tests.db.entry_support import (
    TODAY,
    audit_events,
    make_account,
    row_of,
    seed_small_plan,
    snapshot,
)

PERIOD = Period(2024, 2)


@pytest.fixture
def plan(any_engine: Engine) -> dict[str, int]:
    return seed_small_plan(any_engine)


def _draft(engine: Engine, account, indicator_id: int, value: float) -> ProgressUpdate:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return save_progress(
            session=session,
            account=account,
            indicator_id=indicator_id,
            period=PERIOD,
            value=value,
            today=TODAY,
        ).entry


def test_stale_save_is_refused_and_says_who_changed_what(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    editor = make_account(any_engine, "amina", "cti_editor", "CETIA")
    colleague = make_account(any_engine, "youssef", "cti_editor", "CETIA")
    row = _draft(any_engine, editor, plan["firms"], 110)
    # Both open version 1; Youssef saves first.
    with session_scope(any_engine) as session:
        save_progress(
            session=session,
            account=colleague,
            indicator_id=plan["firms"],
            period=PERIOD,
            value=115,
            today=TODAY,
            update_id=row.id,
            version=1,
        )
    before = snapshot(any_engine)
    with pytest.raises(StaleVersionError) as info, session_scope(any_engine) as session:
        save_progress(
            session=session,
            account=editor,
            indicator_id=plan["firms"],
            period=PERIOD,
            value=120,
            today=TODAY,
            update_id=row.id,
            version=1,
        )
    message = str(info.value)
    assert "youssef" in message and "valeur 110 → 115" in message
    assert snapshot(any_engine) == before
    assert row_of(any_engine, row.id).value == 115
    assert audit_events(any_engine)[-1].outcome == "refused"


def test_reviewer_cannot_validate_a_value_changed_after_opening_it(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    editor = make_account(any_engine, "amina", "cti_editor", "CETIA")
    analyst = make_account(any_engine, "karim", "analyst")
    row = _draft(any_engine, editor, plan["firms"], 110)
    with session_scope(any_engine) as session:
        submit_progress(session=session, account=editor, update_id=row.id, version=1)
    # The analyst opened version 2; the editor then edits it (back to draft, version 3).
    with session_scope(any_engine) as session:
        save_progress(
            session=session,
            account=editor,
            indicator_id=plan["firms"],
            period=PERIOD,
            value=112,
            today=TODAY,
            update_id=row.id,
            version=2,
        )
    with pytest.raises(StaleVersionError, match="amina"), session_scope(any_engine) as session:
        validate_progress(session=session, account=analyst, update_id=row.id, version=2)
    assert row_of(any_engine, row.id).status == "draft"


def test_compare_and_set_holds_when_both_sessions_passed_the_check(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    """Two open sessions read version 1; the database lets only one write win."""
    editor = make_account(any_engine, "amina", "cti_editor", "CETIA")
    analyst = make_account(any_engine, "karim", "analyst")
    row = _draft(any_engine, editor, plan["firms"], 110)
    with session_scope(any_engine) as session:
        submit_progress(session=session, account=editor, update_id=row.id, version=1)
    first = Session(any_engine, expire_on_commit=False)
    second = Session(any_engine, expire_on_commit=False)
    try:
        assert first.get(ProgressUpdate, row.id).version == 2  # type: ignore[union-attr]
        assert second.get(ProgressUpdate, row.id).version == 2  # type: ignore[union-attr]
        validate_progress(session=first, account=analyst, update_id=row.id, version=2)
        first.commit()
        with pytest.raises(StaleVersionError):
            save_progress(
                session=second,
                account=editor,
                indicator_id=plan["firms"],
                period=PERIOD,
                value=999,
                today=TODAY,
                update_id=row.id,
                version=2,
            )
    finally:
        first.close()
        second.close()
    final = row_of(any_engine, row.id)
    assert (final.status, final.value) == ("validated", 110)


def test_database_keeps_one_pending_value_per_indicator_and_period(
    any_engine: Engine, plan: dict[str, int]
) -> None:
    with pytest.raises(IntegrityError), session_scope(any_engine) as session:
        for value in (1.0, 2.0):
            session.add(
                ProgressUpdate(indicator_id=plan["firms"], year=2024, quarter=2, value=value)
            )
            session.flush()


def test_race_past_the_check_becomes_a_message(
    any_engine: Engine, plan: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If another pending value lands between the check and the insert, the index refuses it."""
    editor = make_account(any_engine, "amina", "cti_editor", "CETIA")
    _draft(any_engine, editor, plan["firms"], 110)
    monkeypatch.setattr(progress_writes, "pending_for", lambda *a, **k: None)
    before = snapshot(any_engine)
    with pytest.raises(ValidationFailed, match="vient d'être enregistrée"):
        _draft(any_engine, editor, plan["firms"], 111)
    assert snapshot(any_engine) == before
