"""What the payments services take and give: receipts, refunds and accounts, as plain data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from thep_desktop.domain.invoices import ZERO, PaymentKind, PaymentMethod
from thep_desktop.services.invoices.invoice_data import InvoiceRow


@dataclass(frozen=True)
class PaymentInput:
    """Money received. Give ``customer_id``, or ``member_id`` for a member.

    ``allocations`` set parts of it against invoices: ``(invoice_id, amount)``. What they
    leave over is refused unless ``hold_rest_as_credit``: then it is the customer's credit.
    """

    customer_id: int | None = None
    member_id: int | None = None
    received_on: date | str | None = None  # None: today
    amount: Decimal | str = ""
    method: PaymentMethod | str = PaymentMethod.BACS
    reference: str = ""
    notes: str = ""
    allocations: tuple[tuple[int, Decimal | str], ...] = ()
    hold_rest_as_credit: bool = False


class PaymentAllocation(NamedTuple):
    """Part of a payment set against an invoice: the invoice's number and the amount."""

    invoice_number: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentDetail:
    """A receipt or a refund, with what it was set against (a refund is set against none)."""

    id: int
    uuid: uuid.UUID
    version: int
    customer_id: int
    customer_name: str
    kind: PaymentKind
    received_on: date
    amount: Decimal
    method: PaymentMethod
    reference: str
    notes: str
    allocations: tuple[PaymentAllocation, ...] = ()
    invoice_ids: tuple[int, ...] = ()  # the allocations' invoices, in the same order
    recorded_by: str = ""

    @property
    def is_refund(self) -> bool:
        return self.kind is PaymentKind.REFUND

    @property
    def allocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def unallocated(self) -> Decimal:
        """What of a receipt is held as credit (nothing, for a refund)."""
        if self.is_refund:
            return ZERO
        return self.amount - self.allocated

    @property
    def kind_label(self) -> str:
        return "Refund" if self.is_refund else "Receipt"


@dataclass(frozen=True)
class CustomerAccount:
    """Where a customer stands on a date: invoices still owed, overdue, and credit held."""

    customer_id: int
    customer_name: str
    as_at: date
    open_invoices: tuple[InvoiceRow, ...]
    owed: Decimal
    overdue: Decimal
    credit_held: Decimal

    @property
    def balance(self) -> Decimal:
        """What the customer owes less what it holds as credit (negative: in credit)."""
        return self.owed - self.credit_held
