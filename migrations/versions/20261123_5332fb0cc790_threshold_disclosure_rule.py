"""threshold disclosure rule

A service may choose the threshold rule for its briefs (counts of women from 1 to its threshold hidden, 4 unless
set, with secondary suppression); the rule's CHECK constraint takes the new word.

Revision ID: 5332fb0cc790
Revises: a946f7fe2224
Create Date: 2026-11-23 20:41:12.121301

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5332fb0cc790'
down_revision = 'a946f7fe2224'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclosure_threshold', sa.Integer(), nullable=False, server_default='4'))
        batch_op.create_check_constraint('disclosure_threshold', 'disclosure_threshold BETWEEN 1 AND 20')
        batch_op.drop_constraint(op.f('ck_service_disclosure_rule'), type_='check')
        batch_op.create_check_constraint('disclosure_rule', "disclosure_rule IN ('nhs-digital', 'threshold')")


def downgrade():
    op.execute("UPDATE service SET disclosure_rule = 'nhs-digital' WHERE disclosure_rule = 'threshold'")
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_service_disclosure_rule'), type_='check')
        batch_op.create_check_constraint('disclosure_rule', "disclosure_rule IN ('nhs-digital')")
        batch_op.drop_constraint(op.f('ck_service_disclosure_threshold'), type_='check')
        batch_op.drop_column('disclosure_threshold')
