"""users and the audit trail: who may use the database, and every change they make

Revision ID: 0005_users_audit
Revises: 0004_letter_batches
Create Date: 2026-11-30 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0005_users_audit"
down_revision = "0004_letter_batches"
branch_labels = None
depends_on = None

# PostgreSQL: a row of the audit trail names the logged-in user and carries the server's
# time; a login other than the table's owner cannot write a row saying otherwise.
_PG_STAMP = """
CREATE OR REPLACE FUNCTION thep_audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF session_user = (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                     WHERE c.oid = TG_RELID) THEN
    RETURN NEW;
  END IF;
  IF NEW.actor IS DISTINCT FROM session_user::text THEN
    RAISE EXCEPTION 'an audit record must name the logged-in user (%), not %',
      session_user, NEW.actor;
  END IF;
  IF NEW.occurred_at IS DISTINCT FROM now() THEN
    RAISE EXCEPTION 'an audit record must carry the server''s time';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_event_stamp BEFORE INSERT ON audit_event
  FOR EACH ROW EXECUTE FUNCTION thep_audit_stamp();
"""

# SQLite: the program itself can never change or remove a row (the file's owner can, by
# dropping the triggers; `thep-admin check` then finds what was done).
_SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail cannot be changed.'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail cannot be changed.'); END",
]


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "staff",
                "treasurer",
                "clerk",
                "viewer",
                name="user_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("login", name=op.f("uq_app_user_login")),
        sa.UniqueConstraint("uuid", name=op.f("uq_app_user_uuid")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column(
            "occurred_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("record_uuid", sa.Uuid(), nullable=True),
        sa.Column("record_label", sa.String(length=300), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("copy_id", sa.String(length=36), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_event_seq")),
    )
    with op.batch_alter_table("audit_event") as batch:
        batch.create_index(batch.f("ix_audit_event_actor"), ["actor"], unique=False)
        batch.create_index(batch.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False)
        batch.create_index(batch.f("ix_audit_event_record_uuid"), ["record_uuid"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_STAMP)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_stamp ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS thep_audit_stamp()")
    op.drop_table("audit_event")
    op.drop_table("app_user")
