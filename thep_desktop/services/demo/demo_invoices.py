"""The demo's invoicing: a year of it, numbered and recorded as the office would have done it."""

# What the demo shows: the catalogue of services; last year's membership fees run, issued
# and nearly all paid (a few in part, a few not at all, each reminded at every stage); this
# year's run issued, paid by some, in part by others, with the reminders each unpaid one was
# sent (1st, 2nd, final), their letters kept with the invoices (not in the members' letter
# histories, which the demo leaves to the mail merge); a credit note for a fee worked out on
# a wrong pupil figure, and the school then paying the old amount (the difference held as
# its credit); services sold to members and to schools outside the partnership, one
# reminded, one due a reminder today and one not yet due; and two drafts. Events are played
# in date order (invoices, payments, reminder runs) through the same pieces the services
# use, so numbers, the audit trail and the reminders' letters are real. Dates are drawn
# relative to today.

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import PENNY, REMINDER_STAGES, InvoiceKind, PaymentMethod
from thep_desktop.models import (
    Allocation,
    Customer,
    Invoice,
    LetterTemplate,
    OrganisationProfile,
    Payment,
    ServiceItem,
)
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.invoices.catalogue_service import default_catalogue
from thep_desktop.services.invoices.fee_runs_service import make_drafts, preview_with_members
from thep_desktop.services.invoices.invoice_checks import check_draft
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput, SettingsDetail
from thep_desktop.services.invoices.invoice_records import load_invoices, load_settings
from thep_desktop.services.invoices.invoices_service import (
    credit_invoice,
    draft_customer,
    fill_draft,
    issue_drafts,
)
from thep_desktop.services.invoices.reminders_service import (
    add_reminder_records,
    due_on,
    lay_out,
    reminder_letters,
)
from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY
from thep_desktop.services.letters.letter_templates import (
    TemplateDetail,
    builtin_input,
    builtin_uuid,
    template_detail,
)
from thep_desktop.services.settings.organisation_service import ProfileData, profile_data
from thep_desktop.services.shared.actor import Actor

# Schools outside the partnership that buy its services.
OUTSIDERS = (
    (
        "St Anselm's Catholic Primary School",
        "Mrs Teresa Doyle",
        "Mare Street\nHackney\nLondon",
        "E8 3RH",
        "finance@st-anselms.example",
    ),
    (
        "Riverside Learning Trust",
        "Mr Daniel Adeyemi",
        "4 Wharf Lane\nLondon",
        "E14 9QT",
        "accounts@riverside-trust.example",
    ),
)
# Who pays a year's fee in full, who pays half, within the first 75 days after the run.
LAST_YEAR_SHARES = (0.9, 0.05)
THIS_YEAR_SHARES = (0.5, 0.2)
METHODS = (PaymentMethod.BACS, PaymentMethod.BACS, PaymentMethod.BACS, PaymentMethod.CHEQUE)


@dataclass(frozen=True)
class _Receipt:
    on: date
    customer_id: int
    amount: Decimal
    method: PaymentMethod
    reference: str
    against: tuple[tuple[int, Decimal], ...]
    notes: str = ""


