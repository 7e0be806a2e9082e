"""persona studio: practice sessions marked as test-drives

Revision ID: 0201_studio_test_drive
Revises: 0200_studio
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0201_studio_test_drive'
down_revision: str | None = '0200_studio'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test_drive', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.drop_column('test_drive')
