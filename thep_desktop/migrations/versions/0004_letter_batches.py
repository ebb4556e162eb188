"""letter batches: a mail merge's history stays pending until all its files are in place

Revision ID: 0004_letter_batches
Revises: 0003_signatories
Create Date: 2026-11-30 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0004_letter_batches"
down_revision = "0003_signatories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("computer", sa.String(length=255), nullable=False),
        sa.Column("lock_path", sa.Text(), nullable=False),
        sa.Column("staging", sa.Text(), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_batch")),
        sa.UniqueConstraint("uuid", name=op.f("uq_letter_batch_uuid")),
    )
    # Letters recorded before batches were kept have none: they were all sent.
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_correspondence_batch_id"), ["batch_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_correspondence_batch_id_letter_batch"),
            "letter_batch",
            ["batch_id"],
            ["id"],
        )


def downgrade() -> None:
    # Letters of a merge that never finished were never sent: they go with the batches.
    batch = sa.table("letter_batch", sa.column("id", sa.Integer), sa.column("state", sa.String))
    document = sa.table("document", sa.column("id", sa.Integer))
    correspondence = sa.table(
        "correspondence", sa.column("document_id", sa.Integer), sa.column("batch_id", sa.Integer)
    )
    pending_batches = sa.select(batch.c.id).where(batch.c.state != "confirmed")
    pending = correspondence.c.batch_id.in_(pending_batches)
    pending_documents = sa.select(correspondence.c.document_id).where(pending)
    documents = [r[0] for r in op.get_bind().execute(pending_documents).all()]
    op.execute(correspondence.delete().where(pending))
    if documents:
        op.execute(document.delete().where(document.c.id.in_(documents)))
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_correspondence_batch_id_letter_batch"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_correspondence_batch_id"))
        batch_op.drop_column("batch_id")
    op.drop_table("letter_batch")
