"""login throttle counters: one row per key, counted before the password hash

Migration 0001 kept one ``loginattempt`` row per failure and sign-in counted them, hashed the
password, then wrote the failure: parallel attempts all read the same count (100 wrong
passwords in parallel had 16 checked against a limit of 5). ``loginthrottle`` keeps one row
per key (an account, an address, an account from an address) that the sign-in locks and moves
in a transaction of its own before the hash (auth/throttle.py).

The counts of the old table are not carried over: they only ever held the last 15 minutes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 21:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the counters and drop the table of single failures."""
    op.create_table(
        "loginthrottle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("login_throttle_last_at", "loginthrottle", ["last_at"])
    op.drop_index("login_attempt_key_at", table_name="loginattempt")
    op.drop_table("loginattempt")


def downgrade() -> None:
    """Bring back the table of single failures (empty) and drop the counters."""
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("login_attempt_key_at", "loginattempt", ["key", "at"])
    op.drop_index("login_throttle_last_at", table_name="loginthrottle")
    op.drop_table("loginthrottle")
