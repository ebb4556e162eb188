"""the payment terms are the invoices' alone: the membership rules' copy goes

Membership fees are invoiced now, so the terms an invoice is due by are set once, in the
invoice settings. A database whose membership rules had other terms than the 30 days of
both defaults keeps them: they become the invoice settings' terms (the settings row is
changed, or made when there is none yet).

Revision ID: 0011_payment_terms_in_one_place
Revises: 0010_fee_payments_to_invoices
Create Date: 2026-11-30 21:00:00
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_payment_terms_in_one_place"
down_revision = "0010_fee_payments_to_invoices"
branch_labels = None
depends_on = None

DEFAULT_TERMS = 30


def upgrade() -> None:
    bind = op.get_bind()
    terms = bind.execute(
        sa.text("SELECT payment_terms_days FROM membership_rules ORDER BY id LIMIT 1")
    ).scalar()
    if terms is not None and terms != DEFAULT_TERMS:
        settings = bind.execute(
            sa.text("SELECT id FROM invoice_settings ORDER BY id LIMIT 1")
        ).scalar()
        if settings is not None:
            bind.execute(
                sa.text(
                    "UPDATE invoice_settings SET payment_terms_days = :t, "
                    "version = version + 1 WHERE id = :i"
                ),
                {"t": terms, "i": settings},
            )
        else:
            now = datetime.now(UTC)
            row = sa.table(
                "invoice_settings",
                sa.column("uuid", sa.Uuid),
                sa.column("payment_terms_days", sa.Integer),
                sa.column("first_reminder_days", sa.Integer),
                sa.column("second_reminder_days", sa.Integer),
                sa.column("final_reminder_days", sa.Integer),
                sa.column("fee_vat_code", sa.String),
                sa.column("fee_account_code", sa.String),
                sa.column("invoice_note", sa.Text),
                sa.column("created_at", sa.DateTime(timezone=True)),
                sa.column("created_by", sa.String),
                sa.column("updated_at", sa.DateTime(timezone=True)),
                sa.column("updated_by", sa.String),
                sa.column("version", sa.Integer),
            )
            op.bulk_insert(
                row,
                [
                    {
                        "uuid": uuid.uuid4(),
                        "payment_terms_days": terms,
                        "first_reminder_days": 14,
                        "second_reminder_days": 28,
                        "final_reminder_days": 42,
                        "fee_vat_code": "outside_scope",
                        "fee_account_code": "200",
                        "invoice_note": "",
                        "created_at": now,
                        "created_by": "upgrade",
                        "updated_at": now,
                        "updated_by": "upgrade",
                        "version": 1,
                    }
                ],
            )
    with op.batch_alter_table("membership_rules", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_membership_rules_terms_range"), type_="check")
        batch_op.drop_column("payment_terms_days")


def downgrade() -> None:
    with op.batch_alter_table("membership_rules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "payment_terms_days",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_TERMS),
            )
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_membership_rules_terms_range"),
            "payment_terms_days >= 0 AND payment_terms_days <= 365",
        )
    bind = op.get_bind()
    terms = bind.execute(
        sa.text("SELECT payment_terms_days FROM invoice_settings ORDER BY id LIMIT 1")
    ).scalar()
    if terms is not None:
        bind.execute(sa.text("UPDATE membership_rules SET payment_terms_days = :t"), {"t": terms})
