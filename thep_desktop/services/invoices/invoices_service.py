"""Invoices and credit notes: drafts, issuing with gapless numbers, crediting, and the list.

A draft has no number and may change or go. Issuing gives it the next number of its series
in the same transaction that fixes it, with the series row locked, so numbers have no gaps
and no duplicates whoever issues at the same moment; from then on it never changes (the
database's triggers refuse it too), and only a credit note corrects it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    VatCode,
    document_number,
    line_amounts,
    to_penny,
    totals_of,
)
from thep_desktop.domain.progress import Progress
from thep_desktop.models import (
    Allocation,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceSettings,
    Member,
    NumberSeries,
)
from thep_desktop.models.base import utcnow
from thep_desktop.services.invoices.invoice_checks import (
    CheckedDraft,
    CheckedLine,
    check_draft,
)
from thep_desktop.services.invoices.invoice_data import (
    CustomerChoice,
    CustomerDetail,
    CustomerInput,
    DraftInput,
    InvoiceDetail,
    InvoiceFilter,
    InvoiceRow,
    IssueResult,
    SettingsDetail,
    SettingsInput,
)
from thep_desktop.services.invoices.invoice_records import (
    DEFAULT_PREFIXES,
    customer_detail,
    customer_snapshots,
    list_rows,
    load_invoices,
    load_settings,
    supplier_snapshot,
)
from thep_desktop.services.invoices.invoices_permissions import (
    INVOICE_SETTINGS,
    MANAGE_INVOICES,
)
from thep_desktop.services.memberships.members_service import _load_members
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.offline_guard import refuse_numbers_offline
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

CUSTOMER_LABELS = {
    "name": "Name",
    "contact_name": "Contact",
    "address": "Address",
    "postcode": "Postcode",
    "email": "Email",
    "phone": "Phone",
    "notes": "Notes",
}
SETTINGS_LABELS = {
    "payment_terms_days": "Payment terms (days)",
    "first_reminder_days": "1st reminder (days after due)",
    "second_reminder_days": "2nd reminder (days after due)",
    "final_reminder_days": "Final reminder (days after due)",
    "fee_vat_code": "VAT on membership fees",
    "fee_account_code": "Account code for membership fees",
    "invoice_note": "Note on every invoice",
    "invoice_prefix": "Invoice numbers start",
    "credit_note_prefix": "Credit note numbers start",
}


class InvoicesService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # settings -------------------------------------------------------------------------------
    def settings(self, actor: Actor) -> SettingsDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            return load_settings(session)

    @save
    def save_settings(
        self, actor: Actor, expected_version: int, data: SettingsInput
    ) -> SettingsDetail:
        """Payment terms, reminder days, how fees are coded, and the numbers' prefixes.

        A prefix may change at any time: numbers carry on from where they were.
        """
        actor.require(INVOICE_SETTINGS)
        checker = FieldChecker(InvoiceSettings.__table__, SETTINGS_LABELS)  # type: ignore[arg-type]
        terms = checker.whole_number("payment_terms_days", data.payment_terms_days, maximum=365)
        days = [
            checker.whole_number(name, getattr(data, name), minimum=1, maximum=730)
            for name in ("first_reminder_days", "second_reminder_days", "final_reminder_days")
        ]
        if all(d is not None for d in days) and not days[0] < days[1] < days[2]:  # type: ignore[operator]
            checker.fail(
                "second_reminder_days",
                "Each reminder comes later than the one before: 1st, then 2nd, then final",
            )
        try:
            vat = (
                VatCode(data.fee_vat_code)
                if not isinstance(data.fee_vat_code, VatCode)
                else data.fee_vat_code
            )
        except ValueError:
            try:
                vat = VatCode.parse(str(data.fee_vat_code))
            except ValueError as exc:
                checker.fail("fee_vat_code", str(exc))
                vat = None
        account = checker.text("fee_account_code", data.fee_account_code)
        note = checker.text("invoice_note", data.invoice_note)
        prefixes = {}
        for field, kind in (
            ("invoice_prefix", InvoiceKind.INVOICE),
            ("credit_note_prefix", InvoiceKind.CREDIT_NOTE),
        ):
            text = str(getattr(data, field) or "").strip()
            if not text:
                checker.fail(field, f"{SETTINGS_LABELS[field]} is required (e.g. INV-)")
            elif len(text) > 10 or not all(c.isalnum() or c in "-/_" for c in text):
                checker.fail(field, "Use at most 10 letters, digits, dashes or slashes (e.g. INV-)")
            prefixes[kind] = text.upper()
        if (
            not checker.errors
            and prefixes[InvoiceKind.INVOICE] == prefixes[InvoiceKind.CREDIT_NOTE]
        ):
            checker.fail("credit_note_prefix", "Credit notes need a prefix of their own")
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                row = session.scalar(select(InvoiceSettings).order_by(InvoiceSettings.id).limit(1))
                current = 0 if row is None else row.version
                if current != expected_version:
                    raise _conflict("invoice settings")
                if row is None:
                    row = InvoiceSettings(created_by=actor.name, updated_by=actor.name)
                    session.add(row)
                row.payment_terms_days = terms  # type: ignore[assignment]
                (
                    row.first_reminder_days,
                    row.second_reminder_days,
                    row.final_reminder_days,
                ) = days  # type: ignore[assignment]
                row.fee_vat_code = vat  # type: ignore[assignment]
                row.fee_account_code = account
                row.invoice_note = note
                row.updated_at = utcnow()
                row.updated_by = actor.name
                for kind, prefix in prefixes.items():
                    series = lock_series(session, kind, actor.name)
                    if series.prefix != prefix:
                        series.prefix = prefix
                        series.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise _conflict("invoice settings") from None
        return self.settings(actor)

    # customers ------------------------------------------------------------------------------
    def customer_choices(self, actor: Actor) -> list[CustomerChoice]:
        """Everyone an invoice may be to: customers on record, and members not yet billed."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            customers = session.scalars(select(Customer).where(Customer.active)).all()
            snapshots = customer_snapshots(session, customers)
            billed_members = {c.member_id for c in customers if c.member_id is not None}
            choices = [
                CustomerChoice(
                    c.id,
                    c.member_id,
                    snapshots[c.id]["customer_name"],
                    snapshots[c.id]["customer_postcode"],
                )
                for c in customers
            ]
            for member in _load_members(session):
                if member.id not in billed_members:
                    choices.append(CustomerChoice(None, member.id, member.name, member.postcode))
        choices.sort(key=lambda c: (c.name.casefold(), c.customer_id or 0, c.member_id or 0))
        return choices

    def get_customer(self, actor: Actor, customer_id: int) -> CustomerDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(Customer, customer_id)
            if row is None:
                raise NotFoundError("This customer is no longer in the records.")
            detail = customer_detail(row)
            if row.member_id is not None:
                shown = customer_snapshots(session, [row])[row.id]
                return _with_snapshot(detail, shown)
            return detail

    def customer_for_member(self, actor: Actor, member_id: int) -> CustomerDetail:
        """The member's customer record, made the first time the member is billed."""
        actor.require(MANAGE_INVOICES)
        customer_id = self._member_customer_id(actor, member_id)
        return self.get_customer(actor, customer_id)

    @save
    def _member_customer_id(self, actor: Actor, member_id: int) -> int:
        with self.db.session() as session:
            return member_customer(session, member_id, actor.name).id

    @save
    def save_customer(
        self,
        actor: Actor,
        data: CustomerInput,
        customer_id: int | None = None,
        expected_version: int | None = None,
    ) -> CustomerDetail:
        """A customer who is not a member: new (``customer_id`` None) or changed."""
        actor.require(MANAGE_INVOICES)
        checker = FieldChecker(Customer.__table__, CUSTOMER_LABELS)  # type: ignore[arg-type]
        values = {
            "name": checker.text("name", data.name, required=True),
            "contact_name": checker.text("contact_name", data.contact_name),
            "address": checker.text("address", data.address),
            "postcode": checker.text("postcode", data.postcode),
            "email": checker.text("email", data.email),
            "phone": checker.text("phone", data.phone),
            "notes": checker.text("notes", data.notes),
        }
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                if customer_id is None:
                    row = Customer(**values, created_by=actor.name, updated_by=actor.name)
                    session.add(row)
                else:
                    found = session.get(Customer, customer_id)
                    if found is None:
                        raise NotFoundError("This customer is no longer in the records.")
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise _conflict("customer")
                    if row.member_id is not None:
                        # A member's name and address are the member's: only these are its own.
                        values = {k: values[k] for k in ("contact_name", "email", "notes")}
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.updated_at = utcnow()
                    row.updated_by = actor.name
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise _conflict("customer") from None
        return self.get_customer(actor, new_id)

    # drafts ---------------------------------------------------------------------------------
    @save
    def create_draft(self, actor: Actor, data: DraftInput) -> InvoiceDetail:
        """A new draft invoice (no number until it is issued)."""
        actor.require(MANAGE_INVOICES)
        with self.db.read_session() as session:
            terms = load_settings(session).payment_terms_days
        checked = check_draft(data, terms, date.today())
        with self.db.session() as session:
            customer = draft_customer(session, data, actor.name)
            invoice = Invoice(
                kind=InvoiceKind.INVOICE,
                state=InvoiceState.DRAFT,
                customer_id=customer.id,
                member_id=customer.member_id,
                created_by=actor.name,
                updated_by=actor.name,
            )
            fill_draft(session, invoice, customer, checked, actor.name)
            session.add(invoice)
            session.flush()
            new_id = invoice.id
        return self.get_invoice(actor, new_id)

    @save
    def update_draft(
        self, actor: Actor, invoice_id: int, expected_version: int, data: DraftInput
    ) -> InvoiceDetail:
        """Change a draft loaded at ``expected_version``; an issued invoice is refused."""
        actor.require(MANAGE_INVOICES)
        with self.db.read_session() as session:
            terms = load_settings(session).payment_terms_days
        checked = check_draft(data, terms, date.today())
        try:
            with self.db.session() as session:
                invoice = _draft_for_change(session, invoice_id, expected_version)
                customer = draft_customer(session, data, actor.name)
                invoice.customer_id = customer.id
                invoice.member_id = customer.member_id
                fill_draft(session, invoice, customer, checked, actor.name)
                invoice.updated_at = utcnow()
                invoice.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise _conflict("draft") from None
        return self.get_invoice(actor, invoice_id)

    @save
    def delete_draft(self, actor: Actor, invoice_id: int, expected_version: int) -> None:
        """A draft thrown away (it never had a number). An issued invoice is refused."""
        actor.require(MANAGE_INVOICES)
        try:
            with self.db.session() as session:
                invoice = _draft_for_change(session, invoice_id, expected_version)
                session.delete(invoice)
                session.flush()
        except StaleDataError:
            raise _conflict("draft") from None

    # issuing --------------------------------------------------------------------------------
    @save
    def issue(
        self,
        actor: Actor,
        invoice_ids: Sequence[int],
        *,
        progress: Progress | None = None,
    ) -> IssueResult:
        """Issue drafts: numbered in date order, customer and supplier kept as they are now.

        All or none: any draft that cannot be issued (no lines, a total of nothing, changed
        or issued meanwhile, dated before the last issued invoice) stops the lot, in words.
        """
        actor.require(MANAGE_INVOICES)
        if not invoice_ids:
            raise ServiceError("Choose the drafts to issue.")
        with self.db.session() as session:
            return issue_drafts(session, list(invoice_ids), actor.name, progress)

    # crediting ------------------------------------------------------------------------------
    @save
    def credit(
        self,
        actor: Actor,
        invoice_id: int,
        reason: str,
        amount: Decimal | str | None = None,
        credit_date: date | str | None = None,
    ) -> InvoiceDetail:
        """Issue a credit note against an issued invoice: all of what is not yet credited, or
        ``amount`` of it. It is set against what the invoice still owes; any more (the invoice
        was paid) becomes the customer's credit, to refund or set against another invoice.
        """
        actor.require(MANAGE_INVOICES)
        checker = FieldChecker(Invoice.__table__, {"credit_reason": "Reason", "amount": "Amount"})  # type: ignore[arg-type]
        why = checker.text("credit_reason", reason, required=True)
        if "credit_reason" in checker.errors:
            checker.errors["credit_reason"] = "Say why the invoice is being credited"
        wanted = None
        if amount is not None and str(amount).strip():
            wanted = checker.money("amount", amount)
            if wanted is not None and wanted <= ZERO:
                checker.fail("amount", "A credit of £0.00 is not a credit")
        on = checker.date("credit_date", credit_date) or date.today()
        if checker.errors:
            raise ValidationError(checker.errors)
        with self.db.session() as session:
            credit_id = credit_invoice(session, invoice_id, why, wanted, on, actor.name)
        return self.get_invoice(actor, credit_id)

    # reading --------------------------------------------------------------------------------
    def get_invoice(self, actor: Actor, invoice_id: int) -> InvoiceDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = load_invoices(session, [invoice_id])
        if not found:
            raise NotFoundError(
                "This invoice is no longer in the records (it was a draft someone deleted)."
            )
        return found[0]

    def get_invoices(self, actor: Actor, invoice_ids: Sequence[int]) -> list[InvoiceDetail]:
        """Several invoices in the order asked, in six statements however many."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return load_invoices(session, list(invoice_ids))

    def find_invoice(self, actor: Actor, number: str) -> InvoiceDetail:
        """An invoice or credit note by its number ("INV-000123", "inv-123" or "123")."""
        actor.require(VIEW)
        text = number.strip().upper()
        with self.db.read_session() as session:
            found = session.scalar(select(Invoice.id).where(func.upper(Invoice.number) == text))
            if found is None:
                # "123" or "inv-123": the invoice of that number.
                series = session.scalar(
                    select(NumberSeries).where(NumberSeries.kind == InvoiceKind.INVOICE)
                )
                if series is not None:
                    digits = text.removeprefix(series.prefix.upper())
                    if digits.isdigit():
                        wanted = document_number(series.prefix, int(digits), series.digits)
                        found = session.scalar(select(Invoice.id).where(Invoice.number == wanted))
        if found is None:
            raise NotFoundError(f"There is no invoice or credit note numbered “{number.strip()}”.")
        return self.get_invoice(actor, found)

    def list_invoices(self, actor: Actor, wanted: InvoiceFilter | None = None) -> list[InvoiceRow]:
        """Invoices and credit notes, newest first, with what is paid and credited: three
        statements however many."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return list_rows(session, wanted or InvoiceFilter())


