"""membership fee payments become invoices' payments: money is recorded in one place

Each fee_payment row becomes a receipt (a `payment`) of the member's customer record (made
when the member has none yet), held as the member's credit until the treasurer sets it
against the member's fee invoice: same amount, date, reference and record (uuid, who and
when), with the note "Recorded as a membership fee payment for 2025/26". A way of paying
that is not BACS, cheque or card is recorded as BACS with the words kept in the note. Then
the fee_payment table goes.

Going back makes the table again and moves back each such receipt not yet set against an
invoice (one that is stays a payment).

Revision ID: 0010_fee_payments_to_invoices
Revises: 0009_invoices
Create Date: 2026-11-30 20:10:00
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import thep_desktop.models.base

revision = "0010_fee_payments_to_invoices"
down_revision = "0009_invoices"
branch_labels = None
depends_on = None

NOTE = "Recorded as a membership fee payment for {year}"
NOTE_PATTERN = re.compile(r"^Recorded as a membership fee payment for (\d{4})/\d{2}")
METHODS = {"bacs": "BACS", "cheque": "cheque", "check": "cheque", "card": "card"}

# The tables as this revision knows them (not the models, which move on).
fee_payment = sa.table(
    "fee_payment",
    sa.column("id", sa.Integer),
    sa.column("uuid", sa.Uuid),
    sa.column("member_id", sa.Integer),
    sa.column("academic_year", sa.Integer),
    sa.column("amount", sa.BigInteger),  # pence, copied exactly
    sa.column("received_on", sa.Date),
    sa.column("method", sa.String),
    sa.column("reference", sa.String),
    sa.column("created_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("created_by", sa.String),
    sa.column("updated_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("updated_by", sa.String),
    sa.column("version", sa.Integer),
)
customer = sa.table(
    "customer",
    sa.column("id", sa.Integer),
    sa.column("uuid", sa.Uuid),
    sa.column("member_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("contact_name", sa.String),
    sa.column("address", sa.Text),
    sa.column("postcode", sa.String),
    sa.column("email", sa.String),
    sa.column("phone", sa.String),
    sa.column("notes", sa.Text),
    sa.column("active", sa.Boolean),
    sa.column("created_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("created_by", sa.String),
    sa.column("updated_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("updated_by", sa.String),
    sa.column("version", sa.Integer),
)
payment = sa.table(
    "payment",
    sa.column("id", sa.Integer),
    sa.column("uuid", sa.Uuid),
    sa.column("customer_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("received_on", sa.Date),
    sa.column("amount", sa.BigInteger),
    sa.column("method", sa.String),
    sa.column("reference", sa.String),
    sa.column("notes", sa.Text),
    sa.column("created_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("created_by", sa.String),
    sa.column("updated_at", thep_desktop.models.base.UtcDateTime(timezone=True)),
    sa.column("updated_by", sa.String),
    sa.column("version", sa.Integer),
)
allocation = sa.table("allocation", sa.column("payment_id", sa.Integer))


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(fee_payment).order_by(fee_payment.c.id)).all()
    if rows:
        customers = {
            member_id: customer_id
            for customer_id, member_id in bind.execute(
                sa.select(customer.c.id, customer.c.member_id).where(
                    customer.c.member_id.is_not(None)
                )
            )
        }
        now = datetime.now(UTC)
        for member_id in sorted({r.member_id for r in rows} - set(customers)):
            bind.execute(
                sa.insert(customer).values(
                    uuid=uuid.uuid4(),
                    member_id=member_id,
                    name="",
                    contact_name="",
                    address="",
                    postcode="",
                    email="",
                    phone="",
                    notes="",
                    active=True,
                    created_at=now,
                    created_by="upgrade 0010",
                    updated_at=now,
                    updated_by="upgrade 0010",
                    version=1,
                )
            )
            customers[member_id] = bind.execute(
                sa.select(customer.c.id).where(customer.c.member_id == member_id)
            ).scalar_one()
        for r in rows:
            note = NOTE.format(year=year_label(r.academic_year))
            method = METHODS.get((r.method or "").strip().lower())
            if method is None:
                method = "BACS"
                note += f" (paid by: {r.method.strip()})" if (r.method or "").strip() else ""
            bind.execute(
                sa.insert(payment).values(
                    uuid=r.uuid,
                    customer_id=customers[r.member_id],
                    kind="receipt",
                    received_on=r.received_on,
                    amount=r.amount,
                    method=method,
                    reference=r.reference or "",
                    notes=note,
                    created_at=r.created_at,
                    created_by=r.created_by,
                    updated_at=r.updated_at,
                    updated_by=r.updated_by,
                    version=r.version,
                )
            )
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_payment_member_id"))
    op.drop_table("fee_payment")


def downgrade() -> None:
    op.create_table(
        "fee_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("amount", thep_desktop.models.base.Money(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at", thep_desktop.models.base.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fee_payment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_fee_payment_member_id_member"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_payment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_fee_payment_uuid")),
    )
    with op.batch_alter_table("fee_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_payment_member_id"), ["member_id"], unique=False)
    bind = op.get_bind()
    used = sa.select(allocation.c.payment_id).where(allocation.c.payment_id.is_not(None))
    moved = bind.execute(
        sa.select(payment, customer.c.member_id)
        .join(customer, customer.c.id == payment.c.customer_id)
        .where(
            payment.c.kind == "receipt",
            customer.c.member_id.is_not(None),
            payment.c.notes.like("Recorded as a membership fee payment for %"),
            payment.c.id.not_in(used),
        )
        .order_by(payment.c.id)
    ).all()
    for r in moved:
        found = NOTE_PATTERN.match(r.notes)
        if found is None:
            continue
        bind.execute(
            sa.insert(fee_payment).values(
                uuid=r.uuid,
                member_id=r.member_id,
                academic_year=int(found.group(1)),
                amount=r.amount,
                received_on=r.received_on,
                method=r.method,
                reference=r.reference,
                created_at=r.created_at,
                created_by=r.created_by,
                updated_at=r.updated_at,
                updated_by=r.updated_by,
                version=r.version,
            )
        )
        bind.execute(sa.delete(payment).where(payment.c.id == r.id))
