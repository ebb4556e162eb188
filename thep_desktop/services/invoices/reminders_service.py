"""Reminders of overdue invoices: 1st, 2nd and final, as letters on the letterhead, recorded.

Each stage falls due a number of days after the invoice's due date (Invoices > Settings);
an invoice gets its stages in order, each once, and a later stage waits at least the days
between the two stages after the earlier one was sent (so a school always has the time the
office gives it to pay). The letters come from the built-in templates ``invoice_reminder_…``
(the office edits their wording in Letters > Templates), laid out by the letters' engine
exactly as a mail merge lays them out, into one PDF that is kept in the database; each
reminder is recorded against its invoice, and a member's in its correspondence too.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, record
from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import (
    REMINDER_STAGES,
    ZERO,
    InvoiceKind,
    InvoiceState,
    ReminderStage,
    days_overdue,
)
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Correspondence, Document, Invoice, InvoiceReminder
from thep_desktop.reports.letters.letter_data import RenderResult
from thep_desktop.reports.letters.letter_pdf import Letter, render_letters
from thep_desktop.services.invoices.invoice_data import InvoiceDetail, SettingsDetail
from thep_desktop.services.invoices.invoice_records import (
    applied_amounts,
    load_invoices,
    load_settings,
)
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.letters.letter_files import pdf_path_problem, place_recorded
from thep_desktop.services.letters.letter_recipients import Recipient, Skipped, _salutation_name
from thep_desktop.services.letters.letter_templates import TemplateDetail
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.letters.mail_merge import (
    _correspondence,
    _document,
    _letter_values,
    _organisation_values,
    fill_letter,
    letterhead_from,
    signed_by,
)
from thep_desktop.services.settings.organisation_service import OrganisationService, ProfileData
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    ReadOnlyDatabaseError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save


@dataclass(frozen=True)
class ReminderDue:
    """An overdue invoice whose next reminder stage has come."""

    invoice_id: int
    number: str
    customer: str
    due_date: date
    days_overdue: int
    outstanding: Decimal
    stage: ReminderStage
    member_id: int | None = None


# One reminder laid out: what is due, to whom, the letter, and the template it came from.
ReminderLetter = tuple[ReminderDue, Recipient, Letter, TemplateDetail]


@dataclass(frozen=True)
class ReminderResult:
    """What a run of reminders did: the letters, the file, and those that could not go."""

    on: date
    letters: int
    pages: int
    path: Path | None
    sent: tuple[ReminderDue, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    document_id: int | None = None
    warnings: tuple[str, ...] = field(default=())

    def count(self, stage: ReminderStage) -> int:
        return sum(1 for r in self.sent if r.stage is stage)

    def __str__(self) -> str:
        if not self.letters:
            return f"No reminders are due on {format_date(self.on)}."
        stages = ", ".join(
            f"{self.count(s)} {s.label.lower()}{'s' if self.count(s) != 1 else ''}"
            for s in REMINDER_STAGES
            if self.count(s)
        )
        text = (
            f"{self.letters:,} reminder{'s' if self.letters != 1 else ''} ({stages}), "
            f"{self.pages:,} page{'s' if self.pages != 1 else ''}"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} left out"
        return text


def stage_due(
    settings: SettingsDetail,
    due_date: date,
    on: date,
    sent: dict[ReminderStage, date],
) -> ReminderStage | None:
    """The stage an invoice due on ``due_date`` should have on ``on``, given the stages
    ``sent`` (with their dates); None when none has come.

    Stages go in order and each once; a later one also waits the days between the two
    stages after the earlier one was sent.
    """
    late = days_overdue(due_date, on)
    previous: tuple[ReminderStage, date] | None = None
    for stage in REMINDER_STAGES:
        if stage in sent:
            previous = (stage, sent[stage])
            continue
        days = settings.reminder_days(stage)
        if late < days:
            return None
        if previous is not None:
            gap = days - settings.reminder_days(previous[0])
            if (on - previous[1]).days < gap:
                return None
        return stage
    return None


class RemindersService:
    """Which invoices are due a reminder, and sending them."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._letters = LettersService(database)
        self._organisation = OrganisationService(database)

    def due(
        self,
        actor: Actor,
        on: date | None = None,
        *,
        stages: Collection[ReminderStage] | None = None,
        invoice_ids: Collection[int] | None = None,
    ) -> list[ReminderDue]:
        """Every issued invoice still owing on ``on`` (today) whose next stage has come,
        by customer and number. ``stages`` and ``invoice_ids`` narrow it."""
        actor.require(VIEW)
        day = on or date.today()
        with self.db.read_session() as session:
            found = due_on(session, day)
        return [
            r
            for r in found
            if (stages is None or r.stage in stages)
            and (invoice_ids is None or r.invoice_id in invoice_ids)
        ]

    def send(
        self,
        actor: Actor,
        on: date | None,
        path: str | Path,
        *,
        stages: Collection[ReminderStage] | None = None,
        invoice_ids: Collection[int] | None = None,
        progress: Progress | None = None,
    ) -> ReminderResult:
        """Lay out the reminders due on ``on`` (today) into one PDF at ``path``, keep it,
        and record each reminder, all or nothing.

        Nothing due: nothing written, and the result says so. The file is written whole
        beside its place first; the records (with the PDF itself) are written in one
        transaction; then the file takes its place. Should that last step fail, the records
        are taken back out and the reason given in words. (Killed between the two, the
        reminders stay recorded with their PDF in the database, to print from there.)
        """
        actor.require(MANAGE_INVOICES)
        if self.db.read_only:
            raise ReadOnlyDatabaseError(self.db.read_only_message())
        day = on or date.today()
        if day > date.today():  # a letter dated ahead would be recorded as sent already
            raise ValidationError(
                {"on": f"Reminders cannot be dated after today ({format_date(date.today())})."}
            )
        final = Path(path)
        problem = pdf_path_problem(final)
        if problem:
            raise ValidationError({"path": problem.replace("the letters", "the reminders")})
        wanted = self.due(actor, day, stages=stages, invoice_ids=invoice_ids)
        if not wanted:
            return ReminderResult(day, 0, 0, None)
        templates = {s: self._template(actor, s) for s in dict.fromkeys(r.stage for r in wanted)}
        profile = self._organisation.get_profile(actor)
        details = {d.id: d for d in self._invoices(actor, [r.invoice_id for r in wanted])}
        addressed = self._member_recipients(actor, wanted, templates, day)
        letters, skipped = reminder_letters(wanted, details, templates, profile, addressed, day)
        if not letters:
            reasons = "\n".join(f"• {s.school_name}: {s.reason}" for s in skipped[:10])
            raise ServiceError("No reminders could be produced.\n" + reasons)
        total = len(letters)

        def report(n: int) -> None:
            if progress is not None:
                progress.report(n - 1, total, f"Reminder {n:,} of {total:,}")

        pdf, rendered = lay_out(letters, profile, day, report)
        if progress is not None:
            progress.report(total, total, "Recording the reminders…")
        document_id = place_recorded(
            final,
            pdf,
            lambda: self._record(actor, day, final.name, pdf, rendered.pages_per_letter, letters),
            lambda made: self._take_back(actor, made),
            "reminders",
        )
        warnings = tuple(f"{r.school_name}: {r.warning}" for _d, r, _l, _t in letters if r.warning)
        return ReminderResult(
            on=day,
            letters=total,
            pages=rendered.pages,
            path=final,
            sent=tuple(d for d, _r, _l, _t in letters),
            skipped=tuple(skipped),
            document_id=document_id,
            warnings=warnings,
        )

    # -- the pieces ----------------------------------------------------------------------------
    def _template(self, actor: Actor, stage: ReminderStage) -> TemplateDetail:
        return self._letters.template_to_send(
            actor,
            stage.template_key,
            f"The {stage.label.lower()} letter is not in this database yet: someone who "
            "may change letter templates (staff or an administrator) needs to open "
            "Letters > Templates once, then the reminders can be sent.",
        )

    def _invoices(self, actor: Actor, ids: Sequence[int]) -> list[InvoiceDetail]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return load_invoices(session, list(ids))

    def _member_recipients(
        self,
        actor: Actor,
        wanted: list[ReminderDue],
        templates: dict[ReminderStage, TemplateDetail],
        day: date,
    ) -> dict[tuple[ReminderStage, int | None], Recipient]:
        """Members' letters addressed as a mail merge addresses them (a member school's
        contact with the template's role, at the school); the rest from the invoice."""
        members: dict[ReminderStage, list[int]] = defaultdict(list)
        for due in wanted:
            if due.member_id is not None and due.member_id not in members[due.stage]:
                members[due.stage].append(due.member_id)
        found: dict[tuple[ReminderStage, int | None], Recipient] = {}
        for stage, member_ids in members.items():
            template = templates[stage]
            recipients, _skipped = self._letters.recipients(
                actor,
                [],
                template.contact_role,
                member_ids=member_ids,
                on=day,
                fields=template.fields_used,
            )
            for recipient in recipients:
                found[(stage, recipient.member_id)] = recipient
        return found

    @save
    def _record(
        self,
        actor: Actor,
        day: date,
        filename: str,
        pdf: bytes,
        pages: Sequence[int],
        letters: list[ReminderLetter],
    ) -> int:
        """The PDF, each reminder and each member's correspondence: one transaction."""
        with self.db.session() as session:
            _check_still_due(session, day, [d for d, _r, _l, _t in letters])
            return add_reminder_records(session, actor, day, filename, pdf, pages, letters)

    @save
    def _take_back(self, actor: Actor, document_id: int) -> None:
        """The records of a run whose file could not take its place."""
        with self.db.session() as session:
            session.execute(
                delete(InvoiceReminder).where(InvoiceReminder.document_id == document_id)
            )
            session.execute(delete(Correspondence).where(Correspondence.document_id == document_id))
            session.execute(delete(Document).where(Document.id == document_id))


