"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when available), the app."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
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


@pytest.fixture
def engine(sqlite_templates: SqliteTemplates, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database with the reference facts and the demo data."""
    eng = _copy_sqlite(sqlite_templates, "demo", tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def reference_engine(sqlite_templates: SqliteTemplates, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database with the reference facts only."""
    eng = _copy_sqlite(sqlite_templates, "reference", tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def empty_engine(sqlite_templates: SqliteTemplates, tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated SQLite database with no rows."""
    eng = _copy_sqlite(sqlite_templates, "empty", tmp_path)
    yield eng
    eng.dispose()


def _pg_admin() -> Engine:
    url = make_url(PG_URL).set(database="postgres")
    return make_engine(url.render_as_string(hide_password=False))


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


@pytest.fixture
def pg_engine(pg_available: bool) -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database (skipped when no server is configured)."""
    if not pg_available:
        pytest.skip("PostgreSQL de test non configuré (CTI_TEST_PG_URL)")
    name = f"cti_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(
    request: pytest.FixtureRequest, sqlite_templates: SqliteTemplates, tmp_path: Path
) -> Iterator[Engine]:
    """A fresh migrated empty database on each backend: the database tests run on both."""
    if request.param == "sqlite":
        eng = _copy_sqlite(sqlite_templates, "empty", tmp_path)
        yield eng
        eng.dispose()
    else:
        yield request.getfixturevalue("pg_engine")


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