class _Demo:
    """The step's state: the session, who acts, and the catalogue's items by code."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.who = actor.name
        self.audit = {"created_by": actor.name, "updated_by": actor.name}
        self.settings: SettingsDetail = load_settings(session)
        self.items: dict[str, ServiceItem] = {}
        self.templates: dict = {}
        self.profile: ProfileData | None = None

    # -- invoices ---------------------------------------------------------------------------
    def fee_run(self, year: AcademicYear, on: date) -> list[int]:
        """The year's membership fees as drafts, issued at once (as the office runs them)."""
        preview, members = preview_with_members(self.session, year, None, on)
        result = make_drafts(self.session, preview, members, self.who, None)
        issue_drafts(self.session, list(result.draft_ids), self.who)
        return list(result.draft_ids)

    def bespoke(
        self,
        on: date,
        lines: list[tuple[str, str]],
        *,
        member_id: int | None = None,
        customer_id: int | None = None,
        order: str = "",
        issue: bool = True,
    ) -> int:
        """An invoice for services from the catalogue: (item code, quantity) lines."""
        data = DraftInput(
            customer_id=customer_id,
            member_id=member_id,
            invoice_date=on,
            purchase_order=order,
            lines=tuple(self._line(code, quantity) for code, quantity in lines),
        )
        checked = check_draft(data, self.settings.payment_terms_days, on)
        customer = draft_customer(self.session, data, self.who)
        invoice = Invoice(
            kind=InvoiceKind.INVOICE,
            customer_id=customer.id,
            member_id=customer.member_id,
            **self.audit,
        )
        fill_draft(self.session, invoice, customer, checked, self.who)
        self.session.add(invoice)
        self.session.flush()
        if issue:
            issue_drafts(self.session, [invoice.id], self.who)
        return invoice.id

    def _line(self, code: str, quantity: str) -> LineInput:
        item = self.items[code]
        return LineInput(
            item.name,
            quantity,
            item.unit_price,
            item.vat_code,
            item.account_code,
            item.id,
        )

    # -- money ------------------------------------------------------------------------------
    def receive(self, receipts: list[_Receipt]) -> None:
        """Money received, each set against its invoices (one flush for them all)."""
        payments = [
            Payment(
                customer_id=r.customer_id,
                received_on=r.on,
                amount=r.amount,
                method=r.method,
                reference=r.reference,
                notes=r.notes,
                **self.audit,
            )
            for r in receipts
        ]
        self.session.add_all(payments)
        self.session.flush()
        self.session.add_all(
            Allocation(
                invoice_id=invoice_id,
                payment_id=payment.id,
                amount=share,
                allocated_on=receipt.on,
                **self.audit,
            )
            for receipt, payment in zip(receipts, payments, strict=True)
            for invoice_id, share in receipt.against
        )

    # -- reminders --------------------------------------------------------------------------
    def remind(self, on: date, only: list[int] | None = None) -> int:
        """Every reminder due on ``on`` (of ``only`` these invoices), laid out and recorded
        as a run of the reminders."""
        wanted = due_on(self.session, on, only)
        if not wanted:
            return 0
        self.session.flush()
        details = {d.id: d for d in load_invoices(self.session, [r.invoice_id for r in wanted])}
        assert self.profile is not None
        letters, _skipped = reminder_letters(
            wanted, details, self._templates(), self.profile, {}, on
        )
        if not letters:
            return 0
        pdf, rendered = lay_out(letters, self.profile, on)
        add_reminder_records(
            self.session,
            self.actor,
            on,
            f"Reminders {on.isoformat()}.pdf",
            pdf,
            rendered.pages_per_letter,
            letters,
            # Kept with the invoices only: the demo's letter histories stay the mail merge's.
            correspondence=False,
        )
        self.session.flush()
        return len(letters)

    def _templates(self) -> dict:
        """The reminder templates, added as the letters service adds its built-ins."""
        if not self.templates:
            for stage in REMINDER_STAGES:
                shipped = BUILTINS_BY_KEY[stage.template_key]
                row = LetterTemplate(
                    **vars(builtin_input(shipped)),
                    uuid=builtin_uuid(shipped.key),
                    key=shipped.key,
                    builtin=True,
                    **self.audit,
                )
                self.session.add(row)
                self.session.flush()
                detail: TemplateDetail = template_detail(row)
                self.templates[stage] = detail
        return self.templates