# -- the work, on a session (the fee run and the offline copy use them too) ----------------------
def member_customer(session: Session, member_id: int, who: str) -> Customer:
    """The member's customer record, made when the member is first billed."""
    found = session.scalar(select(Customer).where(Customer.member_id == member_id))
    if found is not None:
        return found
    if session.get(Member, member_id) is None:
        raise NotFoundError("This member is no longer in the records.")
    row = Customer(member_id=member_id, created_by=who, updated_by=who)
    session.add(row)
    session.flush()
    return row


def draft_customer(session: Session, data: DraftInput, who: str) -> Customer:
    if data.customer_id is not None:
        found = session.get(Customer, data.customer_id)
        if found is None:
            raise ValidationError({"customer": "This customer is no longer in the records."})
        return found
    assert data.member_id is not None  # check_draft asked for one or the other
    try:
        return member_customer(session, data.member_id, who)
    except NotFoundError as exc:
        raise ValidationError({"customer": str(exc)}) from None


def fill_draft(
    session: Session, invoice: Invoice, customer: Customer, checked: CheckedDraft, who: str
) -> None:
    invoice.invoice_date = checked.invoice_date
    invoice.due_date = checked.due_date
    invoice.supply_from = checked.supply_from
    invoice.supply_to = checked.supply_to
    invoice.purchase_order = checked.purchase_order
    invoice.reference = checked.reference
    invoice.notes = checked.notes
    for name, value in customer_snapshots(session, [customer])[customer.id].items():
        setattr(invoice, name, value)
    set_lines(invoice, checked.lines, who)


