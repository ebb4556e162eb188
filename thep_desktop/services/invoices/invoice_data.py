"""What the invoices services take and give: plain, frozen data."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    PaymentStatus,
    ReminderStage,
    VatCode,
    days_overdue,
    payment_status,
)


@dataclass(frozen=True)
class SettingsDetail:
    payment_terms_days: int
    first_reminder_days: int
    second_reminder_days: int
    final_reminder_days: int
    fee_vat_code: VatCode
    fee_account_code: str
    invoice_note: str
    invoice_prefix: str
    credit_note_prefix: str
    version: int

    def reminder_days(self, stage: ReminderStage) -> int:
        return {
            ReminderStage.FIRST: self.first_reminder_days,
            ReminderStage.SECOND: self.second_reminder_days,
            ReminderStage.FINAL: self.final_reminder_days,
        }[stage]


@dataclass(frozen=True)
class SettingsInput:
    payment_terms_days: int | str = 30
    first_reminder_days: int | str = 14
    second_reminder_days: int | str = 28
    final_reminder_days: int | str = 42
    fee_vat_code: VatCode | str = VatCode.OUTSIDE_SCOPE
    fee_account_code: str = "200"
    invoice_note: str = ""
    invoice_prefix: str = "INV-"
    credit_note_prefix: str = "CN-"


@dataclass(frozen=True)
class CustomerInput:
    """A customer who is not a member (a member's name and address come from the member)."""

    name: str
    contact_name: str = ""
    address: str = ""  # several lines
    postcode: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CustomerDetail:
    id: int
    uuid: uuid.UUID
    version: int
    member_id: int | None
    name: str
    contact_name: str
    address: str
    postcode: str
    email: str
    phone: str
    notes: str
    active: bool

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.address.splitlines() if line.strip())

    def as_input(self) -> CustomerInput:
        return CustomerInput(
            self.name,
            self.contact_name,
            self.address,
            self.postcode,
            self.email,
            self.phone,
            self.notes,
        )


@dataclass(frozen=True)
class CustomerChoice:
    """One entry of the customer chooser: a customer on record, or a member not yet billed."""

    customer_id: int | None
    member_id: int | None
    name: str
    postcode: str

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def label(self) -> str:
        kind = "member" if self.is_member else "not a member"
        return f"{self.name} ({kind})"


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal | str = "1"
    unit_price: Decimal | str = "0.00"
    vat_code: VatCode | str = VatCode.STANDARD
    account_code: str = ""
    service_item_id: int | None = None


@dataclass(frozen=True)
class DraftInput:
    """An invoice being prepared. Give ``customer_id``, or ``member_id`` for a member."""

    customer_id: int | None = None
    member_id: int | None = None
    invoice_date: date | str | None = None  # None: today
    due_date: date | str | None = None  # None: the invoice date plus the payment terms
    supply_from: date | str | None = None
    supply_to: date | str | None = None
    purchase_order: str = ""
    reference: str = ""
    notes: str = ""
    lines: tuple[LineInput, ...] = ()


@dataclass(frozen=True)
class LineDetail:
    id: int
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: VatCode
    account_code: str
    net: Decimal
    vat: Decimal
    service_item_id: int | None

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    def as_input(self) -> LineInput:
        return LineInput(
            self.description,
            self.quantity,
            self.unit_price,
            self.vat_code,
            self.account_code,
            self.service_item_id,
        )


@dataclass(frozen=True)
class AllocationDetail:
    """Money set against an invoice: part of a receipt, or of a credit note."""

    id: int
    invoice_id: int
    invoice_number: str
    payment_id: int | None
    credit_note_id: int | None
    source: str  # "BACS 12/10/2026 REF123" or "CN-000004"
    amount: Decimal
    allocated_on: date


@dataclass(frozen=True)
class ReminderDetail:
    stage: ReminderStage
    sent_on: date
    outstanding: Decimal


