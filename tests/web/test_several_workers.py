"""What `gunicorn -w 4` needs: one key for all workers, own connections, the client's address."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.app import create_app
from dashboard.config import Settings, _local_secret_key
from dashboard.db.engine import make_engine
from dashboard.db.models import AuditEvent
from dashboard.services import import_uploads
from tests.web.conftest import csrf_token

FORK = multiprocessing.get_context("fork")


def _read_key(path: str, start: object, results: multiprocessing.Queue[str]) -> None:
    start.wait()  # type: ignore[attr-defined]
    results.put(_local_secret_key(Path(path)))


def test_workers_starting_together_share_one_secret_key(tmp_path: Path) -> None:
    path = tmp_path / "data" / ".secret_key"
    start, results = FORK.Event(), FORK.Queue()
    workers = [FORK.Process(target=_read_key, args=(str(path), start, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    keys = {results.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert keys == {path.read_text(encoding="utf-8").strip()}
    assert len(next(iter(keys))) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in path.parent.iterdir()) == [".secret_key"]  # no leftovers


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_forked_worker_gets_its_own_connection_pool(backend: str, tmp_path: Path) -> None:
    url = {
        "postgresql": "postgresql+psycopg://nobody@127.0.0.1:9/none",  # never connected
        "sqlite": f"sqlite:///{tmp_path / 'pooled.db'}",
    }[backend]
    engine = make_engine(url)
    if backend == "sqlite":  # a pooled connection the child must not reuse
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    parent_pool = id(engine.pool)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether its pool is a new one, then leave at once
        os.write(write, b"new" if id(engine.pool) != parent_pool else b"inherited")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 20) == b"new"
    assert id(engine.pool) == parent_pool  # the parent keeps its own
    engine.dispose()


def test_sqlite_connections_are_pooled_with_their_pragmas(tmp_path: Path) -> None:
    """A page opens a dozen connections: they are reused, warm, with foreign keys and WAL."""
    engine = make_engine(f"sqlite:///{tmp_path / 'pooled.db'}")
    seen = []  # the driver's connections themselves (ids of freed ones could be reused)
    for _ in range(3):
        with engine.connect() as conn:
            seen.append(conn.connection.dbapi_connection)
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert all(driver is seen[0] for driver in seen)
    engine.dispose()


@pytest.mark.parametrize(("proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_behind_a_trusted_proxy_the_client_address_is_recorded(
    settings: Settings, engine: Engine, proxies: int, recorded: str
) -> None:
    app = create_app(replace(settings, trusted_proxies=proxies), engine=engine)
    client = app.server.test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    data = {"username": "nobody", "password": "wrong", "csrf_token": csrf_token(client)}
    response = client.post(
        "/login", data=data, headers=forwarded, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert response.status_code == 401
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.username == "nobody")).one()
    assert event.address == recorded


def test_an_upload_kept_for_the_import_is_whole_for_any_worker(tmp_path: Path) -> None:
    content = b"PK\x03\x04" + os.urandom(50_000)
    token = import_uploads.stash(tmp_path, 7, content)
    assert import_uploads.take(tmp_path, 7, token) == content
    assert [p.suffix for p in tmp_path.iterdir()] == [".xlsx"]  # the partial file was moved
