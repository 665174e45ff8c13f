"""framework versions uploaded in the browser: who uploaded one (empty for files loaded from frameworks/, as every
version so far was)

Revision ID: f8835fe39949
Revises: e380ed9f4d21
Create Date: 2026-11-24 01:24:02.976575

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f8835fe39949'
down_revision = 'e380ed9f4d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('framework_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploaded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_framework_version_uploaded_by_id_person'), 'person', ['uploaded_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('framework_version', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_framework_version_uploaded_by_id_person'), type_='foreignkey')
        batch_op.drop_column('uploaded_by_id')

