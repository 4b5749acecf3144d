"""read model indexes: latest values and money sums read from covering indexes

progress_indicator_period gains is_superseded, so the latest value of each indicator and the
calendar's states per period are read from the index alone (one seek per indicator).
movement_sums covers the money read models: the movements in force summed per status,
contract, axis, kind and day without reading the table or sorting.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 05:00:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PROGRESS_BEFORE = ['indicator_id', 'year', 'quarter', 'status']
PROGRESS_AFTER = [*PROGRESS_BEFORE, 'is_superseded']
MOVEMENT_SUMS = [
    'status', 'is_superseded', 'contract_id', 'axis_id', 'kind', 'on_date', 'amount_mdh'
]


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('progressupdate', schema=None) as batch_op:
        batch_op.drop_index('progress_indicator_period')
        batch_op.create_index('progress_indicator_period', PROGRESS_AFTER, unique=False)
    with op.batch_alter_table('budgetmovement', schema=None) as batch_op:
        batch_op.create_index('movement_sums', MOVEMENT_SUMS, unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('budgetmovement', schema=None) as batch_op:
        batch_op.drop_index('movement_sums')
    with op.batch_alter_table('progressupdate', schema=None) as batch_op:
        batch_op.drop_index('progress_indicator_period')
        batch_op.create_index('progress_indicator_period', PROGRESS_BEFORE, unique=False)
