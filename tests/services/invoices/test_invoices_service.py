"""Drafts, issuing with gapless numbers, the immutability of what is issued, and credit notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from invoice_records import customer, draft, issued, table_sums
from membership_records import join, make_school
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from thep_desktop.database import Database
from thep_desktop.domain.invoices import InvoiceKind, PaymentStatus, VatCode
from thep_desktop.models import Invoice, InvoiceLine
from thep_desktop.services.invoices.invoice_data import DraftInput, InvoiceFilter, LineInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError

STANDARD, OUTSIDE = VatCode.STANDARD, VatCode.OUTSIDE_SCOPE


def test_a_draft_has_no_number_and_its_totals_are_its_lines_rounded_per_line(
    services: Services,
) -> None:
    made = draft(
        services,
        customer(services),
        ("Training place: new SBMs", "3", "33.33", STANDARD),
        ("Pupil premium review", "1.5", "0.01", STANDARD),
    )
    assert made.number is None and made.is_draft
    # 3 x 33.33 = 99.99, VAT 20.00 (19.998); 1.5 x 0.01 = 0.015 -> 0.02, VAT 0.00
    assert [(x.net, x.vat) for x in made.lines] == [
        (Decimal("99.99"), Decimal("20.00")),
        (Decimal("0.02"), Decimal("0.00")),
    ]
    assert (made.total_net, made.total_vat, made.total) == (
        Decimal("100.01"),
        Decimal("20.00"),
        Decimal("120.01"),
    )
    assert made.due_date == date(2026, 10, 1)  # 30 days' terms by default
    assert made.customer_name == "Bow Arts Trust"


def test_issuing_numbers_in_date_order_without_gaps(services: Services) -> None:
    who = customer(services)
    later = draft(services, who, invoice_date=date(2026, 9, 3))
    earlier = draft(services, who, invoice_date=date(2026, 9, 2))
    result = services.invoices.issue(services.actor, [later.id, earlier.id])
    assert result.numbers == ("INV-000001", "INV-000002")
    assert services.invoices.get_invoice(services.actor, earlier.id).number == "INV-000001"
    third = issued(services, who, invoice_date=date(2026, 9, 3))
    assert third.number == "INV-000003"
    assert services.invoices.find_invoice(services.actor, "inv-3").id == third.id
    assert services.invoices.find_invoice(services.actor, "3").id == third.id


def test_a_member_is_billed_at_its_school_and_the_address_is_kept_as_at_issue(
    services: Services,
) -> None:
    school = make_school(services, "100001", "Bow Common Primary School")
    member = join(services, school, date(2025, 1, 10), date(2025, 2, 1))
    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            member_id=member.id,
            invoice_date=date(2026, 9, 1),
            lines=(LineInput("Membership fee", "1", "500.00", OUTSIDE, "200"),),
        ),
    )
    services.invoices.issue(services.actor, [made.id])
    seen = services.invoices.get_invoice(services.actor, made.id)
    assert seen.customer_name == "Bow Common Primary School"
    assert seen.member_id == member.id
    assert seen.status is PaymentStatus.ISSUED


def test_an_issued_invoice_is_refused_by_the_service_and_nothing_changes(
    services: Services, db: Database
) -> None:
    done = issued(services, customer(services))
    before = table_sums(db)
    with pytest.raises(ServiceError, match="credit note"):
        services.invoices.update_draft(services.actor, done.id, done.version, done.as_input())
    with pytest.raises(ServiceError, match="credit note"):
        services.invoices.delete_draft(services.actor, done.id, done.version)
    assert table_sums(db) == before


def test_an_issued_invoice_is_refused_by_the_database_itself(
    services: Services, db: Database
) -> None:
    done = issued(services, customer(services))
    before = table_sums(db)
    statements = [
        update(Invoice).where(Invoice.id == done.id).values(reference="changed"),
        update(InvoiceLine).where(InvoiceLine.invoice_id == done.id).values(description="x"),
        text("DELETE FROM invoice_line WHERE invoice_id = :i").bindparams(i=done.id),
        text("DELETE FROM invoice WHERE id = :i").bindparams(i=done.id),
    ]
    for statement in statements:
        with pytest.raises((IntegrityError, DBAPIError), match="cannot be changed"):
            with db.engine.begin() as connection:
                connection.execute(statement)
    assert table_sums(db) == before


def test_issuing_refuses_an_empty_draft_or_one_dated_before_the_last_and_issues_none(
    services: Services, db: Database
) -> None:
    who = customer(services)
    issued(services, who, invoice_date=date(2026, 9, 10))
    good = draft(services, who, invoice_date=date(2026, 9, 11))
    old = draft(services, who, invoice_date=date(2026, 9, 9))
    free = draft(services, who, ("Nothing", "1", "0.00", STANDARD), invoice_date=date(2026, 9, 12))
    before = table_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.invoices.issue(services.actor, [good.id, old.id, free.id])
    assert "before the last invoice issued (10/09/2026)" in str(refused.value)
    assert "comes to £0.00" in str(refused.value)
    assert table_sums(db) == before


def test_a_due_date_before_the_invoice_date_is_refused_and_nothing_is_saved(
    services: Services, db: Database
) -> None:
    who = customer(services)
    before = table_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.invoices.create_draft(
            services.actor,
            DraftInput(
                customer_id=who,
                invoice_date="15/09/2026",
                due_date="01/09/2026",
                lines=(LineInput("SLA day", "1", "450.005", STANDARD),),
            ),
        )
    errors = refused.value.field_errors
    assert "before the invoice date 15/09/2026" in errors["due_date"]
    assert "fractions of a penny" in errors["lines"]
    assert table_sums(db) == before


def test_a_full_credit_copies_the_lines_and_settles_the_invoice(services: Services) -> None:
    done = issued(services, customer(services), ("SLA day", "2", "450.00", STANDARD))
    note = services.invoices.credit(services.actor, done.id, "Booked twice")
    assert note.kind is InvoiceKind.CREDIT_NOTE and note.number == "CN-000001"
    assert note.total == Decimal("1080.00") and note.credits_number == done.number
    again = services.invoices.get_invoice(services.actor, done.id)
    assert again.credited == Decimal("1080.00") and again.outstanding == 0
    assert again.status is PaymentStatus.CREDITED
    assert again.credit_notes == (("CN-000001", Decimal("1080.00")),)


def test_a_partial_credit_keeps_the_vat_in_proportion_and_a_larger_one_is_refused(
    services: Services, db: Database
) -> None:
    done = issued(services, customer(services), ("SLA day", "1", "500.00", STANDARD))
    note = services.invoices.credit(services.actor, done.id, "Half day only", amount="300.00")
    assert (note.total_net, note.total_vat, note.total) == (
        Decimal("250.00"),
        Decimal("50.00"),
        Decimal("300.00"),
    )
    assert services.invoices.get_invoice(services.actor, done.id).status is PaymentStatus.PART_PAID
    before = table_sums(db)
    with pytest.raises(ValidationError, match="more than the £300.00"):
        services.invoices.credit(services.actor, done.id, "Too much", amount="300.01")
    assert table_sums(db) == before


def test_a_draft_cannot_be_credited(services: Services, db: Database) -> None:
    made = draft(services, customer(services))
    before = table_sums(db)
    with pytest.raises(ServiceError, match="Only an issued invoice is credited"):
        services.invoices.credit(services.actor, made.id, "Wrong")
    assert table_sums(db) == before


def test_the_list_filters_and_gives_running_totals(services: Services) -> None:
    from thep_desktop.services.invoices.invoice_data import running_totals

    who = customer(services)
    one = issued(services, who, ("SLA day", "1", "100.00", OUTSIDE))
    issued(services, who, ("SLA day", "1", "200.00", OUTSIDE))
    draft(services, who)
    services.invoices.credit(services.actor, one.id, "Not delivered")
    rows = services.invoices.list_invoices(services.actor)
    assert len(rows) == 4
    totals = running_totals(rows, on=date(2026, 12, 1))
    assert totals.issued == Decimal("300.00") and totals.credited == Decimal("100.00")
    assert totals.outstanding == Decimal("200.00") and totals.overdue == Decimal("200.00")
    assert totals.drafts == 1
    only_credited = services.invoices.list_invoices(
        services.actor, InvoiceFilter(statuses=frozenset({PaymentStatus.CREDITED}))
    )
    assert [r.id for r in only_credited] == [one.id]
    assert [
        r.number
        for r in services.invoices.list_invoices(services.actor, InvoiceFilter(search="cn-0"))
    ] == ["CN-000001"]
