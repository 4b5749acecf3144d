"""clean stored free text: bidi controls removed from text saved before the input cleaning

Since issue 20.7 every entry path cleans free text (``dashboard.domain.text.clean_text``:
bidi controls and invisible control characters removed, NFC, spaces trimmed) before storing
it. Text stored before that still held them, and a grid showed "rapport<RLO>fdp.exe" as
"rapportexe.pdf". This runs the same cleaning over the stored free-text columns: progress
comments and reasons, budget references, comments and reasons, amendment justifications and
user full names, a batch of rows at a time (keyset on the id), writing only the rows it
changes. Row versions are left as they are: the text a person sees does not change meaning.

Downgrade does nothing: the controls removed are not kept anywhere, and nothing needs them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 22:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dashboard.domain.text import clean_text

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
# The free-text columns people type, by table.
COLUMNS: dict[str, tuple[str, ...]] = {
    "progressupdate": ("comment", "rejection_reason", "correction_reason"),
    "budgetmovement": ("reference", "comment", "rejection_reason", "correction_reason"),
    "amendment": ("reason",),
    "user": ("full_name",),
}


def _clean_table(connection: sa.Connection, name: str, columns: tuple[str, ...]) -> int:
    """Clean one table's free-text columns, a batch at a time; return the rows changed."""
    table = sa.table(name, sa.column("id"), *(sa.column(c) for c in columns))
    changed, last = 0, None
    while True:
        query = sa.select(table).order_by(table.c.id).limit(BATCH)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return changed
        for row in rows:
            fixed = {
                c: clean_text(row[c]) for c in columns if row[c] and clean_text(row[c]) != row[c]
            }
            if fixed:
                connection.execute(sa.update(table).where(table.c.id == row["id"]).values(fixed))
                changed += 1
        last = rows[-1]["id"]


def upgrade() -> None:
    """Run the input cleaning over the text stored before it."""
    connection = op.get_bind()
    for name, columns in COLUMNS.items():
        _clean_table(connection, name, columns)


def downgrade() -> None:
    """Keep the cleaned text: the controls removed are not needed by anything."""
