"""evaluation versions: which contract's indicators, or the money, changed: kept by triggers

The monitoring pages evaluate every indicator of the plan (8,400 at N=100: ~150 ms) and kept
the result with the page, keyed by the data version (migration 0007), which any write moves:
one value entered for one CTI made every page evaluate all nine CTIs again. Each worker now
keeps each contract's evaluated indicators, and the money read models, keyed by counters
that say exactly when they may have changed:

- ``contractversion``: per contract, a counter that every insert, update or delete of one of
  its indicators' progress values moves (a value moved to another indicator moves both);
- ``dataversion.structure``: a counter that every write to what the evaluation reads besides
  the values moves (plan, axis, cti, contract, indicator, indicatortarget): rare, and then
  every contract is evaluated again;
- ``dataversion.money``: a counter that every write to the budget movements and envelope
  lines moves: the money read models (envelopes, commitments, disbursements) are kept under it
  and the structure's, so a value entered does not make the pages sum the movements again.

The migration gives every contract its counter (0); a contract created later gets its own on
its first value, and reads 0 until then. A TRUNCATE of the values (PostgreSQL) moves the
structure counter too. The epoch of migration 0007 is drawn again on the way up and down, so
counters starting again from 0 never meet entries kept under the old ones.

On PostgreSQL the counters move at commit (deferred constraint triggers), once per
transaction and contract, after taking the data version's row lock as migrations 0007 and
0010 do: writers never deadlock on them and readers never wait.

``contractversion`` is not in the models (``env.py`` keeps autogenerate off it). A later
migration that rebuilds ``progressupdate`` or a table of ``COUNTERS`` with Alembic's batch
mode on SQLite drops these triggers with the old table: it must create them again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 16:00:00

"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Counters of dataversion and the tables whose writes move them: what services/monitoring.py
# reads besides the progress values, and what services/budget_views.py reads besides those.
COUNTERS = {
    "structure": ("plan", "axis", "cti", "contract", "indicator", "indicatortarget"),
    "money": ("budgetmovement", "envelopeline"),
}


def _bump(indicators: str, txid: str = "") -> str:
    """Move the version of the contracts of the indicators listed (SQL list of ids)."""
    columns, values, guard = "contract_id, version", "contract_id, 1", ""
    if txid:
        columns, values = columns + ", txid", values + f", {txid}"
        guard = ", txid = excluded.txid WHERE contractversion.txid IS DISTINCT FROM excluded.txid"
    return (
        f"INSERT INTO contractversion ({columns}) SELECT DISTINCT {values} FROM indicator "
        f"WHERE indicator.id IN ({indicators}) "
        f"ON CONFLICT (contract_id) DO UPDATE SET version = contractversion.version + 1{guard}"
    )


SQLITE_TRIGGERS = {
    "ev_progress_insert": f"AFTER INSERT ON progressupdate BEGIN {_bump('NEW.indicator_id')}; END",
    "ev_progress_delete": f"AFTER DELETE ON progressupdate BEGIN {_bump('OLD.indicator_id')}; END",
    "ev_progress_update": "AFTER UPDATE ON progressupdate "
    f"BEGIN {_bump('NEW.indicator_id, OLD.indicator_id')}; END",
    **{
        f"ev_{table}_{event.lower()}": f"AFTER {event} ON {table} "
        f"BEGIN UPDATE dataversion SET {counter} = {counter} + 1 WHERE id = 1; END"
        for counter, tables in COUNTERS.items()
        for table in tables
        for event in ("INSERT", "UPDATE", "DELETE")
    },
}

PG_VALUES = f"""
CREATE OR REPLACE FUNCTION cti_bump_contract_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Writers move the counters one at a time, at commit: the data version's row lock.
    PERFORM 1 FROM dataversion WHERE id = 1 FOR UPDATE;
    IF TG_OP = 'INSERT' THEN
        {_bump("NEW.indicator_id", "txid_current()")};
    ELSIF TG_OP = 'DELETE' THEN
        {_bump("OLD.indicator_id", "txid_current()")};
    ELSE
        {_bump("NEW.indicator_id, OLD.indicator_id", "txid_current()")};
    END IF;
    RETURN NULL;
