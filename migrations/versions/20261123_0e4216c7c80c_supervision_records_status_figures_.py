"""supervision records: status, figures, shared notes, agreed actions, observations raised, comments

A session is a draft until the supervisor closes it (sessions already held stay drafts, so their
supervisor can close them); it keeps each supervisee's figures as shown; a prompt may say whose figures
raised it, carry its domain's further questions, and have its note shared with the supervisees.
Observations may be raised in a session; a supervisor may comment on an observation. Prompts gain two
origins: a level with nothing observed, and a domain rotated in.

Revision ID: 0e4216c7c80c
Revises: ae744e931e41
Create Date: 2026-11-23 14:08:30.478925

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e4216c7c80c'
down_revision = 'ae744e931e41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('observation_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_observation_comment_author_id_person')),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_observation_comment_observation_id_observation')),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_observation_comment_session_id_supervision_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_comment'))
    )
    with op.batch_alter_table('observation_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_comment_observation_id'), ['observation_id'], unique=False)

    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_observation_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_observation_session_id_supervision_session'), 'supervision_session', ['session_id'], ['id'])

    with op.batch_alter_table('session_prompt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_ups', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('supervisee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('shared', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_session_prompt_supervisee_id_person'), 'person', ['supervisee_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_session_prompt_origin'), type_='check')
        batch_op.create_check_constraint('origin', "origin IN ('trigger', 'observed', 'framework', 'level', 'rotation')")

    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=6), nullable=False, server_default='draft'))
        batch_op.add_column(sa.Column('figures', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('agreed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_record', sa.JSON(), nullable=True))
        batch_op.create_check_constraint('status', "status IN ('draft', 'closed')")


def downgrade():
    op.execute("UPDATE session_prompt SET origin = 'framework' WHERE origin IN ('level', 'rotation')")
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_supervision_session_status'), type_='check')
        batch_op.drop_column('closed_record')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('agreed')
        batch_op.drop_column('figures')
        batch_op.drop_column('status')

    with op.batch_alter_table('session_prompt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_session_prompt_supervisee_id_person'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_session_prompt_origin'), type_='check')
        batch_op.create_check_constraint('origin', "origin IN ('trigger', 'observed', 'framework')")
        batch_op.drop_column('shared')
        batch_op.drop_column('supervisee_id')
        batch_op.drop_column('follow_ups')

    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_observation_session_id_supervision_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_observation_session_id'))
        batch_op.drop_column('session_id')

    with op.batch_alter_table('observation_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_comment_observation_id'))

    op.drop_table('observation_comment')
