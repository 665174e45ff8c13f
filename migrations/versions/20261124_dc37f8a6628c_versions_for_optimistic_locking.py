"""versions for optimistic locking: cases, observations, supervision sessions, decisions and services count their
saves, so a save from a page read before another person's is refused; existing rows start at 1

Revision ID: dc37f8a6628c
Revises: 2a7abceb9654
Create Date: 2026-11-24 00:59:50.419961

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dc37f8a6628c'
down_revision = '2a7abceb9654'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('version')

