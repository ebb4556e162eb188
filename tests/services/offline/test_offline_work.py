"""The treasurer's day offline, through the services as the window uses them: drafts, a fee
run, a payment, a letter and minutes reach the office once, in its audit trail with the
copy's id; a second synchronisation sends and receives nothing and writes no record rows."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from offline_records import copy_sums, office_sums, office_with_demo, take_copy, trail_seq
from sqlalchemy import func, select

from thep_desktop.audit_trail import Action
from thep_desktop.database import Database
from thep_desktop.domain.governance import MinutesStatus
from thep_desktop.domain.invoices import InvoiceKind, InvoiceState, VatCode
from thep_desktop.models import Invoice
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.backups.table_checksums import differences
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.letters.letter_templates import TemplateInput
from thep_desktop.services.memberships.fees_service import FeePeriodInput, ScheduleInput
from thep_desktop.services.registry import Services, open_services

TODAY = date.today()
YEAR = "2027/28"


def invoice_count(services: Services) -> int:
    with services.db.read_session() as session:
        return int(session.scalar(select(func.count(Invoice.id))) or 0)


def work_offline(copy: Services) -> dict[str, object]:
    """What the treasurer does on the laptop; what to look for at the office afterwards."""
    actor = copy.actor
    owing = next(
        r
        for r in copy.invoices.list_invoices(actor)
        if r.kind is InvoiceKind.INVOICE and r.outstanding > 0
    )
    made = copy.invoices.create_draft(
        actor,
        DraftInput(
            customer_id=owing.customer_id,
            invoice_date=TODAY,
            reference="Made offline",
            lines=(LineInput("Moderation training", "1", "200.00", VatCode.STANDARD, "200"),),
        ),
    )
    copy.invoices.update_draft(
        actor,
        made.id,
        made.version,
        DraftInput(
            customer_id=owing.customer_id,
            invoice_date=TODAY,
            reference="Made and changed offline",
            lines=(LineInput("Moderation training", "3", "200.00", VatCode.STANDARD, "200"),),
        ),
    )
    copy.fees.save_schedule(
        actor,
        ScheduleInput(
            YEAR,
            "5.00",
            "250.00",
            periods=(FeePeriodInput(date(2027, 9, 1), date(2028, 8, 31), True, "The year"),),
        ),
    )
    run = copy.fee_runs.create_drafts(actor, YEAR, invoice_date=TODAY)
    assert run.draft_ids
    payment = copy.payments.record_payment(
        actor,
        PaymentInput(
            customer_id=owing.customer_id,
            received_on=TODAY,
            amount=owing.outstanding,
            reference="Paid while the treasurer was offline",
            allocations=((owing.id, owing.outstanding),),
        ),
    )
    letter = copy.letters.create_template(
        actor,
        TemplateInput(
            name="Fees reminder (written offline)",
            subject="Membership fees {academic_year}",
            body="Thank you for your school's membership of the partnership.",
        ),
    )
    meeting = next(
        m
        for m in copy.meetings.list_meetings(actor)
        if copy.meetings.get_meeting(actor, m.id).minutes_status is MinutesStatus.DRAFT
    )
    item = copy.meetings.get_meeting(actor, meeting.id).items[0]
    copy.meetings.save_item_minutes(
        actor, item.id, "The board noted the treasurer's report (drafted offline).", item.version
    )
    return {
        "draft": made.uuid,
        "run_drafts": len(run.draft_ids),
        "payment": payment.uuid,
        "owing": owing,
        "letter": letter.name,
        "meeting": meeting.id,
        "item": item.id,
    }


def test_a_day_offline_reaches_the_office_once_and_a_second_sync_does_nothing(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    office.letters.list_templates(office.actor)  # the built-in letters, as the office has them
    invoices_before = invoice_count(office)
    copy, path = take_copy(office, tmp_path)
    done = work_offline(copy)
    assert invoice_count(copy) == invoices_before + 1 + done["run_drafts"]  # type: ignore[operator]
    info, changes = office.offline.status(path)
    assert any(c.words == "New invoice or credit note “Made and changed offline”" for c in changes)
    copy.db.dispose()

    plan = office.offline.preview(path, office.db)
    assert plan.conflicts == () and plan.receive == ()
    new = Counter(c.table for c in plan.send if c.kind.value == "new")
    assert new["invoice"] == 1 + done["run_drafts"]  # type: ignore[operator]
    assert new["fee_run"] == new["fee_schedule"] == new["payment"] == new["allocation"] == 1
    assert new["letter_template"] == 1
    assert [c.words for c in plan.send if c.table == "agenda_item"] == [
        f"Changed agenda item “{_item_title(office, done)}”: minutes"
    ]
    seq_before = trail_seq(office.db)
    result = office.offline.sync(path, office.db)
    seq_after = trail_seq(office.db)
    assert result.sent == len(plan.send) and result.received == 0

    # Each arrived once, the drafts unnumbered; the trail names the copy.
    actor = office.actor
    assert invoice_count(office) == invoices_before + 1 + done["run_drafts"]  # type: ignore[operator]
    drafts = [r for r in office.invoices.list_invoices(actor) if r.uuid == done["draft"]]
    assert [(r.state, r.number, r.total) for r in drafts] == [
        (InvoiceState.DRAFT, None, drafts[0].total)
    ]
    assert drafts[0].total == 720  # 3 × £200 + VAT, as changed offline
    (run,) = [r for r in office.fee_runs.runs(actor) if str(r.year) == YEAR]
    assert len(office.fee_runs.run_invoice_ids(actor, run.id)) == done["run_drafts"]
    owing = done["owing"]
    paid = [
        p for p in office.payments.payments(actor, owing.customer_id) if p.uuid == done["payment"]
    ]  # type: ignore[attr-defined]
    assert len(paid) == 1 and paid[0].allocations[0].invoice_number == owing.number  # type: ignore[attr-defined]
    assert office.invoices.get_invoice(actor, owing.id).allocations  # type: ignore[attr-defined]
    assert [t.name for t in office.letters.list_templates(actor)].count(done["letter"]) == 1
    item = next(
        i
        for i in office.meetings.get_meeting(actor, done["meeting"]).items
        if i.id == done["item"]  # type: ignore[arg-type]
    )
    assert item.minutes == "The board noted the treasurer's report (drafted offline)."
    with office.db.read_session() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.table_name, AuditEvent.copy_id, AuditEvent.actor)
            .where(AuditEvent.seq > seq_before, AuditEvent.seq <= seq_after)
            .order_by(AuditEvent.seq)
        ).all()
    assert {r.copy_id for r in rows} == {info.copy_id}
    assert {r.actor for r in rows} == {info.login}
    record_rows = Counter((r.action, r.table_name) for r in rows if r.table_name)
    assert record_rows[(Action.CREATE.value, "invoice")] == 1 + done["run_drafts"]  # type: ignore[operator]
    assert record_rows[(Action.CREATE.value, "payment")] == 1
    assert record_rows[(Action.UPDATE.value, "agenda_item")] == 1
    assert sum(record_rows.values()) == result.sent
    (summary,) = [r for r in rows if r.action == Action.OFFLINE.value]
    assert rows[-1] == summary

    # The second synchronisation: nothing to send or receive, no record rows in the trail,
    # the office's records and the copy's as they were.
    office_before = office_sums(office.db)
    copy_before, _ = copy_sums(path)
    seq_before = trail_seq(office.db)
    again = office.offline.preview(path, office.db)
    assert again.nothing_to_do and again.flags == ()
    second = office.offline.sync(path, office.db)
    assert (second.sent, second.received, second.resolved) == (0, 0, 0)
    with office.db.read_session() as session:
        new_rows = session.execute(
            select(AuditEvent.action, AuditEvent.table_name).where(AuditEvent.seq > seq_before)
        ).all()
    assert [r for r in new_rows if r.table_name] == []
    office_after = office_sums(office.db)
    del office_before["audit_event"], office_after["audit_event"]
    assert differences(office_before, office_after) == []
    copy_after, beside = copy_sums(path)
    assert beside == [path.name]  # no .part or -wal left
    for header in ("offline_copy", "audit_event"):
        del copy_before[header], copy_after[header]
    assert differences(copy_before, copy_after) == []
    reopened, _ = open_services(str(path))
    assert reopened.offline.status(path)[1] == []
    reopened.db.dispose()


def _item_title(services: Services, done: dict[str, object]) -> str:
    meeting = services.meetings.get_meeting(services.actor, done["meeting"])  # type: ignore[arg-type]
    return next(i.title for i in meeting.items if i.id == done["item"])


def test_built_in_letters_set_up_on_both_sides_arrive_once(pg_db: Database, tmp_path: Path) -> None:
    # The built-in letter templates are set up when the letters are first listed: here in the
    # copy and at the office, each without the other.
    office, _ = open_services(pg_db.url.render_as_string(hide_password=False))
    copy, path = take_copy(office, tmp_path)
    in_copy = {t.key: t.uuid for t in copy.letters.list_templates(copy.actor)}
    copy.letters.create_template(
        copy.actor, TemplateInput(name="Written offline", subject="Hello", body="Hello.")
    )
    copy.db.dispose()
    at_office = {t.key: t.uuid for t in office.letters.list_templates(office.actor)}
    assert in_copy == at_office  # the same records, whoever set them up
    plan = office.offline.preview(path, office.db)
    assert plan.conflicts == ()
    assert [c.words for c in plan.send] == ["New letter template “Written offline”"]
    office.offline.sync(path, office.db)
    names = [t.name for t in office.letters.list_templates(office.actor)]
    assert len(names) == len(set(names)) == len(at_office) + 1
    assert office.offline.preview(path, office.db).nothing_to_do
