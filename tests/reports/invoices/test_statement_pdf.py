"""Statements of account: balances, the age of what is owed, credit held, one PDF for many."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from invoice_documents import VAT_SUPPLIER
from pypdf import PdfReader

from thep_desktop.reports.invoices.invoice_document import InvoiceError
from thep_desktop.reports.invoices.statement_pdf import (
    StatementDocument,
    StatementEntry,
    aged_from_buckets,
    render_statements,
)

D = Decimal


def statement(**changes: object) -> StatementDocument:
    entries = (
        StatementEntry(date(2026, 9, 1), "Invoice", "INV-000100", D("1442.00"), D(0), D("1542.00")),
        StatementEntry(
            date(2026, 9, 20), "Payment", "BACS THEP FEES", D(0), D("1000.00"), D("542.00")
        ),
        StatementEntry(
            date(2026, 10, 3), "Credit note", "CN-000004", D(0), D("42.00"), D("500.00")
        ),
        StatementEntry(
            date(2026, 11, 1), "Invoice", "INV-000123", D("3062.00"), D(0), D("3562.00")
        ),
    )
    values: dict[str, object] = dict(
        supplier=VAT_SUPPLIER,
        customer_name="Bow School & Sixth Form",
        customer_contact="Finance Office",
        customer_address_lines=("Paton Close", "London"),
        customer_postcode="E3 2QD",
        statement_date=date(2026, 11, 30),
        period_from=date(2026, 9, 1),
        opening_balance=D("100.00"),
        entries=entries,
        closing_balance=D("3562.00"),
        credit_held=D("0.00"),
        overdue=D("600.00"),
        aged=aged_from_buckets([D("2962.00"), D(0), D("500.00"), D(0), D("100.00")]),
    )
    values.update(changes)
    return StatementDocument(**values)  # type: ignore[arg-type]


def texts(*statements: StatementDocument) -> tuple[list[str], object]:
    buffer = io.BytesIO()
    result = render_statements(buffer, statements)
    pages = PdfReader(io.BytesIO(buffer.getvalue())).pages
    return [" ".join(page.extract_text().split()) for page in pages], result


def test_a_statement_prints_each_entry_with_its_running_balance() -> None:
    [text], _ = texts(statement())
    for words in (
        "Statement of account",
        "Statement date 30/11/2026",
        "Period 01/09/2026 to 30/11/2026",
        "Balance due £3,562.00",
        "Of which overdue £600.00",
        "Bow School & Sixth Form",
        "Date Details Reference Debit Credit Balance",
        "01/09/2026 Balance brought forward £100.00",
        "01/09/2026 Invoice INV-000100 £1,442.00 £1,542.00",
        "20/09/2026 Payment BACS THEP FEES £1,000.00 £542.00",
        "03/10/2026 Credit note CN-000004 £42.00 £500.00",
        "01/11/2026 Invoice INV-000123 £3,062.00 £3,562.00",
        "Balance at 30/11/2026 £3,562.00",
        "Current 1–30 days 31–60 days 61–90 days Over 90 days",
        "£2,962.00 £0.00 £500.00 £0.00 £100.00",
        "Sort code 30-99-50",
        "Page 1 of 1",
    ):
        assert words in text, words
    assert "Credit held" not in text


def test_a_customer_in_credit_is_told_so_and_asked_for_nothing() -> None:
    [text], _ = texts(
        statement(
            closing_balance=D("-250.00"),
            credit_held=D("250.00"),
            overdue=D("0.00"),
            aged=aged_from_buckets([D(0)] * 5),
        )
    )
    assert "Credit held on your account £250.00" in text
    assert "Balance at 30/11/2026 -£250.00" in text
    assert "Balance due £0.00" in text
    assert "How to pay" not in text


def test_a_whole_history_has_no_brought_forward_line() -> None:
    [text], _ = texts(statement(period_from=None, opening_balance=D("0.00")))
    assert "Period Up to 30/11/2026 " in text
    assert "brought forward" not in text


def test_many_customers_share_one_pdf_each_with_its_own_pages() -> None:
    many = tuple(
        StatementEntry(date(2026, 9, 1), "Invoice", f"INV-{n:06d}", D(10), D(0), D(10 * n))
        for n in range(1, 36)
    )
    pages, result = texts(
        statement(), statement(customer_name="Morpeth School", entries=many), statement()
    )
    assert result.pages_per_document == (1, 2, 1)  # type: ignore[attr-defined]
    assert "Page 2 of 2" in pages[2] and "Morpeth School" in pages[2]
    assert "Page 1 of 1" in pages[3]


def test_no_statements_is_refused() -> None:
    with pytest.raises(InvoiceError, match="no statements"):
        render_statements(io.BytesIO(), [])


def test_the_age_columns_come_one_per_bucket() -> None:
    with pytest.raises(ValueError, match="one per age bucket"):
        aged_from_buckets([D(1), D(2)])
    assert replace(statement(), aged=()).aged == ()
