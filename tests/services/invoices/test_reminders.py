"""Reminders of overdue invoices: stages at their days, in order, once; the letters and records."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from invoice_records import customer, issued, table_sums
from membership_records import join
from pypdf import PdfReader
from sqlalchemy import select

from thep_desktop.database import Database
from thep_desktop.domain.invoices import PaymentMethod, ReminderStage, VatCode
from thep_desktop.models import (
    Correspondence,
    Document,
    InvoiceReminder,
)
from thep_desktop.reports.shared import spreadsheet
from thep_desktop.services.invoices.invoice_data import SettingsDetail
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.invoices.reminders_service import stage_due
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import ContactInput, SchoolInput
from thep_desktop.services.shared.errors import ServiceError, ValidationError

FIRST, SECOND, FINAL = ReminderStage.FIRST, ReminderStage.SECOND, ReminderStage.FINAL
ISSUED_ON = date(2026, 9, 1)
DUE = date(2026, 10, 1)  # 30 days' terms


def day(n: int) -> date:
    """``n`` days after the due date."""
    return DUE + timedelta(days=n)


@pytest.fixture
def office(services: Services) -> Services:
    """An organisation with its address, bank and signatory, as a real office has."""
    organisation = services.organisation
    organisation.update_profile(
        services.actor,
        replace(
            organisation.get_profile(services.actor),
            name="Tower Hamlets Education Partnership",
            address="229 Bethnal Green Road\nLondon",
            postcode="E2 6AB",
            email="office@thep.example",
            phone="020 7364 0000",
            bank_name="Lloyds Bank",
            bank_account_name="THEP Ltd",
            bank_sort_code="309457",
            bank_account_number="12345678",
            signatory_name="Grace Adeyemi",
            signatory_position="Executive Director",
        ),
    )
    return services


def member_school(services: Services) -> int:
    """A member school with its address and school business manager; its member id."""
    school = services.schools.create_school(
        services.actor,
        SchoolInput(
            urn="100234",
            name="Bow Common Primary School",
            la_code="211",
            establishment_type="Community school",
            phase="Primary",
            street="Ben Jonson Road",
            town="London",
            postcode="E1 4SD",
            pupils_on_roll=412,
            pupils_census_date=date(2026, 1, 15),
            contacts=[ContactInput("Mrs Ayesha Khan", "School business manager")],
        ),
    )
    return join(services, school.id, date(2025, 6, 1), date(2025, 7, 1)).id


def member_invoice(services: Services, member_id: int, amount: str = "2100.00") -> int:
    from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput

    made = services.invoices.create_draft(
        services.actor,
        DraftInput(
            member_id=member_id,
            invoice_date=ISSUED_ON,
            reference="Membership fee 2026/27",
            lines=(LineInput("Membership fee", "1", amount, VatCode.OUTSIDE_SCOPE, "200"),),
        ),
    )
    services.invoices.issue(services.actor, [made.id])
    return made.id


def pay(services: Services, customer_id: int, invoice_id: int, amount: str) -> None:
    """Money received and set against the invoice, through the payments service."""
    services.payments.record_payment(
        services.actor,
        PaymentInput(
            customer_id=customer_id,
            received_on=day(1),
            amount=amount,
            method=PaymentMethod.BACS,
            allocations=((invoice_id, amount),),
        ),
    )


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def stages_of(db: Database, invoice_id: int) -> list[tuple[ReminderStage, date]]:
    with db.read_session() as session:
        rows = session.execute(
            select(InvoiceReminder.stage, InvoiceReminder.sent_on)
            .where(InvoiceReminder.invoice_id == invoice_id)
            .order_by(InvoiceReminder.id)
        ).all()
    return [(ReminderStage(s), d) for s, d in rows]


SETTINGS = SettingsDetail(30, 14, 28, 42, VatCode.OUTSIDE_SCOPE, "200", "", "INV-", "CN-", 1)


def test_each_stage_comes_on_its_day_and_not_the_day_before() -> None:
    assert stage_due(SETTINGS, DUE, day(13), {}) is None
    assert stage_due(SETTINGS, DUE, day(14), {}) is FIRST
    assert stage_due(SETTINGS, DUE, day(27), {FIRST: day(14)}) is None
    assert stage_due(SETTINGS, DUE, day(28), {FIRST: day(14)}) is SECOND
    assert stage_due(SETTINGS, DUE, day(41), {FIRST: day(14), SECOND: day(28)}) is None
    assert stage_due(SETTINGS, DUE, day(42), {FIRST: day(14), SECOND: day(28)}) is FINAL
    # Every stage sent: nothing more, however late.
    assert (
        stage_due(SETTINGS, DUE, day(400), {FIRST: day(14), SECOND: day(28), FINAL: day(42)})
        is None
    )


def test_a_late_starter_gets_the_first_stage_and_time_to_pay_before_the_next() -> None:
    # 60 days late with nothing sent: the 1st reminder, never the final one first.
    assert stage_due(SETTINGS, DUE, day(60), {}) is FIRST
    # The 2nd waits the 14 days between the stages after the 1st was sent.
    assert stage_due(SETTINGS, DUE, day(73), {FIRST: day(60)}) is None
    assert stage_due(SETTINGS, DUE, day(74), {FIRST: day(60)}) is SECOND


def test_due_lists_each_overdue_invoice_with_its_next_stage(office: Services) -> None:
    services = office
    bow = customer(services)
    late = issued(services, bow, ("Ofsted preparation day", "1", "450.00", VatCode.STANDARD))
    assert late.due_date == DUE
    assert services.reminders.due(services.actor, day(13)) == []
    found = services.reminders.due(services.actor, day(14))
    assert [(r.number, r.stage, r.days_overdue, r.outstanding) for r in found] == [
        (late.number, FIRST, 14, Decimal("540.00"))
    ]
    assert found[0].customer == "Bow Arts Trust" and found[0].due_date == DUE


def test_stages_go_in_order_each_once(office: Services, tmp_path: Path) -> None:
    services, actor = office, office.actor
    late = issued(services, customer(services), ("SLA day", "2", "400.00", VatCode.STANDARD))
    first = services.reminders.send(actor, day(20), tmp_path / "first.pdf")
    assert first.letters == 1 and first.count(FIRST) == 1
    # The same day again: nothing new, no file.
    before = table_sums(services.db)
    again = services.reminders.send(actor, day(20), tmp_path / "again.pdf")
    assert again.letters == 0 and str(again) == "No reminders are due on 21/10/2026."
    assert not (tmp_path / "again.pdf").exists() and table_sums(services.db) == before
    # Before the second stage's day: nothing; on it: the second.
    assert services.reminders.due(actor, day(33)) == []
    second = services.reminders.send(actor, day(34), tmp_path / "second.pdf")
    assert [r.stage for r in second.sent] == [SECOND]
    final = services.reminders.send(actor, day(48), tmp_path / "final.pdf")
    assert [r.stage for r in final.sent] == [FINAL]
    assert services.reminders.due(actor, day(300)) == []
    assert stages_of(services.db, late.id) == [
        (FIRST, day(20)),
        (SECOND, day(34)),
        (FINAL, day(48)),
    ]
    detail = services.invoices.get_invoice(actor, late.id)
    assert [r.stage for r in detail.reminders] == [FIRST, SECOND, FINAL]


def test_only_the_stages_asked_for_are_sent(office: Services, tmp_path: Path) -> None:
    services, actor = office, office.actor
    bow = customer(services)
    one = issued(services, bow, ("SLA day", "1", "400.00", VatCode.STANDARD))
    services.reminders.send(actor, day(14), tmp_path / "a.pdf")
    two = issued(
        services, bow, ("SLA day", "1", "400.00", VatCode.STANDARD), invoice_date=date(2026, 9, 2)
    )
    # On day 28 the first invoice is due its 2nd, the second its 1st.
    assert {(r.invoice_id, r.stage) for r in services.reminders.due(actor, day(28))} == {
        (one.id, SECOND),
        (two.id, FIRST),
    }
    result = services.reminders.send(actor, day(28), tmp_path / "b.pdf", stages={FIRST})
    assert [(r.invoice_id, r.stage) for r in result.sent] == [(two.id, FIRST)]
    assert stages_of(services.db, one.id) == [(FIRST, day(14))]


def test_paid_and_credited_invoices_are_not_reminded(office: Services, tmp_path: Path) -> None:
    services, actor = office, office.actor
    bow = customer(services)
    paid = issued(services, bow, ("SLA day", "1", "400.00", VatCode.STANDARD))
    part = issued(services, bow, ("SLA day", "1", "400.00", VatCode.STANDARD))
    credited = issued(services, bow, ("SLA day", "1", "400.00", VatCode.STANDARD))
    pay(services, bow, paid.id, "480.00")
    pay(services, bow, part.id, "80.00")
    services.invoices.credit(actor, credited.id, "Booked in error", credit_date=day(2))
    found = services.reminders.due(actor, day(14))
    assert [(r.invoice_id, r.outstanding) for r in found] == [(part.id, Decimal("400.00"))]
    result = services.reminders.send(actor, day(14), tmp_path / "r.pdf")
    assert [r.invoice_id for r in result.sent] == [part.id]
    assert stages_of(services.db, paid.id) == [] and stages_of(services.db, credited.id) == []


def test_the_letter_carries_the_number_amount_and_bank_details_and_is_recorded(
    office: Services, tmp_path: Path
) -> None:
    services, actor = office, office.actor
    other = issued(
        services, customer(services), ("Training place", "3", "150.00", VatCode.STANDARD)
    )
    member = member_school(services)
    fee = member_invoice(services, member)
    member_customer = services.invoices.customer_for_member(actor, member).id
    pay(services, member_customer, fee, "1050.00")
    path = tmp_path / "reminders.pdf"
    result = services.reminders.send(actor, day(15), path)
    assert result.letters == 2 and result.path == path and result.pages == 2
    text = text_of(path)
    fee_number = services.invoices.get_invoice(actor, fee).number
    for words in (
        other.number,
        "£540.00",
        fee_number,
        "£1,050.00",  # what is still owed of £2,100.00
        "£2,100.00",
        "Lloyds Bank",
        "30-94-57",
        "12345678",
        "THEP Ltd",
        "01/10/2026",
        "Bow Arts Trust",
        "183 Bow Road",  # the customer's own address, from the invoice
        "Mrs Ayesha Khan",  # the member school's business manager, at the school
        "Ben Jonson Road",
        "Grace Adeyemi",
    ):
        assert words in text, words
    assert not list(tmp_path.glob(".*.part"))
    with services.db.read_session() as session:
        reminders = session.scalars(select(InvoiceReminder).order_by(InvoiceReminder.id)).all()
        assert {(r.invoice_id, r.stage, r.sent_on, r.outstanding) for r in reminders} == {
            (other.id, FIRST, day(15), Decimal("540.00")),
            (fee, FIRST, day(15), Decimal("1050.00")),
        }
        document = session.get(Document, reminders[0].document_id)
        assert document is not None and document.pdf == path.read_bytes()
        assert {r.document_id for r in reminders} == {document.id} == {result.document_id}
        letters = [
            (c.member_id, c.template_name, c.school_id is not None, c.subject)
            for c in session.scalars(select(Correspondence))
        ]
    # The member's letter is in its correspondence; a customer who is not a member has none.
    assert letters == [(member, "Invoice reminder: 1st", True, f"Reminder: invoice {fee_number}")]


def test_a_file_that_cannot_take_its_place_records_nothing(
    office: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, actor = office, office.actor
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    issued(services, customer(services), ("SLA day", "1", "400.00", VatCode.STANDARD))
    before = table_sums(services.db, (InvoiceReminder, Document, Correspondence))

    def refuse(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(spreadsheet.os, "replace", refuse)
    with pytest.raises(ServiceError, match="No reminders were recorded"):
        services.reminders.send(actor, day(14), tmp_path / "r.pdf")
    assert table_sums(services.db, (InvoiceReminder, Document, Correspondence)) == before
    assert list(tmp_path.iterdir()) == []
    assert len(services.reminders.due(actor, day(14))) == 1  # still due


def test_bad_places_are_refused_and_nothing_changes(office: Services, tmp_path: Path) -> None:
    services, actor = office, office.actor
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    issued(services, customer(services), ("SLA day", "1", "400.00", VatCode.STANDARD))
    before = table_sums(services.db, (InvoiceReminder, Document, Correspondence))
    with pytest.raises(ValidationError, match="PDF"):
        services.reminders.send(actor, day(14), tmp_path / "r.docx")
    with pytest.raises(ValidationError):
        services.reminders.send(actor, day(14), tmp_path / "missing" / "r.pdf")
    with pytest.raises(ValidationError, match="cannot be dated after today"):
        services.reminders.send(actor, date.today() + timedelta(days=1), tmp_path / "r.pdf")
    assert table_sums(services.db, (InvoiceReminder, Document, Correspondence)) == before
    assert list(tmp_path.iterdir()) == []


def test_the_mail_merge_refuses_a_reminder_template_in_words(
    office: Services, tmp_path: Path
) -> None:
    services, actor = office, office.actor
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    member = member_school(services)
    school_id = services.members.get_member(actor, member).school_id
    template = services.letters.find_template(actor, "invoice_reminder_first")
    before = table_sums(services.db, (Document, Correspondence))
    with pytest.raises(ServiceError, match="Invoices > Reminders") as refused:
        services.letters.produce(
            actor,
            template.id,
            [school_id],
            "Head teacher",
            combined_file=tmp_path / "letters.pdf",
        )
    assert "invoice number" in str(refused.value)
    assert table_sums(services.db, (Document, Correspondence)) == before
    assert list(tmp_path.iterdir()) == []
    # Its preview still shows the example invoice, for the office editing its wording.
    preview = services.letters.preview(actor, template.as_input())
    assert b"%PDF" in preview[:8]


def test_without_the_reminder_letters_nothing_is_sent_and_it_says_why(
    office: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A login that may not add the built-in templates (a treasurer on the office server
    before anyone opened Letters > Templates) is told who can set them up."""
    from thep_desktop.services.letters.letter_templates import LetterTemplates

    services, actor = office, office.actor
    issued(services, customer(services), ("SLA day", "1", "400.00", VatCode.STANDARD))
    monkeypatch.setattr(LetterTemplates, "_ensure_builtins", lambda self, actor: None)
    before = table_sums(services.db, (InvoiceReminder, Document, Correspondence))
    with pytest.raises(ServiceError, match="open Letters > Templates once"):
        services.reminders.send(actor, day(14), tmp_path / "r.pdf")
    assert table_sums(services.db, (InvoiceReminder, Document, Correspondence)) == before
    assert not (tmp_path / "r.pdf").exists()
