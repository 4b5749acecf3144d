"""A backup taken while the app runs restores to exactly the same database."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from dashboard.db.engine import session_scope
from dashboard.services import audit
from dashboard.services.backup import backup, restore
from dashboard.services.demo import seed_demo
from dashboard.services.errors import UserError
from dashboard.services.reference import seed_reference
from tests.conftest import DEMO_TODAY


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(
                (tuple(str(v) for v in row) for row in conn.execute(t.select())), key=str
            )
            for t in SQLModel.metadata.sorted_tables
        }


def _fill(engine: Engine) -> None:
    with session_scope(engine) as session:
        seed_reference(session)
    with session_scope(engine) as session:
        seed_demo(session, today=DEMO_TODAY)
        audit.record(session, action="test.write", username="démo", after={"note": "« é »"})


def test_round_trip_loses_nothing(any_engine: Engine, tmp_path: Path) -> None:
    _fill(any_engine)
    before = _dump(any_engine)
    archive = tmp_path / "cti.zip"
    summary = backup(any_engine, archive)
    assert summary.rows["progressupdate"] > 1000
    with any_engine.begin() as conn:  # damage the data, then restore
        conn.execute(text("DELETE FROM auditevent"))
        conn.execute(text("UPDATE indicatortarget SET value = value + 1"))
    restore(any_engine, archive)
    assert _dump(any_engine) == before
    with session_scope(any_engine) as session:  # new rows still get fresh ids after a restore
        event = audit.record(session, action="after.restore")
        session.flush()
        assert event.id is not None


def test_backup_is_consistent_while_writes_go_on(engine: Engine, tmp_path: Path) -> None:
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with session_scope(engine) as session:
                audit.record(session, action="concurrent.write")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        summary = backup(engine, tmp_path / "live.zip")
    finally:
        stop.set()
        thread.join()
    with zipfile.ZipFile(tmp_path / "live.zip") as zf:
        lines = zf.read("auditevent.jsonl").decode().splitlines()
    assert len([line for line in lines if line]) == summary.rows["auditevent"]


def test_restore_refuses_a_file_that_is_not_a_backup(engine: Engine, tmp_path: Path) -> None:
    bogus = tmp_path / "x.zip"
    bogus.write_text("pas un zip")
    before = _dump(engine)
    with pytest.raises(UserError, match="n'est pas une sauvegarde"):
        restore(engine, bogus)
    with pytest.raises(UserError, match="introuvable"):
        restore(engine, tmp_path / "absent.zip")
    assert _dump(engine) == before


def _tampered(source: Path, target: Path, **entries: bytes | None) -> Path:
    """Copy a backup, replacing (bytes) or removing (None) some entries, adding others."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in entries:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, content in entries.items():
            if content is not None:
                zout.writestr(name, content)
    return target


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ({"auditevent.jsonl": b" " * (50 << 20)}, "bombe de décompression"),
        ({"notes.txt": b"hello"}, "fichier inattendu notes.txt"),
        ({"manifest.json": b'{"format": "cti-dashboard-backup/1", "rows": "x"}'}, "n'est pas"),
    ],
    ids=["zip-bomb", "unexpected-entry", "bad-manifest"],
)
def test_restore_refuses_a_hostile_archive_and_changes_nothing(
    engine: Engine, tmp_path: Path, entries: dict[str, bytes], words: str
) -> None:
    good = tmp_path / "good.zip"
    backup(engine, good)
    bad = _tampered(good, tmp_path / "bad.zip", **entries)
    before = _dump(engine)
    with pytest.raises(UserError, match=words):
        restore(engine, bad)
    assert _dump(engine) == before


def test_restore_reads_no_more_rows_than_announced_nor_overlong_lines(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.services import backup as backup_module

    good = tmp_path / "good.zip"
    backup(engine, good)
    with zipfile.ZipFile(good) as zf:
        lines = zf.read("cti.jsonl").decode().splitlines()
    more = _tampered(
        good, tmp_path / "more.zip", **{"cti.jsonl": "\n".join([*lines, lines[0]]).encode()}
    )
    before = _dump(engine)
    with pytest.raises(UserError, match="plus de lignes que le manifeste"):
        restore(engine, more)
    monkeypatch.setattr(backup_module, "MAX_LINE_BYTES", 100)
    with pytest.raises(UserError, match="ligne de plus de"):
        restore(engine, good)
    assert _dump(engine) == before
