"""Statements of account: each customer's invoices, credit notes, payments and refunds with
the running balance, what is overdue and how old, and credit held; one PDF for many.

The balance is what the customer owes less what it holds as credit: invoices and refunds
add to it, credit notes and payments take from it (credit set against an invoice moves
nothing, so it is not a line). A statement for a period opens with the balance brought
forward from before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import (
    AGE_BUCKETS,
    ZERO,
    InvoiceKind,
    InvoiceState,
    PaymentKind,
    PaymentMethod,
    age_bucket,
)
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Customer, Invoice, OrganisationProfile, Payment
from thep_desktop.reports.invoices.invoice_document import InvoiceError, RenderResult, Supplier
from thep_desktop.reports.invoices.statement_pdf import (
    StatementDocument,
    StatementEntry,
    aged_from_buckets,
    render_statements,
)
from thep_desktop.reports.shared.spreadsheet import replacing
from thep_desktop.services.invoices.account_records import (
    credit_held_by_customer,
    invoice_rows_as_at,
)
from thep_desktop.services.invoices.invoice_records import (
    customer_snapshots,
    load_settings,
    supplier_snapshot,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW

# Entries of one day in this order: what was billed, then what was taken off it.
_ORDER = {"Invoice": 0, "Credit note": 1, "Payment": 2, "Refund": 3}


@dataclass(frozen=True)
class _Movement:
    customer_id: int
    on: date
    kind: str
    reference: str
    debit: Decimal
    credit: Decimal
    tie: int  # the sequence or id, so that the order is the same every time

    @property
    def change(self) -> Decimal:
        return self.debit - self.credit


def organisation_logo(session: Session) -> bytes | None:
    return session.scalar(select(OrganisationProfile.logo).order_by(OrganisationProfile.id))


class StatementsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def statement(
        self,
        actor: Actor,
        customer_id: int,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> StatementDocument:
        """One customer's statement from ``date_from`` (None: since the account opened) to
        ``date_to`` (None: today)."""
        return self.statements(actor, [customer_id], date_from, date_to)[0]

    def statements(
        self,
        actor: Actor,
        customer_ids: Sequence[int] | None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[StatementDocument]:
        """Statements for these customers (None: every customer whose balance is not nil at
        ``date_to``), in the order asked, or by name: a fixed number of statements."""
        actor.require(VIEW)
        end = date_to or date.today()
        if date_from is not None and date_from > end:
            raise ValidationError(
                {
                    "date_from": f"The statement starts ({format_date(date_from)}) after it "
                    f"ends ({format_date(end)})."
                }
            )
        with self.db.read_session() as session:
            if customer_ids is None:
                customers = list(session.scalars(select(Customer)))
            else:
                wanted = list(dict.fromkeys(customer_ids))
                found = {
                    c.id: c
                    for c in session.scalars(select(Customer).where(Customer.id.in_(wanted)))
                }
                if len(found) != len(wanted):
                    raise NotFoundError("A customer chosen is no longer in the records.")
                customers = [found[i] for i in wanted]
            ids = [c.id for c in customers]
            names = customer_snapshots(session, customers)
            movements = _movements(session, ids, end)
            owed = defaultdict(list)
            for row in invoice_rows_as_at(session, as_at=end, customer_ids=ids):
                owed[row.customer_id].append(row)
            held = credit_held_by_customer(session, ids, end)
            settings = load_settings(session)
            supplier = Supplier.from_snapshot(supplier_snapshot(session))
        result = []
        for customer_id in ids:
            mine = movements.get(customer_id, [])
            before = [m for m in mine if date_from is not None and m.on < date_from]
            during = [m for m in mine if date_from is None or m.on >= date_from]
            opening = sum((m.change for m in before), ZERO)
            balance = opening
            entries = []
            for m in during:
                balance += m.change
                entries.append(
                    StatementEntry(m.on, m.kind, m.reference, m.debit, m.credit, balance)
                )
            if customer_ids is None and balance == ZERO:
                continue
            buckets = [ZERO] * len(AGE_BUCKETS)
            for row in owed[customer_id]:
                buckets[AGE_BUCKETS.index(age_bucket(row.due_date, end))] += row.outstanding
            shown = names[customer_id]
            result.append(
                StatementDocument(
                    supplier=supplier,
                    customer_name=shown["customer_name"],
                    customer_contact=shown["customer_contact"],
                    customer_address_lines=tuple(
                        x.strip() for x in shown["customer_address"].splitlines() if x.strip()
                    ),
                    customer_postcode=shown["customer_postcode"],
                    statement_date=end,
                    period_from=date_from,
                    opening_balance=opening,
                    entries=tuple(entries),
                    closing_balance=balance,
                    credit_held=held.get(customer_id, ZERO),
                    overdue=sum(buckets[1:], ZERO),
                    aged=aged_from_buckets(buckets),
                    payment_terms_days=settings.payment_terms_days,
                    footer_note=settings.invoice_note,
                )
            )
        if customer_ids is None:
            result.sort(key=lambda s: s.customer_name.casefold())
        return result

    def write_statements(
        self,
        actor: Actor,
        customer_ids: Sequence[int] | None,
        path: str | Path,
        date_from: date | None = None,
        date_to: date | None = None,
        *,
        progress: Progress | None = None,
    ) -> RenderResult:
        """The statements in one PDF at ``path`` on the letterhead (the organisation's logo),
        each with its own pages; the file is written whole or not at all."""
        found = self.statements(actor, customer_ids, date_from, date_to)
        if not found:
            raise ServiceError(
                "No customer owes anything or holds credit on that date: there are no "
                "statements to print."
            )
        with self.db.read_session() as session:
            logo = organisation_logo(session)

        def done(number: int) -> None:
            if progress is not None:
                progress.report(number, len(found), f"Statement {number:,} of {len(found):,}")

        try:
            with replacing(Path(path)) as temporary:
                return render_statements(temporary, found, logo, on_document=done)
        except InvoiceError as exc:
            raise ServiceError(str(exc)) from exc


def _movements(session: Session, ids: list[int], end: date) -> dict[int, list[_Movement]]:
    """Each customer's invoices, credit notes, payments and refunds to ``end``, in date
    order: two statements."""
    found: dict[int, list[_Movement]] = defaultdict(list)
    if not ids:
        return found
    credited = Invoice.__table__.alias("credited")  # type: ignore[attr-defined]
    for r in session.execute(
        select(
            Invoice.customer_id,
            Invoice.kind,
            Invoice.invoice_date,
            Invoice.number,
            Invoice.sequence,
            Invoice.purchase_order,
            Invoice.total,
            credited.c.number.label("credits_number"),
        )
        .outerjoin(credited, credited.c.id == Invoice.credits_invoice_id)
        .where(
            Invoice.customer_id.in_(ids),
            Invoice.state == InvoiceState.ISSUED,
            Invoice.invoice_date <= end,
        )
    ):
        if InvoiceKind(r.kind) is InvoiceKind.INVOICE:
            reference = r.number + (f", PO {r.purchase_order}" if r.purchase_order else "")
            found[r.customer_id].append(
                _Movement(
                    r.customer_id, r.invoice_date, "Invoice", reference, r.total, ZERO, r.sequence
                )
            )
        else:
            reference = f"{r.number} for {r.credits_number}"
            found[r.customer_id].append(
                _Movement(
                    r.customer_id,
                    r.invoice_date,
                    "Credit note",
                    reference,
                    ZERO,
                    r.total,
                    r.sequence,
                )
            )
    for p in session.execute(
        select(
            Payment.id,
            Payment.customer_id,
            Payment.kind,
            Payment.received_on,
            Payment.amount,
            Payment.method,
            Payment.reference,
        ).where(Payment.customer_id.in_(ids), Payment.received_on <= end)
    ):
        words = " ".join(x for x in (PaymentMethod(p.method).label, p.reference) if x)
        if PaymentKind(p.kind) is PaymentKind.REFUND:
            found[p.customer_id].append(
                _Movement(p.customer_id, p.received_on, "Refund", words, p.amount, ZERO, p.id)
            )
        else:
            found[p.customer_id].append(
                _Movement(p.customer_id, p.received_on, "Payment", words, ZERO, p.amount, p.id)
            )
    for movements in found.values():
        movements.sort(key=lambda m: (m.on, _ORDER[m.kind], m.tie))
    return found
