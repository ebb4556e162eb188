"""correspondence kept on the member; built-in membership letters worded for any member

Revision ID: 0008_member_correspondence
Revises: 0007_memberships
Create Date: 2026-11-30 18:00:00
"""

# ruff: noqa: E501 - the letters' wording is kept exactly as shipped, one line a text

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_member_correspondence"
down_revision = "0007_memberships"
branch_labels = None
depends_on = None

# The four membership letters could not be produced before memberships; their wording named
# the school. Each built-in one still worded as shipped is reworded for any member (a school,
# an organisation, a person); one the office changed is left as the office wrote it.
BUILTIN_WORDING = {
    "welcome": (
        # as shipped before
        {
            "description": "To a school newly admitted as a member.",
            "subject": "Welcome to {org.name}",
            "body": "I am delighted to confirm that {school.name} was admitted as a {member.category} of {org.name} on {member.admitted_on}. Welcome to the partnership.\n\nAs a member your school has access to the partnership's programmes for leaders, teachers and governors, takes part in peer review with other member schools, and has a named link officer, {school.link_officer}, who will be in touch shortly.\n\nMembership carries three commitments: to support the aims and values of the partnership; to pay the annual membership fee; and to contribute up to £25 if the company is ever wound up owing debts. Withdrawal needs one year's notice in writing.\n\nYour membership fee for {member.fee_year} is {member.fee_due} ({member.fee_basis}); an invoice follows separately.\n\nIf you have any questions, please contact us at {org.email} or on {org.phone}.",
        },
        # as shipped now
        {
            "description": "To a member newly admitted: a school, an organisation or a person.",
            "subject": "Welcome to {org.name}",
            "body": "I am delighted to confirm that {member.name} was admitted as a member of {org.name} on {member.admitted_on} ({member.category}). Welcome to the partnership.\n\nMembers have access to the partnership's programmes for leaders, teachers and governors, and member schools take part in peer review with one another. We will be in touch shortly about what is planned for this year.\n\nMembership carries three commitments: to support the aims and values of the partnership; to pay the annual membership fee; and to contribute up to {member.guarantee} if the company is ever wound up owing debts. Withdrawal needs one year's notice in writing.\n\nYour membership fee for {member.fee_year} is {member.fee_due} ({member.fee_basis}); an invoice follows separately.\n\nIf you have any questions, please contact us at {org.email} or on {org.phone}.",
        },
    ),
    "notice_ack": (
        # as shipped before
        {
            "description": "Confirms receipt of a school's notice to leave, and when it takes effect.",
            "subject": "Your notice to withdraw from membership",
            "body": "Thank you for your letter giving notice that {school.name} wishes to withdraw from membership of {org.name}. We received it on {member.notice_received_on}.\n\nUnder the terms of membership, withdrawal requires one year's notice, so your school's membership will end on {member.leaving_on}. Until then your school remains a member, with all the benefits and commitments of membership, including the membership fee for the period.\n\nWe are sorry to see you go. If your circumstances change, you can withdraw this notice at any time before it takes effect by writing to us. I would also welcome the chance to hear how the partnership could serve your school better.",
        },
        # as shipped now
        {
            "description": "Confirms receipt of a member's notice to leave, and when it takes effect.",
            "subject": "Your notice to withdraw from membership",
            "body": "Thank you for your letter giving notice that {member.name} wishes to withdraw from membership of {org.name}. We received it on {member.notice_received_on}.\n\nUnder the terms of membership ({member.notice_terms}), the membership ends on {member.leaving_on}. Until then it continues, with all the benefits and commitments of membership, including the membership fee for the period.\n\nWe are sorry to see you go. If your circumstances change, you can withdraw this notice at any time before it takes effect by writing to us. I would also welcome the chance to hear how the partnership could serve you better.",
        },
    ),
    "fee_letter": (
        # as shipped before
        {
            "description": "Accompanies the annual membership invoice.",
            "subject": "Membership fee {member.fee_year}",
            "body": "Please find enclosed the invoice for the membership fee of {school.name} for the academic year {member.fee_year}.\n\nThe fee is {member.fee_due}, worked out as {member.fee_basis}, using the number of pupils on roll at the census of {school.census_date}. Fees are payable in advance.\n\nPlease pay by BACS to:\n- Account name: {org.bank_account_name}\n- Bank: {org.bank_name}\n- Sort code: {org.bank_sort_code}\n- Account number: {org.bank_account_number}\n\nquoting your school's URN, {school.urn}, as the reference. If anything on the invoice looks wrong, please tell us at {org.email} before paying.",
        },
        # as shipped now
        {
            "description": "Accompanies the annual membership invoice.",
            "subject": "Membership fee {member.fee_year}",
            "body": "Please find enclosed the invoice for the membership fee of {member.name} for the academic year {member.fee_year}.\n\nThe fee is {member.fee_due}, worked out as {member.fee_basis}. Fees are payable in advance.\n\nPlease pay by BACS to:\n- Account name: {org.bank_account_name}\n- Bank: {org.bank_name}\n- Sort code: {org.bank_sort_code}\n- Account number: {org.bank_account_number}\n\nquoting {member.reference} as the reference. If anything on the invoice looks wrong, please tell us at {org.email} before paying.",
        },
    ),
    "payment_reminder": (
        # as shipped before
        {
            "description": "A polite reminder of an overdue membership fee.",
            "subject": "Reminder: membership fee {member.fee_year}",
            "body": "Our records show that {member.amount_overdue} of the membership fee of {school.name} for {member.fee_year} is still outstanding.\n\nIf you have paid in the last few days, thank you, and please ignore this letter. If not, please arrange payment by BACS to {org.bank_account_name}, sort code {org.bank_sort_code}, account number {org.bank_account_number}, quoting URN {school.urn}.\n\nIf there is a problem with the invoice, or you would like to talk about paying in instalments, please contact us at {org.email} or on {org.phone}.",
        },
        # as shipped now
        {
            "description": "A polite reminder of an overdue membership fee.",
            "subject": "Reminder: membership fee {member.fee_year}",
            "body": "Our records show that {member.amount_overdue} of the membership fee of {member.name} for {member.fee_year} is still outstanding.\n\nIf you have paid in the last few days, thank you, and please ignore this letter. If not, please arrange payment by BACS to {org.bank_account_name}, sort code {org.bank_sort_code}, account number {org.bank_account_number}, quoting {member.reference}.\n\nIf there is a problem with the invoice, or you would like to talk about paying in instalments, please contact us at {org.email} or on {org.phone}.",
        },
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.alter_column("school_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_correspondence_member_id"), ["member_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_correspondence_member_id_member"), "member", ["member_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "sent_to_a_school_or_member", "school_id IS NOT NULL OR member_id IS NOT NULL"
        )
    _reword(0, 1)


def downgrade() -> None:
    _reword(1, 0)
    # Letters to members that are not schools have no school to be kept against.
    op.execute("DELETE FROM correspondence WHERE school_id IS NULL")
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_correspondence_sent_to_a_school_or_member"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_correspondence_member_id_member"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_correspondence_member_id"))
        batch_op.alter_column("school_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("member_id")


def _reword(source: int, target: int) -> None:
    template = sa.table(
        "letter_template",
        sa.column("key", sa.String),
        sa.column("description", sa.String),
        sa.column("subject", sa.String),
        sa.column("body", sa.Text),
        sa.column("version", sa.Integer),
    )
    for key, wordings in BUILTIN_WORDING.items():
        was, now = wordings[source], wordings[target]
        op.execute(
            template.update()
            .where(
                template.c.key == key,
                template.c.description == was["description"],
                template.c.subject == was["subject"],
                template.c.body == was["body"],
            )
            .values(**now, version=template.c.version + 1)
        )
