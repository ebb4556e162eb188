"""Reading customers' accounts out of a session, as at any date: what is owed, and credit held.

Each function is a fixed number of statements whatever the number of customers, so the aged
debt report and a run of statements cost the same few queries for ten customers or ninety.
A date ``as_at`` sees the books as they stood at the end of that day: invoices and credit
notes dated on or before it, payments received on or before it, and allocations made on or
before it (a later payment or later credit does not reduce an earlier day's debt).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from thep_desktop.domain.invoices import ZERO, InvoiceKind, InvoiceState, PaymentKind
from thep_desktop.models import Allocation, Invoice, Payment
from thep_desktop.models.base import Money
from thep_desktop.services.invoices.invoice_data import InvoiceRow
from thep_desktop.services.invoices.invoice_records import payment_source


@dataclass(frozen=True)
class CreditSource:
    """A receipt, or a credit note, with what of it is not yet set against invoices."""

    kind: str  # "receipt" or "credit_note"
    id: int
    customer_id: int
    on: date
    amount: Decimal
    applied: Decimal
    label: str  # "BACS 12/10/2026 REF" or "CN-000004"

    @property
    def unapplied(self) -> Decimal:
        return self.amount - self.applied


def _allocated(key, as_at: date | None, source=None):  # type: ignore[no-untyped-def]
    """A subquery: the sum of allocations per ``key`` (their invoice, payment or credit
    note), made on or before ``as_at``; with ``source``, only those from payments (or from
    credit notes)."""
    query = select(key.label("key"), func.sum(Allocation.amount).label("applied")).where(
        (source if source is not None else key).is_not(None)
    )
    if as_at is not None:
        query = query.where(Allocation.allocated_on <= as_at)
    return query.group_by(key).subquery()


def owed_as_at(as_at: date):  # type: ignore[no-untyped-def]
    """A subquery: each issued invoice (not credit note) dated on or before ``as_at``, with
    what was still owed on it at the end of that day (``outstanding``: its total less what
    was paid and credited on it on or before ``as_at``), its due date and its customer.

    The same rule as :func:`invoice_rows_as_at` (``InvoiceRow.outstanding``), in SQL, for
    figures summed in the database (the dashboard's outstanding, overdue and aged debt);
    ``outstanding`` may be zero or less (paid in full): filter on ``> 0`` for debts.
    """
    paid = _allocated(Allocation.invoice_id, as_at, Allocation.payment_id)
    credited = _allocated(Allocation.invoice_id, as_at, Allocation.credit_note_id)
    # In pence, whole on both databases (PostgreSQL's sums are numeric).
    outstanding = (
        Invoice.total
        - func.coalesce(paid.c.applied, ZERO)
        - func.coalesce(credited.c.applied, ZERO)
    )
    return (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.customer_id,
            Invoice.member_id,
            Invoice.customer_name,
            Invoice.invoice_date,
            Invoice.due_date,
            Invoice.total,
            type_coerce(cast(outstanding, BigInteger), Money).label("outstanding"),
        )
        .outerjoin(paid, paid.c.key == Invoice.id)
        .outerjoin(credited, credited.c.key == Invoice.id)
        .where(
            Invoice.kind == InvoiceKind.INVOICE,
            Invoice.state == InvoiceState.ISSUED,
            Invoice.invoice_date <= as_at,
        )
        .subquery("owed")
    )


def invoice_rows_as_at(
    session: Session,
    *,
    as_at: date | None = None,
    customer_ids: Sequence[int] | None = None,
    owed_only: bool = True,
    member_ids: Sequence[int] | None = None,
    fee_year: int | None = None,
) -> list[InvoiceRow]:
    """Issued invoices (not credit notes) with what was paid and credited on them as at
    ``as_at`` (None: now), oldest due first; ``owed_only``: those with money still owed.

    One statement: the invoices joined to their allocations' sums.
    """
    paid = _allocated(Allocation.invoice_id, as_at, Allocation.payment_id)
    credited = _allocated(Allocation.invoice_id, as_at, Allocation.credit_note_id)
    query = (
        select(
            Invoice.id,
            Invoice.uuid,
            Invoice.version,
            Invoice.number,
            Invoice.customer_id,
            Invoice.member_id,
            Invoice.customer_name,
            Invoice.invoice_date,
            Invoice.due_date,
            Invoice.reference,
            Invoice.total,
            Invoice.fee_year,
            paid.c.applied.label("paid"),
            credited.c.applied.label("credited"),
        )
        .outerjoin(paid, paid.c.key == Invoice.id)
        .outerjoin(credited, credited.c.key == Invoice.id)
        .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.state == InvoiceState.ISSUED)
        .order_by(Invoice.due_date, Invoice.invoice_date, Invoice.sequence)
    )
    if as_at is not None:
        query = query.where(Invoice.invoice_date <= as_at)
    if customer_ids is not None:
        query = query.where(Invoice.customer_id.in_(list(customer_ids)))
    if member_ids is not None:
        query = query.where(Invoice.member_id.in_(list(member_ids)))
    if fee_year is not None:
        query = query.where(Invoice.fee_year == fee_year)
    rows = []
    for r in session.execute(query):
        row = InvoiceRow(
            id=r.id,
            uuid=r.uuid,
            version=r.version,
            kind=InvoiceKind.INVOICE,
            state=InvoiceState.ISSUED,
            number=r.number,
            customer_id=r.customer_id,
            member_id=r.member_id,
            customer_name=r.customer_name,
            invoice_date=r.invoice_date,
            due_date=r.due_date,
            reference=r.reference,
            total=r.total,
            paid=r.paid or ZERO,
            credited=r.credited or ZERO,
            fee_year=r.fee_year,
        )
        if owed_only and row.outstanding <= ZERO:
            continue
        rows.append(row)
    return rows


def credit_sources(
    session: Session, customer_ids: Sequence[int] | None = None, as_at: date | None = None
) -> list[CreditSource]:
    """Receipts and issued credit notes with something not set against invoices, oldest first
    (receipts before credit notes on the same footing): two statements."""
    by_payment = _allocated(Allocation.payment_id, as_at)
    receipts = (
        select(
            Payment.id,
            Payment.customer_id,
            Payment.received_on,
            Payment.amount,
            Payment.method,
            Payment.reference,
            by_payment.c.applied,
        )
        .outerjoin(by_payment, by_payment.c.key == Payment.id)
        .where(Payment.kind == PaymentKind.RECEIPT)
        .order_by(Payment.received_on, Payment.id)
    )
    by_note = _allocated(Allocation.credit_note_id, as_at)
    notes = (
        select(
            Invoice.id,
            Invoice.customer_id,
            Invoice.invoice_date,
            Invoice.total,
            Invoice.number,
            by_note.c.applied,
        )
        .outerjoin(by_note, by_note.c.key == Invoice.id)
        .where(Invoice.kind == InvoiceKind.CREDIT_NOTE, Invoice.state == InvoiceState.ISSUED)
        .order_by(Invoice.invoice_date, Invoice.sequence)
    )
    if customer_ids is not None:
        receipts = receipts.where(Payment.customer_id.in_(list(customer_ids)))
        notes = notes.where(Invoice.customer_id.in_(list(customer_ids)))
    if as_at is not None:
        receipts = receipts.where(Payment.received_on <= as_at)
        notes = notes.where(Invoice.invoice_date <= as_at)
    found = [
        CreditSource(
            "receipt",
            r.id,
            r.customer_id,
            r.received_on,
            r.amount,
            r.applied or ZERO,
            payment_source(r.method, r.received_on, r.reference),
        )
        for r in session.execute(receipts)
    ]
    found += [
        CreditSource(
            "credit_note", n.id, n.customer_id, n.invoice_date, n.total, n.applied or ZERO, n.number
        )
        for n in session.execute(notes)
    ]
    return [s for s in found if s.unapplied > ZERO]


def refunds_by_customer(
    session: Session, customer_ids: Sequence[int] | None = None, as_at: date | None = None
) -> dict[int, Decimal]:
    query = (
        select(Payment.customer_id, func.sum(Payment.amount))
        .where(Payment.kind == PaymentKind.REFUND)
        .group_by(Payment.customer_id)
    )
    if customer_ids is not None:
        query = query.where(Payment.customer_id.in_(list(customer_ids)))
    if as_at is not None:
        query = query.where(Payment.received_on <= as_at)
    return {customer_id: total or ZERO for customer_id, total in session.execute(query)}


def credit_held_by_customer(
    session: Session, customer_ids: Sequence[int] | None = None, as_at: date | None = None
) -> dict[int, Decimal]:
    """Receipts and credit notes not set against invoices, less refunds: three statements."""
    held: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for source in credit_sources(session, customer_ids, as_at):
        held[source.customer_id] += source.unapplied
    for customer_id, refunded in refunds_by_customer(session, customer_ids, as_at).items():
        held[customer_id] -= refunded
    return dict(held)


def fees_overdue(
    session: Session, member_ids: Sequence[int], fee_year: int, on: date
) -> dict[int, Decimal]:
    """What each member owed on ``on`` on its membership fee invoices for the academic year
    starting in ``fee_year`` that were past their due date then: one statement."""
    overdue: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in invoice_rows_as_at(session, as_at=on, member_ids=member_ids, fee_year=fee_year):
        if row.member_id is not None and row.is_overdue(on):
            overdue[row.member_id] += row.outstanding
    return dict(overdue)