END
$$
"""

PG_TRUNCATE = """
CREATE OR REPLACE FUNCTION cti_bump_all_contract_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Every contract's values are gone: the structure counter moves them all (a contract
    -- created since this migration may have no counter of its own yet).
    UPDATE contractversion SET version = version + 1, txid = txid_current();
    UPDATE dataversion SET structure = structure + 1, structure_txid = txid_current()
     WHERE id = 1;
    RETURN NULL;
END
$$
"""


def _pg_counter(counter: str) -> str:
    """Return the function moving one counter of dataversion, once per transaction."""
    return f"""
CREATE OR REPLACE FUNCTION cti_bump_{counter}_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dataversion SET {counter} = {counter} + 1, {counter}_txid = txid_current()
     WHERE id = 1 AND {counter}_txid IS DISTINCT FROM txid_current();
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    """Create the counters and the triggers that move them."""
    op.create_table(
        "contractversion",
        sa.Column("contract_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=True),
    )
    op.execute("INSERT INTO contractversion (contract_id, version) SELECT id, 0 FROM contract")
    _new_epoch()
    for counter in COUNTERS:
        op.add_column(
            "dataversion",
            sa.Column(counter, sa.BigInteger(), nullable=False, server_default="0"),
        )
        op.add_column("dataversion", sa.Column(f"{counter}_txid", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for function in (PG_VALUES, PG_TRUNCATE, *map(_pg_counter, COUNTERS)):
            op.execute(function)
        op.execute(
            "CREATE CONSTRAINT TRIGGER ev_progressupdate AFTER INSERT OR UPDATE OR DELETE "
            "ON progressupdate DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION cti_bump_contract_version()"
        )
        op.execute(
            "CREATE TRIGGER ev_progressupdate_truncate AFTER TRUNCATE ON progressupdate "
            "FOR EACH STATEMENT EXECUTE FUNCTION cti_bump_all_contract_versions()"
        )
        for counter, tables in COUNTERS.items():
            for table in tables:
                op.execute(
                    f"CREATE CONSTRAINT TRIGGER ev_{table} AFTER INSERT OR UPDATE OR DELETE "
                    f'ON "{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                    f"EXECUTE FUNCTION cti_bump_{counter}_version()"
                )
                op.execute(
                    f'CREATE TRIGGER ev_{table}_truncate AFTER TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION cti_bump_{counter}_version()"
                )
        return
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _new_epoch() -> None:
    """Draw the data version's epoch again: keys kept by running workers no longer match."""
    op.execute(
        sa.text("UPDATE dataversion SET epoch = :epoch WHERE id = 1").bindparams(
            epoch=secrets.token_hex(8)
        )
    )


def downgrade() -> None:
    """Drop the triggers and the counters."""
    _new_epoch()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ev_progressupdate ON progressupdate")
        op.execute("DROP TRIGGER IF EXISTS ev_progressupdate_truncate ON progressupdate")
        for counter, tables in COUNTERS.items():
            for table in tables:
                op.execute(f'DROP TRIGGER IF EXISTS ev_{table} ON "{table}"')
                op.execute(f'DROP TRIGGER IF EXISTS ev_{table}_truncate ON "{table}"')
            op.execute(f"DROP FUNCTION IF EXISTS cti_bump_{counter}_version()")
        op.execute("DROP FUNCTION IF EXISTS cti_bump_contract_version()")
        op.execute("DROP FUNCTION IF EXISTS cti_bump_all_contract_versions()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    # Plain ALTER TABLE (SQLite >= 3.35): a batch rebuild of dataversion would trip over the
    # triggers of migration 0007 that name it.
    for counter in COUNTERS:
        op.execute(f"ALTER TABLE dataversion DROP COLUMN {counter}_txid")
        op.execute(f"ALTER TABLE dataversion DROP COLUMN {counter}")
    op.drop_table("contractversion")
