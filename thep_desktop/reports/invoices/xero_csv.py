"""Issued invoices as Xero's sales invoice import CSV, split into files of at most 500 invoices.

The columns are those of Xero's template (:data:`XERO_HEADER`, in its order and spelling);
one row per invoice line, repeating the invoice's contact, number, dates and total on each
of its rows. Dates are dd/mm/yyyy, as Xero reads them for a UK organisation; amounts have
two decimal places; the tax type is the name Xero's UK chart gives the line's VAT code;
the currency is GBP.

Xero imports at most 500 invoices from one file, so a longer export is split, never
between the rows of one invoice. The files are named after what was asked for:

- a folder: ``invoices-001.csv``, ``invoices-002.csv``, … inside it;
- a file name (``fees.csv``): that file, then ``fees-2.csv``, ``fees-3.csv`` beside it.

The files are plain UTF-8 with Windows line ends (Xero reads UTF-8; a byte order mark
would become part of the first column's name). Text is written as it is, with no guard
against spreadsheet formulas: Xero takes every field as text, and an apostrophe added to
a school's name would be imported into Xero. Credit notes are not part of Xero's sales
invoice template: leave them out (the invoices service exports only invoices).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import VatCode
from thep_desktop.reports.shared.spreadsheet import ExportError, money_text, replacing

XERO_HEADER = (
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "Total",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
)
INVOICES_PER_FILE = 500  # Xero's limit for one import
ADDRESS_LINES = 4  # Xero's POAddressLine1 to 4
COUNTRY = "United Kingdom"
CURRENCY = "GBP"
FOLDER_STEM = "invoices"


@dataclass(frozen=True)
class XeroLine:
    item_code: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    account_code: str
    vat_code: VatCode
    tax_amount: Decimal


@dataclass(frozen=True)
class XeroInvoice:
    contact_name: str
    email: str
    address_lines: tuple[str, ...]
    postcode: str
    number: str
    reference: str
    invoice_date: date
    due_date: date
    total: Decimal
    lines: tuple[XeroLine, ...]


def _number_text(value: Decimal) -> str:
    """A quantity as Xero reads it: plain digits, no trailing zeros (``412``, ``2.5``)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _unit_text(value: Decimal) -> str:
    """A unit amount: pounds and pence (``3.50``), more places only when it has them."""
    if value == value.quantize(Decimal("0.01")):
        return money_text(value)
    return format(value.normalize(), "f")


def _address(invoice: XeroInvoice) -> list[str]:
    """Four address lines; a longer address has its last lines joined onto the fourth."""
    lines = [line.strip() for line in invoice.address_lines if line and line.strip()]
    if len(lines) > ADDRESS_LINES:
        lines = [*lines[: ADDRESS_LINES - 1], ", ".join(lines[ADDRESS_LINES - 1 :])]
    return lines + [""] * (ADDRESS_LINES - len(lines))


def invoice_rows(invoice: XeroInvoice) -> Iterator[list[str]]:
    """The rows of one invoice, one per line, in :data:`XERO_HEADER`'s order."""
    if not invoice.lines:
        raise ExportError(
            f"Invoice {invoice.number} has no lines; Xero needs at least one to import it."
        )
    address = _address(invoice)
    has_address = any(address) or bool(invoice.postcode.strip())
    for line in invoice.lines:
        yield [
            invoice.contact_name.strip(),
            invoice.email.strip(),
            *address,
            "",  # POCity: the town is one of the address lines, not told apart here
            "",  # PORegion
            invoice.postcode.strip(),
            COUNTRY if has_address else "",
            invoice.number,
            invoice.reference.strip(),
            format_date(invoice.invoice_date),
            format_date(invoice.due_date),
            money_text(invoice.total),
            line.item_code.strip(),
            line.description.strip(),
            _number_text(line.quantity),
            _unit_text(line.unit_amount),
            "",  # Discount
            line.account_code.strip(),
            line.vat_code.xero_tax_type,
            money_text(line.tax_amount),
            "",  # TrackingName1
            "",
            "",
            "",
            CURRENCY,
            "",  # BrandingTheme: Xero's default
        ]


def file_paths(target: Path, count: int) -> list[Path]:
    """The ``count`` files for ``target`` (a folder, or a file name), as the module says."""
    if target.is_dir():
        return [target / f"{FOLDER_STEM}-{n:03d}.csv" for n in range(1, count + 1)]
    if target.suffix.casefold() != ".csv":
        raise ExportError("Choose a file ending .csv for the export to Xero.")
    stem, suffix = target.stem, target.suffix
    return [target, *(target.with_name(f"{stem}-{n}{suffix}") for n in range(2, count + 1))]


def write_xero_files(
    folder_or_path: Path, invoices: Iterable[XeroInvoice], *, per_file: int = INVOICES_PER_FILE
) -> list[Path]:
    """Write the invoices as Xero import files of at most ``per_file`` invoices each.

    Returns the files written, in order. All are written to temporary files first and
    put in place together at the end: when one cannot be written, :class:`ExportError`
    says why and no file of the export appears (an earlier export's are left as they
    were). Only when putting them in place fails part way (a file open in another
    program) may the later files already be there; the message names the one that failed.
    """
    if per_file < 1:
        raise ValueError("per_file must be at least 1")
    kept = list(invoices)
    if not kept:
        raise ExportError("There are no issued invoices to export to Xero.")
    numbers = [invoice.number for invoice in kept]
    if len(set(numbers)) != len(numbers):
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        raise ExportError(f"Invoice {repeated[0]} is in the export twice; Xero would refuse it.")
    batches = [kept[start : start + per_file] for start in range(0, len(kept), per_file)]
    paths = file_paths(Path(folder_or_path), len(batches))
    rows = [[row for invoice in batch for row in invoice_rows(invoice)] for batch in batches]
    with ExitStack() as stack:
        for path, batch_rows in zip(paths, rows, strict=True):
            temporary = stack.enter_context(replacing(path))
            with open(temporary, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\r\n")
                writer.writerow(XERO_HEADER)
                writer.writerows(batch_rows)
    return paths