def set_lines(invoice: Invoice, lines: Sequence[CheckedLine], who: str) -> None:
    """The draft's lines replaced by these, and its totals made their sums."""
    invoice.lines = [
        InvoiceLine(
            position=position,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_code=line.vat_code,
            account_code=line.account_code,
            net=line.amounts.net,
            vat=line.amounts.vat,
            service_item_id=line.service_item_id,
            created_by=who,
            updated_by=who,
        )
        for position, line in enumerate(lines, start=1)
    ]
    totals = totals_of([line.amounts for line in lines])
    invoice.total_net, invoice.total_vat, invoice.total = totals.net, totals.vat, totals.total


def _draft_for_change(session: Session, invoice_id: int, expected_version: int) -> Invoice:
    invoice = session.scalar(
        select(Invoice).where(Invoice.id == invoice_id).options(selectinload(Invoice.lines))
    )
    if invoice is None:
        raise NotFoundError("This draft is no longer in the records (someone deleted it).")
    if invoice.state is not InvoiceState.DRAFT:
        raise ServiceError(
            f"{invoice.number} is issued and can no longer be changed or deleted. "
            "To correct it, issue a credit note."
        )
    if invoice.version != expected_version:
        raise _conflict("draft")
    return invoice


def lock_series(session: Session, kind: InvoiceKind, who: str = "") -> NumberSeries:
    """The series row, locked until the transaction ends (a second issuer waits here).

    Migration 0009 makes both series; one found missing (a database emptied table by table)
    is made again here, inside the save's write lock, starting after its highest number.
    """
    series = session.scalar(select(NumberSeries).where(NumberSeries.kind == kind).with_for_update())
    if series is None:
        highest = session.scalar(select(func.max(Invoice.sequence)).where(Invoice.kind == kind))
        series = NumberSeries(
            kind=kind,
            prefix=DEFAULT_PREFIXES[kind],
            next_number=(highest or 0) + 1,
            created_by=who or "setup",
            updated_by=who or "setup",
        )
        session.add(series)
        session.flush()
    return series


