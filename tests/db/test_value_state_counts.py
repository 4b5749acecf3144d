"""The calendar's state counts, kept by the database on every write, match the history.

Migration 0010's triggers keep, per contract, period and state, how many indicators stand in
it. Whatever sequence of writes happens (values entered, moved between statuses, superseded,
moved to another period, deleted; several in one transaction, some refused by the database),
the counts read by the calendar are those computed from the values themselves, even when an
indicator is moved to another contract.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.db.migrate import downgrade, upgrade
from dashboard.domain.calendar import ValueState, value_state
from dashboard.services import calendar
from dashboard.services.calendar_queries import CountKey, state_counts
from tests.db.calendar_support import seed_calendar

CODES = ("CETIA-01", "CETIA-02", "CTTH-01")
PERIODS = ((2024, 0), (2024, 4), (2025, 1))
STATUSES = ("draft", "submitted", "validated", "rejected")
YEARS = (2022, 2025)

add = st.tuples(
    st.just("add"),
    st.sampled_from(CODES),
    st.sampled_from(PERIODS),
    st.sampled_from(STATUSES),
    st.booleans(),  # entered already superseded (a restore, an import of the history)
)
# Changes name a row by its position among the rows there are (modulo their number).
status = st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES))
supersede = st.tuples(st.just("supersede"), st.integers(0, 50), st.booleans())
move = st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(PERIODS))
delete = st.tuples(st.just("delete"), st.integers(0, 50))
reassign = st.tuples(st.just("reassign"), st.integers(0, 50), st.sampled_from(CODES))
# An indicator moved to the other CTI's contract (by hand: the app never does it).
relocate = st.tuples(
    st.just("relocate"), st.sampled_from(CODES), st.sampled_from(("CETIA", "CTTH"))
)
transactions = st.lists(
    st.lists(
        st.one_of(add, add, status, supersede, move, delete, reassign, relocate),
        min_size=1,
        max_size=4,
    ),
    max_size=8,
)


def _apply(conn: Any, ids: dict[str, int], op: tuple[Any, ...]) -> None:
    if op[0] == "add":
        _kind, code, (year, quarter), value_status, superseded = op
        conn.execute(
            text(
                "INSERT INTO progressupdate (indicator_id, year, quarter, value, comment, status, "
                "created_at, updated_at, rejection_reason, correction_reason, is_superseded, "
                "evidence_name, evidence_sha256, origin, version) VALUES (:i, :y, :q, 1, '', :s, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', '', :old, '', '', 'entered', 1)"
            ),
            {"i": ids[code], "y": year, "q": quarter, "s": value_status, "old": superseded},
        )
        return
    if op[0] == "relocate":
        conn.execute(
            text("UPDATE indicator SET contract_id = :c WHERE id = :i"),
            {"c": ids[f"contract:{op[2]}"], "i": ids[op[1]]},
        )
        return
    rows = [r[0] for r in conn.execute(text("SELECT id FROM progressupdate ORDER BY id"))]
    if not rows:
        return
    row = rows[op[1] % len(rows)]
    if op[0] == "status":
        conn.execute(
            text("UPDATE progressupdate SET status = :s WHERE id = :r"), {"s": op[2], "r": row}
        )
    elif op[0] == "supersede":
        conn.execute(
            text("UPDATE progressupdate SET is_superseded = :b WHERE id = :r"),
            {"b": op[2], "r": row},
        )
    elif op[0] == "reassign":
        conn.execute(
            text("UPDATE progressupdate SET indicator_id = :i WHERE id = :r"),
            {"i": ids[op[2]], "r": row},
        )
    elif op[0] == "move":
        year, quarter = op[2]
        conn.execute(
            text("UPDATE progressupdate SET year = :y, quarter = :q WHERE id = :r"),
            {"y": year, "q": quarter, "r": row},
        )
    else:
        conn.execute(text("DELETE FROM progressupdate WHERE id = :r"), {"r": row})


def _from_history(engine: Engine) -> dict[CountKey, dict[ValueState, int]]:
    """Count the states from the values themselves, one indicator and period at a time."""
    statuses: dict[tuple[int, int, int, int], set[str]] = defaultdict(set)
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT contract.cti_id, p.indicator_id, p.year, p.quarter, p.status "
                "FROM progressupdate AS p JOIN indicator ON indicator.id = p.indicator_id "
                "JOIN contract ON contract.id = indicator.contract_id WHERE NOT p.is_superseded"
            )
        )
        for cti_id, indicator_id, year, quarter, value_status in found:
            statuses[(cti_id, indicator_id, year, quarter)].add(value_status)
    counts: dict[CountKey, Counter[ValueState]] = defaultdict(Counter)
    for (cti_id, _indicator, year, quarter), present in statuses.items():
        counts[(cti_id, year, quarter)][value_state(present)] += 1
    return {key: dict(states) for key, states in counts.items()}


def _kept(engine: Engine) -> dict[CountKey, dict[ValueState, int]]:
    with Session(engine) as session:
        plan = calendar.current_plan(session)
        assert plan.id is not None
        return state_counts(session, plan_id=plan.id, cti_id=None, years=YEARS)


_SEEDED: dict[str, dict[str, int]] = {}


def _ids(engine: Engine) -> dict[str, int]:
    """Seed the small plan once per database (hypothesis runs many examples on one)."""
    key = engine.url.render_as_string(hide_password=False)
    if key not in _SEEDED:
        ids = seed_calendar(engine)
        with engine.connect() as conn:
            for acronym in ("CETIA", "CTTH"):
                ids[f"contract:{acronym}"] = conn.execute(
                    text(
                        "SELECT contract.id FROM contract JOIN plan ON plan.id = contract.plan_id "
                        "WHERE contract.cti_id = :cti AND plan.code = '2022-2025'"
                    ),
                    {"cti": ids[acronym]},
                ).scalar_one()
        _SEEDED[key] = ids
    return _SEEDED[key]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=transactions)
def test_the_kept_counts_match_the_values_after_any_writes(
    any_engine: Engine, writes: list[list[tuple[Any, ...]]]
) -> None:
    ids = _ids(any_engine)
    with any_engine.begin() as conn:
        conn.execute(text("DELETE FROM progressupdate"))  # each example starts from no value
    assert _kept(any_engine) == {}
    for ops in writes:
        try:
            with any_engine.begin() as conn:
                for op in ops:
                    _apply(conn, ids, op)
        except IntegrityError:
            pass  # refused by the database (two pending values for one period): nothing kept
        assert _kept(any_engine) == _from_history(any_engine)


def test_the_migration_counts_the_values_already_there(any_engine: Engine) -> None:
    ids = seed_calendar(any_engine)
    downgrade(any_engine, "0009")
    with any_engine.begin() as conn:
        for op in (
            ("add", "CETIA-01", (2024, 4), "validated", False),
            ("add", "CETIA-01", (2024, 4), "draft", False),
            ("add", "CETIA-02", (2024, 4), "rejected", False),
            ("add", "CTTH-01", (2025, 1), "submitted", False),
            ("add", "CTTH-01", (2024, 0), "validated", False),
            ("supersede", 4, True),
        ):
            _apply(conn, ids, op)
    upgrade(any_engine)
    expected = _from_history(any_engine)
    assert _kept(any_engine) == expected
    cetia, ctth = ids["CETIA"], ids["CTTH"]
    assert expected == {
        (cetia, 2024, 4): {ValueState.VALIDATED: 1, ValueState.REJECTED: 1},
        (ctth, 2025, 1): {ValueState.SUBMITTED: 1},
    }
