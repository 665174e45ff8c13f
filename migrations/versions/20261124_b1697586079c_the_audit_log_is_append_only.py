"""the audit log is append-only: the database itself refuses to change or delete an entry, whoever asks (an
operator emptying it for a fresh start uses TRUNCATE on PostgreSQL, or a new SQLite file)

Revision ID: b1697586079c
Revises: dc37f8a6628c
Create Date: 2026-11-24 01:04:19.458417

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b1697586079c'
down_revision = 'dc37f8a6628c'
branch_labels = None
depends_on = None


MESSAGE = "the audit log is append-only"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$;
        """)
        for when in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_event_no_{when.lower()} BEFORE {when} ON audit_event "
                       "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()")
    else:
        for when in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_event_no_{when.lower()} BEFORE {when} ON audit_event "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade():
    for when in ("update", "delete"):
        op.execute(f"DROP TRIGGER audit_event_no_{when} " + ("ON audit_event" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_event_append_only()")
