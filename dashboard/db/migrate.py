"""Apply the Alembic migrations from code (init-db, tests, make run)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from dashboard.config import ROOT

MIGRATIONS = ROOT / "dashboard" / "db" / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """Build the Alembic configuration pointing at our migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["url"] = engine.url.render_as_string(hide_password=False)
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to the given revision."""
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to a revision (used by the migration tests)."""
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def is_initialised(engine: Engine) -> bool:
    """Tell whether the schema exists (the alembic_version table is there)."""
    return inspect(engine).has_table("alembic_version")
