"""Payments set against several invoices, credit held and applied later, refunds, and refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from invoice_records import customer, draft, issued, table_sums
from membership_records import join, make_school
from sqlalchemy import update

from thep_desktop.database import Database
from thep_desktop.domain.invoices import PaymentKind, PaymentMethod, PaymentStatus, VatCode
from thep_desktop.models import Invoice
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.invoices.payment_data import PaymentAllocation, PaymentInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError

OUTSIDE = VatCode.OUTSIDE_SCOPE
PAID_ON = date(2026, 10, 5)


def fee(services: Services, who: int, amount: str, on: date = date(2026, 9, 1)) -> int:
    return issued(services, who, ("Membership fee", "1", amount, OUTSIDE), invoice_date=on).id


def pay(services: Services, who: int, amount: str, *shares: tuple[int, str], **more: object):
    return services.payments.record_payment(
        services.actor,
        PaymentInput(
            customer_id=who,
            received_on=more.pop("on", PAID_ON),  # type: ignore[arg-type]
            amount=amount,
            method=more.pop("method", PaymentMethod.BACS),  # type: ignore[arg-type]
            reference=more.pop("reference", "BACS 4471"),  # type: ignore[arg-type]
            allocations=tuple(shares),
            **more,  # type: ignore[arg-type]
        ),
    )


def status(services: Services, invoice_id: int) -> PaymentStatus:
    return services.invoices.get_invoice(services.actor, invoice_id).status


def test_one_payment_settles_several_invoices(services: Services) -> None:
    who = customer(services)
    first, second = fee(services, who, "400.00"), fee(services, who, "250.00")
    paid = pay(services, who, "650.00", (first, "400.00"), (second, "250.00"), method="cheque")
    assert paid.kind is PaymentKind.RECEIPT and paid.method is PaymentMethod.CHEQUE
    assert paid.customer_name == "Bow Arts Trust"
    assert paid.allocations == (
        PaymentAllocation("INV-000001", Decimal("400.00")),
        PaymentAllocation("INV-000002", Decimal("250.00")),
    )
    assert paid.allocated == Decimal("650.00") and paid.unallocated == 0
    assert status(services, first) is PaymentStatus.PAID
    assert status(services, second) is PaymentStatus.PAID
    assert services.payments.credit_held(services.actor, who) == 0
    listed = services.payments.payments(services.actor, customer_id=who)
    assert [p.id for p in listed] == [paid.id]


def test_part_payment_leaves_the_rest_owed(services: Services) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    pay(services, who, "150.00", (bill, "150.00"))
    seen = services.invoices.get_invoice(services.actor, bill)
    assert seen.status is PaymentStatus.PART_PAID and seen.outstanding == Decimal("250.00")
    assert "BACS 05/10/2026 BACS 4471" in seen.allocations[0].source


def test_an_overpayment_held_as_credit_is_applied_later_and_refunded(
    services: Services, db: Database
) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    paid = pay(services, who, "550.00", (bill, "400.00"), hold_rest_as_credit=True)
    assert paid.unallocated == Decimal("150.00")
    assert services.payments.credit_held(services.actor, who) == Decimal("150.00")
    # A later invoice takes £100 of the credit.
    later = fee(services, who, "300.00", on=date(2026, 10, 10))
    services.payments.apply_credit(services.actor, who, later, "100.00", on=date(2026, 10, 11))
    seen = services.invoices.get_invoice(services.actor, later)
    assert seen.paid == Decimal("100.00") and seen.status is PaymentStatus.PART_PAID
    assert services.payments.credit_held(services.actor, who) == Decimal("50.00")
    assert services.payments.get_payment(services.actor, paid.id).unallocated == Decimal("50.00")
    # Asking for more credit than is held is refused; so is refunding more than is held.
    before = table_sums(db)
    with pytest.raises(ValidationError, match="holds £50.00 of credit"):
        services.payments.apply_credit(services.actor, who, later, "60.00")
    with pytest.raises(ValidationError, match="holds £50.00 of credit"):
        services.payments.refund(services.actor, who, "50.01", PAID_ON, "BACS")
    assert table_sums(db) == before
    # The rest is paid back.
    back = services.payments.refund(
        services.actor, who, "50.00", date(2026, 10, 20), "BACS", "Refund of overpayment"
    )
    assert back.kind is PaymentKind.REFUND and back.is_refund and back.unallocated == 0
    assert services.payments.credit_held(services.actor, who) == 0
    # As it stood before the refund, the credit was held.
    assert services.payments.credit_held(services.actor, who, date(2026, 10, 19)) == Decimal(
        "50.00"
    )
    kinds = [p.kind for p in services.payments.payments(services.actor, customer_id=who)]
    assert kinds == [PaymentKind.REFUND, PaymentKind.RECEIPT]


def test_credit_from_a_credit_note_is_held_and_applied_after_receipts(
    services: Services,
) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    pay(services, who, "400.00", (bill, "400.00"))
    # Credited after it was paid: the credit note's whole £400 is the customer's credit.
    services.invoices.credit(services.actor, bill, "Billed in error", credit_date=date(2026, 10, 6))
    pay(services, who, "20.00", hold_rest_as_credit=True, on=date(2026, 10, 7))
    assert services.payments.credit_held(services.actor, who) == Decimal("420.00")
    later = fee(services, who, "100.00", on=date(2026, 10, 8))
    services.payments.apply_credit(services.actor, who, later, "100.00", on=date(2026, 10, 9))
    seen = services.invoices.get_invoice(services.actor, later)
    # Receipts first (£20 of money), then the credit note (£80).
    assert seen.paid == Decimal("20.00") and seen.credited == Decimal("80.00")
    assert seen.status is PaymentStatus.PAID
    assert services.payments.credit_held(services.actor, who) == Decimal("320.00")


def test_a_member_pays_through_its_customer_record(services: Services) -> None:
    school = make_school(services, "100001", "Bow Common Primary School")
    member = join(services, school, date(2025, 1, 10), date(2025, 2, 1))
    who = services.invoices.customer_for_member(services.actor, member.id).id
    bill = fee(services, who, "500.00")
    paid = services.payments.record_payment(
        services.actor,
        PaymentInput(
            member_id=member.id,
            received_on="05/10/2026",
            amount="500",
            method="bacs",
            allocations=((bill, "500"),),
        ),
    )
    assert paid.customer_id == who and paid.customer_name == "Bow Common Primary School"
    assert status(services, bill) is PaymentStatus.PAID


def test_suggested_allocation_pays_the_oldest_due_first(services: Services) -> None:
    who = customer(services)
    older = fee(services, who, "100.00", on=date(2026, 9, 1))
    newer = fee(services, who, "200.00", on=date(2026, 9, 20))
    other = fee(services, customer(services, "Tower Hamlets Music Hub"), "50.00", date(2026, 9, 21))
    assert services.payments.suggest_allocation(services.actor, who, "250.00") == (
        (older, Decimal("100.00")),
        (newer, Decimal("150.00")),
    )
    assert services.payments.suggest_allocation(services.actor, who, "80") == (
        (older, Decimal("80.00")),
    )
    assert other not in dict(services.payments.suggest_allocation(services.actor, who, "999"))
    assert services.payments.suggest_allocation(services.actor, who, "nonsense") == ()


def _refused(services: Services, db: Database, words: str, field: str, data: PaymentInput) -> None:
    before = table_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.payments.record_payment(services.actor, data)
    assert words in refused.value.field_errors[field], refused.value.field_errors
    assert table_sums(db) == before


def test_bad_payments_are_refused_in_words_and_nothing_is_saved(
    services: Services, db: Database
) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    unissued = draft(services, who, invoice_date=date(2026, 9, 2)).id
    note = services.invoices.credit(services.actor, fee(services, who, "10.00"), "Wrong").id
    someone_else = fee(services, customer(services, "Tower Hamlets Music Hub"), "90.00")

    def data(amount: str, *shares: tuple[int, str], **more: object) -> PaymentInput:
        return PaymentInput(
            customer_id=who,
            received_on=more.pop("on", PAID_ON),  # type: ignore[arg-type]
            amount=amount,
            allocations=tuple(shares),
            **more,  # type: ignore[arg-type]
        )

    cases = [
        ("A draft cannot be paid: issue it first", "allocations", data("540", (unissued, "540"))),
        ("is a credit note", "allocations", data("10", (note, "10"))),
        ("not to Bow Arts Trust", "allocations", data("90", (someone_else, "90"))),
        (
            "£400.01 is more than the £400.00 INV-000001 still owes",
            "allocations",
            data("400.01", (bill, "400.01")),
        ),
        (
            "add up to £400.00, more than the £300.00 received",
            "allocations",
            data("300", (bill, "400")),
        ),
        (
            "£150.00 of this payment is not set against any invoice: set it against one, "
            "or keep it as credit",
            "allocations",
            data("550", (bill, "400")),
        ),
        ("must be for more than £0.00", "amount", data("0.00", hold_rest_as_credit=True)),
        (
            "is in the future",
            "received_on",
            data("400", (bill, "400"), on=date.today() + timedelta(days=1)),
        ),
        ("fractions of a penny", "amount", data("400.001", hold_rest_as_credit=True)),
        ("fractions of a penny", "allocations", data("400", (bill, "399.999"))),
        ("is not a way of paying", "method", data("400", (bill, "400"), method="bitcoin")),
        ("Choose who paid", "customer", PaymentInput(amount="5", hold_rest_as_credit=True)),
    ]
    for words, field, wrong in cases:
        _refused(services, db, words, field, wrong)
    # What was refused left the invoice as it was.
    assert status(services, bill) is PaymentStatus.ISSUED


def test_a_settled_invoice_takes_no_more(services: Services, db: Database) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    pay(services, who, "400.00", (bill, "400.00"))
    _refused(
        services,
        db,
        "INV-000001 is already settled",
        "allocations",
        PaymentInput(customer_id=who, received_on=PAID_ON, amount="1", allocations=((bill, "1"),)),
    )


def test_a_payment_recorded_in_error_is_removed_with_its_allocations(
    services: Services, db: Database
) -> None:
    who = customer(services)
    bill = fee(services, who, "400.00")
    paid = pay(services, who, "500.00", (bill, "400.00"), hold_rest_as_credit=True)
    assert status(services, bill) is PaymentStatus.PAID
    before = table_sums(db)
    with pytest.raises(ValidationError, match="Reason is required"):
        services.payments.reverse_payment(services.actor, paid.id, paid.version, "  ")
    assert table_sums(db) == before
    services.payments.reverse_payment(services.actor, paid.id, paid.version, "Another school's")
    assert status(services, bill) is PaymentStatus.ISSUED
    assert services.payments.payments(services.actor) == []
    assert services.payments.credit_held(services.actor, who) == 0


def test_a_payment_whose_money_was_refunded_cannot_be_removed(
    services: Services, db: Database
) -> None:
    who = customer(services)
    paid = pay(services, who, "100.00", hold_rest_as_credit=True)
    services.payments.refund(services.actor, who, "60.00", PAID_ON, PaymentMethod.BACS)
    before = table_sums(db)
    with pytest.raises(ServiceError, match="£60.00 of it has been refunded"):
        services.payments.reverse_payment(services.actor, paid.id, paid.version, "Mistake")
    assert table_sums(db) == before


def test_the_customer_account_as_at_a_date(services: Services) -> None:
    who = customer(services)
    old = fee(services, who, "400.00", on=date(2026, 9, 1))  # due 01/10/2026
    new = fee(services, who, "100.00", on=date(2026, 10, 20))  # due 19/11/2026
    pay(services, who, "450.00", (old, "400.00"), hold_rest_as_credit=True, on=date(2026, 10, 25))
    now = services.payments.customer_account(services.actor, who, date(2026, 11, 1))
    assert [r.id for r in now.open_invoices] == [new]
    assert (now.owed, now.overdue, now.credit_held) == (Decimal("100.00"), 0, Decimal("50.00"))
    assert now.balance == Decimal("50.00")
    # Before the payment and the second invoice: only the first, overdue, nothing held.
    then = services.payments.customer_account(services.actor, who, date(2026, 10, 15))
    assert [r.id for r in then.open_invoices] == [old]
    assert (then.owed, then.overdue, then.credit_held) == (
        Decimal("400.00"),
        Decimal("400.00"),
        0,
    )


def fee_invoice(services: Services, member_id: int, year: int, amount: str, on: date) -> int:
    """A member's issued fee invoice for the year starting in ``year``, as a fee run makes it."""
    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            member_id=member_id,
            invoice_date=on,
            lines=(LineInput("Membership fee", "1", amount, OUTSIDE),),
        ),
    )
    with services.db.engine.begin() as connection:
        connection.execute(update(Invoice).where(Invoice.id == made.id).values(fee_year=year))
    services.invoices.issue(services.actor, [made.id])
    return made.id


