"""The aged debt report: columns per age, totals, invoices under customers, the workbook."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_documents import VAT_SUPPLIER
from openpyxl import load_workbook
from pypdf import PdfReader

from thep_desktop.reports.invoices.aged_debt import (
    AgedDebtReport,
    AgedDebtRow,
    AgedInvoice,
    write_aged_debt_pdf,
    write_aged_debt_xlsx,
)
from thep_desktop.reports.shared.spreadsheet import ExportError

D = Decimal
AS_AT = date(2026, 11, 30)


def aged_invoice(number: str, days_overdue: int, outstanding: str) -> AgedInvoice:
    due = AS_AT - timedelta(days=days_overdue)
    return AgedInvoice(number, due - timedelta(days=30), due, max(days_overdue, 0), D(outstanding))


def report() -> AgedDebtReport:
    bow = (aged_invoice("INV-000010", -5, "1442.50"), aged_invoice("INV-000003", 91, "100.00"))
    morpeth = (aged_invoice("INV-000007", 30, "250.00"), aged_invoice("INV-000008", 31, "75.25"))
    return AgedDebtReport(
        AS_AT,
        "Tower Hamlets Education Partnership",
        (
            AgedDebtRow(
                "Bow School & Sixth Form",
                (D("1442.50"), D(0), D(0), D(0), D("100.00")),
                D("1542.50"),
                bow,
            ),
            AgedDebtRow(
                "Morpeth School", (D(0), D("250.00"), D("75.25"), D(0), D(0)), D("325.25"), morpeth
            ),
        ),
    )


def pdf_text(detail: bool) -> str:
    buffer = io.BytesIO()
    write_aged_debt_pdf(buffer, report(), VAT_SUPPLIER.letterhead(None), detail=detail)
    pages = PdfReader(io.BytesIO(buffer.getvalue())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_totals_are_summed_per_age_when_not_given() -> None:
    made = report()
    assert made.totals == (D("1442.50"), D("250.00"), D("75.25"), D(0), D("100.00"))
    assert made.total == D("1867.75")


def test_each_invoice_falls_in_the_column_of_its_days_overdue() -> None:
    made = report()
    columns = {
        invoice.number: made.column_of(invoice) for row in made.rows for invoice in row.invoices
    }
    # Not yet due: current; 30 days late: 1–30; 31: 31–60; 91: over 90.
    assert columns == {"INV-000010": 0, "INV-000003": 4, "INV-000007": 1, "INV-000008": 2}


def test_the_pdf_shows_each_customer_per_age_with_totals() -> None:
    text = pdf_text(detail=False)
    for words in (
        "Aged debt as at 30/11/2026",
        "Customer Current 1–30 days 31–60 days 61–90 days Over 90 days Total",
        "Bow School & Sixth Form £1,442.50 – – – £100.00 £1,542.50",
        "Morpeth School – £250.00 £75.25 – – £325.25",
        "Total £1,442.50 £250.00 £75.25 £0.00 £100.00 £1,867.75",
        "2 customers owed £1,867.75 on 30/11/2026, of which £425.25 was overdue.",
        "Page 1 of 1",
    ):
        assert words in text, words
    assert "INV-" not in text


def test_with_detail_each_invoice_is_listed_under_its_customer() -> None:
    text = pdf_text(detail=True)
    bow = text.index("Bow School & Sixth Form")
    morpeth = text.index("Morpeth School")
    assert bow < text.index("INV-000010 dated 05/11/2026, due 05/12/2026 £1,442.50") < morpeth
    assert bow < text.index("INV-000003") < morpeth
    assert "INV-000003 dated 01/08/2026, due 31/08/2026, 91 days overdue £100.00" in text
    assert morpeth < text.index("INV-000008 dated 30/09/2026, due 30/10/2026, 31 days overdue")


def test_an_empty_report_says_nobody_owes_anything() -> None:
    buffer = io.BytesIO()
    empty = AgedDebtReport(AS_AT, "THEP", ())
    write_aged_debt_pdf(buffer, empty, VAT_SUPPLIER.letterhead(None))
    text = " ".join(PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text().split())
    assert "No customer owed anything on 30/11/2026." in text
    assert "Total £0.00 £0.00 £0.00 £0.00 £0.00 £0.00" in text


def test_a_row_with_the_wrong_number_of_ages_is_refused() -> None:
    with pytest.raises(ValueError, match="Morpeth School: 2 amounts"):
        AgedDebtReport(AS_AT, "THEP", (AgedDebtRow("Morpeth School", (D(1), D(2)), D(3)),))


def test_the_workbook_has_numbers_in_pounds_dates_as_dates_and_totals(tmp_path: Path) -> None:
    target = tmp_path / "aged.xlsx"
    write_aged_debt_xlsx(target, report())
    book = load_workbook(target)
    customers, invoices = book.worksheets
    assert customers.title == "Aged debt"
    assert customers.freeze_panes == "A4"
    assert "as at 30/11/2026" in customers["A2"].value
    header = [c.value for c in customers[3]]
    assert header == [
        "Customer",
        "Current",
        "1–30 days",
        "31–60 days",
        "61–90 days",
        "Over 90 days",
        "Total",
    ]
    rows = [[c.value for c in row] for row in customers.iter_rows(min_row=4)]
    assert rows == [
        ["Bow School & Sixth Form", 1442.5, 0, 0, 0, 100, 1542.5],
        ["Morpeth School", 0, 250, 75.25, 0, 0, 325.25],
        ["Total", 1442.5, 250, 75.25, 0, 100, 1867.75],
    ]
    assert customers["B4"].number_format == '"£"#,##0.00'
    assert customers["G6"].number_format == '"£"#,##0.00' and customers["G6"].font.b
    assert customers.auto_filter.ref == "A3:G5"  # the totals stay below the filter

    assert invoices.title == "Invoices"
    first = [c.value for c in invoices[4]]
    assert first[:2] == ["Bow School & Sixth Form", "INV-000010"]
    assert first[2] == datetime(2026, 11, 5) and invoices["C4"].number_format == "dd/mm/yyyy"
    assert first[3] == datetime(2026, 12, 5) and first[4] == 0 and first[5] == "Current"
    assert first[6] == 1442.5
    last = [c.value for c in invoices[invoices.max_row]]
    assert last[0] == "Total" and last[-1] == 1867.75


def test_the_workbook_can_go_to_a_stream_and_refuses_another_suffix(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_aged_debt_xlsx(buffer, report())
    assert load_workbook(buffer).worksheets[0]["A4"].value == "Bow School & Sixth Form"
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_aged_debt_xlsx(tmp_path / "aged.csv", report())
    assert list(tmp_path.iterdir()) == []


def test_the_pdf_to_a_path_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "aged.pdf"
    write_aged_debt_pdf(target, report(), VAT_SUPPLIER.letterhead(None))
    assert PdfReader(target).pages[0].extract_text()
    assert [p.name for p in tmp_path.iterdir()] == ["aged.pdf"]
