"""What the entry pages show: the grid (all or nothing), the queue, the history, uploads kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard.db.engine import session_scope
from dashboard.domain.periods import Period
from dashboard.services import entry_views, import_uploads
from dashboard.services.errors import UserError
from dashboard.services.progress import correct_progress, save_progress
from dashboard.services.progress_grid import GridEntry, GridErrors, save_grid
from dashboard.services.progress_workflow import validate_progress
from tests.db.entry_support import (
    FREE_PERIOD,
    TODAY,
    indicator_of,
    make_account,
    snapshot,
    validated_row,
)


def test_grid_saves_all_rows_or_none(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    firms, share = indicator_of(engine, "CETIA", "entreprises"), indicator_of(engine, "CETIA", "%")
    cti_id = editor.cti_id
    assert cti_id is not None
    before = snapshot(engine)
    bad = [GridEntry(firms.id, "120"), GridEntry(share.id, "140")]  # type: ignore[arg-type]
    with pytest.raises(GridErrors) as info, session_scope(engine) as session:
        save_grid(
            session=session,
            account=editor,
            cti_id=cti_id,
            period=FREE_PERIOD,
            entries=bad,
            today=TODAY,
        )
    assert [e.split(" :")[0] for e in info.value.errors] == [share.code]
    assert snapshot(engine) == before, "the good row was not saved either"
    good = [GridEntry(firms.id, "120"), GridEntry(share.id, "40,5"), GridEntry(share.id, "")]  # type: ignore[arg-type]
    with session_scope(engine) as session:
        outcome = save_grid(
            session=session,
            account=editor,
            cti_id=cti_id,
            period=FREE_PERIOD,
            entries=good[:2],
            today=TODAY,
            submit=True,
        )
    assert outcome.saved == 2
    with Session(engine) as session:
        rows = {
            r["code"]: r for r in entry_views.grid_rows(session, cti_id=cti_id, period=FREE_PERIOD)
        }
    assert (rows[share.code]["value"], rows[share.code]["status"]) == (40.5, "soumise")


def test_queue_and_history_show_corrections(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    analyst = make_account(engine, "analyste", "analyst")
    indicator = indicator_of(engine, "CETIA", "entreprises")
    official = validated_row(engine, indicator.id)  # type: ignore[arg-type]
    with session_scope(engine) as session:
        fix = correct_progress(
            session=session,
            account=editor,
            update_id=official.id,  # type: ignore[arg-type]
            version=official.version,
            value=official.value + 2,
            reason="Erreur de report",
            today=TODAY,
            submit=True,
        ).entry
    with Session(engine) as session:
        queue = entry_views.queue_rows(session, cti_id=editor.cti_id)
    [mine] = [q for q in queue if q["id"] == fix.id]
    assert mine["correction"] == "Erreur de report" and mine["by"] == "saisie-cetia"
    with session_scope(engine) as session:
        validate_progress(session=session, account=analyst, update_id=fix.id, version=fix.version)  # type: ignore[arg-type]
    with Session(engine) as session:
        history = entry_views.history_rows(session, indicator_id=indicator.id)  # type: ignore[arg-type]
        state = entry_views.entry_state(
            session,
            indicator_id=indicator.id,  # type: ignore[arg-type]
            period=Period(official.year, official.quarter or None),
        )
    statuses = {r["id"]: r["status"] for r in history}
    assert statuses[official.id] == "validée (remplacée)" and statuses[fix.id] == "validée"
    assert (state.mode, state.value) == ("correct", official.value + 2)


def test_editor_sees_only_own_cti_and_periods_that_have_begun(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    with Session(engine) as session:
        ctis = entry_views.entry_ctis(session, editor)
        periods = entry_views.period_options(session, TODAY)
        early = entry_views.period_options(session, TODAY.replace(year=2023, month=5))
    assert [c["label"].split(" — ")[0] for c in ctis] == ["CETIA"]
    assert periods[0] == "2025" and "2022-T1" in periods
    assert early[:4] == ["2023", "2023-T2", "2023-T1", "2022"]


def test_uploads_are_kept_per_account(tmp_path: Path) -> None:
    token = import_uploads.stash(tmp_path, 7, b"PK\x03\x04 data")
    assert import_uploads.take(tmp_path, 7, token) == b"PK\x03\x04 data"
    with pytest.raises(UserError, match="expiré ou inconnu"):
        import_uploads.take(tmp_path, 8, token)
    with pytest.raises(UserError):
        import_uploads.take(tmp_path, 7, "../../etc/passwd")
    import_uploads.drop(tmp_path, 7, token)
    with pytest.raises(UserError):
        import_uploads.take(tmp_path, 7, token)


def test_draft_then_grid_edit_keeps_one_pending_value(engine: Engine) -> None:
    editor = make_account(engine, "saisie-cetia", "cti_editor", "CETIA")
    indicator = indicator_of(engine, "CETIA", "entreprises")
    with session_scope(engine) as session:
        row = save_progress(
            session=session,
            account=editor,
            indicator_id=indicator.id,  # type: ignore[arg-type]
            period=FREE_PERIOD,
            value=100,
            today=TODAY,
        ).entry
    entry = GridEntry(indicator.id, "101", "", row.id, row.version)  # type: ignore[arg-type]
    with session_scope(engine) as session:
        outcome = save_grid(
            session=session,
            account=editor,
            cti_id=editor.cti_id,  # type: ignore[arg-type]
            period=FREE_PERIOD,
            entries=[entry],
            today=TODAY,
        )
    assert (outcome.saved, outcome.unchanged) == (1, 0)
    with session_scope(engine) as session:
        again = save_grid(
            session=session,
            account=editor,
            cti_id=editor.cti_id,  # type: ignore[arg-type]
            period=FREE_PERIOD,
            entries=[GridEntry(indicator.id, "101", "", row.id, 2)],  # type: ignore[arg-type]
            today=TODAY,
        )
    assert (again.saved, again.unchanged) == (0, 1)
