"""The offline copy's bookkeeping: where a copy came from, and each record as it was then.

Both tables stay empty in the office's own database; only an offline copy fills them
(models/offline.py).

Revision ID: 0014_offline
Revises: 0013_governance
Create Date: 2026-12-01 04:37:48
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0014_offline"
down_revision = "0013_governance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_base_row",
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("record_uuid", sa.Uuid(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "record_uuid", name=op.f("pk_offline_base_row")),
    )
    op.create_table(
        "offline_change",
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("record_uuid", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "record_uuid", name=op.f("pk_offline_change")),
    )
    op.create_table(
        "offline_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.String(length=36), nullable=False),
        sa.Column("server", sa.String(length=500), nullable=False),
        sa.Column("server_identity", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("schema_revision", sa.String(length=64), nullable=False),
        sa.Column("taken_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("base_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("synced_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("syncs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_copy")),
        sa.UniqueConstraint("copy_id", name=op.f("uq_offline_copy_copy_id")),
    )


def downgrade() -> None:
    op.drop_table("offline_copy")
    op.drop_table("offline_base_row")
    op.drop_table("offline_change")