def reminder_letters(
    wanted: Sequence[ReminderDue],
    details: dict[int, InvoiceDetail],
    templates: dict[ReminderStage, TemplateDetail],
    profile: ProfileData,
    addressed: dict[tuple[ReminderStage, int | None], Recipient],
    day: date,
) -> tuple[list[ReminderLetter], list[Skipped]]:
    """Each reminder filled in, as a mail merge fills a letter; those that cannot be, why.

    A member is addressed as ``addressed`` says (its school's contact); anyone else at the
    name and address the invoice was issued to.
    """
    common = _organisation_values(profile)
    letters: list[ReminderLetter] = []
    skipped: list[Skipped] = []
    for due in wanted:
        detail = details[due.invoice_id]
        template = templates[due.stage]
        data = signed_by(template.as_input(), profile)
        recipient = addressed.get((due.stage, detail.member_id)) or _snapshot_recipient(detail)
        values = common | _letter_values(day, data, due.number) | invoice_values(detail, due)
        filled = fill_letter(data, template.fields_used, recipient, values, day)
        if isinstance(filled, Skipped):  # listed by the invoice's customer
            skipped.append(Skipped(due.customer, filled.reason))
        else:
            letters.append((due, recipient, filled, template))
    return letters, skipped


def lay_out(
    letters: Sequence[ReminderLetter],
    profile: ProfileData,
    day: date,
    on_letter: Callable[[int], None] | None = None,
) -> tuple[bytes, RenderResult]:
    """The letters on the letterhead, as one PDF's bytes."""
    buffer = io.BytesIO()
    rendered = render_letters(
        buffer,
        letterhead_from(profile),
        (letter for _d, _r, letter, _t in letters),
        title=f"Invoice reminders {format_date(day)}",
        on_letter=on_letter,
    )
    return buffer.getvalue(), rendered


