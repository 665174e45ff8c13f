"""retention period per service: a closed case is erased this many months after it closed (36 unless an
administrator sets another)

Revision ID: 5e97c40b6ce9
Revises: f8835fe39949
Create Date: 2026-11-24 01:29:07.723691

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e97c40b6ce9'
down_revision = 'f8835fe39949'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='36', nullable=False))
        batch_op.create_check_constraint('retention_months', 'retention_months BETWEEN 1 AND 600')



def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_service_retention_months'), type_='check')
        batch_op.drop_column('retention_months')

