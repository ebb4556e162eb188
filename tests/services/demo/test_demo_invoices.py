"""The demo's year of invoicing, read back through the services, on both databases."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import InvoiceKind, PaymentStatus, ReminderStage
from thep_desktop.models import Document, InvoiceReminder
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.invoices.catalogue_service import default_catalogue
from thep_desktop.services.invoices.invoice_data import InvoiceFilter
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor

FIRST, SECOND, FINAL = ReminderStage.FIRST, ReminderStage.SECOND, ReminderStage.FINAL


@pytest.fixture
def demo(db: Database, actor: Actor) -> Services:
    DemoService(db).load(actor)
    return Services(db, actor)


def test_the_demo_has_a_year_of_invoicing(demo: Services) -> None:
    services, actor = demo, demo.actor
    today = date.today()
    this_year = AcademicYear.of(today)
    last_year = this_year.previous()
    assert {i.code for i in services.catalogue.list_items(actor)} == {
        i.code for i in default_catalogue()
    }
    rows = services.invoices.list_invoices(actor)
    fees = Counter(
        (r.fee_year, r.status) for r in rows if r.fee_year is not None and not r.is_draft
    )
    # Last year: issued and mostly paid, a few in part, a few not at all.
    last = {s: n for (y, s), n in fees.items() if y == last_year.start_year}
    assert last[PaymentStatus.PAID] > 5 * (
        last[PaymentStatus.PART_PAID] + last[PaymentStatus.ISSUED]
    )
    assert last[PaymentStatus.PART_PAID] >= 1 and last[PaymentStatus.ISSUED] >= 1
    # This year: issued; paid by some, in part by others, not at all by others.
    this = {s: n for (y, s), n in fees.items() if y == this_year.start_year}
    assert (
        min(this[PaymentStatus.PAID], this[PaymentStatus.PART_PAID], this[PaymentStatus.ISSUED])
        >= 3
    )
    # Every member billed once a year: numbers without gaps, issued in date order.
    issued = sorted(
        (r for r in rows if r.kind is InvoiceKind.INVOICE and not r.is_draft),
        key=lambda r: r.number or "",
    )
    assert [int(r.number[-6:]) for r in issued] == list(range(1, len(issued) + 1))
    assert [r.invoice_date for r in issued] == sorted(r.invoice_date for r in issued)
    # Services sold to members and to schools outside the partnership, and two drafts.
    bespoke = [r for r in rows if r.fee_year is None and r.kind is InvoiceKind.INVOICE]
    assert any(r.member_id is None for r in bespoke) and any(r.member_id for r in bespoke)
    assert sum(r.is_draft for r in rows) == 2
    # A credit note, and the overpayment after it held as the school's credit.
    [note] = [r for r in rows if r.kind is InvoiceKind.CREDIT_NOTE]
    credited = services.invoices.get_invoice(
        actor, services.invoices.get_invoice(actor, note.id).credits_invoice_id
    )
    assert credited.status is PaymentStatus.PAID and credited.credited == Decimal("100.00")
    assert services.payments.credit_held(actor, credited.customer_id) == Decimal("100.00")
    assert services.payments.credit_held(actor, credited.customer_id) > 0
    # The whole thing passes the database's own checks.
    assert [r.problems for r in run_checks(services.db, actor) if not r.ok] == []


def test_the_demo_reminded_this_years_unpaid_fees_at_each_stage(demo: Services) -> None:
    services, actor = demo, demo.actor
    today = date.today()
    this_year = AcademicYear.of(today)
    fees = services.invoices.list_invoices(actor, InvoiceFilter(fee_year=this_year.start_year))
    details = services.invoices.get_invoices(actor, [r.id for r in fees if not r.is_draft])
    stages = Counter(tuple(r.stage for r in d.reminders) for d in details)
    # Some paid before any reminder, some after the 1st, some after the 2nd, some never.
    assert stages[()] >= 3
    assert stages[(FIRST,)] >= 1 and stages[(FIRST, SECOND)] >= 1
    assert stages[(FIRST, SECOND, FINAL)] >= 3
    for detail in details:
        if detail.reminders:  # a reminder went only to an invoice owing on its day
            assert detail.reminders[0].sent_on >= detail.due_date + timedelta(days=14)
        if not detail.outstanding:
            continue
        assert [r.stage for r in detail.reminders] == [FIRST, SECOND, FINAL]
    # Each reminder run's letters are kept with the invoices (the demo's letter histories
    # are left to the mail merge's own tests).
    reminded = next(d for d in details if d.reminders)
    with services.db.read_session() as session:
        kept = session.execute(
            select(Document.pages, Document.title)
            .join(InvoiceReminder, InvoiceReminder.document_id == Document.id)
            .where(InvoiceReminder.invoice_id == reminded.id)
        ).all()
    assert len(kept) == len(reminded.reminders) and all(p >= 1 for p, _t in kept)
    assert all(t.startswith("Invoice reminders ") for _p, t in kept)
    # Today: one reminder is due (a service sold to a member), none twice.
    due = services.reminders.due(actor, today)
    assert [(r.stage, r.days_overdue) for r in due] == [(FIRST, 15)]
