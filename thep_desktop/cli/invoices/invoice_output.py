"""How ``thep-admin invoices`` shows invoices, list rows, payments and reminders: text, JSON."""

from __future__ import annotations

from datetime import date
from typing import Any, TextIO

from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    text_value,
    write_fields,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.services.invoices.invoice_data import (
    InvoiceDetail,
    InvoiceRow,
    RunningTotals,
)
from thep_desktop.services.invoices.payment_data import PaymentDetail
from thep_desktop.services.invoices.reminders_service import ReminderDue
from thep_desktop.services.registry import Services


def find(services: Services, number: str) -> InvoiceDetail:
    """An invoice by its number, or a draft by ``id:N``."""
    text = number.strip()
    if text.lower().startswith("id:"):
        try:
            wanted = int(text[3:])
        except ValueError:
            raise CommandError(
                f"“{text}” is not an invoice: give id: and a number, e.g. id:12"
            ) from None
        return services.invoices.get_invoice(services.actor, wanted)
    return services.invoices.find_invoice(services.actor, text)


def status_text(row: InvoiceRow | InvoiceDetail, today: date) -> str:
    """ "Part paid, 12 days overdue", "Paid", "Draft"."""
    text = row.status.label
    late = row.days_overdue(today)
    if late:
        text += f", {late} day{'s' if late != 1 else ''} overdue"
    return text


def row_json(row: InvoiceRow, today: date) -> dict[str, Any]:
    return {
        "id": row.id,
        "uuid": row.uuid,
        "kind": row.kind,
        "number": row.number,
        "status": row.status,
        "customer_id": row.customer_id,
        "member_id": row.member_id,
        "customer": row.customer_name,
        "invoice_date": row.invoice_date,
        "due_date": row.due_date,
        "reference": row.reference,
        "total": row.total,
        "paid": row.paid,
        "credited": row.credited,
        "outstanding": row.outstanding,
        "days_overdue": row.days_overdue(today),
        "fee_year": row.fee_year,
        "reminders_sent": row.reminders_sent,
        "version": row.version,
    }


def totals_json(totals: RunningTotals) -> dict[str, Any]:
    return {
        "invoices": totals.count,
        "issued": totals.issued,
        "paid": totals.paid,
        "credited": totals.credited,
        "outstanding": totals.outstanding,
        "overdue": totals.overdue,
        "drafts": totals.drafts,
    }


def detail_json(detail: InvoiceDetail, today: date) -> dict[str, Any]:
    return {
        "id": detail.id,
        "uuid": detail.uuid,
        "kind": detail.kind,
        "number": detail.number,
        "status": detail.status,
        "customer_id": detail.customer_id,
        "member_id": detail.member_id,
        "customer": detail.customer_name,
        "contact": detail.customer_contact,
        "address_lines": list(detail.address_lines),
        "postcode": detail.customer_postcode,
        "email": detail.customer_email,
        "invoice_date": detail.invoice_date,
        "due_date": detail.due_date,
        "supply_from": detail.supply_from,
        "supply_to": detail.supply_to,
        "purchase_order": detail.purchase_order,
        "reference": detail.reference,
        "notes": detail.notes,
        "lines": [
            {
                "position": line.position,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "vat_code": line.vat_code,
                "account_code": line.account_code,
                "net": line.net,
                "vat": line.vat,
                "total": line.gross,
            }
            for line in detail.lines
        ],
        "total_net": detail.total_net,
        "total_vat": detail.total_vat,
        "total": detail.total,
        "paid": detail.paid,
        "credited": detail.credited,
        "outstanding": detail.outstanding,
        "days_overdue": detail.days_overdue(today),
        "allocations": [
            {
                "invoice_number": a.invoice_number,
                "source": a.source,
                "payment_id": a.payment_id,
                "credit_note_id": a.credit_note_id,
                "amount": a.amount,
                "allocated_on": a.allocated_on,
            }
            for a in detail.allocations
        ],
        "credits_number": detail.credits_number,
        "credit_reason": detail.credit_reason,
        "credit_notes": [{"number": n, "total": t} for n, t in detail.credit_notes],
        "reminders": [
            {"stage": r.stage, "sent_on": r.sent_on, "outstanding": r.outstanding}
            for r in detail.reminders
        ],
        "fee_year": detail.fee_year,
        "issued_at": detail.issued_at,
        "issued_by": detail.issued_by,
        "version": detail.version,
    }


