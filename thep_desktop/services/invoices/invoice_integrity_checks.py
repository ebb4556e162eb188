"""Invoice checks of ``thep-admin check``: totals equal lines, no gaps in numbers, none over-paid.

Each reads the database (never writes) and says every problem in words naming the invoice,
credit note or payment, so the treasurer (or the auditor) knows where to look.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, Table, inspect, select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    PaymentKind,
    VatCode,
    line_amounts,
    to_penny,
)
from thep_desktop.models import Allocation, Invoice, InvoiceLine, NumberSeries, Payment
from thep_desktop.services.backups.database_checks import register_check
from thep_desktop.services.invoices.account_records import credit_held_by_customer

SERIES_NAMES = {InvoiceKind.INVOICE: "Invoices", InvoiceKind.CREDIT_NOTE: "Credit notes"}
SHOWN = 20  # problems listed of one kind before "… and N more"

_invoice: Table = Invoice.__table__  # type: ignore[assignment]
_line: Table = InvoiceLine.__table__  # type: ignore[assignment]
_allocation: Table = Allocation.__table__  # type: ignore[assignment]
_payment: Table = Payment.__table__  # type: ignore[assignment]
_series: Table = NumberSeries.__table__  # type: ignore[assignment]


def _has_invoices(conn: Connection) -> bool:
    """A database from before invoices (migration 0009) has nothing of them to check."""
    return "invoice" in set(inspect(conn).get_table_names())


def _name(row: object) -> str:
    """``INV-000004``, or for a draft: its customer and date (it has no number)."""
    number = getattr(row, "number", None)
    if number:
        return str(number)
    return (
        f"The draft to {getattr(row, 'customer_name', '') or 'a customer'} dated "
        f"{format_date(getattr(row, 'invoice_date', None))} (record {getattr(row, 'id', '?')})"
    )


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= SHOWN:
        return problems
    return [*problems[:SHOWN], f"… and {len(problems) - SHOWN} more"]


@register_check("Invoice totals equal their lines")
def invoice_totals(db: Database) -> list[str]:
    """Each line's net is its quantity times its price and its VAT its rate of that, each
    rounded on the line; each invoice's net, VAT and total are the sums of its lines."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_invoices(conn):
            return []
        invoices = {
            r.id: r
            for r in conn.execute(
                select(
                    _invoice.c.id,
                    _invoice.c.number,
                    _invoice.c.customer_name,
                    _invoice.c.invoice_date,
                    _invoice.c.total_net,
                    _invoice.c.total_vat,
                    _invoice.c.total,
                )
            )
        }
        sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for line in conn.execute(
            select(
                _line.c.invoice_id,
                _line.c.position,
                _line.c.quantity,
                _line.c.unit_price,
                _line.c.vat_code,
                _line.c.net,
                _line.c.vat,
            ).order_by(_line.c.invoice_id, _line.c.position)
        ):
            sums[line.invoice_id][0] += line.net
            sums[line.invoice_id][1] += line.vat
            owner = invoices.get(line.invoice_id)
            where = f"{_name(owner)}, line {line.position}"
            expected = line_amounts(line.quantity, line.unit_price, VatCode(line.vat_code))
            if line.net != expected.net:
                problems.append(
                    f"{where}: its net is {money(line.net)}, but {line.quantity} × "
                    f"{money(line.unit_price)} is {money(expected.net)}"
                )
            code = VatCode(line.vat_code)
            vat = to_penny(line.net * code.rate)
            if line.vat != vat:
                problems.append(
                    f"{where}: its VAT is {money(line.vat)}, but {code.short} of "
                    f"{money(line.net)} is {money(vat)}"
                )
    for invoice_id, row in invoices.items():
        net, vat = sums.get(invoice_id, [ZERO, ZERO])
        if row.total_net != net:
            problems.append(
                f"{_name(row)}: its net total is {money(row.total_net)}, but its lines' net "
                f"amounts add up to {money(net)}"
            )
        if row.total_vat != vat:
            problems.append(
                f"{_name(row)}: its VAT total is {money(row.total_vat)}, but its lines' VAT "
                f"adds up to {money(vat)}"
            )
        if row.total != row.total_net + row.total_vat:
            problems.append(
                f"{_name(row)}: its total is {money(row.total)}, not its net "
                f"{money(row.total_net)} plus VAT {money(row.total_vat)}"
            )
    return _capped(problems)


def sequence_problems(
    series_name: str, numbers: Iterable[tuple[int | None, str]], next_number: int | None
) -> list[str]:
    """A series' issued numbers are 1, 2, … n, each once, and its next number is n + 1.

    ``numbers`` are (sequence, number as printed) of every issued document of the series.
    The printed number need not be the prefix and padded sequence: the prefix may change.
    """
    problems: list[str] = []
    seen = list(numbers)
    for sequence, printed in seen:
        if sequence is None:
            shown = printed or "one"
            problems.append(f"{series_name}: {shown} is issued without a sequence number")
    sequences = [s for s, _p in seen if s is not None]
    counts = Counter(sequences)
    for sequence, times in sorted(counts.items()):
        if times > 1:
            printed = ", ".join(sorted(p for s, p in seen if s == sequence))
            problems.append(f"{series_name}: number {sequence} is used {times} times ({printed})")
    texts = Counter(p for _s, p in seen)
    for printed, times in sorted(texts.items()):
        if times > 1:
            problems.append(f"{series_name}: {printed} is printed on {times} documents")
    highest = max(sequences, default=0)
    missing = sorted(set(range(1, highest + 1)) - set(sequences))
    if missing:
        shown = ", ".join(str(n) for n in missing[:SHOWN])
        more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        which = "number" if len(missing) == 1 else "numbers"
        problems.append(
            f"{series_name}: {which} {shown}{more} of 1 to {highest} "
            f"{'is' if len(missing) == 1 else 'are'} missing"
        )
    if next_number is not None and next_number != highest + 1:
        problems.append(
            f"{series_name}: the next number to issue is {next_number}, but the highest issued "
            f"is {highest} (it should be {highest + 1})"
        )
    return problems


