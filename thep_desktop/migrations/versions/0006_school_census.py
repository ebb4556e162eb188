"""school census: every pupil figure a school has had, by census date, kept for fees

Revision ID: 0006_school_census
Revises: 0005_users_audit
Create Date: 2026-11-30 17:00:00
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0006_school_census"
down_revision = "0005_users_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    census = op.create_table(
        "school_census",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("census_date", sa.Date(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("pupils >= 0", name=op.f("ck_school_census_pupils_not_negative")),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_school_census_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_census")),
        sa.UniqueConstraint("school_id", "census_date", name=op.f("uq_school_census_school_date")),
        sa.UniqueConstraint("uuid", name=op.f("uq_school_census_uuid")),
    )
    with op.batch_alter_table("school_census", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_census_school_id"), ["school_id"], unique=False)

    # Each school's one figure so far becomes its first kept census figure. Schools with a
    # number but no census date have nothing to key a figure by, so they get none.
    school = sa.table(
        "school",
        sa.column("id", sa.Integer),
        sa.column("pupils_on_roll", sa.Integer),
        sa.column("pupils_census_date", sa.Date),
    )
    bind = op.get_bind()
    found = bind.execute(
        sa.select(school.c.id, school.c.pupils_on_roll, school.c.pupils_census_date)
        .where(school.c.pupils_on_roll.is_not(None), school.c.pupils_census_date.is_not(None))
        .order_by(school.c.id)
    ).all()
    now = datetime.now(UTC)
    rows = [
        {
            "uuid": uuid.uuid4(),
            "school_id": school_id,
            "census_date": census_date,
            "pupils": pupils,
            "source": "migration",
            "created_at": now,
            "created_by": "migration",
            "updated_at": now,
            "updated_by": "migration",
            "version": 1,
        }
        for school_id, pupils, census_date in found
    ]
    if rows:
        op.bulk_insert(census, rows)


def downgrade() -> None:
    with op.batch_alter_table("school_census", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_census_school_id"))
    op.drop_table("school_census")
