"""Entering progress values: rules, workflow states, corrections, permissions, audit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.domain.periods import Period
from dashboard.services.entry import ValidationFailed, WorkflowError
from dashboard.services.errors import PermissionDenied
from dashboard.services.progress import correct_progress, save_progress
from dashboard.services.progress_workflow import (
    reject_progress,
    submit_progress,
    validate_progress,
    withdraw_progress,
)
from tests.db.entry_support import (
    FREE_PERIOD,
    TODAY,
    audit_events,
    indicator_of,
    make_account,
    row_of,
    snapshot,
    validated_row,
)


@pytest.fixture
def editor(engine: Engine):  # type: ignore[no-untyped-def]
    return make_account(engine, "saisie-cetia", "cti_editor", "CETIA")


@pytest.fixture
def analyst(engine: Engine):  # type: ignore[no-untyped-def]
    return make_account(engine, "analyste", "analyst")


def _save(engine: Engine, account, indicator_id: int, value: object, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("period", FREE_PERIOD)
    kw.setdefault("today", TODAY)
    with session_scope(engine) as session:
        return save_progress(
            session=session, account=account, indicator_id=indicator_id, value=value, **kw
        ).entry


def _refused(engine: Engine, account, indicator_id: int, value: object, **kw) -> ValidationFailed:  # type: ignore[no-untyped-def]
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as info:
        _save(engine, account, indicator_id, value, **kw)
    assert snapshot(engine) == before, "a refused entry changes nothing"
    assert audit_events(engine)[-1].outcome == "refused"
    return info.value


def test_editor_saves_a_draft_for_own_cti_and_it_is_audited(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA", "entreprises")
    row = _save(engine, editor, indicator.id, "250", comment="Relevé du registre clients")
    assert (row.status, row.value, row.version) == ("draft", 250.0, 1)
    event = audit_events(engine)[-1]
    assert (event.action, event.outcome, event.username) == (
        "progress.create",
        "ok",
        editor.username,
    )
    assert json.loads(event.after)["value"] == 250.0


@pytest.mark.parametrize(
    ("unit", "value", "field", "words"),
    [
        ("entreprises", -4, "value", "négative"),
        ("entreprises", 12.5, "value", "entier"),
        ("%", 150, "value", "entre 0 et 100"),
        ("%", "beaucoup", "value", "n'est pas un nombre"),
    ],
)
def test_values_outside_plausible_bounds_are_refused(
    engine: Engine, editor, unit: str, value: object, field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA", unit)
    error = _refused(engine, editor, indicator.id, value)
    assert words in " ".join(error.result.errors_for(field))


def test_period_outside_the_plan_is_refused(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    error = _refused(engine, editor, indicator.id, 10, period=Period(2021, 2))
    assert "hors du plan" in error.result.errors_for("period")[0]


def test_future_period_is_refused(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    error = _refused(engine, editor, indicator.id, 10, today=date(2023, 12, 1))
    assert "futur" in error.result.errors_for("period")[0]


def test_outlier_is_saved_with_a_warning(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA", "entreprises")
    previous = validated_row(engine, indicator.id).value
    with session_scope(engine) as session:
        saved = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,
            period=FREE_PERIOD,
            value=previous * 4,
            today=TODAY,
        )
    assert saved.entry.id is not None
    assert "inhabituelle" in saved.warnings[0].message


def test_second_pending_value_for_the_same_period_is_refused(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    _save(engine, editor, indicator.id, 10)
    error = _refused(engine, editor, indicator.id, 11)
    assert "déjà en attente" in error.result.errors_for("period")[0]
    assert editor.username in error.result.errors_for("period")[0]


def test_editor_may_not_write_for_another_cti(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    other = indicator_of(engine, "CETIEV")
    before = snapshot(engine)
    with pytest.raises(PermissionDenied, match="propre CTI"):
        _save(engine, editor, other.id, 10)
    assert snapshot(engine) == before
    refusal = audit_events(engine)[-1]
    assert (refusal.outcome, refusal.username, refusal.action) == (
        "refused",
        editor.username,
        "enter_progress",
    )


@pytest.mark.parametrize("role", ["viewer", None])
def test_viewers_and_anonymous_callers_write_nothing(engine: Engine, role: str | None) -> None:
    account = make_account(engine, "lecteur", role) if role else None
    indicator = indicator_of(engine, "CETIA")
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        _save(engine, account, indicator.id, 10)
    assert snapshot(engine) == before
    assert audit_events(engine, outcome="refused")


def test_full_workflow_draft_submitted_validated(engine: Engine, editor, analyst) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    row = _save(engine, editor, indicator.id, 10)
    with session_scope(engine) as session:
        row = submit_progress(session=session, account=editor, update_id=row.id, version=1)
    assert (row.status, row.version) == ("submitted", 2)
    with pytest.raises(PermissionDenied), session_scope(engine) as session:
        validate_progress(session=session, account=editor, update_id=row.id, version=2)
    with session_scope(engine) as session:
        row = validate_progress(session=session, account=analyst, update_id=row.id, version=2)
    assert (row.status, row.reviewed_by_id) == ("validated", analyst.id)


def test_illegal_transitions_are_refused(engine: Engine, editor, analyst) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    draft = _save(engine, editor, indicator.id, 10)
    before = snapshot(engine)
    with (
        pytest.raises(WorkflowError, match="soumettez-la d'abord"),
        session_scope(engine) as session,
    ):
        validate_progress(session=session, account=analyst, update_id=draft.id, version=1)
    with pytest.raises(WorkflowError), session_scope(engine) as session:
        withdraw_progress(session=session, account=editor, update_id=draft.id, version=1)
    assert snapshot(engine) == before
    official = validated_row(engine, indicator.id)
    with pytest.raises(WorkflowError, match="verrouillée"):
        _save(
            engine,
            editor,
            indicator.id,
            1,
            period=Period(official.year, official.quarter or None),
            update_id=official.id,
            version=official.version,
        )
    with pytest.raises(WorkflowError), session_scope(engine) as session:
        submit_progress(
            session=session, account=editor, update_id=official.id, version=official.version
        )
    assert snapshot(engine) == before


def test_rejection_needs_a_reason_shown_to_the_editor(engine: Engine, editor, analyst) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    row = _save(engine, editor, indicator.id, 10, submit=True)
    with pytest.raises(ValidationFailed) as info, session_scope(engine) as session:
        reject_progress(session=session, account=analyst, update_id=row.id, version=1, reason=" ")
    assert info.value.result.errors_for("reason")
    with session_scope(engine) as session:
        reject_progress(
            session=session,
            account=analyst,
            update_id=row.id,
            version=1,
            reason="Chiffre du T4 manquant",
        )
    rejected = row_of(engine, row.id)
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Chiffre du T4 manquant")
    # Editing a rejected value starts a new draft; the rejected one stays in the history.
    new = _save(engine, editor, indicator.id, 12, update_id=row.id, version=rejected.version)
    assert (new.status, new.supersedes_id) == ("draft", row.id)
    assert row_of(engine, row.id).status == "rejected"


def test_correction_makes_a_new_version_with_a_reason(engine: Engine, editor, analyst) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA", "entreprises")
    official = validated_row(engine, indicator.id)
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as info, session_scope(engine) as session:
        correct_progress(
            session=session,
            account=editor,
            update_id=official.id,
            version=official.version,
            value=official.value + 1,
            reason="",
            today=TODAY,
        )
    assert "Motif de la correction obligatoire" in info.value.result.errors_for("reason")[0]
    assert snapshot(engine) == before
    with session_scope(engine) as session:
        fix = correct_progress(
            session=session,
            account=editor,
            update_id=official.id,
            version=official.version,
            value=official.value + 1,
            reason="Doublon retiré du registre",
            today=TODAY,
            submit=True,
        ).entry
    assert (fix.supersedes_id, fix.correction_reason) == (official.id, "Doublon retiré du registre")
    assert validated_row(engine, indicator.id).id == official.id, "still official until validated"
    with session_scope(engine) as session:
        validate_progress(session=session, account=analyst, update_id=fix.id, version=fix.version)
    assert row_of(engine, official.id).is_superseded
    assert row_of(engine, official.id).value == official.value, "never overwritten"
    assert validated_row(engine, indicator.id).id == fix.id


def test_edit_of_submitted_value_returns_it_to_draft(engine: Engine, editor) -> None:  # type: ignore[no-untyped-def]
    indicator = indicator_of(engine, "CETIA")
    row = _save(engine, editor, indicator.id, 10, submit=True)
    edited = _save(engine, editor, indicator.id, 11, update_id=row.id, version=1)
    assert (edited.status, edited.value, edited.version) == ("draft", 11.0, 2)
    event = audit_events(engine)[-1]
    assert json.loads(event.before)["value"] == 10.0 and json.loads(event.after)["value"] == 11.0
