"""Each contract's read models, kept per worker, stay exact after any write.

Migration 0011's triggers move a contract's version when one of its indicators' progress
values is written, and the structure version when the plan, axes, CTIs, contracts, indicators
or targets are. The app keeps each contract's evaluated indicators (and their latest validated
periods, for the calendar) under those versions and puts the plan's together from them:
whatever the writes, what it serves is what a fresh evaluation gives, and a value entered for
one CTI has that CTI alone evaluated again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from dash import Dash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.db.migrate import downgrade, upgrade
from dashboard.services import calendar
from dashboard.services.budget_views import budget_frame_and_series
from dashboard.services.cache import RenderCache
from dashboard.services.context import EXTENSION
from dashboard.services.monitoring import indicator_table
from dashboard.services.scope import PlanScope, load_scope
from dashboard.services.versions import evaluation_versions, money_version


@pytest.fixture
def demo_engine(any_demo_engine: Engine) -> Engine:
    """The demo database on each backend."""
    return any_demo_engine


@pytest.fixture
def served(settings: Settings, demo_engine: Engine) -> Dash:
    """The app serving the demo database, with its page cache."""
    return create_app(settings, engine=demo_engine)


def _cache(app: Dash) -> RenderCache:
    cache: RenderCache = app.server.extensions[EXTENSION]["render_cache"]
    return cache


def _scope(engine: Engine, app: Dash) -> PlanScope:
    today = app.server.extensions[EXTENSION]["settings"].today()
    return load_scope(engine=engine, today=today)


def _calendars(engine: Engine, scope: PlanScope) -> list[calendar.Freshness]:
    """The reporting calendar and freshness of the plan, and of one CTI."""
    with engine.connect() as conn:
        cti = conn.execute(text("SELECT id FROM cti WHERE acronym = 'CTTH'")).scalar_one()
    return [
        calendar.freshness(engine=engine, today=scope.today),
        calendar.freshness(engine=engine, today=scope.today, cti_id=cti),
    ]


def _tables(engine: Engine, scope: PlanScope) -> list[pd.DataFrame]:
    """The plan's table, one CTI's and one axis', and the money of the plan and of one CTI."""
    return [
        *budget_frame_and_series(engine=engine, scope=scope),
        *budget_frame_and_series(engine=engine, scope=scope, acronym="CETIA"),
        indicator_table(engine=engine, scope=scope),
        indicator_table(engine=engine, scope=scope, acronym="CETIA"),
        indicator_table(engine=engine, scope=scope, axis=2),
        indicator_table(engine=engine, scope=scope, acronym="CTTH", axis=1),
    ]


def _row(conn: Any, table: str, k: int) -> int | None:
    ids = [r[0] for r in conn.execute(text(f"SELECT id FROM {table} ORDER BY id"))]
    return ids[k % len(ids)] if ids else None


def _apply(conn: Any, op: tuple[Any, ...]) -> None:
    kind, k, number = op
    if kind == "insert":  # a new value, as an entry is (validated or pending)
        status = ("validated", "draft", "submitted")[int(number) % 3]
        conn.execute(
            text(
                "INSERT INTO progressupdate (indicator_id, year, quarter, value, comment, status, "
                "created_at, updated_at, rejection_reason, correction_reason, is_superseded, "
                "evidence_name, evidence_sha256, origin, version) VALUES (:i, 2025, :q, :v, '', "
                ":s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', '', :old, '', '', 'entered', 1)"
            ),
            {
                "i": _row(conn, "indicator", k),
                "q": 1 + k % 4,
                "v": number,
                "s": status,
                "old": False,
            },
        )
    elif kind == "value":
        conn.execute(
            text("UPDATE progressupdate SET value = :v WHERE id = :r"),
            {"v": number, "r": _row(conn, "progressupdate", k)},
        )
    elif kind == "status":
        status = ("validated", "rejected", "submitted")[int(number) % 3]
        conn.execute(
            text("UPDATE progressupdate SET status = :s WHERE id = :r"),
            {"s": status, "r": _row(conn, "progressupdate", k)},
        )
    elif kind == "reassign":
        conn.execute(
            text("UPDATE progressupdate SET indicator_id = :i WHERE id = :r"),
            {"i": _row(conn, "indicator", int(number)), "r": _row(conn, "progressupdate", k)},
        )
    elif kind == "delete":
        conn.execute(
            text("DELETE FROM progressupdate WHERE id = :r"), {"r": _row(conn, "progressupdate", k)}
        )
    elif kind == "movement":
        conn.execute(
            text("UPDATE budgetmovement SET amount_mdh = :v WHERE id = :r"),
            {"v": number / 100, "r": _row(conn, "budgetmovement", k)},
        )
    elif kind == "envelope":
        conn.execute(
            text("UPDATE envelopeline SET amount_mdh = :v WHERE id = :r"),
            {"v": number / 50, "r": _row(conn, "envelopeline", k)},
        )
    elif kind == "target":
        conn.execute(
            text("UPDATE indicatortarget SET value = :v WHERE id = :r"),
            {"v": number, "r": _row(conn, "indicatortarget", k)},
        )
    else:  # an indicator moved to another CTI's contract (by hand: the app never does it)
        conn.execute(
            text("UPDATE indicator SET contract_id = :c WHERE id = :i"),
            {"c": _row(conn, "contract", int(number)), "i": _row(conn, "indicator", k)},
        )