@register_check("Invoice and credit note numbers have no gaps")
def invoice_numbers(db: Database) -> list[str]:
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_invoices(conn):
            return []
        issued: dict[InvoiceKind, list[tuple[int | None, str]]] = defaultdict(list)
        for kind, sequence, number in conn.execute(
            select(_invoice.c.kind, _invoice.c.sequence, _invoice.c.number).where(
                _invoice.c.state == InvoiceState.ISSUED.value
            )
        ):
            issued[InvoiceKind(kind)].append((sequence, number or ""))
        next_numbers = {
            InvoiceKind(kind): next_number
            for kind, next_number in conn.execute(select(_series.c.kind, _series.c.next_number))
        }
    for kind in InvoiceKind:
        if kind not in next_numbers and issued.get(kind):
            problems.append(f"{SERIES_NAMES[kind]}: the series of numbers is missing")
        problems += sequence_problems(
            SERIES_NAMES[kind], issued.get(kind, []), next_numbers.get(kind)
        )
    return _capped(problems)


@register_check("Nothing is paid or credited beyond its total")
def allocations_within_totals(db: Database) -> list[str]:
    """No invoice has more set against it than its total; no credit note or receipt is set
    against invoices beyond its own total; money is set only against issued invoices; and
    no customer was refunded more than the credit it held."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        if not _has_invoices(conn):
            return []
        documents = {
            r.id: r
            for r in conn.execute(
                select(
                    _invoice.c.id,
                    _invoice.c.kind,
                    _invoice.c.state,
                    _invoice.c.number,
                    _invoice.c.customer_name,
                    _invoice.c.customer_id,
                    _invoice.c.invoice_date,
                    _invoice.c.total,
                )
            )
        }
        payments = {
            r.id: r
            for r in conn.execute(
                select(
                    _payment.c.id,
                    _payment.c.kind,
                    _payment.c.customer_id,
                    _payment.c.received_on,
                    _payment.c.amount,
                    _payment.c.reference,
                )
            )
        }
        against: dict[int, Decimal] = defaultdict(lambda: ZERO)
        from_note: dict[int, Decimal] = defaultdict(lambda: ZERO)
        from_payment: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for a in conn.execute(select(_allocation)):
            against[a.invoice_id] += a.amount
            target = documents.get(a.invoice_id)
            if target is not None and (
                target.state != InvoiceState.ISSUED.value
                or target.kind != InvoiceKind.INVOICE.value
            ):
                is_note = target.kind == InvoiceKind.CREDIT_NOTE.value
                what = "a credit note" if is_note else "a draft"
                problems.append(
                    f"{money(a.amount)} is set against {_name(target)}, which is {what}: money "
                    "is set only against issued invoices"
                )
            if a.credit_note_id is not None:
                from_note[a.credit_note_id] += a.amount
            if a.payment_id is not None:
                from_payment[a.payment_id] += a.amount
                payment = payments.get(a.payment_id)
                if payment is not None and target is not None:
                    if payment.customer_id != target.customer_id:
                        problems.append(
                            f"A payment of {money(payment.amount)} received "
                            f"{format_date(payment.received_on)} is set against "
                            f"{_name(target)}, another customer's invoice"
                        )
                    if payment.kind == PaymentKind.REFUND.value:
                        problems.append(
                            f"A refund of {money(payment.amount)} paid "
                            f"{format_date(payment.received_on)} is set against {_name(target)}"
                        )
        for invoice_id, amount in against.items():
            row = documents.get(invoice_id)
            if row is not None and amount > row.total:
                problems.append(
                    f"{_name(row)}: {money(amount)} is paid and credited against it, more than "
                    f"its total of {money(row.total)}"
                )
        for note_id, amount in from_note.items():
            row = documents.get(note_id)
            if row is not None and amount > row.total:
                problems.append(
                    f"{_name(row)}: {money(amount)} of it is set against invoices, more than "
                    f"its total of {money(row.total)}"
                )
        for payment_id, amount in from_payment.items():
            payment = payments.get(payment_id)
            if payment is not None and amount > payment.amount:
                ref = f" (reference {payment.reference})" if payment.reference else ""
                problems.append(
                    f"The payment of {money(payment.amount)} received "
                    f"{format_date(payment.received_on)}{ref}: {money(amount)} of it is set "
                    "against invoices, more than was received"
                )
        names = {r.customer_id: r.customer_name for r in documents.values()}
        with Session(bind=conn) as session:
            held = credit_held_by_customer(session)
        for customer_id, amount in sorted(held.items()):
            if amount < ZERO:
                who = names.get(customer_id) or f"Customer record {customer_id}"
                problems.append(
                    f"{who}: {money(-amount)} more was refunded than the credit it held"
                )
    return _capped(problems)
