"""Reading invoices, customers and settings out of a session into plain data, in few statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, func, or_, select
from sqlalchemy.orm import Session

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    PaymentStatus,
    ReminderStage,
    VatCode,
)
from thep_desktop.models import (
    Allocation,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSettings,
    NumberSeries,
    OrganisationProfile,
    Payment,
)
from thep_desktop.services.invoices.invoice_data import (
    AllocationDetail,
    CustomerDetail,
    InvoiceDetail,
    InvoiceFilter,
    InvoiceRow,
    LineDetail,
    ReminderDetail,
    SettingsDetail,
)
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import _load_members

DEFAULT_PREFIXES = {InvoiceKind.INVOICE: "INV-", InvoiceKind.CREDIT_NOTE: "CN-"}
# What an invoice keeps of the organisation profile when it is issued (for reprinting).
SUPPLIER_FIELDS = (
    "name",
    "address",
    "postcode",
    "phone",
    "email",
    "website",
    "company_number",
    "charity_number",
    "vat_number",
    "registered_office",
    "bank_name",
    "bank_account_name",
    "bank_sort_code",
    "bank_account_number",
)


def load_settings(session: Session) -> SettingsDetail:
    """The settings, or the defaults while nobody has saved any."""
    row = session.scalar(select(InvoiceSettings).order_by(InvoiceSettings.id).limit(1))
    prefixes = {k: v for k, v in session.execute(select(NumberSeries.kind, NumberSeries.prefix))}
    values: dict[str, Any] = {
        "payment_terms_days": 30,
        "first_reminder_days": 14,
        "second_reminder_days": 28,
        "final_reminder_days": 42,
        "fee_vat_code": VatCode.OUTSIDE_SCOPE,
        "fee_account_code": "200",
        "invoice_note": "",
        "version": 0,
    }
    if row is not None:
        for name in list(values):
            values[name] = getattr(row, name)
    return SettingsDetail(
        **values,
        invoice_prefix=prefixes.get(InvoiceKind.INVOICE, DEFAULT_PREFIXES[InvoiceKind.INVOICE]),
        credit_note_prefix=prefixes.get(
            InvoiceKind.CREDIT_NOTE, DEFAULT_PREFIXES[InvoiceKind.CREDIT_NOTE]
        ),
    )


def supplier_snapshot(session: Session) -> dict[str, str]:
    """The organisation as it is now, to keep on an invoice being issued."""
    row = session.scalar(select(OrganisationProfile).order_by(OrganisationProfile.id).limit(1))
    return {name: (getattr(row, name) or "") if row is not None else "" for name in SUPPLIER_FIELDS}


def customer_detail(row: Customer) -> CustomerDetail:
    return CustomerDetail(
        id=row.id,
        uuid=row.uuid,
        version=row.version,
        member_id=row.member_id,
        name=row.name,
        contact_name=row.contact_name,
        address=row.address,
        postcode=row.postcode,
        email=row.email,
        phone=row.phone,
        notes=row.notes,
        active=row.active,
    )


def customer_snapshots(
    session: Session,
    customers: Iterable[Customer],
    members: Mapping[int, MemberDetail] | None = None,
) -> dict[int, dict[str, str]]:
    """Each customer's name, contact and address as an invoice to them shows it now.

    A member's come from the member (its school's name and address for a school); the
    customer record's own contact name and email, when given, are used before the member's.
    """
    customers = list(customers)
    if members is None:  # else: the members, read already by the caller
        members = {
            m.id: m
            for m in _load_members(
                session, [c.member_id for c in customers if c.member_id is not None]
            )
        }
    found: dict[int, dict[str, str]] = {}
    for customer in customers:
        member = members.get(customer.member_id) if customer.member_id is not None else None
        if member is not None:
            found[customer.id] = {
                "customer_name": member.name,
                "customer_contact": customer.contact_name or member.contact_name,
                "customer_address": member.address,
                "customer_postcode": member.postcode,
                "customer_email": customer.email or member.email,
            }
        else:
            found[customer.id] = {
                "customer_name": customer.name,
                "customer_contact": customer.contact_name,
                "customer_address": customer.address,
                "customer_postcode": customer.postcode,
                "customer_email": customer.email,
            }
    return found


def _line(row: Any) -> LineDetail:
    return LineDetail(
        id=row.id,
        position=row.position,
        description=row.description,
        quantity=row.quantity,
        unit_price=row.unit_price,
        vat_code=row.vat_code,
        account_code=row.account_code,
        net=row.net,
        vat=row.vat,
        service_item_id=row.service_item_id,
    )


def payment_source(method: Any, received_on: date, reference: str) -> str:
    label = getattr(method, "label", str(method))
    return " ".join(p for p in (label, format_date(received_on), reference) if p)


def load_invoices(session: Session, ids: Sequence[int]) -> list[InvoiceDetail]:
    """Invoices with their lines, allocations, credit notes and reminders: six statements."""
    if not ids:
        return []
    invoice_table: Table = Invoice.__table__  # type: ignore[assignment]
    rows = session.execute(select(invoice_table).where(invoice_table.c.id.in_(list(ids)))).all()
    lines: dict[int, list[LineDetail]] = defaultdict(list)
    line_table: Table = InvoiceLine.__table__  # type: ignore[assignment]
    for line in session.execute(
        select(line_table)
        .where(line_table.c.invoice_id.in_(list(ids)))
        .order_by(line_table.c.position, line_table.c.id)
    ):
        lines[line.invoice_id].append(_line(line))
    credit_note = Invoice.__table__.alias("credit_note")  # type: ignore[attr-defined]
    target = Invoice.__table__.alias("target")  # type: ignore[attr-defined]
    allocations: dict[int, list[AllocationDetail]] = defaultdict(list)
    for a in session.execute(
        select(
            Allocation.id,
            Allocation.invoice_id,
            Allocation.payment_id,
            Allocation.credit_note_id,
            Allocation.amount,
            Allocation.allocated_on,
            target.c.number.label("invoice_number"),
            credit_note.c.number.label("credit_number"),
            Payment.method,
            Payment.received_on,
            Payment.reference,
        )
        .join(target, target.c.id == Allocation.invoice_id)
        .outerjoin(credit_note, credit_note.c.id == Allocation.credit_note_id)
        .outerjoin(Payment, Payment.id == Allocation.payment_id)
        .where(or_(Allocation.invoice_id.in_(list(ids)), Allocation.credit_note_id.in_(list(ids))))
        .order_by(Allocation.allocated_on, Allocation.id)
    ):
        source = (
            a.credit_number
            if a.credit_note_id is not None
            else payment_source(a.method, a.received_on, a.reference)
        )
        detail = AllocationDetail(
            a.id,
            a.invoice_id,
            a.invoice_number or "",
            a.payment_id,
            a.credit_note_id,
            source or "",
            a.amount,
            a.allocated_on,
        )
        if a.invoice_id in ids:
            allocations[a.invoice_id].append(detail)
        if a.credit_note_id is not None and a.credit_note_id in ids:
            allocations[a.credit_note_id].append(detail)
    credit_notes: dict[int, list[tuple[str, Any]]] = defaultdict(list)
    for cn in session.execute(
        select(Invoice.credits_invoice_id, Invoice.number, Invoice.total)
        .where(Invoice.credits_invoice_id.in_(list(ids)))
        .order_by(Invoice.id)
    ):
        credit_notes[cn.credits_invoice_id].append((cn.number or "", cn.total))
    credited = {
        k: (number, on)
        for k, number, on in session.execute(
            select(Invoice.id, Invoice.number, Invoice.invoice_date).where(
                Invoice.id.in_([r.credits_invoice_id for r in rows if r.credits_invoice_id])
            )
        )
    }
    reminders: dict[int, list[ReminderDetail]] = defaultdict(list)
    for r in session.execute(
        select(
            InvoiceReminder.invoice_id,
            InvoiceReminder.stage,
            InvoiceReminder.sent_on,
            InvoiceReminder.outstanding,
        )
        .where(InvoiceReminder.invoice_id.in_(list(ids)))
        .order_by(InvoiceReminder.sent_on, InvoiceReminder.id)
    ):
        reminders[r.invoice_id].append(
            ReminderDetail(ReminderStage(r.stage), r.sent_on, r.outstanding)
        )
    order = {invoice_id: n for n, invoice_id in enumerate(ids)}
    details = [
        InvoiceDetail(
            id=r.id,
            uuid=r.uuid,
            version=r.version,
            kind=InvoiceKind(r.kind),
            state=InvoiceState(r.state),
            number=r.number,
            customer_id=r.customer_id,
            member_id=r.member_id,
            customer_name=r.customer_name,
            customer_contact=r.customer_contact,
            customer_address=r.customer_address,
            customer_postcode=r.customer_postcode,
            customer_email=r.customer_email,
            invoice_date=r.invoice_date,
            due_date=r.due_date,
            supply_from=r.supply_from,
            supply_to=r.supply_to,
            purchase_order=r.purchase_order,
            reference=r.reference,
            notes=r.notes,
            total_net=r.total_net,
            total_vat=r.total_vat,
            total=r.total,
            lines=tuple(lines[r.id]),
            allocations=tuple(allocations[r.id]),
            credits_invoice_id=r.credits_invoice_id,
            credits_number=credited.get(r.credits_invoice_id, ("", None))[0] or "",
            credits_date=credited.get(r.credits_invoice_id, ("", None))[1],
            credit_reason=r.credit_reason,
            credit_notes=tuple(credit_notes[r.id]),
            fee_year=r.fee_year,
            fee_run_id=r.fee_run_id,
            issued_at=r.issued_at,
            issued_by=r.issued_by,
            reminders=tuple(reminders[r.id]),
            supplier=r.supplier,
        )
        for r in rows
    ]
    details.sort(key=lambda d: order[d.id])
    return details


def applied_amounts(
    session: Session, ids: Sequence[int] | None = None
) -> dict[int, tuple[Any, Any]]:
    """For each invoice: (paid, credited) from its allocations, in one statement (as Decimals:
    the sums keep the money type, so pence come back as pounds)."""
    paid = func.coalesce(func.sum(Allocation.amount).filter(Allocation.payment_id.is_not(None)), 0)
    credited = func.coalesce(
        func.sum(Allocation.amount).filter(Allocation.credit_note_id.is_not(None)), 0
    )
    query = select(Allocation.invoice_id, paid, credited).group_by(Allocation.invoice_id)
    if ids is not None:
        query = query.where(Allocation.invoice_id.in_(list(ids)))
    return {row[0]: (row[1], row[2]) for row in session.execute(query)}


def list_rows(session: Session, wanted: InvoiceFilter) -> list[InvoiceRow]:
    """The list's rows: three statements whatever the number of invoices."""
    query = select(
        Invoice.id,
        Invoice.uuid,
        Invoice.version,
        Invoice.kind,
        Invoice.state,
        Invoice.number,
        Invoice.customer_id,
        Invoice.member_id,
        Invoice.customer_name,
        Invoice.invoice_date,
        Invoice.due_date,
        Invoice.reference,
        Invoice.total,
        Invoice.fee_year,
    )
    if wanted.kinds:
        query = query.where(Invoice.kind.in_(list(wanted.kinds)))
    if wanted.customer_id is not None:
        query = query.where(Invoice.customer_id == wanted.customer_id)
    if wanted.member_id is not None:
        query = query.where(Invoice.member_id == wanted.member_id)
    if wanted.date_from is not None:
        query = query.where(Invoice.invoice_date >= wanted.date_from)
    if wanted.date_to is not None:
        query = query.where(Invoice.invoice_date <= wanted.date_to)
    if wanted.fee_year is not None:
        query = query.where(Invoice.fee_year == wanted.fee_year)
    text = wanted.search.strip()
    if text:
        pattern = f"%{text.casefold()}%"
        query = query.where(
            or_(
                func.lower(Invoice.number).like(pattern),
                func.lower(Invoice.customer_name).like(pattern),
                func.lower(Invoice.reference).like(pattern),
                func.lower(Invoice.purchase_order).like(pattern),
            )
        )
    rows = session.execute(query.order_by(Invoice.invoice_date.desc(), Invoice.id.desc())).all()
    applied = applied_amounts(session)
    sent = {
        k: v
        for k, v in session.execute(
            select(InvoiceReminder.invoice_id, func.count()).group_by(InvoiceReminder.invoice_id)
        )
    }
    result = []
    for r in rows:
        paid, credited = applied.get(r.id, (ZERO, ZERO))
        row = InvoiceRow(
            id=r.id,
            uuid=r.uuid,
            version=r.version,
            kind=InvoiceKind(r.kind),
            state=InvoiceState(r.state),
            number=r.number,
            customer_id=r.customer_id,
            member_id=r.member_id,
            customer_name=r.customer_name,
            invoice_date=r.invoice_date,
            due_date=r.due_date,
            reference=r.reference,
            total=r.total,
            paid=paid,
            credited=credited,
            fee_year=r.fee_year,
            reminders_sent=sent.get(r.id, 0),
        )
        if wanted.statuses and row.status not in wanted.statuses:
            continue
        if wanted.overdue_on is not None and not row.is_overdue(wanted.overdue_on):
            continue
        result.append(row)
    return result


def statuses_from_words(words: Iterable[str]) -> frozenset[PaymentStatus]:
    """``["paid", "part paid"]`` as statuses; a word that is none is refused in words."""
    found = set()
    for word in words:
        key = word.strip().lower().replace(" ", "_").replace("-", "_")
        try:
            found.add(PaymentStatus(key))
        except ValueError:
            names = ", ".join(s.label.lower() for s in PaymentStatus)
            raise ValueError(f"“{word}” is not a status; choose from {names}") from None
    return frozenset(found)
