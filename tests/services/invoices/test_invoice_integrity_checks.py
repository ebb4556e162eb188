"""The invoice checks of thep-admin check: clean books pass; each break made by SQL is named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from invoice_records import customer, draft, issued
from sqlalchemy import insert, text, update

from thep_desktop.domain.invoices import PaymentKind, PaymentMethod, VatCode
from thep_desktop.models import Allocation, InvoiceLine, NumberSeries, Payment
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.invoices.invoice_integrity_checks import sequence_problems
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.registry import Services

TOTALS = "Invoice totals equal their lines"
NUMBERS = "Invoice and credit note numbers have no gaps"
ALLOCATED = "Nothing is paid or credited beyond its total"
OUTSIDE = VatCode.OUTSIDE_SCOPE


def problems(services: Services) -> dict[str, list[str]]:
    return {r.name: r.problems for r in run_checks(services.db, services.actor)}


def bill(services: Services, who: int, amount: str, on: date = date(2026, 9, 1)) -> int:
    return issued(services, who, ("Service", "1", amount, OUTSIDE), invoice_date=on).id


def test_clean_books_pass_every_check(services: Services) -> None:
    who = customer(services)
    first = bill(services, who, "400.00")
    second = issued(
        services,
        who,
        ("Training place", "3", "33.33", VatCode.STANDARD),
        invoice_date=date(2026, 9, 2),
    ).id
    services.payments.record_payment(
        services.actor,
        PaymentInput(
            customer_id=who,
            received_on=date(2026, 10, 1),
            amount="500.00",
            allocations=((first, "400.00"),),
            hold_rest_as_credit=True,
        ),
    )
    services.invoices.credit(services.actor, second, "Not held", credit_date=date(2026, 10, 2))
    services.payments.refund(services.actor, who, "100.00", date(2026, 10, 3), "BACS")
    draft(services, who, invoice_date=date(2026, 10, 4))
    found = problems(services)
    assert found[TOTALS] == [] and found[NUMBERS] == [] and found[ALLOCATED] == []


def test_a_drafts_totals_that_are_not_its_lines_are_named(services: Services) -> None:
    made = draft(services, customer(services), ("SLA day", "2", "450.00", VatCode.STANDARD))
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE invoice SET total = total + 1 WHERE id = :i"), {"i": made.id})
    (only,) = problems(services)[TOTALS]
    assert only == (
        "The draft to Bow Arts Trust dated 01/09/2026 (record "
        f"{made.id}): its total is £1,080.01, not its net £900.00 plus VAT £180.00"
    )


def test_an_issued_line_that_is_not_quantity_times_price_is_named(services: Services) -> None:
    made = draft(services, customer(services), ("SLA day", "2", "450.00", VatCode.STANDARD))
    # Broken while a draft (an issued line cannot be changed at all), then issued: the
    # invoice's totals are worked out again from quantity and price, the line keeps its net.
    with services.db.engine.begin() as conn:
        conn.execute(
            update(InvoiceLine)
            .where(InvoiceLine.invoice_id == made.id)
            .values(net=Decimal("899.99"), vat=Decimal("1.00"))
        )
    services.invoices.issue(services.actor, [made.id])
    found = problems(services)[TOTALS]
    assert "INV-000001, line 1: its net is £899.99, but 2.00 × £450.00 is £900.00" in found
    assert "INV-000001, line 1: its VAT is £1.00, but 20% of £899.99 is £180.00" in found
    assert (
        "INV-000001: its net total is £900.00, but its lines' net amounts add up to £899.99"
        in found
    )
    assert "INV-000001: its VAT total is £180.00, but its lines' VAT adds up to £1.00" in found


def test_a_gap_in_the_numbers_and_a_wrong_next_number_are_named(services: Services) -> None:
    who = customer(services)
    bill(services, who, "1.00")
    bill(services, who, "2.00")
    with services.db.engine.begin() as conn:
        conn.execute(
            update(NumberSeries).where(NumberSeries.kind == "invoice").values(next_number=4)
        )
    bill(services, who, "3.00")  # numbered 4: 3 never issued
    assert problems(services)[NUMBERS] == ["Invoices: number 3 of 1 to 4 is missing"]
    with services.db.engine.begin() as conn:
        conn.execute(
            update(NumberSeries).where(NumberSeries.kind == "invoice").values(next_number=2)
        )
    assert problems(services)[NUMBERS] == [
        "Invoices: number 3 of 1 to 4 is missing",
        "Invoices: the next number to issue is 2, but the highest issued is 4 (it should be 5)",
    ]


def test_duplicate_numbers_are_named() -> None:
    # The database refuses a second use of a number (a unique key); the check still looks.
    found = sequence_problems(
        "Credit notes", [(1, "CN-000001"), (2, "CN-000002"), (2, "CN-2"), (3, "CN-000003")], 4
    )
    assert found == ["Credit notes: number 2 is used 2 times (CN-000002, CN-2)"]
    assert sequence_problems("Invoices", [(1, "A1"), (2, "B2")], 3) == []  # prefix changed
    assert sequence_problems("Invoices", [], 1) == []
    assert sequence_problems("Invoices", [(2, "A2"), (5, "A5")], 6) == [
        "Invoices: numbers 1, 3, 4 of 1 to 5 are missing"
    ]


def _allocate(services: Services, **values: object) -> None:
    with services.db.engine.begin() as conn:
        conn.execute(
            insert(Allocation).values(
                allocated_on=date(2026, 10, 9), created_by="sql", updated_by="sql", **values
            )
        )


def test_over_allocated_invoices_credit_notes_and_payments_are_named(services: Services) -> None:
    who = customer(services)
    first = bill(services, who, "400.00")
    second = bill(services, who, "100.00", date(2026, 9, 2))
    third = bill(services, who, "300.00", date(2026, 9, 3))
    paid = services.payments.record_payment(
        services.actor,
        PaymentInput(
            customer_id=who,
            received_on=date(2026, 10, 1),
            amount="400.00",
            allocations=((first, "400.00"),),
        ),
    )
    note = services.invoices.credit(services.actor, second, "Wrong", credit_date=date(2026, 10, 2))
    unissued = draft(services, who, invoice_date=date(2026, 10, 5)).id
    _allocate(services, invoice_id=first, payment_id=paid.id, amount=Decimal("1.00"))
    _allocate(services, invoice_id=third, credit_note_id=note.id, amount=Decimal("50.00"))
    _allocate(services, invoice_id=unissued, credit_note_id=note.id, amount=Decimal("5.00"))
    found = problems(services)[ALLOCATED]
    assert (
        "INV-000001: £401.00 is paid and credited against it, more than its total of £400.00"
        in found
    )
    assert (
        "CN-000001: £155.00 of it is set against invoices, more than its total of £100.00" in found
    )
    assert (
        "The payment of £400.00 received 01/10/2026: £401.00 of it is set against invoices, "
        "more than was received"
    ) in found
    assert any(
        p.startswith("£5.00 is set against The draft to Bow Arts Trust dated 05/10/2026")
        and p.endswith("which is a draft: money is set only against issued invoices")
        for p in found
    )


def test_a_refund_beyond_the_credit_held_is_named(services: Services) -> None:
    who = customer(services)
    bill(services, who, "10.00")
    with services.db.engine.begin() as conn:
        conn.execute(
            insert(Payment).values(
                customer_id=who,
                kind=PaymentKind.REFUND,
                received_on=date(2026, 10, 1),
                amount=Decimal("25.00"),
                method=PaymentMethod.BACS,
                created_by="sql",
                updated_by="sql",
            )
        )
    assert problems(services)[ALLOCATED] == [
        "Bow Arts Trust: £25.00 more was refunded than the credit it held"
    ]
