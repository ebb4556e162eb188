"""The invoice register workbook: a typed row per document and totals net of credit notes."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from thep_desktop.reports.invoices.invoice_register import RegisterRow, write_invoice_register_xlsx
from thep_desktop.reports.shared.spreadsheet import ExportError

D = Decimal


def row(number: str, kind: str = "Invoice", **changes: object) -> RegisterRow:
    values: dict[str, object] = dict(
        number=number,
        kind=kind,
        invoice_date=date(2026, 9, 1),
        due_date=date(2026, 10, 1),
        customer="Bow School & Sixth Form",
        reference="Fee run 2026/27",
        net=D("1000.00"),
        vat=D("200.00"),
        total=D("1200.00"),
        paid=D("700.00"),
        credited=D("0.00"),
        outstanding=D("500.00"),
        status="Part paid",
    )
    values.update(changes)
    return RegisterRow(**values)  # type: ignore[arg-type]


ROWS = [
    row("INV-000001"),
    row(
        "INV-000002",
        customer='=HYPERLINK("http://x")',
        paid=D("0.00"),
        credited=D("120.00"),
        outstanding=D("1080.00"),
        status="Issued",
    ),
    row(
        "CN-000001",
        "Credit note",
        due_date=None,
        net=D("100.00"),
        vat=D("20.00"),
        total=D("120.00"),
        paid=D("0.00"),
        credited=D("120.00"),
        outstanding=D("0.00"),
        status="Issued",
    ),
    row("", paid=D("0.00"), outstanding=D("0.00"), status="Draft"),
]


def test_the_register_reads_back_with_numbers_dates_and_totals(tmp_path: Path) -> None:
    target = tmp_path / "register.xlsx"
    written = write_invoice_register_xlsx(target, ROWS, "Invoice register 2026/27")
    assert written == 4
    sheet = load_workbook(target).active
    assert sheet.title == "Invoice register 2026 27"
    assert sheet["A1"].value.startswith("Invoice register 2026/27 — exported ")
    assert sheet["A2"].value.startswith("4 documents.")
    assert [c.value for c in sheet[3]] == [
        "Number",
        "Type",
        "Date",
        "Due date",
        "Customer",
        "Reference",
        "Net",
        "VAT",
        "Total",
        "Paid",
        "Credited",
        "Outstanding",
        "Status",
    ]
    first = [c.value for c in sheet[4]]
    assert first == [
        "INV-000001",
        "Invoice",
        datetime(2026, 9, 1),
        datetime(2026, 10, 1),
        "Bow School & Sixth Form",
        "Fee run 2026/27",
        1000,
        200,
        1200,
        700,
        0,
        500,
        "Part paid",
    ]
    assert sheet["C4"].number_format == "dd/mm/yyyy"
    assert sheet["I4"].number_format == '"£"#,##0.00'
    # A customer's name that looks like a formula stays text.
    assert sheet["E5"].value == '=HYPERLINK("http://x")' and sheet["E5"].data_type == "s"
    assert sheet["D6"].value is None  # a credit note has no due date
    assert sheet["A7"].value == "Draft"
    totals = [c.value for c in sheet[8]]
    # Two invoices less one credit note; the draft is left out; paid etc. of invoices only.
    assert totals == ["Total", None, None, None, None, None, 1900, 380, 2280, 700, 120, 1580, None]
    assert sheet["I8"].font.b


def test_the_register_goes_to_a_stream_or_to_a_file_ending_xlsx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_invoice_register_xlsx(buffer, ROWS[:1], "Invoices")
    assert load_workbook(buffer).active["A4"].value == "INV-000001"
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_invoice_register_xlsx(tmp_path / "register.pdf", ROWS, "Invoices")
    assert list(tmp_path.iterdir()) == []
