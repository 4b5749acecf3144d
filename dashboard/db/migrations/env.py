"""Alembic environment: the models' metadata and the URL from the settings."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import dashboard.db.models  # noqa: F401  (registers every table on the metadata)
from dashboard.config import Settings
from dashboard.db.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata
# Tables that only migrations and triggers keep (0007, 0010, 0011): not in the models, on purpose.
TRIGGER_TABLES = frozenset(
    {"dataversion", "indicatorperiod", "periodstatecount", "contractversion"}
)


def include_object(_obj: object, name: str | None, kind: str, reflected: bool, _to: object) -> bool:
    """Leave the trigger-kept tables out of autogenerate (it would drop them)."""
    return not (kind == "table" and reflected and name in TRIGGER_TABLES)


def run_migrations_offline() -> None:
    """Emit SQL for the configured URL without connecting."""
    url = config.attributes.get("url") or Settings.from_env().database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations on the connection the caller passed, or on a new one."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(config.attributes.get("url") or Settings.from_env().database_url)
        with engine.connect() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