def invoices_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The catalogue, last year's and this year's fees, services sold, payments, reminders."""
    today = date.today()
    demo = _Demo(session, actor)
    profile_row = session.scalar(select(OrganisationProfile).order_by(OrganisationProfile.id))
    assert profile_row is not None
    demo.profile = profile_data(profile_row)
    for item in default_catalogue():
        row = ServiceItem(
            code=item.code,
            name=item.name,
            description=item.description,
            unit=item.unit,
            unit_price=Decimal(str(item.unit_price)),
            vat_code=item.vat_code,
            account_code=item.account_code,
            active=item.active,
            **demo.audit,
        )
        session.add(row)
        demo.items[item.code] = row
    session.flush()
    progress.report(1, 6, "Service catalogue")

    this_year = AcademicYear.of(today)
    last_year = this_year.previous()
    terms = timedelta(days=demo.settings.payment_terms_days)
    stage_days = [demo.settings.reminder_days(s) for s in REMINDER_STAGES]

    # Last year: the run on the first day of the year, paid over the autumn, reminded.
    last_run = last_year.first_day
    last_ids = demo.fee_run(last_year, last_run)
    progress.report(2, 6, f"Membership fees {last_year.label}")
    pending = _fee_receipts(session, rng, last_ids, last_run, today, LAST_YEAR_SHARES)
    # Reminded (in the demo) are those still owing at the end, to keep the demo quick.
    paid_up = {r.against[0][0] for r in pending if r.amount == _total(session, r.against[0][0])}
    owing = [i for i in last_ids if i not in paid_up]
    for days in stage_days:
        on = last_run + terms + timedelta(days=days)
        _pay_until(demo, pending, on)
        demo.remind(on, owing)
    _pay_until(demo, pending, None)
    # Services sold to members during last year, paid a month later.
    members = _member_ids(session, last_ids)
    for offset, member_id, lines in (
        (75, members[3], [("SLA-DAY", "2")]),
        (120, members[11], [("OFSTED-PREP", "1")]),
        (190, members[20], [("PP-REVIEW", "1"), ("SLA-HALF", "1")]),
    ):
        if member_id is None:
            continue
        on = last_run + timedelta(days=offset)
        invoice_id = demo.bespoke(on, lines, member_id=member_id)
        _pay_in_full(demo, invoice_id, on + timedelta(days=rng.randint(20, 40)), rng)
    progress.report(3, 6, "Payments and reminders")

    # This year: run in advance when the year has only just begun, so there is history.
    this_run = min(this_year.first_day, today - timedelta(days=80))
    this_ids = demo.fee_run(this_year, this_run)
    progress.report(4, 6, f"Membership fees {this_year.label}")
    # A fee worked out on the wrong pupil figure is credited in part; the school then pays
    # the amount first invoiced, and the difference is held as its credit.
    corrected = _credit_wrong_figure(demo, this_ids, this_run + timedelta(days=12))
    pending = _fee_receipts(
        session, rng, this_ids, this_run, today, THIS_YEAR_SHARES, skip=corrected
    )
    for days in stage_days:
        on = this_run + terms + timedelta(days=days)
        _pay_until(demo, pending, on)
        demo.remind(on)
    _pay_until(demo, pending, today)
    progress.report(5, 6, "Payments and reminders")

    # Services sold this term: to a school outside the partnership (reminded once), to a
    # member (due its 1st reminder today), to a trust (not yet due), and two drafts.
    outsiders = [_outsider(demo, *o) for o in OUTSIDERS]
    demo.bespoke(today - timedelta(days=50), [("TRN-FULL", "3")], customer_id=outsiders[0],
                 order="PO-4471")  # fmt: skip
    demo.remind(today - timedelta(days=6))
    members = _member_ids(session, this_ids)
    if members[5] is not None:
        demo.bespoke(today - timedelta(days=45), [("OFSTED-PREP", "1")], member_id=members[5])
    demo.bespoke(today - timedelta(days=10), [("GOV-REVIEW", "1")], customer_id=outsiders[1],
                 order="RLT/2026/118")  # fmt: skip
    if members[8] is not None:
        demo.bespoke(today, [("SLA-DAY", "3")], member_id=members[8], issue=False)
    demo.bespoke(today, [("TRN-HALF", "2")], customer_id=outsiders[0], issue=False)
    session.flush()
    progress.report(6, 6, "Services sold")


def _total(session: Session, invoice_id: int) -> Decimal:
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    return invoice.total


def _fee_receipts(
    session: Session,
    rng: random.Random,
    invoice_ids: list[int],
    run_on: date,
    today: date,
    shares: tuple[float, float],
    skip: int | None = None,
) -> list[_Receipt]:
    """What the members pay of their fee invoices, in date order: some in full, some half,
    some nothing, within 75 days of the run and never after today."""
    paid_share, part_share = shares
    room = min(max((today - run_on).days, 0), 75)
    receipts = []
    for invoice in session.scalars(
        select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)
    ):
        chance = rng.random()
        if invoice.id == skip or chance >= paid_share + part_share:
            continue
        amount = invoice.total if chance < paid_share else (invoice.total / 2).quantize(PENNY)
        receipts.append(
            _Receipt(
                run_on + timedelta(days=rng.randint(0, room)),
                invoice.customer_id,
                amount,
                rng.choice(METHODS),
                invoice.number or "",
                ((invoice.id, amount),),
            )
        )
    receipts.sort(key=lambda r: (r.on, r.against))
    return receipts


def _pay_until(demo: _Demo, pending: list[_Receipt], until: date | None) -> None:
    """Record the receipts dated on or before ``until`` (None: all), taking them off."""
    now = [r for r in pending if until is None or r.on <= until]
    if now:
        demo.receive(now)
        del pending[: len(now)]


def _pay_in_full(demo: _Demo, invoice_id: int, on: date, rng: random.Random) -> None:
    invoice = demo.session.get(Invoice, invoice_id)
    assert invoice is not None
    method = rng.choice([PaymentMethod.BACS, PaymentMethod.BACS, PaymentMethod.CARD])
    demo.receive(
        [
            _Receipt(
                on,
                invoice.customer_id,
                invoice.total,
                method,
                invoice.number or "",
                ((invoice_id, invoice.total),),
            )
        ]
    )


def _credit_wrong_figure(demo: _Demo, invoice_ids: list[int], on: date) -> int | None:
    """Credit 20 pupils' fee off one member's invoice; it pays the first amount; its id."""
    rows = demo.session.scalars(
        select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)
    ).all()
    big = [r for r in rows if r.total >= Decimal("2000.00")]
    if not big:
        return None
    invoice = big[len(big) // 2]
    credit = Decimal("100.00")  # 20 pupils x £5.00
    credit_invoice(
        demo.session,
        invoice.id,
        "Pupil figure corrected: the census return counted 20 pupils twice",
        credit,
        on,
        demo.who,
    )
    owed = invoice.total - credit
    demo.receive(
        [
            _Receipt(
                on + timedelta(days=9),
                invoice.customer_id,
                invoice.total,
                PaymentMethod.BACS,
                invoice.number or "",
                ((invoice.id, owed),),
                notes="Paid the amount first invoiced; the difference is held as credit.",
            )
        ]
    )
    return invoice.id


def _outsider(demo: _Demo, name: str, contact: str, address: str, postcode: str, email: str) -> int:
    row = Customer(
        name=name,
        contact_name=contact,
        address=address,
        postcode=postcode,
        email=email,
        **demo.audit,
    )
    demo.session.add(row)
    demo.session.flush()
    return row.id


def _member_ids(session: Session, invoice_ids: list[int]) -> list[int | None]:
    """The members of these fee invoices in id order, padded so that indexing never fails."""
    found: list[int | None] = list(
        session.scalars(
            select(Invoice.member_id).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)
        )
    )
    return found + [None] * max(0, 30 - len(found))


__all__ = ["invoices_step"]
