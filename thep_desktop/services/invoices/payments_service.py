"""Payments: money received set against invoices, credit held and applied later, refunds.

A receipt may settle several invoices of its customer; what it does not settle is kept as
the customer's credit only when the person says so. Credit (receipts and credit notes not
yet set against invoices, less refunds) is set against a later invoice, or paid back. A
receipt recorded in error is removed with its allocations; the audit trail keeps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    PaymentKind,
    PaymentMethod,
)
from thep_desktop.models import Allocation, Customer, Invoice, Payment
from thep_desktop.services.invoices.account_records import (
    credit_held_by_customer,
    credit_sources,
    invoice_rows_as_at,
)
from thep_desktop.services.invoices.invoice_checks import parse_price
from thep_desktop.services.invoices.invoice_records import customer_snapshots
from thep_desktop.services.invoices.invoices_permissions import RECORD_PAYMENTS
from thep_desktop.services.invoices.invoices_service import member_customer
from thep_desktop.services.invoices.payment_data import (
    CustomerAccount,
    PaymentAllocation,
    PaymentDetail,
    PaymentInput,
)
from thep_desktop.services.memberships.fees_service import parse_year
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

PAYMENT_LABELS = {
    "customer": "Customer",
    "received_on": "Date received",
    "amount": "Amount",
    "method": "Method",
    "reference": "Reference",
    "notes": "Notes",
    "allocations": "Invoices paid",
}


class PaymentsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # receipts -------------------------------------------------------------------------------
    @save
    def record_payment(self, actor: Actor, data: PaymentInput) -> PaymentDetail:
        """Money received, set against one or several of the customer's issued invoices.

        Refused in words, with nothing saved: no customer, a date in the future, no amount,
        fractions of a penny, a draft or a credit note or another customer's invoice, more
        set against an invoice than it still owes, more set against invoices than was
        received, or money left over that is neither set against an invoice nor kept as
        credit.
        """
        actor.require(RECORD_PAYMENTS)
        checker = FieldChecker(Payment.__table__, PAYMENT_LABELS)  # type: ignore[arg-type]
        if data.customer_id is None and data.member_id is None:
            checker.fail("customer", "Choose who paid")
        received_on = _date_received(checker, data.received_on, "received_on")
        amount = _amount(checker, "amount", data.amount, "A payment")
        method = _method(checker, data.method)
        reference = checker.text("reference", data.reference)
        notes = checker.text("notes", data.notes)
        wanted: dict[int, Decimal] = {}
        problems: list[str] = []
        for invoice_id, typed in data.allocations:
            try:
                share = parse_price(typed)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if share < ZERO:
                problems.append(f"{money(share)} cannot be set against an invoice")
            elif share > ZERO:
                wanted[invoice_id] = wanted.get(invoice_id, ZERO) + share
        if problems:
            checker.fail("allocations", "\n".join(problems))
        if checker.errors:
            raise ValidationError(checker.errors)
        assert received_on is not None and amount is not None and method is not None
        set_against = sum(wanted.values(), ZERO)
        if set_against > amount:
            raise ValidationError(
                {
                    "allocations": f"The amounts set against invoices add up to "
                    f"{money(set_against)}, more than the {money(amount)} received."
                }
            )
        if set_against < amount and not data.hold_rest_as_credit:
            raise ValidationError(
                {
                    "allocations": f"{money(amount - set_against)} of this payment is not set "
                    "against any invoice: set it against one, or keep it as credit"
                }
            )
        with self.db.session() as session:
            customer = _payer(session, data, actor.name)
            _check_allocations(session, customer, wanted)
            payment = Payment(
                customer_id=customer.id,
                kind=PaymentKind.RECEIPT,
                received_on=received_on,
                amount=amount,
                method=method,
                reference=reference,
                notes=notes,
                created_by=actor.name,
                updated_by=actor.name,
            )
            session.add(payment)
            session.flush()
            for invoice_id, share in wanted.items():
                session.add(
                    Allocation(
                        invoice_id=invoice_id,
                        payment_id=payment.id,
                        amount=share,
                        allocated_on=received_on,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                )
            session.flush()
            new_id = payment.id
        return self.get_payment(actor, new_id)

    def record_fee_payment(
        self,
        actor: Actor,
        member_id: int,
        year: AcademicYear | str,
        amount: Decimal | str,
        received_on: date | str | None,
        method: PaymentMethod | str = PaymentMethod.BACS,
        reference: str = "",
    ) -> PaymentDetail:
        """A membership fee payment from a member (the Memberships tab, ``members pay``): a
        receipt set against the member's issued fee invoices for ``year``, oldest due first,
        and what they do not owe kept as the member's credit."""
        actor.require(RECORD_PAYMENTS)
        try:
            wanted = parse_year(year)
        except ValidationError as exc:
            raise ValidationError({"academic_year": str(exc)}) from None
        shares: list[tuple[int, Decimal | str]] = []
        try:
            left = parse_price(amount)
        except ValueError:
            left = ZERO  # refused in words by record_payment
        with self.db.read_session() as session:
            for row in invoice_rows_as_at(
                session, member_ids=[member_id], fee_year=wanted.start_year
            ):
                if left <= ZERO:
                    break
                share = min(left, row.outstanding)
                shares.append((row.id, share))
                left -= share
        return self.record_payment(
            actor,
            PaymentInput(
                member_id=member_id,
                received_on=received_on,
                amount=amount,
                method=method,
                reference=reference,
                notes=f"Membership fee payment for {wanted.label}",
                allocations=tuple(shares),
                hold_rest_as_credit=True,
            ),
        )

    def suggest_allocation(
        self, actor: Actor, customer_id: int, amount: Decimal | str
    ) -> tuple[tuple[int, Decimal], ...]:
        """How a person would share ``amount`` out: the oldest due invoice first, each paid
        off before the next; what is left over is not shared (it would be credit)."""
        actor.require(VIEW)
        try:
            left = parse_price(amount)
        except ValueError:
            return ()
        shares: list[tuple[int, Decimal]] = []
        with self.db.read_session() as session:
            for row in invoice_rows_as_at(session, customer_ids=[customer_id]):
                if left <= ZERO:
                    break
                share = min(left, row.outstanding)
                shares.append((row.id, share))
                left -= share
        return tuple(shares)

    # credit ---------------------------------------------------------------------------------
    def credit_held(self, actor: Actor, customer_id: int, as_at: date | None = None) -> Decimal:
        """Receipts and credit notes not set against invoices, less refunds."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return credit_held_by_customer(session, [customer_id], as_at).get(customer_id, ZERO)

    @save
    def apply_credit(
        self,
        actor: Actor,
        customer_id: int,
        invoice_id: int,
        amount: Decimal | str,
        on: date | None = None,
    ) -> None:
        """Set ``amount`` of the customer's credit against one of its issued invoices: the
        oldest credit first, receipts before credit notes."""
        actor.require(RECORD_PAYMENTS)
        checker = FieldChecker(Payment.__table__, {"amount": "Amount"})  # type: ignore[arg-type]
        wanted = _amount(checker, "amount", amount, "Credit set against an invoice")
        when = _date_received(checker, on, "on")
        if checker.errors:
            raise ValidationError(checker.errors)
        assert wanted is not None and when is not None
        with self.db.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFoundError("This customer is no longer in the records.")
            invoice = _check_allocations(session, customer, {invoice_id: wanted})[invoice_id]
            held = credit_held_by_customer(session, [customer_id]).get(customer_id, ZERO)
            if wanted > held:
                raise ValidationError(
                    {
                        "amount": f"{_name(session, customer)} holds {money(held)} of credit; "
                        f"{money(wanted)} cannot be set against {invoice.number}."
                    }
                )
            left = wanted
            sources = credit_sources(session, [customer_id])
            # Receipts first, then credit notes; each oldest first.
            sources.sort(key=lambda s: (s.kind != "receipt", s.on, s.id))
            for source in sources:
                if left <= ZERO:
                    break
                share = min(left, source.unapplied)
                session.add(
                    Allocation(
                        invoice_id=invoice_id,
                        payment_id=source.id if source.kind == "receipt" else None,
                        credit_note_id=source.id if source.kind == "credit_note" else None,
                        amount=share,
                        allocated_on=max(when, invoice.invoice_date, source.on),
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                )
                left -= share
            session.flush()

    @save
    def refund(
        self,
        actor: Actor,
        customer_id: int,
        amount: Decimal | str,
        paid_on: date | str | None,
        method: PaymentMethod | str,
        reference: str = "",
        notes: str = "",
    ) -> PaymentDetail:
        """Pay back some or all of a customer's credit; refused above the credit held."""
        actor.require(RECORD_PAYMENTS)
        checker = FieldChecker(Payment.__table__, PAYMENT_LABELS | {"paid_on": "Date paid"})  # type: ignore[arg-type]
        wanted = _amount(checker, "amount", amount, "A refund")
        when = _date_received(checker, paid_on, "paid_on")
        how = _method(checker, method)
        reference = checker.text("reference", reference)
        notes = checker.text("notes", notes)
        if checker.errors:
            raise ValidationError(checker.errors)
        assert wanted is not None and when is not None and how is not None
        with self.db.session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFoundError("This customer is no longer in the records.")
            held = credit_held_by_customer(session, [customer_id]).get(customer_id, ZERO)
            if wanted > held:
                raise ValidationError(
                    {
                        "amount": f"{_name(session, customer)} holds {money(held)} of credit; "
                        f"a refund of {money(wanted)} would pay back more than that."
                    }
                )
            row = Payment(
                customer_id=customer_id,
                kind=PaymentKind.REFUND,
                received_on=when,
                amount=wanted,
                method=how,
                reference=reference,
                notes=notes,
                created_by=actor.name,
                updated_by=actor.name,
            )
            session.add(row)
            session.flush()
            new_id = row.id
        return self.get_payment(actor, new_id)

    # the list -------------------------------------------------------------------------------
    def payments(
        self,
        actor: Actor,
        customer_id: int | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        member_id: int | None = None,
    ) -> list[PaymentDetail]:
        """Receipts and refunds (of a customer, or of a member's customer record), newest
        first, with what each was set against: four statements however many."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = select(Payment)
            if customer_id is not None:
                query = query.where(Payment.customer_id == customer_id)
            if member_id is not None:
                query = query.join(Customer, Customer.id == Payment.customer_id).where(
                    Customer.member_id == member_id
                )
            if date_from is not None:
                query = query.where(Payment.received_on >= date_from)
            if date_to is not None:
                query = query.where(Payment.received_on <= date_to)
            rows = session.scalars(
                query.order_by(Payment.received_on.desc(), Payment.id.desc())
            ).all()
            return _details(session, rows)

    def get_payment(self, actor: Actor, payment_id: int) -> PaymentDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(Payment, payment_id)
            if row is None:
                raise NotFoundError(
                    "This payment is no longer in the records (it was removed as recorded "
                    "in error)."
                )
            return _details(session, [row])[0]

    @save
    def reverse_payment(
        self, actor: Actor, payment_id: int, expected_version: int, reason: str
    ) -> None:
        """A payment recorded in error removed with its allocations (the audit trail keeps
        both, with the reason). Refused when the customer's credit would go below nothing:
        its money was refunded or set against invoices as credit."""
        actor.require(RECORD_PAYMENTS)
        checker = FieldChecker(Payment.__table__, {"notes": "Reason"})  # type: ignore[arg-type]
        why = checker.text("notes", reason, required=True)
        if checker.errors:
            raise ValidationError({"reason": checker.errors["notes"]})
        try:
            with self.db.session() as session:
                row = session.get(Payment, payment_id)
                if row is None:
                    raise NotFoundError("This payment is no longer in the records.")
                if row.version != expected_version:
                    raise ConflictError(
                        "Someone else changed this payment since you opened it; nothing was "
                        "removed. Look at it again."
                    )
                if row.kind is PaymentKind.RECEIPT:
                    applied = session.scalars(
                        select(Allocation).where(Allocation.payment_id == payment_id)
                    ).all()
                    held = credit_held_by_customer(session, [row.customer_id]).get(
                        row.customer_id, ZERO
                    )
                    unapplied = row.amount - sum((a.amount for a in applied), ZERO)
                    if held - unapplied < ZERO:
                        raise ServiceError(
                            f"This payment of {money(row.amount)} cannot be removed: "
                            f"{money(unapplied - held)} of it has been refunded to the customer. "
                            "Nothing was removed."
                        )
                    for allocation in applied:
                        session.delete(allocation)
                # The reason goes into the trail with the row as it was.
                row.notes = (row.notes + "\n" if row.notes else "") + f"Removed: {why}"
                row.updated_by = actor.name
                session.flush()
                session.delete(row)
                session.flush()
        except StaleDataError:
            raise ConflictError(
                "Someone else changed this payment meanwhile; nothing was removed."
            ) from None

    # the account ----------------------------------------------------------------------------
    def customer_account(
        self, actor: Actor, customer_id: int, as_at: date | None = None
    ) -> CustomerAccount:
        """Invoices still owed (oldest due first), the total owed and overdue, credit held."""
        actor.require(VIEW)
        on = as_at or date.today()
        with self.db.read_session() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise NotFoundError("This customer is no longer in the records.")
            name = _name(session, customer)
            rows = invoice_rows_as_at(session, as_at=on, customer_ids=[customer_id])
            held = credit_held_by_customer(session, [customer_id], on).get(customer_id, ZERO)
        return CustomerAccount(
            customer_id=customer_id,
            customer_name=name,
            as_at=on,
            open_invoices=tuple(rows),
            owed=sum((r.outstanding for r in rows), ZERO),
            overdue=sum((r.outstanding for r in rows if r.is_overdue(on)), ZERO),
            credit_held=held,
        )


# -- helpers ----------------------------------------------------------------------------------
def _date_received(checker: FieldChecker, value: date | str | None, field: str) -> date | None:
    found = checker.date(field, value)
    if field in checker.errors:
        return None
    when = found or date.today()
    if when > date.today():
        checker.fail(
            field,
            f"{format_date(when)} is in the future: record money when it has been received or paid",
        )
        return None
    return when


def _amount(checker: FieldChecker, field: str, value: Decimal | str, what: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        checker.fail(field, "Give the amount")
        return None
    try:
        amount = parse_price(value)
    except ValueError as exc:
        checker.fail(field, str(exc))
        return None
    if amount <= ZERO:
        checker.fail(field, f"{what} must be for more than £0.00")
        return None
    return amount


def _method(checker: FieldChecker, value: PaymentMethod | str) -> PaymentMethod | None:
    if isinstance(value, PaymentMethod):
        return value
    try:
        return PaymentMethod.parse(str(value or ""))
    except ValueError as exc:
        checker.fail("method", str(exc))
        return None


def _payer(session: Session, data: PaymentInput, who: str) -> Customer:
    if data.customer_id is not None:
        found = session.get(Customer, data.customer_id)
        if found is None:
            raise ValidationError({"customer": "This customer is no longer in the records."})
        return found
    assert data.member_id is not None
    try:
        return member_customer(session, data.member_id, who)
    except NotFoundError as exc:
        raise ValidationError({"customer": str(exc)}) from None


def _name(session: Session, customer: Customer) -> str:
    return customer_snapshots(session, [customer])[customer.id]["customer_name"]


def _check_allocations(
    session: Session, customer: Customer, wanted: dict[int, Decimal]
) -> dict[int, Invoice]:
    """The invoices money is set against, each checked: issued, an invoice, this customer's,
    and owing at least that much. Every problem in words, in one ValidationError."""
    if not wanted:
        return {}
    invoices = {
        i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(list(wanted))))
    }
    applied: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice_id, amount in session.execute(
        select(Allocation.invoice_id, Allocation.amount).where(
            Allocation.invoice_id.in_(list(wanted))
        )
    ):
        applied[invoice_id] += amount
    problems = []
    for invoice_id, share in wanted.items():
        invoice = invoices.get(invoice_id)
        if invoice is None:
            problems.append("One of the invoices is no longer in the records.")
        elif invoice.kind is InvoiceKind.CREDIT_NOTE:
            problems.append(
                f"{invoice.number} is a credit note: money is set against invoices, and a "
                "credit note's credit is set against an invoice with “Apply credit”."
            )
        elif invoice.state is not InvoiceState.ISSUED:
            problems.append(
                "A draft cannot be paid: issue it first (the draft to "
                f"{invoice.customer_name or 'a customer'} dated "
                f"{format_date(invoice.invoice_date)})."
            )
        elif invoice.customer_id != customer.id:
            problems.append(
                f"{invoice.number} is to {invoice.customer_name}, not to "
                f"{_name(session, customer)}: a payment is set against its own customer's "
                "invoices."
            )
        else:
            owed = invoice.total - applied[invoice_id]
            if share > owed:
                problems.append(
                    f"{money(share)} is more than the {money(owed)} {invoice.number} still owes."
                    if owed > ZERO
                    else f"{invoice.number} is already settled: nothing is owed on it."
                )
    if problems:
        raise ValidationError({"allocations": "\n".join(problems)})
    return invoices


def _details(session: Session, rows: Sequence[Payment]) -> list[PaymentDetail]:
    if not rows:
        return []
    ids = [r.id for r in rows]
    target = aliased(Invoice)
    allocations: dict[int | None, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for payment_id, invoice_id, number, amount in session.execute(
        select(Allocation.payment_id, Allocation.invoice_id, target.number, Allocation.amount)
        .join(target, target.id == Allocation.invoice_id)
        .where(Allocation.payment_id.in_(ids))
        .order_by(Allocation.allocated_on, Allocation.id)
    ):
        allocations[payment_id].append((invoice_id, number or "", amount))
    customers = session.scalars(
        select(Customer).where(Customer.id.in_({r.customer_id for r in rows}))
    ).all()
    names = {k: v["customer_name"] for k, v in customer_snapshots(session, customers).items()}
    return [
        PaymentDetail(
            id=r.id,
            uuid=r.uuid,
            version=r.version,
            customer_id=r.customer_id,
            customer_name=names.get(r.customer_id, ""),
            kind=PaymentKind(r.kind),
            received_on=r.received_on,
            amount=r.amount,
            method=PaymentMethod(r.method),
            reference=r.reference,
            notes=r.notes,
            allocations=tuple(PaymentAllocation(n, a) for _i, n, a in allocations[r.id]),
            invoice_ids=tuple(i for i, _n, _a in allocations[r.id]),
            recorded_by=r.created_by,
        )
        for r in rows
    ]