KINDS = (
    "insert",
    "insert",
    "value",
    "status",
    "reassign",
    "delete",
    "target",
    "move",
    "movement",
    "envelope",
)
writes = st.lists(
    st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.integers(0, 10_000),
            st.floats(0, 500, allow_nan=False).map(lambda v: round(v, 1)),
        ),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(transactions=writes)
def test_the_kept_tables_are_a_fresh_evaluation_after_any_writes(
    served: Dash, demo_engine: Engine, transactions: list[list[tuple[Any, ...]]]
) -> None:
    scope = _scope(demo_engine, served)
    with served.server.app_context():
        _tables(demo_engine, scope)  # kept
        _calendars(demo_engine, scope)
    for ops in transactions:
        try:
            with demo_engine.begin() as conn:
                for op in ops:
                    _apply(conn, op)
        except IntegrityError:
            pass  # refused by the database (two values in force for one period): nothing kept
        fresh = _tables(demo_engine, scope)  # no app: evaluated from the database
        fresh_calendars = _calendars(demo_engine, scope)
        with served.server.app_context():
            kept = _tables(demo_engine, scope)
            kept_calendars = _calendars(demo_engine, scope)
        for got, expected in zip(kept, fresh, strict=True):
            pd.testing.assert_frame_equal(got, expected)
        assert kept_calendars == fresh_calendars


def test_a_value_entered_for_one_cti_has_that_cti_alone_evaluated_again(
    served: Dash, demo_engine: Engine
) -> None:
    scope = _scope(demo_engine, served)
    cache = _cache(served)
    with served.server.app_context():
        before = indicator_table(engine=demo_engine, scope=scope)
        budget_frame_and_series(engine=demo_engine, scope=scope)
        calendar.freshness(engine=demo_engine, today=scope.today)
        contracts = len(evaluation_versions(demo_engine, scope.plan_id).contracts)
        assert contracts == 9
        misses, hits = cache.misses, cache.hits
        indicator_table(engine=demo_engine, scope=scope)
        assert (cache.misses, cache.hits) == (misses, hits + contracts)
    code = before.loc[before["acronym"] == "CETIA", "code"].iloc[0]
    with demo_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE progressupdate SET value = value + 1 WHERE id = (SELECT MAX(p.id) "
                "FROM progressupdate AS p JOIN indicator AS i ON i.id = p.indicator_id "
                "WHERE i.code = :code)"
            ),
            {"code": code},
        )
    with served.server.app_context():
        misses, hits = cache.misses, cache.hits
        after = indicator_table(engine=demo_engine, scope=scope)
        assert (cache.misses, cache.hits) == (misses + 1, hits + contracts - 1)
        misses = cache.misses
        budget_frame_and_series(engine=demo_engine, scope=scope)  # kept: no movement written
        assert cache.misses == misses
        calendar.freshness(engine=demo_engine, today=scope.today)  # CETIA's freshness again
        assert cache.misses == misses + 1
    pd.testing.assert_frame_equal(after, indicator_table(engine=demo_engine, scope=scope))