def last_issued_date(session: Session, kind: InvoiceKind) -> date | None:
    return session.scalar(
        select(func.max(Invoice.invoice_date)).where(
            Invoice.kind == kind, Invoice.state == InvoiceState.ISSUED
        )
    )


def issue_drafts(
    session: Session, invoice_ids: list[int], who: str, progress: Progress | None = None
) -> IssueResult:
    """Number and fix these drafts, in the caller's transaction (all or none)."""
    refuse_numbers_offline(session, "invoices")
    series = lock_series(session, InvoiceKind.INVOICE, who)
    drafts = list(
        session.scalars(
            select(Invoice).where(Invoice.id.in_(invoice_ids)).options(selectinload(Invoice.lines))
        )
    )
    problems: list[str] = []
    if len(drafts) != len(set(invoice_ids)):
        problems.append("Some of the drafts are no longer in the records (someone deleted them).")
    last = last_issued_date(session, InvoiceKind.INVOICE)
    for invoice in drafts:
        name = f"The draft to {invoice.customer_name or 'a customer'}"
        if invoice.state is not InvoiceState.DRAFT:
            problems.append(f"{invoice.number} is already issued.")
            continue
        if not invoice.lines:
            problems.append(f"{name} has no lines.")
            continue
        totals = totals_of(
            [line_amounts(x.quantity, x.unit_price, x.vat_code) for x in invoice.lines]
        )
        if totals.total <= ZERO:
            problems.append(
                f"{name} comes to {money(totals.total)}; an invoice must be for more than "
                "nothing (a credit is made with a credit note)."
            )
        if last is not None and invoice.invoice_date < last:
            problems.append(
                f"{name} is dated {format_date(invoice.invoice_date)}, before the last invoice "
                f"issued ({format_date(last)}); numbers and dates must run in the same order. "
                "Change its date."
            )
    if problems:
        shown = problems[:10]
        more = f"\n… and {len(problems) - 10} more." if len(problems) > 10 else ""
        raise ServiceError("Nothing was issued:\n" + "\n".join(f"• {p}" for p in shown) + more)
    drafts.sort(key=lambda i: (i.invoice_date, i.id))
    customers = {
        c.id: c
        for c in session.scalars(
            select(Customer).where(Customer.id.in_({i.customer_id for i in drafts}))
        )
    }
    snapshots = customer_snapshots(session, customers.values())
    supplier = supplier_snapshot(session)
    now = utcnow()
    number = series.next_number
    numbers = []
    total = ZERO
    for done, invoice in enumerate(drafts, start=1):
        for name, value in snapshots[invoice.customer_id].items():
            setattr(invoice, name, value)
        amounts = [line_amounts(x.quantity, x.unit_price, x.vat_code) for x in invoice.lines]
        totals = totals_of(amounts)
        invoice.total_net, invoice.total_vat, invoice.total = totals.net, totals.vat, totals.total
        invoice.supplier = supplier
        invoice.sequence = number
        invoice.number = document_number(series.prefix, number, series.digits)
        invoice.state = InvoiceState.ISSUED
        invoice.issued_at = now
        invoice.issued_by = who
        invoice.updated_at = now
        invoice.updated_by = who
        numbers.append(invoice.number)
        total += invoice.total
        number += 1
        if progress is not None and done % 50 == 0:
            progress.report(done, len(drafts), f"Issued {done:,} of {len(drafts):,}")
    series.next_number = number
    series.updated_at = now
    series.updated_by = who
    session.flush()
    return IssueResult(tuple(i.id for i in drafts), tuple(numbers), total)


