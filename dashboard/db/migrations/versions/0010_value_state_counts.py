"""value state counts: the calendar's counts kept up to date by the database on every write

The reporting calendar counts, per CTI and period, how many indicators stand in each value
state (validated, submitted, draft, rejected: the best status among their values in force).
Computed from the history, that was a GROUP BY over every value (307,851 at N=100: ~150 ms
on SQLite, on every page showing the calendar after a write). Two tables now hold the result,
kept by triggers whoever writes (the app, an import, the command line, a restore, SQL by hand):

- ``indicatorperiod``: per indicator and period, how many of its values in force have each
  status (the row keeps the indicator's contract, so a count can be taken back without it);
- ``periodstatecount``: per contract, period and state (its rank in ``PRECEDENCE`` of
  ``domain/calendar.py``: 0 validated, 1 submitted, 2 draft, 3 rejected), how many indicators
  stand in it. The calendar reads a few hundred rows of it.

Every change is a delta (+1, -1) applied to both, so the result does not depend on the order
of the writes. An indicator moved to another contract takes its counts along. On PostgreSQL the deltas are applied at commit (deferred constraint triggers),
after taking the data version's row lock (migration 0007), so writers apply theirs one at a
time: no lost update, and no deadlock between two writers' counts.

The tables are not in the models: backups and restores carry the progress values, and the
triggers count them again as they are restored (``env.py`` keeps autogenerate off them). A
later migration that rebuilds ``progressupdate`` or ``indicator`` with Alembic's batch mode on
SQLite drops these triggers with the old table: it must create them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 14:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The statuses counted, in the calendar's order of precedence: a state's rank is its index.
STATUSES = ("validated", "submitted", "draft", "rejected")
COUNTS = [f"n_{status}" for status in STATUSES]
KEY = "indicator_id, year, quarter"
STATE_KEY = "contract_id, year, quarter, state"


def _best(row: str) -> str:
    """Return the rank of the best status a row of indicatorperiod counts (NULL: none)."""
    whens = " ".join(f"WHEN {row}.n_{s} > 0 THEN {rank}" for rank, s in enumerate(STATUSES))
    return f"(CASE {whens} END)"


def _deltas(row: str, sign: str) -> list[str]:
    """Return, per status column, the delta a progress value brings (``sign`` or 0)."""
    return [f"CASE WHEN {row}.status = '{s}' THEN {sign} ELSE 0 END" for s in STATUSES]


def _add(row: str, sign: str) -> str:
    """Count a progress value (``sign`` 1) in its indicator and period."""
    return (
        f"INSERT INTO indicatorperiod ({KEY}, contract_id, {', '.join(COUNTS)}) "
        f"SELECT {row}.indicator_id, {row}.year, {row}.quarter, indicator.contract_id, "
        f"{', '.join(_deltas(row, sign))} FROM indicator WHERE indicator.id = {row}.indicator_id "
        f"ON CONFLICT ({KEY}) DO UPDATE SET contract_id = excluded.contract_id, "
        + ", ".join(f"{c} = indicatorperiod.{c} + excluded.{c}" for c in COUNTS)
    )


def _remove(row: str) -> str:
    """Take a progress value back from its indicator and period (by key: no other lookup)."""
    sets = ", ".join(f"{c} = {c} - {d}" for c, d in zip(COUNTS, _deltas(row, "1"), strict=True))
    return (
        f"UPDATE indicatorperiod SET {sets} WHERE indicator_id = {row}.indicator_id "
        f"AND year = {row}.year AND quarter = {row}.quarter"
    )


def _count_state(row: str, rank: str) -> str:
    return (
        f"INSERT INTO periodstatecount ({STATE_KEY}, n) "
        f"SELECT {row}.contract_id, {row}.year, {row}.quarter, {rank}, 1 WHERE {rank} IS NOT NULL "
        f"ON CONFLICT ({STATE_KEY}) DO UPDATE SET n = periodstatecount.n + 1"
    )


def _uncount_state(row: str, rank: str) -> str:
    return (
        f"UPDATE periodstatecount SET n = n - 1 WHERE contract_id = {row}.contract_id "
        f"AND year = {row}.year AND quarter = {row}.quarter AND state = {rank}"
    )


CHANGED = " OR ".join(
    f"OLD.{c} <> NEW.{c}" for c in ("indicator_id", "year", "quarter", "status", "is_superseded")
)

SQLITE_TRIGGERS = {
    # A progress value in force is counted; one that leaves (deleted, superseded, moved to
    # another status) is taken back.
    "vs_progress_insert": f"AFTER INSERT ON progressupdate WHEN NEW.is_superseded = 0 "
    f"BEGIN {_add('NEW', '1')}; END",
    "vs_progress_delete": f"AFTER DELETE ON progressupdate WHEN OLD.is_superseded = 0 "
    f"BEGIN {_remove('OLD')}; END",
    "vs_progress_update_old": f"AFTER UPDATE ON progressupdate "
    f"WHEN OLD.is_superseded = 0 AND ({CHANGED}) BEGIN {_remove('OLD')}; END",
    "vs_progress_update_new": f"AFTER UPDATE ON progressupdate "
    f"WHEN NEW.is_superseded = 0 AND ({CHANGED}) BEGIN {_add('NEW', '1')}; END",
    # An indicator's period whose best status (or contract) changes moves from one count to
    # another.
    "vs_period_insert": f"AFTER INSERT ON indicatorperiod "
    f"BEGIN {_count_state('NEW', _best('NEW'))}; END",
    "vs_period_update": f"AFTER UPDATE ON indicatorperiod "
    f"WHEN {_best('OLD')} IS NOT {_best('NEW')} OR OLD.contract_id <> NEW.contract_id "
    f"BEGIN {_uncount_state('OLD', _best('OLD'))}; {_count_state('NEW', _best('NEW'))}; END",
    # An indicator moved to another contract (by hand, or an id reused after a restore) takes
    # its periods' counts along.
    "vs_indicator_contract": "AFTER UPDATE OF contract_id ON indicator "
    "WHEN OLD.contract_id <> NEW.contract_id BEGIN UPDATE indicatorperiod "
    "SET contract_id = NEW.contract_id WHERE indicator_id = NEW.id; END",
}

PG_RANK = f"""
CREATE OR REPLACE FUNCTION cti_value_state_rank(
    n_validated integer, n_submitted integer, n_draft integer, n_rejected integer
) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE {" ".join(f"WHEN n_{s} > 0 THEN {rank}" for rank, s in enumerate(STATUSES))} END
$$
"""

PG_MOVE = f"""
CREATE OR REPLACE FUNCTION cti_move_state(before indicatorperiod, after indicatorperiod)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    before_rank integer := cti_value_state_rank({", ".join(f"before.{c}" for c in COUNTS)});
    after_rank integer := cti_value_state_rank({", ".join(f"after.{c}" for c in COUNTS)});
