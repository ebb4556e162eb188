"""peer reviews: clusters, term dates and closures, review cycles, reviews and their teams

Revision ID: 0012_peer_reviews
Revises: 0011_payment_terms_in_one_place
Create Date: 2026-11-30 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0012_peer_reviews"
down_revision = "0011_payment_terms_in_one_place"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("reviews_per_school", sa.Integer(), nullable=False),
        sa.Column("visit_days", sa.Integer(), nullable=False),
        sa.Column("avoid_same_trust", sa.Boolean(), nullable=False),
        sa.Column("no_mutual_in_same_term", sa.Boolean(), nullable=False),
        sa.Column("one_visit_per_week", sa.Boolean(), nullable=False),
        sa.Column("terms", sa.String(length=50), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("focus", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "reviews_per_school >= 1", name=op.f("ck_review_cycle_each_school_reviews")
        ),
        sa.CheckConstraint("team_size >= 1", name=op.f("ck_review_cycle_team_has_a_school")),
        sa.CheckConstraint(
            "visit_days BETWEEN 1 AND 5", name=op.f("ck_review_cycle_visit_within_a_week")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cycle")),
        sa.UniqueConstraint("academic_year", name=op.f("uq_review_cycle_academic_year")),
        sa.UniqueConstraint("uuid", name=op.f("uq_review_cycle_uuid")),
    )
    op.create_table(
        "term_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column(
            "term",
            sa.Enum(
                "autumn",
                "spring",
                "summer",
                name="term_name",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("half_term_starts_on", sa.Date(), nullable=True),
        sa.Column("half_term_ends_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(half_term_starts_on IS NULL) = (half_term_ends_on IS NULL)",
            name=op.f("ck_term_dates_half_term_has_both_ends"),
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_term_dates_ends_after_it_starts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_dates")),
        sa.UniqueConstraint("academic_year", "term", name=op.f("uq_term_dates_academic_year")),
        sa.UniqueConstraint("uuid", name=op.f("uq_term_dates_uuid")),
    )
    with op.batch_alter_table("term_dates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_term_dates_academic_year"), ["academic_year"], unique=False
        )

    op.create_table(
        "cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "geographical",
                "mat",
                "phase",
                "cross_phase",
                "mainstream",
                "special",
                "nursery",
                "diocese",
                "other",
                name="cluster_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("lead_contact_name", sa.String(length=200), nullable=False),
        sa.Column("lead_contact_email", sa.String(length=254), nullable=False),
        sa.Column("lead_contact_phone", sa.String(length=30), nullable=False),
        sa.Column("lead_school_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_cluster_has_a_name")),
        sa.ForeignKeyConstraint(
            ["lead_school_id"],
            ["school.id"],
            name=op.f("fk_cluster_lead_school_id_school"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster")),
        sa.UniqueConstraint("name", name=op.f("uq_cluster_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_cluster_uuid")),
    )
    op.create_table(
        "school_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "inset",
                "occasional",
                "other",
                name="closure_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_school_closure_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_closure")),
        sa.UniqueConstraint("school_id", "closed_on", name=op.f("uq_school_closure_school_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_school_closure_uuid")),
    )
    with op.batch_alter_table("school_closure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_closure_closed_on"), ["closed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_school_closure_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "cluster_school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name=op.f("fk_cluster_school_cluster_id_cluster"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_cluster_school_school_id_school"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_school")),
        sa.UniqueConstraint("cluster_id", "school_id", name=op.f("uq_cluster_school_cluster_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_cluster_school_uuid")),
    )
    with op.batch_alter_table("cluster_school", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cluster_school_cluster_id"), ["cluster_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cluster_school_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("host_school_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "confirmed",
                "completed",
                "report_received",
                "quality_assured",
                name="review_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("proposed_on", sa.Date(), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("report_received_on", sa.Date(), nullable=True),
        sa.Column("quality_assured_on", sa.Date(), nullable=True),
        sa.Column("focus", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "qa_outcome",
            sa.Enum(
                "consistent",
                "consistent_with_advice",
                "not_consistent",
                name="qa_outcome",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column("qa_notes", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(starts_on IS NULL) = (ends_on IS NULL)", name=op.f("ck_review_visit_has_both_ends")
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_review_visit_ends_after_it_starts")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name=op.f("fk_review_cluster_id_cluster"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycle.id"],
            name=op.f("fk_review_cycle_id_review_cycle"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["host_school_id"],
            ["school.id"],
            name=op.f("fk_review_host_school_id_school"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("uuid", name=op.f("uq_review_uuid")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cluster_id"), ["cluster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_host_school_id"), ["host_school_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "review_school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_review_school_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_review_school_school_id_school"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_school")),
        sa.UniqueConstraint("review_id", "school_id", name=op.f("uq_review_school_review_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_review_school_uuid")),
    )
    with op.batch_alter_table("review_school", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_school_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_school_school_id"), ["school_id"], unique=False)

    op.create_table(
        "reviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("job_title", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_reviewer_has_a_name")),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_reviewer_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_reviewer_school_id_school"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer")),
        sa.UniqueConstraint("uuid", name=op.f("uq_reviewer_uuid")),
    )
    with op.batch_alter_table("reviewer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviewer_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviewer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewer_review_id"))

    op.drop_table("reviewer")
    with op.batch_alter_table("review_school", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_school_school_id"))
        batch_op.drop_index(batch_op.f("ix_review_school_review_id"))

    op.drop_table("review_school")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_starts_on"))
        batch_op.drop_index(batch_op.f("ix_review_host_school_id"))
        batch_op.drop_index(batch_op.f("ix_review_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_review_cluster_id"))

    op.drop_table("review")
    with op.batch_alter_table("cluster_school", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_school_school_id"))
        batch_op.drop_index(batch_op.f("ix_cluster_school_cluster_id"))

    op.drop_table("cluster_school")
    with op.batch_alter_table("school_closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_closure_school_id"))
        batch_op.drop_index(batch_op.f("ix_school_closure_closed_on"))

    op.drop_table("school_closure")
    op.drop_table("cluster")
    with op.batch_alter_table("term_dates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_dates_academic_year"))

    op.drop_table("term_dates")
    op.drop_table("review_cycle")