def credit_invoice(
    session: Session,
    invoice_id: int,
    reason: str,
    amount: Decimal | None,
    on: date,
    who: str,
) -> int:
    """Issue a credit note against an issued invoice, in the caller's transaction."""
    invoice = session.scalar(
        select(Invoice).where(Invoice.id == invoice_id).options(selectinload(Invoice.lines))
    )
    if invoice is None:
        raise NotFoundError("This invoice is no longer in the records.")
    if invoice.kind is not InvoiceKind.INVOICE:
        raise ServiceError(f"{invoice.number} is a credit note; only an invoice can be credited.")
    if invoice.state is not InvoiceState.ISSUED:
        raise ServiceError(
            "A draft has no number yet: change it or delete it. Only an issued invoice is credited."
        )
    refuse_numbers_offline(session, "credit notes")
    series = lock_series(session, InvoiceKind.CREDIT_NOTE, who)
    credited_before = (
        session.scalar(
            select(func.coalesce(func.sum(Invoice.total), 0)).where(
                Invoice.credits_invoice_id == invoice.id
            )
        )
        or ZERO
    )
    creditable = invoice.total - credited_before
    if creditable <= ZERO:
        raise ServiceError(f"{invoice.number} is already credited in full; nothing was done.")
    wanted = creditable if amount is None else amount
    if wanted > creditable:
        already = f" ({money(credited_before)} is already credited)" if credited_before else ""
        raise ValidationError(
            {
                "amount": f"A credit of {money(wanted)} is more than the {money(creditable)} of "
                f"{invoice.number} that can still be credited{already}."
            }
        )
    if on < invoice.invoice_date:
        raise ValidationError(
            {
                "credit_date": f"A credit note cannot be dated before the invoice it credits "
                f"({format_date(invoice.invoice_date)})."
            }
        )
    last = last_issued_date(session, InvoiceKind.CREDIT_NOTE)
    if last is not None and on < last:
        raise ValidationError(
            {
                "credit_date": f"The last credit note was dated {format_date(last)}; numbers "
                "and dates must run in the same order."
            }
        )
    if wanted == invoice.total and not credited_before:
        lines = [
            (x.description, x.quantity, x.unit_price, x.vat_code, x.account_code, x.service_item_id)
            for x in invoice.lines
        ]
    else:
        lines = _partial_lines(invoice, wanted)
    now = utcnow()
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        state=InvoiceState.ISSUED,
        sequence=series.next_number,
        number=document_number(series.prefix, series.next_number, series.digits),
        customer_id=invoice.customer_id,
        member_id=invoice.member_id,
        invoice_date=on,
        due_date=on,
        supply_from=invoice.supply_from,
        supply_to=invoice.supply_to,
        purchase_order=invoice.purchase_order,
        reference=f"Credit for {invoice.number}",
        customer_name=invoice.customer_name,
        customer_contact=invoice.customer_contact,
        customer_address=invoice.customer_address,
        customer_postcode=invoice.customer_postcode,
        customer_email=invoice.customer_email,
        supplier=supplier_snapshot(session),
        credits_invoice_id=invoice.id,
        credit_reason=reason,
        fee_year=invoice.fee_year,
        issued_at=now,
        issued_by=who,
        created_by=who,
        updated_by=who,
    )
    amounts = []
    for position, (text, quantity, price, code, account, item) in enumerate(lines, start=1):
        figures = line_amounts(quantity, price, code)
        amounts.append(figures)
        note.lines.append(
            InvoiceLine(
                position=position,
                description=text,
                quantity=quantity,
                unit_price=price,
                vat_code=code,
                account_code=account,
                net=figures.net,
                vat=figures.vat,
                service_item_id=item,
                created_by=who,
                updated_by=who,
            )
        )
    totals = totals_of(amounts)
    note.total_net, note.total_vat, note.total = totals.net, totals.vat, totals.total
    session.add(note)
    series.next_number += 1
    series.updated_by = who
    session.flush()
    applied = (
        session.scalar(
            select(func.coalesce(func.sum(Allocation.amount), 0)).where(
                Allocation.invoice_id == invoice.id
            )
        )
        or ZERO
    )
    owed = invoice.total - applied
    set_against = min(note.total, owed)
    if set_against > ZERO:
        session.add(
            Allocation(
                invoice_id=invoice.id,
                credit_note_id=note.id,
                amount=set_against,
                allocated_on=on,
                created_by=who,
                updated_by=who,
            )
        )
        session.flush()
    return note.id