def _versions(engine: Engine) -> tuple[int, dict[str, int]]:
    with engine.connect() as conn:
        plan = conn.execute(text("SELECT MAX(id) FROM plan")).scalar_one()
    versions = evaluation_versions(engine, plan)
    return versions.structure, {c.acronym: c.version for c in versions.contracts}


def _money(engine: Engine) -> int:
    version = money_version(engine)
    assert version is not None
    return version[2]


def test_the_database_moves_the_versions_of_what_was_written(demo_engine: Engine) -> None:
    structure, contracts = _versions(demo_engine)
    money_before = _money(demo_engine)
    with demo_engine.begin() as conn:  # two values of one CTI in one transaction
        conn.execute(
            text(
                "UPDATE progressupdate SET comment = 'x' WHERE id IN (SELECT p.id FROM "
                "progressupdate AS p JOIN indicator AS i ON i.id = p.indicator_id "
                "WHERE i.code LIKE 'CETIA-%' ORDER BY p.id LIMIT 2)"
            )
        )
    now, moved = _versions(demo_engine)
    step = 1 if demo_engine.dialect.name == "postgresql" else 2  # once per transaction
    assert now == structure
    assert moved == {**contracts, "CETIA": contracts["CETIA"] + step}
    assert _money(demo_engine) == money_before
    money = _money(demo_engine)
    with demo_engine.begin() as conn:  # a budget movement: no indicator depends on it
        conn.execute(
            text(
                "UPDATE budgetmovement SET comment = 'y' "
                "WHERE id = (SELECT MIN(id) FROM budgetmovement)"
            )
        )
    assert _versions(demo_engine) == (now, moved)
    assert _money(demo_engine) == money + 1
    with demo_engine.begin() as conn:
        conn.execute(text("UPDATE indicatortarget SET value = value + 1"))
    later, unchanged = _versions(demo_engine)
    assert later > now
    assert unchanged == moved


def test_a_cti_without_indicators_on_an_axis_is_an_empty_table(
    served: Dash, demo_engine: Engine
) -> None:
    # Was a ValueError (zip of no rows) on the contract page of a CTI with no indicator yet.
    scope = _scope(demo_engine, served)
    with demo_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE indicator SET axis_id = (SELECT MIN(id) FROM axis) WHERE contract_id = "
                "(SELECT c.id FROM contract AS c JOIN cti ON cti.id = c.cti_id "
                "WHERE cti.acronym = 'CTTH' AND c.plan_id = :plan)"
            ),
            {"plan": scope.plan_id},
        )
    fresh = indicator_table(engine=demo_engine, scope=scope, acronym="CTTH", axis=2)
    with served.server.app_context():
        kept = indicator_table(engine=demo_engine, scope=scope, acronym="CTTH", axis=2)
    assert fresh.empty
    pd.testing.assert_frame_equal(kept, fresh)


def test_values_truncated_or_a_schema_round_trip_are_seen_at_once(
    served: Dash, demo_engine: Engine
) -> None:
    scope = _scope(demo_engine, served)
    with served.server.app_context():
        _tables(demo_engine, scope)
    epoch = evaluation_versions(demo_engine, scope.plan_id).epoch
    downgrade(demo_engine, "0010")  # counters start again from 0 on the way up...
    upgrade(demo_engine)
    assert evaluation_versions(demo_engine, scope.plan_id).epoch != epoch  # ...under a new epoch
    with served.server.app_context():
        _tables(demo_engine, scope)  # kept under the new counters
    with demo_engine.begin() as conn:
        if demo_engine.dialect.name == "postgresql":  # no row trigger fires
            conn.execute(text("TRUNCATE progressupdate CASCADE"))
        else:
            conn.execute(text("DELETE FROM progressupdate"))
    fresh = _tables(demo_engine, scope)
    with served.server.app_context():
        kept = _tables(demo_engine, scope)
    assert fresh[4]["latest_value"].isna().all()
    for got, expected in zip(kept, fresh, strict=True):
        pd.testing.assert_frame_equal(got, expected)
