"""The invoice register as an Excel workbook: every invoice and credit note with what is owed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from thep_desktop.reports.shared.spreadsheet import ColumnSpec, ExportError, TableData, write_xlsx

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RegisterRow:
    number: str  # empty for a draft
    kind: str  # "Invoice" / "Credit note"
    invoice_date: date
    due_date: date | None
    customer: str
    reference: str
    net: Decimal
    vat: Decimal
    total: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    status: str  # "Issued", "Part paid", "Paid", "Credited", "Draft"


COLUMNS = (
    ColumnSpec("Number"),
    ColumnSpec("Type"),
    ColumnSpec("Date", "date"),
    ColumnSpec("Due date", "date"),
    ColumnSpec("Customer"),
    ColumnSpec("Reference"),
    ColumnSpec("Net", "money"),
    ColumnSpec("VAT", "money"),
    ColumnSpec("Total", "money"),
    ColumnSpec("Paid", "money"),
    ColumnSpec("Credited", "money"),
    ColumnSpec("Outstanding", "money"),
    ColumnSpec("Status"),
)
_SUMMED = ("net", "vat", "total", "paid", "credited", "outstanding")


def register_table(rows: Iterable[RegisterRow], title: str, *, source: str = "") -> TableData:
    """The register for the spreadsheet writer: a row per document, then the totals.

    Drafts are listed but not added up. Net, VAT and total add the invoices and subtract
    the credit notes (whose amounts are stored positive): what was invoiced net of credit.
    Paid, credited and outstanding add the invoices' only, since what a credit note
    credits already shows against its invoice.
    """
    kept = list(rows)
    values = [
        (
            row.number or "Draft",
            row.kind,
            row.invoice_date,
            row.due_date,
            row.customer,
            row.reference,
            row.net,
            row.vat,
            row.total,
            row.paid,
            row.credited,
            row.outstanding,
            row.status,
        )
        for row in kept
    ]
    sums = {name: ZERO for name in _SUMMED}
    for row in kept:
        if not row.number:
            continue
        credit_note = row.kind.casefold().startswith("credit")
        for name in _SUMMED:
            amount: Decimal = getattr(row, name)
            if name in ("net", "vat", "total"):
                sums[name] += -amount if credit_note else amount
            elif not credit_note:
                sums[name] += amount
    count = len(kept)
    subtitle = (
        f"{count:,} document{'s' if count != 1 else ''}. The totals leave out drafts and "
        "take credit notes off what was invoiced."
    )
    return TableData(
        title=title,
        subtitle=subtitle,
        columns=list(COLUMNS),
        rows=values,
        row_count=count,
        source=source,
        totals=("Total", None, None, None, None, None, *(sums[n] for n in _SUMMED), None),
    )


def write_invoice_register_xlsx(
    path_or_stream: str | Path | BinaryIO, rows: Iterable[RegisterRow], title: str
) -> int:
    """Write the register as a workbook (amounts in pounds, dates as dates); returns rows."""
    if isinstance(path_or_stream, str | Path) and Path(path_or_stream).suffix.casefold() != (
        ".xlsx"
    ):
        raise ExportError("Choose a file ending .xlsx for the invoice register.")
    return write_xlsx(path_or_stream, register_table(rows, title))