def test_a_members_fee_payment_settles_its_fee_invoices_for_the_year_and_keeps_the_rest(
    services: Services, db: Database
) -> None:
    school = make_school(services, "100001", "Bow Common Primary School")
    member = join(services, school, date(2025, 1, 10), date(2025, 2, 1)).id
    last_year = fee_invoice(services, member, 2025, "300.00", date(2025, 9, 1))
    first = fee_invoice(services, member, 2026, "400.00", date(2026, 9, 1))  # due 01/10
    second = fee_invoice(services, member, 2026, "100.00", date(2026, 9, 20))  # due 20/10
    # Nothing overdue before the first is due; then each as it falls due, to the penny.
    assert services.fees.amount_overdue(services.actor, member, "2026/27", date(2026, 10, 1)) == 0
    assert services.fees.amount_overdue(
        services.actor, member, "2026/27", date(2026, 10, 2)
    ) == Decimal("400.00")
    assert services.fees.amount_overdue(
        services.actor, member, "2026/27", date(2026, 10, 21)
    ) == Decimal("500.00")
    paid = services.payments.record_fee_payment(
        services.actor, member, "2026/27", "450.00", date(2026, 10, 22), "cheque", "CHQ 7"
    )
    assert paid.invoice_ids == (first, second)
    assert [a.amount for a in paid.allocations] == [Decimal("400.00"), Decimal("50.00")]
    assert paid.notes == "Membership fee payment for 2026/27"
    assert services.fees.amount_overdue(
        services.actor, member, "2026/27", date(2026, 10, 22)
    ) == Decimal("50.00")
    # As it stood the day before the payment.
    assert services.fees.amount_overdue(
        services.actor, member, "2026/27", date(2026, 10, 21)
    ) == Decimal("500.00")
    # Last year's invoice is not touched by this year's fee; more than owed is kept as credit.
    more = services.payments.record_fee_payment(
        services.actor, member, "2026/27", "80.00", date(2026, 10, 23)
    )
    assert more.invoice_ids == (second,) and more.unallocated == Decimal("30.00")
    assert status(services, last_year) is PaymentStatus.ISSUED
    assert services.fees.amount_overdue(services.actor, member, "2026/27", date(2026, 11, 1)) == 0
    before = table_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.payments.record_fee_payment(
            services.actor, member, "2026-27x", "10.00", date(2026, 10, 23)
        )
    assert "academic_year" in refused.value.field_errors
    assert table_sums(db) == before
