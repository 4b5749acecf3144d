"""budget movement history: corrections supersede validated movements

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('budgetmovement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('is_superseded', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key('fk_budgetmovement_supersedes', 'budgetmovement', ['supersedes_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('budgetmovement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_budgetmovement_supersedes', type_='foreignkey')
        batch_op.drop_column('is_superseded')
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('supersedes_id')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('updated_at')