BEGIN
    -- An indicator's period whose best status (or contract) changes moves from one count to
    -- another; a period not counted before has no fields (NULL rank, NULL contract).
    IF before_rank IS DISTINCT FROM after_rank
       OR before.contract_id IS DISTINCT FROM after.contract_id THEN
        {_uncount_state("before", "before_rank")};
        {_count_state("after", "after_rank")};
    END IF;
END
$$
"""

PG_COUNT = f"""
CREATE OR REPLACE FUNCTION cti_count_value(pv progressupdate, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    before indicatorperiod;
    counted indicatorperiod;
BEGIN
    SELECT * INTO before FROM indicatorperiod
     WHERE indicator_id = pv.indicator_id AND year = pv.year AND quarter = pv.quarter;
    IF delta > 0 THEN
        {_add("pv", "1")} RETURNING * INTO counted;
    ELSE
        {_remove("pv")} RETURNING * INTO counted;
    END IF;
    IF FOUND THEN
        PERFORM cti_move_state(before, counted);
    END IF;
END
$$
"""

PG_INDICATOR = """
CREATE OR REPLACE FUNCTION cti_move_indicator_states() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before indicatorperiod;
    moved indicatorperiod;
BEGIN
    PERFORM 1 FROM dataversion WHERE id = 1 FOR UPDATE;
    FOR before IN SELECT * FROM indicatorperiod
                   WHERE indicator_id = NEW.id AND contract_id <> NEW.contract_id LOOP
        UPDATE indicatorperiod SET contract_id = NEW.contract_id
         WHERE indicator_id = before.indicator_id AND year = before.year
           AND quarter = before.quarter
        RETURNING * INTO moved;
        PERFORM cti_move_state(before, moved);
    END LOOP;
    RETURN NULL;
END
$$
"""

PG_TRIGGER = f"""
CREATE OR REPLACE FUNCTION cti_count_value_states() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Writers apply their counts one at a time, at commit: the data version's row lock.
    PERFORM 1 FROM dataversion WHERE id = 1 FOR UPDATE;
    IF TG_OP = 'UPDATE' AND NOT ({CHANGED.replace("<>", "IS DISTINCT FROM")}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.is_superseded THEN
        PERFORM cti_count_value(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.is_superseded THEN
        PERFORM cti_count_value(NEW, 1);
    END IF;
    RETURN NULL;
END
$$
"""

PG_TRUNCATE = """
CREATE OR REPLACE FUNCTION cti_forget_value_states() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM periodstatecount;
    DELETE FROM indicatorperiod;
    RETURN NULL;
END
$$
"""

# The counts of the values already there, as the triggers would have made them.
FILL_PERIODS = (
    f"INSERT INTO indicatorperiod ({KEY}, contract_id, {', '.join(COUNTS)}) "
    f"SELECT p.indicator_id, p.year, p.quarter, indicator.contract_id, "
    + ", ".join(f"SUM({d})" for d in _deltas("p", "1"))
    + " FROM progressupdate AS p JOIN indicator ON indicator.id = p.indicator_id "
    "WHERE p.is_superseded = {false} GROUP BY p.indicator_id, p.year, p.quarter, "
    "indicator.contract_id"
)
FILL_STATES = (
    f"INSERT INTO periodstatecount ({STATE_KEY}, n) "
    f"SELECT contract_id, year, quarter, state, COUNT(*) FROM (SELECT contract_id, year, "
    f"quarter, {_best('indicatorperiod')} AS state FROM indicatorperiod) AS ranked "
    "WHERE state IS NOT NULL GROUP BY contract_id, year, quarter, state"
)


def upgrade() -> None:
    """Create the two tables, count the values already there, then keep counting."""
    op.create_table(
        "indicatorperiod",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        *[sa.Column(c, sa.Integer(), nullable=False, server_default="0") for c in COUNTS],
        sa.PrimaryKeyConstraint("indicator_id", "year", "quarter"),
    )
    op.create_table(
        "periodstatecount",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", "year", "quarter", "state"),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute(FILL_PERIODS.format(false="false" if postgresql else "0"))
    op.execute(FILL_STATES)
    if postgresql:
        for function in (PG_RANK, PG_MOVE, PG_COUNT, PG_TRIGGER, PG_TRUNCATE, PG_INDICATOR):
            op.execute(function)
        op.execute(
            "CREATE CONSTRAINT TRIGGER vs_progressupdate AFTER INSERT OR UPDATE OR DELETE "
            "ON progressupdate DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION cti_count_value_states()"
        )
        op.execute(
            "CREATE TRIGGER vs_progressupdate_truncate AFTER TRUNCATE ON progressupdate "
            "FOR EACH STATEMENT EXECUTE FUNCTION cti_forget_value_states()"
        )
        op.execute(
            "CREATE CONSTRAINT TRIGGER vs_indicator_contract AFTER UPDATE OF contract_id "
            "ON indicator DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "WHEN (OLD.contract_id IS DISTINCT FROM NEW.contract_id) "
            "EXECUTE FUNCTION cti_move_indicator_states()"
        )
        return
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    """Drop the triggers and the two tables."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS vs_progressupdate ON progressupdate")
        op.execute("DROP TRIGGER IF EXISTS vs_progressupdate_truncate ON progressupdate")
        op.execute("DROP TRIGGER IF EXISTS vs_indicator_contract ON indicator")
        op.execute("DROP FUNCTION IF EXISTS cti_move_indicator_states()")
        op.execute("DROP FUNCTION IF EXISTS cti_count_value_states()")
        op.execute("DROP FUNCTION IF EXISTS cti_forget_value_states()")
        op.execute("DROP FUNCTION IF EXISTS cti_count_value(progressupdate, integer)")
        op.execute("DROP FUNCTION IF EXISTS cti_move_state(indicatorperiod, indicatorperiod)")
        op.execute("DROP FUNCTION IF EXISTS cti_value_state_rank(integer, integer, integer, integer)")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("periodstatecount")
    op.drop_table("indicatorperiod")
