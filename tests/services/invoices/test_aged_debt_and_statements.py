"""The aged debt report at the buckets' boundaries and as at past dates; statements' balances."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from invoice_records import customer, draft, issued
from sqlalchemy import event

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.registry import Services
from thep_desktop.services.settings.organisation_service import ProfileData
from thep_desktop.services.shared.errors import ValidationError

OUTSIDE = VatCode.OUTSIDE_SCOPE
AS_AT = date(2026, 11, 1)


def bill(services: Services, who: int, amount: str, on: date) -> int:
    return issued(services, who, ("Service", "1", amount, OUTSIDE), invoice_date=on).id


def pay(services: Services, who: int, amount: str, on: date, *shares: tuple[int, str]) -> None:
    services.payments.record_payment(
        services.actor,
        PaymentInput(
            customer_id=who,
            received_on=on,
            amount=amount,
            allocations=tuple(shares),
            hold_rest_as_credit=True,
        ),
    )


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_aged_buckets_at_their_boundaries(services: Services) -> None:
    who = customer(services)
    late_by = [0, 1, 30, 31, 60, 61, 90, 91, -5]
    # Due 30 days after the invoice date: an invoice `late` days overdue on AS_AT.
    drafts = {
        late: draft(
            services,
            who,
            ("Service", "1", f"{n + 1}.00", OUTSIDE),
            invoice_date=AS_AT - timedelta(days=late + 30),
        ).id
        for n, late in enumerate(late_by)
    }
    services.invoices.issue(services.actor, list(drafts.values()))
    report = services.aged_debt.aged_debt(services.actor, AS_AT)
    (row,) = report.rows
    by_number = {i.number: i for i in row.invoices}
    numbers = {
        late: services.invoices.get_invoice(services.actor, i).number for late, i in drafts.items()
    }
    expected = {
        0: "current",
        1: "days_1_30",
        30: "days_1_30",
        31: "days_31_60",
        60: "days_31_60",
        61: "days_61_90",
        90: "days_61_90",
        91: "days_over_90",
        -5: "current",
    }
    from thep_desktop.domain.invoices import AGE_BUCKETS

    for late, key in expected.items():
        invoice = by_number[numbers[late]]
        assert AGE_BUCKETS[report.column_of(invoice)].key == key, late
        assert invoice.days_overdue == max(late, 0)
    # Amounts 1..9 by position in late_by: current 1 + 9, 1–30 2 + 3, 31–60 4 + 5 ...
    assert row.amounts == tuple(Decimal(x) for x in ("10.00", "5.00", "9.00", "13.00", "8.00"))
    assert row.total == Decimal("45.00") == report.total


def test_as_at_a_past_date_ignores_later_payments_invoices_and_credit_notes(
    services: Services,
) -> None:
    school = customer(services, "Bow Arts Trust")
    hub = customer(services, "Tower Hamlets Music Hub")
    first = bill(services, school, "400.00", date(2026, 9, 1))  # due 01/10/2026
    pay(services, school, "150.00", date(2026, 10, 10), (first, "150.00"))
    pay(services, school, "250.00", date(2026, 10, 20), (first, "250.00"))
    hubs = bill(services, hub, "90.00", date(2026, 9, 5))  # due 05/10/2026
    services.invoices.credit(services.actor, hubs, "Cancelled", credit_date=date(2026, 10, 25))
    bill(services, school, "100.00", date(2026, 10, 22))  # due 21/11/2026

    then = services.aged_debt.aged_debt(services.actor, date(2026, 10, 15))
    assert [(r.customer, r.total) for r in then.rows] == [
        ("Bow Arts Trust", Decimal("250.00")),
        ("Tower Hamlets Music Hub", Decimal("90.00")),
    ]
    # 14 and 10 days late: both 1–30.
    assert then.totals == (0, Decimal("340.00"), 0, 0, 0)
    assert [i.outstanding for i in then.rows[0].invoices] == [Decimal("250.00")]

    now = services.aged_debt.aged_debt(services.actor, AS_AT)
    assert [(r.customer, r.amounts[0]) for r in now.rows] == [("Bow Arts Trust", Decimal("100.00"))]
    before_any = services.aged_debt.aged_debt(services.actor, date(2026, 8, 31))
    assert before_any.rows == () and before_any.total == 0


def test_the_report_costs_the_same_statements_for_more_customers(
    services: Services, db: Database
) -> None:
    def statements_for_report() -> tuple[int, int]:
        with counted(db) as seen:
            services.aged_debt.aged_debt(services.actor, AS_AT)
        aged = len(seen)
        with counted(db) as seen:
            services.statements.statements(services.actor, None, None, AS_AT)
        return aged, len(seen)

    first = customer(services, "Customer 0")
    pay(
        services,
        first,
        "5.00",
        date(2026, 9, 2),
        (bill(services, first, "9.00", date(2026, 9, 1)), "5.00"),
    )
    few = statements_for_report()
    for n in range(1, 6):
        who = customer(services, f"Customer {n}")
        made = bill(services, who, "10.00", date(2026, 9, 1) + timedelta(days=n))
        pay(services, who, "4.00", date(2026, 10, 1), (made, "4.00"))
    assert len(services.aged_debt.aged_debt(services.actor, AS_AT).rows) == 6
    assert statements_for_report() == few


def test_a_statement_opens_runs_and_closes_its_balance(services: Services) -> None:
    who = customer(services)
    first = bill(services, who, "400.00", date(2026, 9, 1))
    second = bill(services, who, "100.00", date(2026, 9, 20))  # due 20/10/2026
    pay(services, who, "450.00", date(2026, 10, 5), (first, "400.00"))
    services.invoices.credit(
        services.actor, second, "Half a day", amount="30.00", credit_date=date(2026, 10, 10)
    )
    services.payments.refund(services.actor, who, "20.00", date(2026, 10, 12), "cheque", "Chq 12")
    seen = services.statements.statement(services.actor, who, date(2026, 9, 15), date(2026, 10, 31))
    assert seen.customer_name == "Bow Arts Trust" and seen.customer_postcode == "E3 2SJ"
    assert seen.opening_balance == Decimal("400.00")
    assert [(e.date, e.kind, e.debit, e.credit, e.balance) for e in seen.entries] == [
        (date(2026, 9, 20), "Invoice", Decimal("100.00"), 0, Decimal("500.00")),
        (date(2026, 10, 5), "Payment", 0, Decimal("450.00"), Decimal("50.00")),
        (date(2026, 10, 10), "Credit note", 0, Decimal("30.00"), Decimal("20.00")),
        (date(2026, 10, 12), "Refund", Decimal("20.00"), 0, Decimal("40.00")),
    ]
    assert seen.entries[2].reference == "CN-000001 for INV-000002"
    assert seen.entries[3].reference == "Cheque Chq 12"
    # Owed £70 on the second invoice (11 days late), less £30 of credit held.
    assert seen.closing_balance == Decimal("40.00")
    assert seen.credit_held == Decimal("30.00") and seen.overdue == Decimal("70.00")
    assert dict(seen.aged)["1–30 days"] == Decimal("70.00")
    # The whole account: no balance brought forward, the same closing balance.
    whole = services.statements.statement(services.actor, who, None, date(2026, 10, 31))
    assert whole.opening_balance == 0 and len(whole.entries) == 5
    assert whole.entries[-1].balance == whole.closing_balance == Decimal("40.00")
    # Before the refund and the credit note.
    earlier = services.statements.statement(services.actor, who, None, date(2026, 10, 6))
    assert earlier.closing_balance == Decimal("50.00") and earlier.credit_held == Decimal("50.00")
    with pytest.raises(ValidationError, match="after it ends"):
        services.statements.statement(services.actor, who, date(2026, 11, 2), date(2026, 11, 1))


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_statements_print_to_one_pdf_on_the_letterhead(services: Services, tmp_path: Path) -> None:
    services.organisation.update_profile(
        services.actor,
        ProfileData(
            name="THE Partnership",
            address="Professional Development Centre\nEnglish Street\nLondon",
            postcode="E3 4TA",
            company_number="07654321",
            bank_name="Lloyds",
            bank_sort_code="30-00-00",
            bank_account_number="12345678",
        ),
    )
    one, two = customer(services, "Bow Arts Trust"), customer(services, "St Mary & St John")
    bill(services, one, "400.00", date(2026, 9, 1))
    bill(services, two, "80.00", date(2026, 9, 2))
    pay(
        services,
        two,
        "100.00",
        date(2026, 9, 30),
        (bill(services, two, "1.00", date(2026, 9, 3)), "1.00"),
    )
    done = services.statements.write_statements(
        services.actor, None, tmp_path / "statements.pdf", date_to=AS_AT
    )
    assert done.documents == 2
    words = _pdf_text(tmp_path / "statements.pdf")
    assert words.index("Bow Arts Trust") < words.index("St Mary & St John")
    assert "Statement of account" in words and "THE Partnership" in words
    assert "£400.00" in words and "30-00-00" in words
    assert "Credit held on your account" in words  # St Mary's £19 of credit
    with pytest.raises(Exception, match="no statements to print"):
        services.statements.write_statements(
            services.actor, None, tmp_path / "none.pdf", date_to=date(2026, 8, 1)
        )
    assert not (tmp_path / "none.pdf").exists()


def test_the_aged_debt_report_writes_a_pdf_and_a_workbook(
    services: Services, tmp_path: Path
) -> None:
    who = customer(services)
    bill(services, who, "400.00", date(2026, 9, 1))
    services.aged_debt.write_aged_debt(services.actor, AS_AT, tmp_path / "aged.pdf", detail=True)
    words = _pdf_text(tmp_path / "aged.pdf")
    assert "Aged debt as at 01/11/2026" in words and "INV-000001" in words
    services.aged_debt.write_aged_debt(services.actor, AS_AT, tmp_path / "aged.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "aged.xlsx").worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in values if r and r[0] == "Bow Arts Trust")
    # Due 01/10/2026: 31 days late, the 31–60 column.
    assert row[1:] == [0, 0, 400, 0, 0, 400]
    with pytest.raises(ValidationError, match=r"\.pdf .* or \.xlsx"):
        services.aged_debt.write_aged_debt(services.actor, AS_AT, tmp_path / "aged.csv")
    assert not (tmp_path / "aged.csv").exists()