def add_reminder_records(
    session: Session,
    actor: Actor,
    day: date,
    filename: str,
    pdf: bytes,
    pages: Sequence[int],
    letters: Sequence[ReminderLetter],
    *,
    correspondence: bool = True,
) -> int:
    """The PDF kept, each reminder recorded against its invoice and (``correspondence``)
    each member's letter in its correspondence, in the caller's transaction; the
    document's id."""
    title = f"Invoice reminders {format_date(day)}"
    document = _document(actor, title, filename, pdf, sum(pages))
    session.add(document)
    session.flush()
    first = 1
    for (due, recipient, letter, template), count in zip(letters, pages, strict=True):
        session.add(
            InvoiceReminder(
                invoice_id=due.invoice_id,
                stage=due.stage,
                sent_on=day,
                outstanding=due.outstanding,
                document_id=document.id,
                created_by=actor.name,
                updated_by=actor.name,
            )
        )
        if correspondence and (recipient.member_id is not None or recipient.school_id is not None):
            session.add(
                _correspondence(actor, template, recipient, letter, document, first, count, None)
            )
        first += count
    record(
        session,
        Change(
            Action.LETTERS,
            "document",
            document.uuid,
            title,
            detail=f"Invoice reminders of {format_date(day)}: "
            + ", ".join(f"{d.number} ({d.stage.label})" for d, _r, _l, _t in letters),
        ),
    )
    return document.id


