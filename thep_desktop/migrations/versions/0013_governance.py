"""Governance: bodies, people and appointments, meetings, agenda and minutes, attendance,
declarations, decisions, actions and errata.

Approved minutes are kept unchanged by the database itself: triggers refuse an UPDATE or
DELETE of an approved or signed meeting (except the chair's signature on approved minutes)
and of its agenda items and minutes, papers, attendance, declarations, decisions and errata,
and of what its actions say (their status and progress still move on).

Revision ID: 0013_governance
Revises: 0012_peer_reviews
Create Date: 2026-12-01 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0013_governance"
down_revision = "0012_peer_reviews"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governing_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "board",
                "advisory_council",
                "general_meeting",
                "committee",
                name="body_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "voters",
            sa.Enum(
                "appointed",
                "member_schools",
                name="body_voters",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("quorum_number", sa.Integer(), nullable=True),
        sa.Column("quorum_numerator", sa.Integer(), nullable=True),
        sa.Column("quorum_denominator", sa.Integer(), nullable=True),
        sa.Column("quorum_minimum", sa.Integer(), nullable=False),
        sa.Column("observers_count", sa.Boolean(), nullable=False),
        sa.Column("notice_clear_days", sa.Integer(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum(
                "none",
                "term",
                "year",
                name="body_frequency",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("min_meetings", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
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
        sa.CheckConstraint("code <> ''", name=op.f("ck_governing_body_has_a_code")),
        sa.CheckConstraint("name <> ''", name=op.f("ck_governing_body_has_a_name")),
        sa.CheckConstraint(
            "(quorum_number IS NULL) <> (quorum_numerator IS NULL)",
            name=op.f("ck_governing_body_quorum_one_way"),
        ),
        sa.CheckConstraint(
            "min_meetings >= 0", name=op.f("ck_governing_body_min_meetings_not_negative")
        ),
        sa.CheckConstraint(
            "notice_clear_days >= 0", name=op.f("ck_governing_body_notice_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governing_body")),
        sa.UniqueConstraint("code", name=op.f("uq_governing_body_code")),
        sa.UniqueConstraint("name", name=op.f("uq_governing_body_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_governing_body_uuid")),
    )
    op.create_table(
        "governance_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=30), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("service_address", sa.Text(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column(
            "school_role",
            sa.Enum(
                "none",
                "head_teacher",
                "governor",
                "other_leader",
                name="school_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("former_names", sa.String(length=200), nullable=False),
        sa.Column("occupation", sa.String(length=200), nullable=False),
        sa.Column("nationality", sa.String(length=100), nullable=False),
        sa.Column("country_of_residence", sa.String(length=100), nullable=False),
        sa.Column("birth_month", sa.Integer(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("full_name <> ''", name=op.f("ck_governance_person_has_a_name")),
        sa.CheckConstraint(
            "birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)",
            name=op.f("ck_governance_person_birth_month_is_a_month"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_governance_person_school_id_school"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_person")),
        sa.UniqueConstraint("uuid", name=op.f("uq_governance_person_uuid")),
    )
    with op.batch_alter_table("governance_person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_person_full_name"), ["full_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_person_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column(
            "capacity",
            sa.Enum(
                "chair",
                "vice_chair",
                "director",
                "member",
                "observer",
                "staff",
                "clerk",
                name="appointment_capacity",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "how_appointed",
            sa.Enum(
                "elected_at_agm",
                "elected_by_members",
                "co_opted",
                "ex_officio",
                "appointed_by_board",
                "nominated",
                name="how_appointed",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "why_ended",
            sa.Enum(
                "resigned",
                "term_ended",
                "removed",
                "not_re_elected",
                "died",
                "other",
                name="why_ended",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
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
            "ends_on IS NULL OR ends_on > starts_on",
            name=op.f("ck_appointment_ends_after_it_starts"),
        ),
        sa.CheckConstraint(
            "term_ends_on IS NULL OR term_ends_on > starts_on",
            name=op.f("ck_appointment_term_ends_after_it_starts"),
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["governing_body.id"],
            name=op.f("fk_appointment_body_id_governing_body"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["governance_person.id"],
            name=op.f("fk_appointment_person_id_governance_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_appointment_uuid")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_person_id"), ["person_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ordinary",
                "annual",
                "extraordinary",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("notice_sent_on", sa.Date(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("chair_person_id", sa.Integer(), nullable=True),
        sa.Column(
            "minutes_status",
            sa.Enum(
                "draft",
                "circulated",
                "approved",
                "signed",
                name="minutes_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("circulated_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_at_meeting_id", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
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
            "(minutes_status IN ('draft', 'circulated')) OR approved_on IS NOT NULL",
            name=op.f("ck_meeting_approved_minutes_are_dated"),
        ),
        sa.CheckConstraint(
            "minutes_status <> 'signed' OR (signed_on IS NOT NULL AND signed_by <> '')",
            name=op.f("ck_meeting_signed_minutes_name_the_signer"),
        ),
        sa.CheckConstraint("title <> ''", name=op.f("ck_meeting_has_a_title")),
        sa.ForeignKeyConstraint(
            ["approved_at_meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_approved_at_meeting_id_meeting"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["governing_body.id"],
            name=op.f("fk_meeting_body_id_governing_body"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["chair_person_id"],
            ["governance_person.id"],
            name=op.f("fk_meeting_chair_person_id_governance_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("uuid", name=op.f("uq_meeting_uuid")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_meets_on"), ["meets_on"], unique=False)

    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presenter", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("title <> ''", name=op.f("ck_agenda_item_has_a_title")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_agenda_item_numbered_from_one")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_agenda_item_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
        sa.UniqueConstraint("meeting_id", "position", name=op.f("uq_agenda_item_meeting_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_agenda_item_uuid")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "apologies",
                "absent",
                "in_attendance",
                name="attendance",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("by_proxy", sa.Boolean(), nullable=False),
        sa.Column("proxy_name", sa.String(length=200), nullable=False),
        sa.Column("arrived_at_item", sa.Integer(), nullable=True),
        sa.Column("left_at_item", sa.Integer(), nullable=True),
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
            "person_id IS NOT NULL OR member_id IS NOT NULL OR name <> ''",
            name=op.f("ck_meeting_attendance_names_someone"),
        ),
        sa.CheckConstraint(
            "NOT by_proxy OR member_id IS NOT NULL",
            name=op.f("ck_meeting_attendance_proxies_are_members"),
        ),
        sa.CheckConstraint(
            "arrived_at_item IS NULL OR left_at_item IS NULL OR left_at_item > arrived_at_item",
            name=op.f("ck_meeting_attendance_leaves_after_arriving"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_attendance_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_meeting_attendance_member_id_member"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["governance_person.id"],
            name=op.f("fk_meeting_attendance_person_id_governance_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name=op.f("uq_meeting_attendance_member")
        ),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_meeting_attendance_person")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_meeting_attendance_uuid")),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_attendance_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "agenda_paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("file_name <> ''", name=op.f("ck_agenda_paper_has_a_name")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_agenda_paper_agenda_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_paper")),
        sa.UniqueConstraint("uuid", name=op.f("uq_agenda_paper_uuid")),
    )
    with op.batch_alter_table("agenda_paper", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_paper_agenda_item_id"), ["agenda_item_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ordinary",
                "special",
                name="decision_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.Enum(
                "carried",
                "not_carried",
                "noted",
                "deferred",
                name="decision_result",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstaining", sa.Integer(), nullable=True),
        sa.Column("approves_meeting_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("text <> ''", name=op.f("ck_decision_says_what")),
        sa.CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR "
            "votes_against >= 0) AND (votes_abstaining IS NULL OR votes_abstaining >= 0)",
            name=op.f("ck_decision_votes_not_negative"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_decision_numbered_from_one")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_decision_agenda_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approves_meeting_id"],
            ["meeting.id"],
            name=op.f("fk_decision_approves_meeting_id_meeting"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_decision_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("approves_meeting_id", name=op.f("uq_decision_approves_meeting_id")),
        sa.UniqueConstraint("meeting_id", "number", name=op.f("uq_decision_meeting_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_decision_uuid")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_decision_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "governance_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "dropped",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_at_meeting_id", sa.Integer(), nullable=True),
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
            "(status IN ('open', 'in_progress')) = (closed_on IS NULL)",
            name=op.f("ck_governance_action_closed_actions_are_dated"),
        ),
        sa.CheckConstraint("text <> ''", name=op.f("ck_governance_action_says_what")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_governance_action_agenda_item_id_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["governing_body.id"],
            name=op.f("fk_governance_action_body_id_governing_body"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["closed_at_meeting_id"],
            ["meeting.id"],
            name=op.f("fk_governance_action_closed_at_meeting_id_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_governance_action_meeting_id_meeting"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"],
            ["governance_person.id"],
            name=op.f("fk_governance_action_owner_person_id_governance_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_action")),
        sa.UniqueConstraint("uuid", name=op.f("uq_governance_action_uuid")),
    )
    with op.batch_alter_table("governance_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_action_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_action_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "interest_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("interest", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("interest <> ''", name=op.f("ck_interest_declaration_says_what")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_interest_declaration_agenda_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_interest_declaration_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_declaration")),
        sa.UniqueConstraint("uuid", name=op.f("uq_interest_declaration_uuid")),
    )
    with op.batch_alter_table("interest_declaration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interest_declaration_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "minutes_erratum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("correction <> ''", name=op.f("ck_minutes_erratum_says_what")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_minutes_erratum_agenda_item_id_agenda_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_minutes_erratum_meeting_id_meeting"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_erratum")),
        sa.UniqueConstraint("uuid", name=op.f("uq_minutes_erratum_uuid")),
    )
    with op.batch_alter_table("minutes_erratum", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_erratum_meeting_id"), ["meeting_id"], unique=False
        )

    _make_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table("minutes_erratum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_erratum_meeting_id"))

    op.drop_table("minutes_erratum")
    with op.batch_alter_table("interest_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_declaration_meeting_id"))

    op.drop_table("interest_declaration")
    with op.batch_alter_table("governance_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_action_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_governance_action_body_id"))

    op.drop_table("governance_action")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_decision_agenda_item_id"))

    op.drop_table("decision")
    with op.batch_alter_table("agenda_paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_paper_agenda_item_id"))

    op.drop_table("agenda_paper")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendance_meeting_id"))

    op.drop_table("meeting_attendance")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_meeting_id"))

    op.drop_table("agenda_item")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_meets_on"))
        batch_op.drop_index(batch_op.f("ix_meeting_body_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_person_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_body_id"))

    op.drop_table("appointment")
    with op.batch_alter_table("governance_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_person_school_id"))
        batch_op.drop_index(batch_op.f("ix_governance_person_full_name"))

    op.drop_table("governance_person")
    op.drop_table("governing_body")


REFUSAL = "Approved minutes cannot be changed or deleted; record a dated erratum instead"
LOCKED = "('approved', 'signed')"
# What the chair's signature may change on approved minutes; every other column is fixed.
SIGNATURE_COLUMNS = (
    "minutes_status",
    "signed_by",
    "signed_on",
    "updated_at",
    "updated_by",
    "version",
)
MEETING_COLUMNS = (
    "id",
    "uuid",
    "created_at",
    "created_by",
    "body_id",
    "kind",
    "title",
    "meets_on",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "notice_sent_on",
    "cancelled",
    "chair_person_id",
    "circulated_on",
    "approved_on",
    "approved_at_meeting_id",
    "notes",
)
# What an action recorded in approved minutes keeps; its status and progress move on.
ACTION_COLUMNS = (
    "id", "uuid", "created_at", "created_by", "body_id", "meeting_id", "agenda_item_id",
    "text", "owner_person_id", "owner_name", "due_on",
)
# The tables whose rows belong to one meeting, and how a row names its meeting.
CHILDREN = {
    "agenda_item": "{row}.meeting_id",
    "meeting_attendance": "{row}.meeting_id",
    "interest_declaration": "{row}.meeting_id",
    "decision": "{row}.meeting_id",
    "minutes_erratum": "{row}.meeting_id",
    "agenda_paper": "(SELECT meeting_id FROM agenda_item WHERE id = {row}.agenda_item_id)",
}


def _sqlite_triggers() -> list[str]:
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in MEETING_COLUMNS)
    statements = [
        f"""CREATE TRIGGER meeting_minutes_unchanged BEFORE UPDATE ON meeting
        WHEN OLD.minutes_status IN {LOCKED} AND NOT (
            OLD.minutes_status = 'approved' AND NEW.minutes_status = 'signed' AND {unchanged})
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
        f"""CREATE TRIGGER meeting_minutes_kept BEFORE DELETE ON meeting
        WHEN OLD.minutes_status IN {LOCKED}
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    ]
    for table, meeting in CHILDREN.items():
        old = meeting.format(row="OLD")
        new = meeting.format(row="NEW")
        statements += [
            f"""CREATE TRIGGER {table}_minutes_unchanged BEFORE UPDATE ON {table}
            WHEN (SELECT minutes_status FROM meeting WHERE id = {old}) IN {LOCKED}
              OR (SELECT minutes_status FROM meeting WHERE id = {new}) IN {LOCKED}
            BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
            f"""CREATE TRIGGER {table}_minutes_kept BEFORE DELETE ON {table}
            WHEN (SELECT minutes_status FROM meeting WHERE id = {old}) IN {LOCKED}
            BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
        ]
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in ACTION_COLUMNS)
    locked = f"(SELECT minutes_status FROM meeting WHERE id = OLD.meeting_id) IN {LOCKED}"
    statements += [
        f"""CREATE TRIGGER governance_action_minutes_unchanged BEFORE UPDATE ON governance_action
        WHEN {locked} AND NOT ({unchanged})
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
        f"""CREATE TRIGGER governance_action_minutes_kept BEFORE DELETE ON governance_action
        WHEN {locked}
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    ]
    return statements


def _postgresql_triggers() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in MEETING_COLUMNS)
    statements = [
        f"""CREATE OR REPLACE FUNCTION thep_refuse_approved_meeting_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.minutes_status = 'approved'
               AND NEW.minutes_status = 'signed' AND NOT ({changed}) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
        f"""CREATE TRIGGER meeting_minutes_unchanged BEFORE UPDATE OR DELETE ON meeting
        FOR EACH ROW WHEN (OLD.minutes_status IN {LOCKED})
        EXECUTE FUNCTION thep_refuse_approved_meeting_change()""",
    ]
    for table, meeting in CHILDREN.items():
        old = meeting.format(row="OLD")
        new = meeting.format(row="NEW")
        statements += [
            f"""CREATE OR REPLACE FUNCTION thep_refuse_{table}_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM meeting WHERE minutes_status IN {LOCKED}
                           AND id = {old})
                   OR (TG_OP = 'UPDATE' AND EXISTS (
                       SELECT 1 FROM meeting WHERE minutes_status IN {LOCKED} AND id = {new}))
                THEN
                    RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""",
            f"""CREATE TRIGGER {table}_minutes_unchanged BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION thep_refuse_{table}_change()""",
        ]
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in ACTION_COLUMNS)
    statements += [
        f"""CREATE OR REPLACE FUNCTION thep_refuse_governance_action_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM meeting WHERE minutes_status IN {LOCKED}
                       AND id = OLD.meeting_id)
               AND (TG_OP = 'DELETE' OR {changed}) THEN
                RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
        """CREATE TRIGGER governance_action_minutes_unchanged
        BEFORE UPDATE OR DELETE ON governance_action
        FOR EACH ROW EXECUTE FUNCTION thep_refuse_governance_action_change()""",
    ]
    return statements


# Rows added to an approved meeting by hand are not refused here: a restore writes an
# approved meeting's items, attendance and decisions after the meeting itself. The service
# refuses them, and errata are added to approved minutes by design.


def _make_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("meeting", "governance_action", *CHILDREN):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_minutes_unchanged")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_minutes_kept")
    else:
        for table in ("governance_action", *CHILDREN):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_minutes_unchanged ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS thep_refuse_{table}_change()")
        op.execute("DROP TRIGGER IF EXISTS meeting_minutes_unchanged ON meeting")
        op.execute("DROP FUNCTION IF EXISTS thep_refuse_approved_meeting_change()")
