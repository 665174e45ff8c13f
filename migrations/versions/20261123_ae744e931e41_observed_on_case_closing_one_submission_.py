"""observed on, case closing, one submission, brief content hash

Observations get the day they describe (existing ones: the day they were saved), service-level
observations may have no journey stage, closed cases a reason, text and online messages their own
source; a table of saved form submissions; a brief remembers the hash of what it was made from.

Revision ID: ae744e931e41
Revises: b23b8111c940
Create Date: 2026-11-23 09:31:34.964156

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae744e931e41'
down_revision = 'b23b8111c940'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_submission_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('token', name=op.f('uq_submission_token'))
    )
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_brief_content_sha256'), ['content_sha256'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('close_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            'close_reason', "close_reason IS NULL OR close_reason IN "
            "('no longer wanted', 'moved away', 'feeding ended', 'not reached', 'other')")

    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('observed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
    day = "date(created_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(created_at AS DATE)"
    op.execute(f"UPDATE observation SET observed_on = {day}")
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.alter_column('observed_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('journey_stage',
               existing_type=sa.VARCHAR(length=40),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_observation_observed_on'), ['observed_on'], unique=False)
        batch_op.drop_constraint(op.f('ck_observation_source'), type_='check')
        batch_op.create_check_constraint(
            'source', "source IN ('visit', 'call', 'text', 'online message', 'supervision', 'team meeting')")


def downgrade():
    op.execute("UPDATE observation SET source = 'call' WHERE source IN ('text', 'online message')")
    op.execute("UPDATE observation SET journey_stage = '' WHERE journey_stage IS NULL")
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_observation_source'), type_='check')
        batch_op.create_check_constraint('source', "source IN ('visit', 'call', 'supervision', 'team meeting')")
        batch_op.drop_index(batch_op.f('ix_observation_observed_on'))
        batch_op.alter_column('journey_stage',
               existing_type=sa.VARCHAR(length=40),
               nullable=False)
        batch_op.drop_column('updated_at')
        batch_op.drop_column('observed_on')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_close_reason'), type_='check')
        batch_op.drop_column('closed_on')
        batch_op.drop_column('close_reason')

    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_content_sha256'))
        batch_op.drop_column('content_sha256')

    op.drop_table('submission')
