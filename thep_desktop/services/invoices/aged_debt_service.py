"""The aged debt report as at any date: every invoice with money owed then, by customer and age.

As at a date means as the books stood at the end of that day: invoices dated on or before
it, less what was paid or credited on or before it; a later payment, invoice or credit note
changes nothing. Each invoice's outstanding amount is aged from its due date. The report
costs the same few statements for one customer or ninety.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from thep_desktop.database import Database
from thep_desktop.domain.invoices import AGE_BUCKETS, ZERO, age_bucket, days_overdue
from thep_desktop.reports.invoices.aged_debt import (
    AgedDebtReport,
    AgedDebtRow,
    AgedInvoice,
    write_aged_debt_pdf,
    write_aged_debt_xlsx,
)
from thep_desktop.reports.invoices.invoice_document import Supplier
from thep_desktop.services.invoices.account_records import invoice_rows_as_at
from thep_desktop.services.invoices.invoice_data import InvoiceRow
from thep_desktop.services.invoices.invoice_records import supplier_snapshot
from thep_desktop.services.invoices.statements_service import organisation_logo
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.permissions import VIEW


class AgedDebtService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def aged_debt(self, actor: Actor, as_at: date | None = None) -> AgedDebtReport:
        """What each customer owed on ``as_at`` (None: today), in the age columns, with each
        invoice under its customer; customers by name."""
        actor.require(VIEW)
        on = as_at or date.today()
        with self.db.read_session() as session:
            rows = invoice_rows_as_at(session, as_at=on)
            supplier_name = supplier_snapshot(session)["name"]
        return AgedDebtReport(as_at=on, supplier_name=supplier_name, rows=_by_customer(rows, on))

    def write_aged_debt(
        self, actor: Actor, as_at: date | None, path: str | Path, *, detail: bool = False
    ) -> AgedDebtReport:
        """The report to ``path``: a PDF on the letterhead (``detail``: each invoice under its
        customer) or an Excel workbook, by the file's ending; written whole or not at all."""
        target = Path(path)
        suffix = target.suffix.casefold()
        if suffix not in (".pdf", ".xlsx"):
            raise ValidationError(
                {"path": "Choose a file ending .pdf (to print) or .xlsx (for Excel)."}
            )
        report = self.aged_debt(actor, as_at)
        if suffix == ".xlsx":
            write_aged_debt_xlsx(target, report)
        else:
            with self.db.read_session() as session:
                letterhead = Supplier.from_snapshot(supplier_snapshot(session)).letterhead(
                    organisation_logo(session)
                )
            write_aged_debt_pdf(target, report, letterhead, detail=detail)
        return report


def _by_customer(rows: list[InvoiceRow], on: date) -> tuple[AgedDebtRow, ...]:
    mine: dict[int, list[InvoiceRow]] = defaultdict(list)
    for row in rows:
        mine[row.customer_id].append(row)
    result = []
    for invoices in mine.values():
        amounts = [ZERO] * len(AGE_BUCKETS)
        for row in invoices:
            amounts[AGE_BUCKETS.index(age_bucket(row.due_date, on))] += row.outstanding
        # The name as the newest invoice to them shows it (a member renamed since the
        # older ones were issued is listed under its name of now).
        newest = max(invoices, key=lambda r: (r.invoice_date, r.id))
        result.append(
            AgedDebtRow(
                customer=newest.customer_name,
                amounts=tuple(amounts),
                total=sum(amounts, ZERO),
                invoices=tuple(
                    AgedInvoice(
                        r.number or "",
                        r.invoice_date,
                        r.due_date,
                        days_overdue(r.due_date, on),
                        r.outstanding,
                    )
                    for r in invoices
                ),
            )
        )
    result.sort(key=lambda r: (r.customer.casefold(), r.total))
    return tuple(result)
