"""Database engine and sessions: SQLite by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Turn on foreign keys and WAL for every SQLite connection (both are per connection)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for the URL, with the SQLite pragmas where they apply."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        memory = not path or path == ":memory:"
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept in a pool (a file database; NullPool for an in-memory one): a
        # page opens a dozen connections, ~1 ms each with the pragmas, and a new connection
        # starts with an empty page cache (at N=100 the overview read its pages again).
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool if memory else None,
            hide_parameters=True,  # errors are logged: keep values (password hashes) out of logs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        _forget_pool_after_fork(engine)
        return engine
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
    )
    _forget_pool_after_fork(engine)
    return engine


def _forget_pool_after_fork(engine: Engine) -> None:
    """Give a forked process (a gunicorn worker) its own connections, never its parent's.

    With ``gunicorn --preload`` the app, and its engine, are built before the fork: two
    processes sharing one connection would mix their queries (PostgreSQL) or corrupt the
    file's locks (SQLite). The child drops the inherited pool without closing the parent's
    connections (SQLAlchemy's recipe).
    """
    ref = weakref.ref(engine)

    def _after_fork() -> None:
        inherited = ref()
        if inherited is not None:
            inherited.dispose(close=False)

    os.register_at_fork(after_in_child=_after_fork)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