def _partial_lines(
    invoice: Invoice, amount: Decimal
) -> list[tuple[str, Decimal, Decimal, VatCode, str, int | None]]:
    """Lines crediting ``amount`` (VAT included) of an invoice, shared between its VAT codes
    and ledger accounts in proportion to the invoice's own lines."""
    groups: dict[tuple[VatCode, str], Decimal] = {}
    for line in invoice.lines:
        key = (line.vat_code, line.account_code)
        groups[key] = groups.get(key, ZERO) + line.net + line.vat
    keys = [k for k, gross in groups.items() if gross > ZERO]
    result: list[tuple[str, Decimal, Decimal, VatCode, str, int | None]] = []
    left = amount
    for n, key in enumerate(keys):
        share = left if n == len(keys) - 1 else to_penny(amount * groups[key] / invoice.total)
        left -= share
        code, account = key
        net = _net_for_gross(share, code)
        words = f"Credit against {invoice.number}"
        if len(keys) > 1:
            words += f" ({code.label.lower()})"
        result.append((words, Decimal("1.00"), net, code, account, None))
    return result


def _net_for_gross(gross: Decimal, code: VatCode) -> Decimal:
    """The net amount whose VAT, rounded on the line, brings it nearest to ``gross``."""
    net = to_penny(gross / (1 + code.rate))
    best = net
    for candidate in (net - Decimal("0.01"), net, net + Decimal("0.01")):
        if abs(line_amounts(Decimal(1), candidate, code).gross - gross) < abs(
            line_amounts(Decimal(1), best, code).gross - gross
        ):
            best = candidate
    return best


def _with_snapshot(detail: CustomerDetail, shown: dict[str, str]) -> CustomerDetail:
    from dataclasses import replace

    return replace(
        detail,
        name=shown["customer_name"],
        contact_name=shown["customer_contact"],
        address=shown["customer_address"],
        postcode=shown["customer_postcode"],
        email=shown["customer_email"],
    )


def _conflict(what: str) -> ConflictError:
    return changed_meanwhile(what)
