"""The demo data is the same on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.db.engine import session_scope
from dashboard.services.demo import seed_demo
from dashboard.services.reference import seed_reference
from tests.conftest import DEMO_TODAY

QUERIES = {
    "envelope": "SELECT ROUND(CAST(SUM(amount_mdh) AS NUMERIC), 6) FROM envelopeline",
    "indicators": "SELECT COUNT(*) FROM indicator",
    "targets": "SELECT ROUND(CAST(SUM(value) AS NUMERIC), 6) FROM indicatortarget",
    "progress": "SELECT status, COUNT(*) FROM progressupdate GROUP BY status ORDER BY status",
    "money": "SELECT kind, ROUND(CAST(SUM(amount_mdh) AS NUMERIC), 6) FROM budgetmovement "
    "GROUP BY kind ORDER BY kind",
    "baseline": "SELECT ROUND(CAST(SUM(amount_mdh) AS NUMERIC), 6) FROM planspending",
}


def _figures(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            name: [
                tuple(float(v) if not isinstance(v, str) else v for v in row)
                for row in conn.execute(text(sql))
            ]
            for name, sql in QUERIES.items()
        }


def test_demo_is_identical_on_both_backends(any_engine: Engine, engine: Engine) -> None:
    with session_scope(any_engine) as session:
        seed_reference(session)
    with session_scope(any_engine) as session:
        seed_demo(session, today=DEMO_TODAY)
    with session_scope(any_engine) as session:
        assert seed_demo(session, today=DEMO_TODAY)["indicators"] == 0  # idempotent
    assert _figures(any_engine) == _figures(engine)
