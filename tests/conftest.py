"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when available), the app."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from dashboard.config import Settings
from dashboard.db.engine import make_engine, session_scope
from dashboard.db.migrate import upgrade

# The demo data and every page are computed for this date, so tests never depend on the clock.
DEMO_TODAY = date(2026, 11, 29)
PG_URL = os.environ.get("CTI_TEST_PG_URL", "")
# CTI_TEST_BACKEND=postgresql runs every test that uses `engine` (web, services) on PostgreSQL.
BACKEND = os.environ.get("CTI_TEST_BACKEND", "sqlite")
REQUIRE_PG = os.environ.get("CTI_REQUIRE_PG") == "1"


def _seed(engine: Engine, *, demo: bool) -> None:
    from dashboard.services.reference import seed_reference

    with session_scope(engine) as session:
        seed_reference(session)
    if demo:
        from dashboard.services.demo import seed_demo

        with session_scope(engine) as session:
            seed_demo(session, today=DEMO_TODAY)


def _sqlite_template(directory: Path, *, demo: bool) -> Path:
    path = directory / ("demo.db" if demo else "reference.db")
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    _seed(engine, demo=demo)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


class SqliteTemplates:
    """Migrated template databases, each built on first use and copied for every test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.paths: dict[str, Path] = {}

    def __getitem__(self, kind: str) -> Path:
        if kind not in self.paths:
            if kind == "empty":
                path = self.directory / "empty.db"
                eng = make_engine(f"sqlite:///{path}")
                upgrade(eng)
                eng.dispose()
                self.paths[kind] = path
            else:
                self.paths[kind] = _sqlite_template(self.directory, demo=kind == "demo")
        return self.paths[kind]


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """Template databases: empty, reference facts, reference + demo."""
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


def _copy_sqlite(templates: SqliteTemplates, kind: str, tmp_path: Path) -> Engine:
    target = tmp_path / f"{kind}.db"
    shutil.copy(templates[kind], target)
    return make_engine(f"sqlite:///{target}")


def _pg_admin() -> Engine:
    url = make_url(PG_URL).set(database="postgres")
    return make_engine(url.render_as_string(hide_password=False))


def _pg_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_sql(sql: str) -> None:
    admin = _pg_admin()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(sql))
    admin.dispose()


class PgTemplates:
    """PostgreSQL template databases; each test gets `CREATE DATABASE ... TEMPLATE` (fast)."""

    def __init__(self) -> None:
        self.suffix = uuid.uuid4().hex[:8]
        self.names: dict[str, str] = {}

    def __getitem__(self, kind: str) -> str:
        if kind not in self.names:
            name = f"cti_tpl_{kind}_{self.suffix}"
            _pg_sql(f'CREATE DATABASE "{name}"')
            eng = make_engine(_pg_url(name))
            upgrade(eng)
            if kind != "empty":
                _seed(eng, demo=kind == "demo")
            eng.dispose()
            self.names[kind] = name
        return self.names[kind]

    def drop_all(self) -> None:
        for name in self.names.values():
            _pg_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_available() -> bool:
    """Tell whether the PostgreSQL test server answers; fail if the suite requires it."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("CTI_TEST_PG_URL manquant alors que CTI_REQUIRE_PG=1")
        return False
    try:
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
        admin.dispose()
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL de test injoignable : {exc}")
        return False
    return True


@pytest.fixture(scope="session")
def pg_templates(pg_available: bool) -> Iterator[PgTemplates]:
    """PostgreSQL templates for this test session, dropped at the end."""
    if not pg_available:
        pytest.skip("PostgreSQL de test non configuré (CTI_TEST_PG_URL)")
    templates = PgTemplates()
    yield templates
    templates.drop_all()


@contextmanager
def _pg_clone(templates: PgTemplates, kind: str) -> Iterator[Engine]:
    name = f"cti_t_{uuid.uuid4().hex[:12]}"
    _pg_sql(f'CREATE DATABASE "{name}" TEMPLATE "{templates[kind]}"')
    eng = make_engine(_pg_url(name))
    try:
        yield eng
    finally:
        eng.dispose()
        _pg_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _database(request: pytest.FixtureRequest, kind: str, backend: str) -> Iterator[Engine]:
    """A fresh database of the kind (empty, reference, demo) on the backend."""
    if backend == "postgresql":
        with _pg_clone(request.getfixturevalue("pg_templates"), kind) as eng:
            yield eng
        return
    eng = _copy_sqlite(
        request.getfixturevalue("sqlite_templates"), kind, request.getfixturevalue("tmp_path")
    )
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh database with the reference facts and the demo data (CTI_TEST_BACKEND)."""
    with _database(request, "demo", BACKEND) as eng:
        yield eng


@pytest.fixture
def reference_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh database with the reference facts only."""
    with _database(request, "reference", BACKEND) as eng:
        yield eng


@pytest.fixture
def empty_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh migrated database with no rows."""
    with _database(request, "empty", BACKEND) as eng:
        yield eng


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh, migrated, empty PostgreSQL database (skipped when no server is configured)."""
    with _database(request, "empty", "postgresql") as eng:
        yield eng


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh migrated empty database on each backend: the database tests run on both."""
    with _database(request, "empty", request.param) as eng:
        yield eng


@pytest.fixture(params=["sqlite", "postgresql"])
def any_demo_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh database with the reference facts and the demo data, on each backend."""
    with _database(request, "demo", request.param) as eng:
        yield eng


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a test: temporary data folder, fixed key and date, development mode."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'unused.db'}",
        secret_key="test-secret-key-" + "x" * 32,
        data_dir=tmp_path,
        evidence_dir=tmp_path / "evidence",
        fixed_today=DEMO_TODAY,
    )
