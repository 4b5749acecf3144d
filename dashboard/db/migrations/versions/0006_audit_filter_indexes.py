"""audit filter indexes: the audit page lists its user names and actions from the indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 03:00:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index('audit_username', ['username'], unique=False)
        batch_op.create_index('audit_action', ['action'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index('audit_action')
        batch_op.drop_index('audit_username')