@dataclass(frozen=True)
class InvoiceDetail:
    """An invoice or credit note with its lines and what has been set against it."""

    id: int
    uuid: uuid.UUID
    version: int
    kind: InvoiceKind
    state: InvoiceState
    number: str | None
    customer_id: int
    member_id: int | None
    customer_name: str
    customer_contact: str
    customer_address: str
    customer_postcode: str
    customer_email: str
    invoice_date: date
    due_date: date
    supply_from: date | None
    supply_to: date | None
    purchase_order: str
    reference: str
    notes: str
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    lines: tuple[LineDetail, ...]
    # For an invoice: allocations against it. For a credit note: where it was applied.
    allocations: tuple[AllocationDetail, ...] = ()
    credits_invoice_id: int | None = None
    credits_number: str = ""
    credit_reason: str = ""
    # An invoice's credit notes: (number, total).
    credit_notes: tuple[tuple[str, Decimal], ...] = ()
    fee_year: int | None = None
    fee_run_id: int | None = None
    issued_at: datetime | None = None
    issued_by: str = ""
    reminders: tuple[ReminderDetail, ...] = ()
    # A credit note: the date of the invoice it credits (printed beside its number).
    credits_date: date | None = None
    # The organisation as at issue (invoice_records.SUPPLIER_FIELDS); None for a draft.
    supplier: Mapping[str, str] | None = field(default=None, compare=False)

    @property
    def is_draft(self) -> bool:
        return self.state is InvoiceState.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind is InvoiceKind.CREDIT_NOTE

    @property
    def paid(self) -> Decimal:
        if self.is_credit_note:
            return ZERO
        return sum((a.amount for a in self.allocations if a.payment_id is not None), ZERO)

    @property
    def credited(self) -> Decimal:
        if self.is_credit_note:
            return ZERO
        return sum((a.amount for a in self.allocations if a.credit_note_id is not None), ZERO)

    @property
    def outstanding(self) -> Decimal:
        """An invoice: what is still owed. A credit note: what is not yet applied (credit)."""
        if self.is_draft:
            return ZERO
        applied = sum((a.amount for a in self.allocations), ZERO)
        return self.total - applied

    @property
    def status(self) -> PaymentStatus:
        if self.is_credit_note:
            return PaymentStatus.DRAFT if self.is_draft else PaymentStatus.ISSUED
        return payment_status(self.state, self.total, self.paid, self.credited)

    @property
    def display_number(self) -> str:
        return self.number or "Draft"

    @property
    def address_lines(self) -> tuple[str, ...]:
        lines = [x.strip() for x in self.customer_address.splitlines() if x.strip()]
        return tuple(lines)

    def days_overdue(self, on: date) -> int:
        if self.is_draft or self.is_credit_note or self.outstanding <= ZERO:
            return 0
        return days_overdue(self.due_date, on)

    def as_input(self) -> DraftInput:
        return DraftInput(
            customer_id=self.customer_id,
            invoice_date=self.invoice_date,
            due_date=self.due_date,
            supply_from=self.supply_from,
            supply_to=self.supply_to,
            purchase_order=self.purchase_order,
            reference=self.reference,
            notes=self.notes,
            lines=tuple(line.as_input() for line in self.lines),
        )


@dataclass(frozen=True)
class InvoiceRow:
    """An invoice or credit note as one line of the list, with its figures on a date."""

    id: int
    uuid: uuid.UUID
    version: int
    kind: InvoiceKind
    state: InvoiceState
    number: str | None
    customer_id: int
    member_id: int | None
    customer_name: str
    invoice_date: date
    due_date: date
    reference: str
    total: Decimal
    paid: Decimal
    credited: Decimal
    fee_year: int | None = None
    reminders_sent: int = 0

    @property
    def is_draft(self) -> bool:
        return self.state is InvoiceState.DRAFT

    @property
    def outstanding(self) -> Decimal:
        if self.is_draft:
            return ZERO
        return self.total - self.paid - self.credited

    @property
    def status(self) -> PaymentStatus:
        if self.kind is InvoiceKind.CREDIT_NOTE:
            return PaymentStatus.DRAFT if self.is_draft else PaymentStatus.ISSUED
        return payment_status(self.state, self.total, self.paid, self.credited)

    @property
    def display_number(self) -> str:
        return self.number or "Draft"

    def days_overdue(self, on: date) -> int:
        if self.is_draft or self.kind is InvoiceKind.CREDIT_NOTE or self.outstanding <= ZERO:
            return 0
        return days_overdue(self.due_date, on)

    def is_overdue(self, on: date) -> bool:
        return self.days_overdue(on) > 0


@dataclass(frozen=True)
class InvoiceFilter:
    """Which invoices the list shows. Empty or None: all."""

    kinds: frozenset[InvoiceKind] = frozenset()
    statuses: frozenset[PaymentStatus] = frozenset()
    customer_id: int | None = None
    member_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""  # a number, a customer's name or a reference
    overdue_on: date | None = None  # only those overdue on this date
    fee_year: int | None = None


@dataclass(frozen=True)
class RunningTotals:
    """The figures above the list: of the invoices (not credit notes) it shows."""

    count: int
    issued: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    overdue: Decimal
    drafts: int = 0


def running_totals(rows: list[InvoiceRow] | tuple[InvoiceRow, ...], on: date) -> RunningTotals:
    invoices = [r for r in rows if r.kind is InvoiceKind.INVOICE and not r.is_draft]
    return RunningTotals(
        count=len(invoices),
        issued=sum((r.total for r in invoices), ZERO),
        paid=sum((r.paid for r in invoices), ZERO),
        credited=sum((r.credited for r in invoices), ZERO),
        outstanding=sum((r.outstanding for r in invoices), ZERO),
        overdue=sum((r.outstanding for r in invoices if r.is_overdue(on)), ZERO),
        drafts=sum(1 for r in rows if r.is_draft),
    )


@dataclass(frozen=True)
class IssueResult:
    """What issuing some drafts gave: their new numbers, in order."""

    invoice_ids: tuple[int, ...]
    numbers: tuple[str, ...]
    total: Decimal = ZERO
    skipped: tuple[str, ...] = field(default=())
