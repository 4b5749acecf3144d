"""data version: one counter that every write to the plan's data moves, kept by triggers

The monitoring pages keep their rendered content in each worker's memory, keyed by this
counter: a page is rebuilt as soon as any worker, the command line, an import, a restore or a
hand-written SQL statement changes the data, since the database itself moves the counter.
The epoch (random at creation) tells apart two databases whose counters happen to match.

On PostgreSQL the triggers are deferred to the commit and move the counter once per
transaction: the counter row is locked only while committing, so writers never wait on it
in the middle of their work, and readers never wait at all.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:00:00

"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the monitoring pages read. Sign-ins, sessions, audit, notifications, e-mails and
# report jobs are left out: they change all the time and no monitoring figure depends on them.
TRACKED = (
    "plan",
    "axis",
    "cti",
    "contract",
    "envelopeline",
    "indicator",
    "indicatortarget",
    "progressupdate",
    "budgetmovement",
    "amendment",
    "planspending",
    "networkfigure",
    "reportingrule",
    "source",
    "sourcenote",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cti_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dataversion SET version = version + 1, txid = txid_current()
     WHERE id = 1 AND txid IS DISTINCT FROM txid_current();
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    """Create the counter and the triggers that move it."""
    op.create_table(
        "dataversion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=True),
    )
    op.execute(
        sa.text("INSERT INTO dataversion (id, epoch, version) VALUES (1, :epoch, 0)").bindparams(
            epoch=secrets.token_hex(8)
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TRACKED:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER dv_{table} AFTER INSERT OR UPDATE OR DELETE "
                f'ON "{table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                "EXECUTE FUNCTION cti_bump_data_version()"
            )
            op.execute(
                f'CREATE TRIGGER dv_{table}_truncate AFTER TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION cti_bump_data_version()"
            )
        return
    for table in TRACKED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                # Table names from the constant above, never from input.
                f"CREATE TRIGGER dv_{table}_{event.lower()} AFTER {event} ON {table} "  # noqa: S608
                "BEGIN UPDATE dataversion SET version = version + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    """Drop the triggers and the counter."""
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f'DROP TRIGGER IF EXISTS dv_{table} ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS dv_{table}_truncate ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS cti_bump_data_version()")
    else:
        for table in TRACKED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS dv_{table}_{event}")
    op.drop_table("dataversion")