def invoice_values(detail: InvoiceDetail, due: ReminderDue) -> dict[str, str]:
    """The ``{invoice.*}`` fields of a reminder about ``detail``."""
    return {
        "invoice.number": detail.number or "",
        "invoice.date": format_date(detail.invoice_date),
        "invoice.due_date": format_date(detail.due_date),
        "invoice.total": money(detail.total),
        "invoice.outstanding": money(due.outstanding),
        "invoice.days_overdue": str(due.days_overdue),
        "invoice.reference": detail.reference,
        "invoice.customer": detail.customer_name,
    }


def _snapshot_recipient(detail: InvoiceDetail) -> Recipient:
    """A letter to the customer at the name and address the invoice was issued to."""
    contact = detail.customer_contact.strip()
    lines = list(detail.address_lines)
    block = [contact] if contact and contact != detail.customer_name else []
    block += [detail.customer_name, *lines]
    if detail.customer_postcode and not any(detail.customer_postcode in x for x in lines):
        block.append(detail.customer_postcode)
    return Recipient(
        school_id=None,
        urn=None,
        school_name=detail.customer_name,
        contact_name=contact,
        contact_role="",
        address=tuple(block),
        values={
            "contact.full_name": contact or detail.customer_name,
            "contact.salutation": _salutation_name(contact),
            "contact.role": "",
            "contact.email": detail.customer_email,
        },
        member_id=detail.member_id,
    )


def due_on(session: Session, day: date, only: Collection[int] | None = None) -> list[ReminderDue]:
    """The reminders due on ``day``, in the caller's session (see :meth:`RemindersService.due`)."""
    settings = load_settings(session)
    earliest = min(settings.reminder_days(s) for s in REMINDER_STAGES)
    query = select(
        Invoice.id,
        Invoice.number,
        Invoice.customer_name,
        Invoice.member_id,
        Invoice.due_date,
        Invoice.total,
    ).where(
        Invoice.kind == InvoiceKind.INVOICE,
        Invoice.state == InvoiceState.ISSUED,
        Invoice.due_date <= day - timedelta(days=earliest),
    )
    if only is not None:
        query = query.where(Invoice.id.in_(list(only)))
    rows = session.execute(query).all()
    ids = [r.id for r in rows]
    applied = applied_amounts(session, ids)
    sent: dict[int, dict[ReminderStage, date]] = defaultdict(dict)
    for invoice_id, stage, sent_on in session.execute(
        select(InvoiceReminder.invoice_id, InvoiceReminder.stage, InvoiceReminder.sent_on).where(
            InvoiceReminder.invoice_id.in_(ids)
        )
    ):
        sent[invoice_id][ReminderStage(stage)] = sent_on
    found = []
    for r in rows:
        paid, credited = applied.get(r.id, (ZERO, ZERO))
        outstanding = r.total - paid - credited
        if outstanding <= ZERO:
            continue
        next_stage = stage_due(settings, r.due_date, day, sent[r.id])
        if next_stage is None:
            continue
        found.append(
            ReminderDue(
                invoice_id=r.id,
                number=r.number,
                customer=r.customer_name,
                due_date=r.due_date,
                days_overdue=days_overdue(r.due_date, day),
                outstanding=outstanding,
                stage=next_stage,
                member_id=r.member_id,
            )
        )
    found.sort(key=lambda d: (d.customer.casefold(), d.number))
    return found


def _check_still_due(session: Session, day: date, letters: list[ReminderDue]) -> None:
    """Refuse to record reminders someone else sent, or invoices paid, while they were made.

    Checked in the records' own transaction, which holds the write lock.
    """
    now = {d.invoice_id: d for d in due_on(session, day, [d.invoice_id for d in letters])}
    changed = [
        d.number
        for d in letters
        if d.invoice_id not in now
        or now[d.invoice_id].stage is not d.stage
        or now[d.invoice_id].outstanding != d.outstanding
    ]
    if changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        raise ConflictError(
            f"Meanwhile someone recorded a payment or a reminder for {shown}. No reminders "
            "were saved or recorded; send the reminders again."
        )


__all__ = [
    "ReminderDue",
    "ReminderResult",
    "RemindersService",
    "add_reminder_records",
    "due_on",
    "invoice_values",
    "lay_out",
    "reminder_letters",
    "stage_due",
]