def write_detail(detail: InvoiceDetail, today: date, out: TextIO) -> None:
    title = f"{detail.kind.label} {detail.display_number}"
    out.write(f"{title}\n{'=' * len(title)}\n")
    address = "\n".join(
        p for p in (detail.customer_contact, *detail.address_lines, detail.customer_postcode) if p
    )
    supply = ""
    if detail.supply_from and detail.supply_to:
        supply = f"{format_date(detail.supply_from)} to {format_date(detail.supply_to)}"
    fields = [
        ("Status", status_text(detail, today)),
        ("Customer", detail.customer_name),
        ("Address", address),
        ("Date", format_date(detail.invoice_date)),
    ]
    if not detail.is_credit_note:
        fields.append(("Due", format_date(detail.due_date)))
    else:
        fields += [("Credits", detail.credits_number), ("Reason", detail.credit_reason)]
    fields += [
        ("Supply period", supply),
        ("Order number", detail.purchase_order),
        ("Reference", detail.reference),
        ("Notes", detail.notes),
    ]
    write_fields([(k, v) for k, v in fields if v], out)
    out.write("\n")
    write_table(
        [
            Column("Description"),
            Column("Qty", right=True),
            Column("Price", right=True),
            Column("VAT"),
            Column("Net", right=True),
            Column("VAT £", right=True),
            Column("Account"),
        ],
        (
            [
                line.description.replace("\n", " "),
                f"{line.quantity.normalize():f}",
                text_value(line.unit_price),
                line.vat_code.short,
                text_value(line.net),
                text_value(line.vat),
                line.account_code,
            ]
            for line in detail.lines
        ),
        out,
    )
    out.write("\n")
    figures = [
        ("Net", text_value(detail.total_net)),
        ("VAT", text_value(detail.total_vat)),
        ("Total", text_value(detail.total)),
    ]
    if not detail.is_draft and not detail.is_credit_note:
        figures += [
            ("Paid", text_value(detail.paid)),
            ("Credited", text_value(detail.credited)),
            ("Outstanding", text_value(detail.outstanding)),
        ]
    elif detail.is_credit_note and not detail.is_draft:
        figures.append(("Not yet used", text_value(detail.outstanding)))
    write_fields(figures, out)
    if detail.allocations:
        out.write("\nSet against it\n" if not detail.is_credit_note else "\nApplied to\n")
        for a in detail.allocations:
            what = a.source if not detail.is_credit_note else a.invoice_number
            out.write(f"  {format_date(a.allocated_on)}  {what}  {text_value(a.amount)}\n")
    if detail.credit_notes:
        out.write("\nCredit notes\n")
        for number, total in detail.credit_notes:
            out.write(f"  {number}  {text_value(total)}\n")
    if detail.reminders:
        out.write("\nReminders sent\n")
        for r in detail.reminders:
            out.write(
                f"  {format_date(r.sent_on)}  {r.stage.label} "
                f"({text_value(r.outstanding)} outstanding)\n"
            )
    if detail.issued_at is not None:
        out.write(f"\nIssued by {detail.issued_by} on {text_value(detail.issued_at)}.\n")


def payment_json(payment: PaymentDetail) -> dict[str, Any]:
    return {
        "id": payment.id,
        "uuid": payment.uuid,
        "customer_id": payment.customer_id,
        "customer": payment.customer_name,
        "kind": payment.kind,
        "received_on": payment.received_on,
        "amount": payment.amount,
        "method": payment.method,
        "reference": payment.reference,
        "allocated": payment.allocated,
        "unallocated": payment.unallocated,
        "allocations": [
            {"invoice_number": a.invoice_number, "amount": a.amount} for a in payment.allocations
        ],
    }


def due_json(due: ReminderDue) -> dict[str, Any]:
    return {
        "invoice_id": due.invoice_id,
        "number": due.number,
        "customer": due.customer,
        "due_date": due.due_date,
        "days_overdue": due.days_overdue,
        "outstanding": due.outstanding,
        "stage": due.stage,
    }


def write_due(due: list[ReminderDue], out: TextIO) -> None:
    write_table(
        [
            Column("Number"),
            Column("Customer"),
            Column("Due"),
            Column("Days late", right=True),
            Column("Outstanding", right=True),
            Column("Reminder"),
        ],
        (
            [
                r.number,
                r.customer,
                format_date(r.due_date),
                str(r.days_overdue),
                text_value(r.outstanding),
                r.stage.label,
            ]
            for r in due
        ),
        out,
    )
