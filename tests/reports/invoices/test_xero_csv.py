"""Xero's sales invoice CSV: the template's header exactly, rows that parse back, 500 a file."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from thep_desktop.domain.invoices import VatCode
from thep_desktop.reports.invoices.xero_csv import (
    XERO_HEADER,
    XeroInvoice,
    XeroLine,
    write_xero_files,
)
from thep_desktop.reports.shared.spreadsheet import ExportError

TEMPLATE = Path("/work/shared/data/xero-sales-invoice-template-header.csv")
D = Decimal


def xero_invoice(n: int, lines: int = 2, **changes: object) -> XeroInvoice:
    made = tuple(
        XeroLine(
            item_code="SLA" if k % 2 else "",
            description=f"Membership fee 2026/27, part {k + 1}: 412 pupils at £3.50",
            quantity=D("412") if k % 2 == 0 else D("2.5"),
            unit_amount=D("3.50") if k % 2 == 0 else D("450.125"),
            account_code="200",
            vat_code=VatCode.EXEMPT if k % 2 == 0 else VatCode.STANDARD,
            tax_amount=D("0.00") if k % 2 == 0 else D("225.06"),
        )
        for k in range(lines)
    )
    values: dict[str, object] = dict(
        contact_name=f'Bow School, "Sixth Form" & Co {n}',
        email="finance@bow.towerhamlets.sch.uk",
        address_lines=("Paton Close", "Bow", "London"),
        postcode="E3 2QD",
        number=f"INV-{n:06d}",
        reference="Fee run 2026/27",
        invoice_date=date(2026, 9, 1),
        due_date=date(2026, 10, 1),
        total=D("2792.00"),
        lines=made,
    )
    values.update(changes)
    return XeroInvoice(**values)  # type: ignore[arg-type]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


@pytest.mark.skipif(not TEMPLATE.exists(), reason="the shared reference data is not here")
def test_the_header_is_xero_s_template_byte_for_byte(tmp_path: Path) -> None:
    [written] = write_xero_files(tmp_path, [xero_invoice(1)])
    template_header = TEMPLATE.read_bytes().splitlines()[0]
    ours = written.read_bytes()
    assert ours.split(b"\r\n")[0] == template_header
    assert ",".join(XERO_HEADER).encode() == template_header
    assert not ours.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no byte order mark
    assert ours.endswith(b"\r\n") and b"\n" not in ours.replace(b"\r\n", b"")


def test_each_line_is_a_row_that_parses_back_to_the_same_values(tmp_path: Path) -> None:
    long_address = xero_invoice(
        2, lines=1, address_lines=("Flat 1", "Block B", "Paton Close", "Bow", "London")
    )
    [written] = write_xero_files(tmp_path, [xero_invoice(1), long_address])
    rows = read(written)
    assert len(rows) == 3
    first, second, third = rows
    assert first == {
        "*ContactName": 'Bow School, "Sixth Form" & Co 1',
        "EmailAddress": "finance@bow.towerhamlets.sch.uk",
        "POAddressLine1": "Paton Close",
        "POAddressLine2": "Bow",
        "POAddressLine3": "London",
        "POAddressLine4": "",
        "POCity": "",
        "PORegion": "",
        "POPostalCode": "E3 2QD",
        "POCountry": "United Kingdom",
        "*InvoiceNumber": "INV-000001",
        "Reference": "Fee run 2026/27",
        "*InvoiceDate": "01/09/2026",
        "*DueDate": "01/10/2026",
        "Total": "2792.00",
        "InventoryItemCode": "",
        "*Description": "Membership fee 2026/27, part 1: 412 pupils at £3.50",
        "*Quantity": "412",
        "*UnitAmount": "3.50",
        "Discount": "",
        "*AccountCode": "200",
        "*TaxType": "Exempt Income",
        "TaxAmount": "0.00",
        "TrackingName1": "",
        "TrackingOption1": "",
        "TrackingName2": "",
        "TrackingOption2": "",
        "Currency": "GBP",
        "BrandingTheme": "",
    }
    # The invoice's own values repeat on each of its rows; the line's are its own.
    assert second["*InvoiceNumber"] == "INV-000001" and second["Total"] == "2792.00"
    assert second["*Quantity"] == "2.5" and second["*UnitAmount"] == "450.125"
    assert second["*TaxType"] == "20% (VAT on Income)" and second["TaxAmount"] == "225.06"
    assert second["InventoryItemCode"] == "SLA"
    # Five address lines fit Xero's four: the last two are joined.
    assert [third[f"POAddressLine{n}"] for n in range(1, 5)] == [
        "Flat 1",
        "Block B",
        "Paton Close",
        "Bow, London",
    ]


def test_a_thousand_and_one_invoices_make_three_files_none_split(tmp_path: Path) -> None:
    invoices = [xero_invoice(n, lines=1 + n % 3) for n in range(1, 1002)]
    paths = write_xero_files(tmp_path, invoices)
    assert [p.name for p in paths] == ["invoices-001.csv", "invoices-002.csv", "invoices-003.csv"]
    assert sorted(tmp_path.iterdir()) == paths
    seen: dict[str, str] = {}
    per_file = []
    for path in paths:
        rows = read(path)
        numbers = {row["*InvoiceNumber"] for row in rows}
        per_file.append(len(numbers))
        for number in numbers:
            assert number not in seen, f"{number} split between {seen.get(number)} and {path}"
            seen[number] = path.name
        for row in rows:
            n = int(row["*InvoiceNumber"][4:])
            expected = 1 + n % 3
            assert sum(1 for r in rows if r["*InvoiceNumber"] == row["*InvoiceNumber"]) == expected
    assert per_file == [500, 500, 1]
    assert len(seen) == 1001


def test_a_file_name_gives_numbered_siblings(tmp_path: Path) -> None:
    paths = write_xero_files(tmp_path / "fees.csv", [xero_invoice(n) for n in range(5)], per_file=2)
    assert [p.name for p in paths] == ["fees.csv", "fees-2.csv", "fees-3.csv"]
    assert [len(read(p)) for p in paths] == [4, 4, 2]


def test_bad_exports_are_refused_and_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no issued invoices"):
        write_xero_files(tmp_path, [])
    with pytest.raises(ExportError, match="INV-000001 has no lines"):
        write_xero_files(tmp_path, [xero_invoice(1, lines=0)])
    with pytest.raises(ExportError, match="INV-000003 is in the export twice"):
        write_xero_files(tmp_path, [xero_invoice(3), xero_invoice(4), xero_invoice(3)])
    with pytest.raises(ExportError, match=r"\.csv"):
        write_xero_files(tmp_path / "fees.xlsx", [xero_invoice(1)])
    with pytest.raises(ExportError):
        write_xero_files(tmp_path / "missing" / "fees.csv", [xero_invoice(1)])
    assert list(tmp_path.iterdir()) == []


def test_a_failure_part_way_leaves_an_earlier_export_as_it_was(tmp_path: Path) -> None:
    earlier = tmp_path / "fees.csv"
    earlier.write_text("earlier export\r\n", encoding="utf-8")
    # The second file's name is taken by a folder: it cannot be put in place.
    (tmp_path / "fees-2.csv").mkdir()
    with pytest.raises(ExportError):
        write_xero_files(earlier, [xero_invoice(n) for n in range(3)], per_file=2)
    assert earlier.read_bytes() == b"earlier export\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fees-2.csv", "fees.csv"]
