"""The data version: every write to the plan's data moves it, on both backends, whoever writes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.backup import backup, restore
from dashboard.services.cache import data_version
from dashboard.services.reference import seed_reference


def test_every_write_to_the_data_moves_the_version(any_engine: Engine) -> None:
    start = data_version(any_engine)
    with session_scope(any_engine) as session:
        seed_reference(session)
    seeded = data_version(any_engine)
    assert seeded[0] == start[0], "the epoch stays"
    assert seeded[1] > start[1]
    # A hand-written statement moves it too: the database keeps the counter, not the app.
    with any_engine.begin() as conn:
        conn.execute(text("UPDATE cti SET name = name || ' (modifié)'"))
    updated = data_version(any_engine)
    assert updated[1] > seeded[1]
    with any_engine.begin() as conn:
        conn.execute(text("DELETE FROM sourcenote"))
    assert data_version(any_engine)[1] > updated[1]


def test_a_rolled_back_write_leaves_the_version(any_engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    before = data_version(any_engine)
    with any_engine.connect() as conn:
        conn.execute(text("UPDATE cti SET name = 'X'"))
        conn.rollback()
    assert data_version(any_engine) == before


def test_sign_ins_and_audit_do_not_move_the_version(any_engine: Engine) -> None:
    before = data_version(any_engine)
    with any_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO auditevent (at, username, action, entity, entity_id, before, after, "
                "outcome, address, detail) "
                "VALUES (CURRENT_TIMESTAMP, 'x', 'sign_in', 'user', '', '', '', 'ok', '', '')"
            )
        )
    assert data_version(any_engine) == before


def test_one_transaction_moves_the_version_once_on_postgresql(any_engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    before = data_version(any_engine)[1]
    with any_engine.begin() as conn:
        conn.execute(text("UPDATE cti SET name = name || '.'"))  # nine rows
        conn.execute(text("UPDATE axis SET number = number"))
    moved = data_version(any_engine)[1] - before
    if any_engine.dialect.name == "postgresql":
        assert moved == 1
    else:
        assert moved >= 1


def test_a_restore_moves_the_version_forward(any_engine: Engine, tmp_path: Path) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    archive = tmp_path / "snapshot.zip"
    backup(any_engine, archive)
    before = data_version(any_engine)
    restore(any_engine, archive)
    after = data_version(any_engine)
    assert after[0] == before[0] and after[1] > before[1]
