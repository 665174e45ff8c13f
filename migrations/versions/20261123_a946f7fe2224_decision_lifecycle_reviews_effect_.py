"""decision lifecycle, reviews, effect settings, past target rules

A decision gains the day it was decided (existing ones take their start date, and a first history row with the status they have), the length of its before and
after windows, whether its effect is measured on its pathway only, and the day it stopped; each change of
status is kept with who, when and why, and each review with the figures as they stood. A service gains the
fewest cases per cell for an effect to be judged, and keeps the target rules it used before its current one.

Revision ID: a946f7fe2224
Revises: 0e4216c7c80c
Create Date: 2026-11-23 19:01:30.382690

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a946f7fe2224'
down_revision = '0e4216c7c80c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('target_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('quintile_max', sa.Integer(), nullable=True),
    sa.Column('under_20', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quintile_max IS NULL OR quintile_max BETWEEN 1 AND 5', name=op.f('ck_target_rule_quintile_max')),
    sa.CheckConstraint('starts_on IS NULL OR starts_on < ends_on', name=op.f('ck_target_rule_starts_before_end')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['person.id'], name=op.f('fk_target_rule_changed_by_id_person')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_target_rule_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_rule'))
    )
    with op.batch_alter_table('target_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_rule_service_id'), ['service_id'], unique=False)

    op.create_table('decision_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('proposed', 'agreed', 'in effect', 'reviewed', 'stopped')", name=op.f('ck_decision_change_status')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['person.id'], name=op.f('fk_decision_change_changed_by_id_person')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_change_decision_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_change'))
    )
    with op.batch_alter_table('decision_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_change_decision_id'), ['decision_id'], unique=False)
    # Decisions recorded before: their history starts with the status they have, by whoever recorded them.
    op.execute("INSERT INTO decision_change (decision_id, status, reason, changed_by_id, changed_at) "
               "SELECT id, status, 'Recorded before its history was kept.', created_by_id, created_at FROM decision")

    op.create_table('decision_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=6), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('keep', 'change', 'stop')", name=op.f('ck_decision_review_outcome')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_review_decision_id_decision')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['person.id'], name=op.f('fk_decision_review_reviewed_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_review'))
    )
    with op.batch_alter_table('decision_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_review_decision_id'), ['decision_id'], unique=False)

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pathway_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('window_days', sa.Integer(), nullable=False, server_default='90'))
        batch_op.add_column(sa.Column('stopped_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint('window_days', 'window_days BETWEEN 14 AND 365')
        batch_op.create_check_constraint('stopped_on_when_stopped', "stopped_on IS NULL OR status = 'stopped'")
    op.execute("UPDATE decision SET decided_on = start_date")
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.alter_column('decided_on', existing_type=sa.Date(), nullable=False)

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_cell_count', sa.Integer(), nullable=False, server_default='10'))
        batch_op.create_check_constraint('min_cell_count', 'min_cell_count >= 1')


def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_service_min_cell_count'), type_='check')
        batch_op.drop_column('min_cell_count')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_window_days'), type_='check')
        batch_op.drop_constraint(op.f('ck_decision_stopped_on_when_stopped'), type_='check')
        batch_op.drop_column('stopped_on')
        batch_op.drop_column('window_days')
        batch_op.drop_column('decided_on')
        batch_op.drop_column('pathway_only')

    with op.batch_alter_table('decision_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_review_decision_id'))

    op.drop_table('decision_review')
    with op.batch_alter_table('decision_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_change_decision_id'))

    op.drop_table('decision_change')
    with op.batch_alter_table('target_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_rule_service_id'))

    op.drop_table('target_rule')
