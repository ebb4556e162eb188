"""Customers, invoices and credit notes with their lines, payments, allocations and reminders.

An issued invoice or credit note never changes: the service refuses, and so does the
database (triggers made by migration 0009 refuse an UPDATE or DELETE of an issued row or of
its lines). Whether it is paid is never stored on it: it is worked out from the
allocations of payments and credit notes against it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thep_desktop.domain.invoices import (
    InvoiceKind,
    InvoiceState,
    PaymentKind,
    PaymentMethod,
    ReminderStage,
    VatCode,
)
from thep_desktop.models.base import Base, Money, RecordMixin, UtcDateTime, value_enum


class InvoiceSettings(RecordMixin, Base):
    """A single row: payment terms, reminder stages and how membership fees are coded."""

    __tablename__ = "invoice_settings"

    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    # Days after the due date at which each reminder stage falls due.
    first_reminder_days: Mapped[int] = mapped_column(Integer, default=14)
    second_reminder_days: Mapped[int] = mapped_column(Integer, default=28)
    final_reminder_days: Mapped[int] = mapped_column(Integer, default=42)
    fee_vat_code: Mapped[VatCode] = mapped_column(
        value_enum(VatCode, "fee_vat_code"), default=VatCode.OUTSIDE_SCOPE
    )
    fee_account_code: Mapped[str] = mapped_column(String(10), default="200")
    # Printed at the foot of every invoice (e.g. "Please quote the invoice number").
    invoice_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("payment_terms_days >= 0", name="terms_not_negative"),
        CheckConstraint(
            "first_reminder_days > 0 AND second_reminder_days > first_reminder_days "
            "AND final_reminder_days > second_reminder_days",
            name="reminders_in_order",
        ),
    )


class NumberSeries(RecordMixin, Base):
    """The next number of a gapless series (invoices, credit notes).

    A number is taken only in the transaction that issues the document, with this row
    locked (``SELECT … FOR UPDATE`` on the server), so two office PCs issuing at the same
    moment get consecutive numbers, and a failed issue gives its number back. The rows are
    made by the first issue (or the settings' first save), so the audit trail has them.
    """

    __tablename__ = "number_series"

    kind: Mapped[InvoiceKind] = mapped_column(value_enum(InvoiceKind, "series_kind"), unique=True)
    prefix: Mapped[str] = mapped_column(String(10))
    next_number: Mapped[int] = mapped_column(Integer, default=1)
    digits: Mapped[int] = mapped_column(Integer, default=6)

    __table_args__ = (CheckConstraint("next_number >= 1", name="next_number_positive"),)


class Customer(RecordMixin, Base):
    """Whom an invoice is to: a member (its name and address come from the member) or not."""

    __tablename__ = "customer"

    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="RESTRICT"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceItem(RecordMixin, Base):
    """A bespoke or traded service in the catalogue, with its price."""

    __tablename__ = "service_item"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(30), default="")  # "day", "place", "review"
    unit_price: Mapped[Decimal] = mapped_column(Money)
    vat_code: Mapped[VatCode] = mapped_column(
        value_enum(VatCode, "service_vat_code"), default=VatCode.STANDARD
    )
    account_code: Mapped[str] = mapped_column(String(10), default="200")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FeeRun(RecordMixin, Base):
    """One run of the membership fees for an academic year, or for one fee period of it."""

    __tablename__ = "fee_run"

    academic_year: Mapped[int] = mapped_column(Integer, index=True)
    period_starts_on: Mapped[date | None] = mapped_column(Date)
    period_ends_on: Mapped[date | None] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(300), default="")
    invoice_date: Mapped[date] = mapped_column(Date)


class Invoice(RecordMixin, Base):
    """An invoice or a credit note: a draft (no number) until issued, then never changed."""

    __tablename__ = "invoice"

    kind: Mapped[InvoiceKind] = mapped_column(value_enum(InvoiceKind, "invoice_kind"))
    state: Mapped[InvoiceState] = mapped_column(
        value_enum(InvoiceState, "invoice_state"), default=InvoiceState.DRAFT, index=True
    )
    # Given at issue: the series' number, and the number as printed ("INV-000123").
    sequence: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="RESTRICT"), index=True
    )
    invoice_date: Mapped[date] = mapped_column(Date, index=True)
    supply_from: Mapped[date | None] = mapped_column(Date)
    supply_to: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    purchase_order: Mapped[str] = mapped_column(String(60), default="")
    reference: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The customer as they were at issue (kept up to date while a draft).
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_contact: Mapped[str] = mapped_column(String(200), default="")
    customer_address: Mapped[str] = mapped_column(Text, default="")
    customer_postcode: Mapped[str] = mapped_column(String(8), default="")
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    # The organisation as it was at issue (name, addresses, numbers, bank), for reprinting.
    supplier: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total_net: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    total_vat: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # A credit note's invoice, and why it was credited.
    credits_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    credit_reason: Mapped[str] = mapped_column(Text, default="")
    # A membership fee: whose, for which year and period, and from which run.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="RESTRICT"), index=True
    )
    fee_year: Mapped[int | None] = mapped_column(Integer)
    fee_period_starts_on: Mapped[date | None] = mapped_column(Date)
    fee_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("fee_run.id", ondelete="RESTRICT"), index=True
    )
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    issued_by: Mapped[str] = mapped_column(String(100), default="")

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice",
        order_by="InvoiceLine.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )

    __table_args__ = (
        UniqueConstraint("kind", "sequence", name="kind_sequence"),
        CheckConstraint(
            "(state = 'draft' AND number IS NULL AND sequence IS NULL) OR "
            "(state = 'issued' AND number IS NOT NULL AND sequence IS NOT NULL)",
            name="numbered_when_issued",
        ),
        CheckConstraint("due_date >= invoice_date", name="due_after_invoice_date"),
        CheckConstraint(
            "(kind = 'credit_note') = (credits_invoice_id IS NOT NULL)",
            name="credit_note_credits_an_invoice",
        ),
        Index("ix_invoice_fee", "member_id", "fee_year"),
    )


class InvoiceLine(RecordMixin, Base):
    """A line: quantity x unit price, its VAT code and ledger account; rounded on the line."""

    __tablename__ = "invoice_line"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    # Hundredths (1.5 SLA days) held exactly, like money.
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    vat_code: Mapped[VatCode] = mapped_column(value_enum(VatCode, "line_vat_code"))
    account_code: Mapped[str] = mapped_column(String(10), default="")
    net: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    service_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_item.id", ondelete="RESTRICT")
    )

    invoice: Mapped[Invoice] = relationship(back_populates="lines", lazy="raise")


class Payment(RecordMixin, Base):
    """Money received from a customer, or paid back to one (a refund out of its credit).

    What a receipt does not settle through its allocations is the customer's credit.
    """

    __tablename__ = "payment"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[PaymentKind] = mapped_column(
        value_enum(PaymentKind, "payment_kind"), default=PaymentKind.RECEIPT
    )
    received_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[PaymentMethod] = mapped_column(value_enum(PaymentMethod, "payment_method"))
    reference: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class Allocation(RecordMixin, Base):
    """Part of a receipt, or of a credit note, set against an invoice."""

    __tablename__ = "allocation"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="RESTRICT"), index=True
    )
    credit_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    allocated_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(payment_id IS NULL) <> (credit_note_id IS NULL)", name="one_source"),
    )


class InvoiceReminder(RecordMixin, Base):
    """A reminder stage sent for an overdue invoice: each stage at most once."""

    __tablename__ = "invoice_reminder"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT"), index=True
    )
    stage: Mapped[ReminderStage] = mapped_column(value_enum(ReminderStage, "reminder_stage"))
    sent_on: Mapped[date] = mapped_column(Date)
    outstanding: Mapped[Decimal] = mapped_column(Money)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("invoice_id", "stage", name="invoice_stage"),)
