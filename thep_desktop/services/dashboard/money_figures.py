"""The dashboard's money figures, worked out in SQL (contract: dashboard_service.py).

Three statements whatever the number of invoices:

1. invoiced and paid in this academic year to ``as_at`` and in the same span of last year
   (1 September to the same day a year earlier);
2. what was owed at the end of ``as_at``, by the aged debt report's age columns
   (``account_records.owed_as_at``: the same rule as the report's, in SQL);
3. this year's income by kind, from the invoice lines.

Invoiced is what the invoices tab calls the total: issued invoices' totals (VAT included)
less issued credit notes' totals, by their dates. Paid is the receipts recorded (money
received, whatever it was later set against; refunds paid back are not income and are not
subtracted).

Income by kind sorts each line of this year's issued invoices and credit notes (a credit
note's lines count against):

- **Membership fees**: the lines of a membership fee invoice, i.e. one that carries the fee
  year it bills (made by a fee run, or marked as a member's fee for a year), and of the
  credit notes against them (a credit note keeps its invoice's fee year);
- **Traded services**: lines taken from the catalogue of services (``service_item_id``),
  and the lines of a credit note against an invoice with catalogue lines (a part credit
  note's lines name no item);
- **Other**: everything else (lines typed by hand on an ordinary invoice).

The three kinds add up to the invoiced figure (a line's VAT included, as the total is).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, and_, case, cast, exists, func, select, type_coerce
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import (
    AGE_BUCKETS,
    ZERO,
    AgeBucket,
    InvoiceKind,
    InvoiceState,
    PaymentKind,
    days_overdue,
)
from thep_desktop.models import Customer, Invoice, InvoiceLine, Member, Payment, School
from thep_desktop.models.base import Money
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series, Unit
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow, Tile
from thep_desktop.services.dashboard.membership_figures import year_ago
from thep_desktop.services.invoices.account_records import owed_as_at
from thep_desktop.services.shared.errors import ValidationError

if TYPE_CHECKING:
    from thep_desktop.services.dashboard.dashboard_service import DashboardAsAt, DrillFunction

AREA = "money"

# Income by kind: (key, words), in the chart's order.
INCOME_KINDS = (
    ("membership", "Membership fees"),
    ("traded", "Traded services"),
    ("other", "Other"),
)
_KIND_WORDS = dict(INCOME_KINDS)


def _spans(at: DashboardAsAt) -> tuple[tuple[date, date], tuple[date, date]]:
    """This academic year to ``as_at``, and last year's same span."""
    return (at.year.first_day, at.as_at), (at.year.previous().first_day, year_ago(at.as_at))


def _signed_total() -> ColumnElement[Any]:
    """An issued document's total as it counts in the invoiced figure: a credit note's
    against."""
    return case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -Invoice.total), else_=Invoice.total)


def _issued_between(first: date, last: date) -> ColumnElement[bool]:
    return and_(
        Invoice.state == InvoiceState.ISSUED,
        Invoice.invoice_date >= first,
        Invoice.invoice_date <= last,
    )


def _received_between(first: date, last: date) -> ColumnElement[bool]:
    return and_(
        Payment.kind == PaymentKind.RECEIPT,
        Payment.received_on >= first,
        Payment.received_on <= last,
    )


def _sum(expression: Any) -> Any:
    """The sum of pence as money (0 when nothing is summed); whole pence on both databases
    (PostgreSQL's sum of integers is numeric)."""
    return type_coerce(cast(func.coalesce(func.sum(expression), 0), BigInteger), Money)


def _bucket_rule(owed: Any, bucket: AgeBucket, on: date) -> ColumnElement[bool]:
    """``age_bucket(due_date, on) is bucket``, as dates: days overdue is ``on - due_date``
    (0 on the due date and before it)."""
    rules = []
    if bucket.first_day is None:  # current: due on ``on`` or later
        rules.append(owed.c.due_date >= on)
    else:
        rules.append(owed.c.due_date <= on - timedelta(days=bucket.first_day))
    if bucket.last_day is not None and bucket.first_day is not None:
        rules.append(owed.c.due_date >= on - timedelta(days=bucket.last_day))
    return and_(*rules)


def _bucket_case(owed: Any, on: date) -> ColumnElement[Any]:
    return case(
        *((_bucket_rule(owed, bucket, on), bucket.key) for bucket in AGE_BUCKETS),
        else_=AGE_BUCKETS[0].key,
    )


def _income_kind(document: Any) -> ColumnElement[Any]:
    """The kind of income of an invoice line (see the module's docstring)."""
    credited_lines = aliased(InvoiceLine)
    from_catalogue = exists().where(
        credited_lines.invoice_id == document.credits_invoice_id,
        credited_lines.service_item_id.is_not(None),
    )
    return case(
        (document.fee_year.is_not(None), "membership"),
        (InvoiceLine.service_item_id.is_not(None), "traded"),
        (and_(document.kind == InvoiceKind.CREDIT_NOTE, from_catalogue), "traded"),
        else_="other",
    )


# -- the figures ------------------------------------------------------------------------------
def figures(session: Session, at: DashboardAsAt) -> tuple[list[Tile], list[Chart]]:
    this, last = _spans(at)
    on = at.as_at

    # 1. invoiced and paid, this year and last year's same span.
    def invoiced(first: date, last_day: date) -> Any:
        return (
            select(_sum(_signed_total())).where(_issued_between(first, last_day)).scalar_subquery()
        )

    def paid(first: date, last_day: date) -> Any:
        return (
            select(_sum(Payment.amount)).where(_received_between(first, last_day)).scalar_subquery()
        )

    totals = session.execute(
        select(
            type_coerce(invoiced(*this), Money).label("invoiced_this"),
            type_coerce(invoiced(*last), Money).label("invoiced_last"),
            type_coerce(paid(*this), Money).label("paid_this"),
            type_coerce(paid(*last), Money).label("paid_last"),
        )
    ).one()

    # 2. what was owed at the end of the day, by age.
    owed = owed_as_at(on)
    debts = (
        select(_bucket_case(owed, on).label("bucket"), owed.c.outstanding)
        .where(owed.c.outstanding > ZERO)
        .subquery("debts")
    )
    aged = {
        row.bucket: (row.owed, row.invoices)
        for row in session.execute(
            select(
                debts.c.bucket,
                _sum(debts.c.outstanding).label("owed"),
                func.count().label("invoices"),
            ).group_by(debts.c.bucket)
        )
    }

    # 3. this year's income by kind, from the lines.
    document = aliased(Invoice, name="document")
    gross = InvoiceLine.net + InvoiceLine.vat
    signed = case((document.kind == InvoiceKind.CREDIT_NOTE, -gross), else_=gross)
    lines = (
        select(_income_kind(document).label("kind"), signed.label("amount"))
        .join_from(InvoiceLine, document, document.id == InvoiceLine.invoice_id)
        .where(
            document.state == InvoiceState.ISSUED,
            document.invoice_date >= this[0],
            document.invoice_date <= this[1],
        )
        .subquery("lines")
    )
    income = {
        row.kind: row.amount
        for row in session.execute(
            select(lines.c.kind, _sum(lines.c.amount).label("amount")).group_by(lines.c.kind)
        )
    }

    return (
        _tiles(at, totals, aged),
        [
            _against_last_chart(at, totals),
            _aged_chart(at, aged),
            _income_chart(at, income),
        ],
    )


def _span_words(span: tuple[date, date]) -> str:
    return f"{format_date(span[0])} to {format_date(span[1])}"


def _span_filters(span: tuple[date, date]) -> dict[str, str]:
    return {"first": span[0].isoformat(), "last": span[1].isoformat()}


def _tiles(at: DashboardAsAt, totals: Any, aged: dict[str, tuple[Decimal, int]]) -> list[Tile]:
    this, last = _spans(at)
    on = at.as_at
    outstanding = sum((amount for amount, _n in aged.values()), ZERO)
    owing = sum(n for _a, n in aged.values())
    overdue_buckets = [b for b in AGE_BUCKETS if b.first_day is not None]
    overdue = sum((aged.get(b.key, (ZERO, 0))[0] for b in overdue_buckets), ZERO)
    overdue_count = sum(aged.get(b.key, (ZERO, 0))[1] for b in overdue_buckets)
    oldest = AGE_BUCKETS[-1]
    over_90 = aged.get(oldest.key, (ZERO, 0))[0]
    return [
        Tile(
            key=f"{AREA}.invoiced_this_year",
            area=AREA,
            label=f"Invoiced in {at.year.label}",
            value=totals.invoiced_this,
            unit=Unit.MONEY,
            detail=f"{_span_words(this)}, less credit notes; last year "
            f"{money(totals.invoiced_last)} ({_span_words(last)})",
            drill=Drill("invoices", _span_filters(this), f"Invoiced {_span_words(this)}"),
        ),
        Tile(
            key=f"{AREA}.paid_this_year",
            area=AREA,
            label=f"Paid in {at.year.label}",
            value=totals.paid_this,
            unit=Unit.MONEY,
            detail=f"received {_span_words(this)}; last year {money(totals.paid_last)} "
            f"({_span_words(last)})",
            drill=Drill("payments", _span_filters(this), f"Received {_span_words(this)}"),
        ),
        Tile(
            key=f"{AREA}.outstanding",
            area=AREA,
            label="Outstanding",
            value=outstanding,
            unit=Unit.MONEY,
            detail=f"owed on {owing:,} invoice{'' if owing == 1 else 's'} at the end of "
            f"{format_date(on)}",
            drill=Drill(
                "debts", {"as_at": on.isoformat()}, f"Owed at the end of {format_date(on)}"
            ),
        ),
        Tile(
            key=f"{AREA}.overdue",
            area=AREA,
            label="Overdue",
            value=overdue,
            unit=Unit.MONEY,
            detail=(
                f"past due on {overdue_count:,} invoice{'' if overdue_count == 1 else 's'}"
                + (f"; {money(over_90)} {oldest.label.lower()}: chase it" if over_90 else "")
            ),
            drill=Drill(
                "debts",
                {"as_at": on.isoformat(), "overdue": "yes"},
                f"Past due at the end of {format_date(on)}",
            ),
            warn=overdue > ZERO,
        ),
    ]


def _against_last_chart(at: DashboardAsAt, totals: Any) -> Chart:
    this, last = _spans(at)
    series = []
    for year, span, invoiced, paid in (
        (at.year.previous(), last, totals.invoiced_last, totals.paid_last),
        (at.year, this, totals.invoiced_this, totals.paid_this),
    ):
        series.append(
            Series(
                _year_label(year),
                (invoiced, paid),
                (
                    Drill("invoices", _span_filters(span), f"Invoiced {_span_words(span)}"),
                    Drill("payments", _span_filters(span), f"Received {_span_words(span)}"),
                ),
            )
        )
    return Chart(
        key=f"{AREA}.this_year_against_last",
        title="Invoiced and paid: this year against last",
        kind=ChartKind.BAR,
        categories=("Invoiced", "Paid"),
        series=tuple(series),
        unit=Unit.MONEY,
        note=f"1 September to {at.as_at.day} {at.as_at:%B} of each year; invoiced less "
        "credit notes, VAT included",
    )


def _year_label(year: AcademicYear) -> str:
    return year.label


def _aged_chart(at: DashboardAsAt, aged: dict[str, tuple[Decimal, int]]) -> Chart:
    on = at.as_at
    return Chart(
        key=f"{AREA}.aged_debt",
        title="Aged debt",
        kind=ChartKind.BAR,
        categories=tuple(b.label for b in AGE_BUCKETS),
        series=(
            Series(
                "Owed",
                tuple(aged.get(b.key, (ZERO, 0))[0] for b in AGE_BUCKETS),
                tuple(
                    Drill(
                        "debts",
                        {"as_at": on.isoformat(), "bucket": b.key},
                        f"Owed at the end of {format_date(on)}: {b.label}",
                    )
                    for b in AGE_BUCKETS
                ),
            ),
        ),
        unit=Unit.MONEY,
        note=f"As at {format_date(on)}, by days past the due date",
    )


def _income_chart(at: DashboardAsAt, income: dict[str, Decimal]) -> Chart:
    this, _last = _spans(at)
    kinds = [(k, w) for k, w in INCOME_KINDS if k != "other" or income.get(k)]
    return Chart(
        key=f"{AREA}.income_by_kind",
        title=f"Income by kind, {at.year.label}",
        kind=ChartKind.PIE,
        categories=tuple(words for _k, words in kinds),
        series=(
            Series(
                "Invoiced",
                tuple(income.get(k, ZERO) for k, _w in kinds),
                tuple(
                    Drill(
                        "income",
                        {**_span_filters(this), "kind": k},
                        f"{words} invoiced {_span_words(this)}",
                    )
                    for k, words in kinds
                ),
            ),
        ),
        unit=Unit.MONEY,
        note=f"Invoiced {_span_words(this)} less credit notes, VAT included",
    )


# -- the lists behind the figures ------------------------------------------------------------
def _day(drill: Drill, name: str) -> date:
    try:
        return date.fromisoformat(drill.filters[name])
    except (KeyError, ValueError):
        raise ValidationError({"drill": f"The list needs a {name} (a date)."}) from None


def _kind_words(kind: InvoiceKind) -> str:
    return "Credit note" if kind is InvoiceKind.CREDIT_NOTE else "Invoice"


def list_invoices(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """The issued invoices and credit notes dated in the span (credit notes against)."""
    first, last = _day(drill, "first"), _day(drill, "last")
    query = (
        select(
            Invoice.id,
            Invoice.kind,
            Invoice.number,
            Invoice.invoice_date,
            Invoice.customer_name,
            type_coerce(_signed_total(), Money).label("amount"),
            School.urn,
        )
        .outerjoin(Member, Member.id == Invoice.member_id)
        .outerjoin(School, School.id == Member.school_id)
        .where(_issued_between(first, last))
        .order_by(Invoice.invoice_date, Invoice.kind, Invoice.sequence)
    )
    rows = tuple(
        DrillRow(
            record_id=r.id,
            urn=r.urn,
            cells=(
                r.number,
                _kind_words(r.kind),
                format_date(r.invoice_date),
                r.customer_name,
                money(r.amount),
            ),
            sort_keys=(
                r.number,
                r.kind.value,
                r.invoice_date,
                r.customer_name.casefold(),
                r.amount,
            ),
        )
        for r in session.execute(query)
    )
    return DrillList(
        title=drill.title or f"Invoiced {_span_words((first, last))}",
        kind=drill.kind,
        columns=("Number", "Kind", "Date", "Customer", "Total"),
        rows=rows,
    )


def list_payments(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """The receipts recorded in the span."""
    first, last = _day(drill, "first"), _day(drill, "last")
    query = (
        select(
            Payment.id,
            Payment.received_on,
            Payment.amount,
            Payment.method,
            Payment.reference,
            func.coalesce(School.name, Member.name, Customer.name).label("name"),
            School.urn,
        )
        .join(Customer, Customer.id == Payment.customer_id)
        .outerjoin(Member, Member.id == Customer.member_id)
        .outerjoin(School, School.id == Member.school_id)
        .where(_received_between(first, last))
        .order_by(Payment.received_on, Payment.id)
    )
    rows = tuple(
        DrillRow(
            record_id=r.id,
            urn=r.urn,
            cells=(
                format_date(r.received_on),
                r.name or "",
                r.method.label,
                r.reference,
                money(r.amount),
            ),
            sort_keys=(
                r.received_on,
                (r.name or "").casefold(),
                str(r.method),
                r.reference.casefold(),
                r.amount,
            ),
        )
        for r in session.execute(query)
    )
    return DrillList(
        title=drill.title or f"Received {_span_words((first, last))}",
        kind=drill.kind,
        columns=("Received", "From", "Method", "Reference", "Amount"),
        rows=rows,
    )


def list_debts(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """The invoices with money owed at the end of the drill's day: all, those past due, or
    those in one age column."""
    on = _day(drill, "as_at")
    owed = owed_as_at(on)
    query = (
        select(
            owed.c.id,
            owed.c.number,
            owed.c.customer_name,
            owed.c.invoice_date,
            owed.c.due_date,
            owed.c.outstanding,
            School.urn,
        )
        .select_from(owed)
        .outerjoin(Member, Member.id == owed.c.member_id)
        .outerjoin(School, School.id == Member.school_id)
        .where(owed.c.outstanding > ZERO)
        .order_by(owed.c.due_date, owed.c.invoice_date, owed.c.number)
    )
    bucket_key = drill.filters.get("bucket")
    if bucket_key is not None:
        bucket = next((b for b in AGE_BUCKETS if b.key == bucket_key), None)
        if bucket is None:
            raise ValidationError({"drill": f"There is no age column {bucket_key!r}."})
        query = query.where(_bucket_rule(owed, bucket, on))
    if drill.filters.get("overdue") == "yes":
        query = query.where(owed.c.due_date < on)
    rows = []
    for r in session.execute(query):
        late = days_overdue(r.due_date, on)
        rows.append(
            DrillRow(
                record_id=r.id,
                urn=r.urn,
                cells=(
                    r.number,
                    r.customer_name,
                    format_date(r.invoice_date),
                    format_date(r.due_date),
                    str(late),
                    money(r.outstanding),
                ),
                sort_keys=(
                    r.number,
                    r.customer_name.casefold(),
                    r.invoice_date,
                    r.due_date,
                    late,
                    r.outstanding,
                ),
            )
        )
    return DrillList(
        title=drill.title or f"Owed at the end of {format_date(on)}",
        kind=drill.kind,
        columns=("Number", "Customer", "Date", "Due", "Days overdue", "Owed"),
        rows=tuple(rows),
    )


def list_income(session: Session, drill: Drill, at: DashboardAsAt) -> DrillList:
    """The invoice and credit note lines of one kind of income dated in the span."""
    first, last = _day(drill, "first"), _day(drill, "last")
    wanted = drill.filters.get("kind")
    if wanted not in _KIND_WORDS:
        raise ValidationError({"drill": "The list needs a kind: membership, traded or other."})
    document = aliased(Invoice, name="document")
    gross = InvoiceLine.net + InvoiceLine.vat
    signed = case((document.kind == InvoiceKind.CREDIT_NOTE, -gross), else_=gross)
    query = (
        select(
            InvoiceLine.id,
            InvoiceLine.description,
            type_coerce(signed, Money).label("amount"),
            document.number,
            document.kind,
            document.invoice_date,
            document.customer_name,
            School.urn,
        )
        .join_from(InvoiceLine, document, document.id == InvoiceLine.invoice_id)
        .outerjoin(Member, Member.id == document.member_id)
        .outerjoin(School, School.id == Member.school_id)
        .where(
            document.state == InvoiceState.ISSUED,
            document.invoice_date >= first,
            document.invoice_date <= last,
            _income_kind(document) == wanted,
        )
        .order_by(document.invoice_date, document.number, InvoiceLine.position)
    )
    rows = tuple(
        DrillRow(
            record_id=r.id,
            urn=r.urn,
            cells=(
                r.number,
                format_date(r.invoice_date),
                r.customer_name,
                r.description,
                money(r.amount),
            ),
            sort_keys=(
                r.number,
                r.invoice_date,
                r.customer_name.casefold(),
                r.description.casefold(),
                r.amount,
            ),
        )
        for r in session.execute(query)
    )
    return DrillList(
        title=drill.title or f"{_KIND_WORDS[wanted]} invoiced {_span_words((first, last))}",
        kind=drill.kind,
        columns=("Number", "Date", "Customer", "Line", "Amount"),
        rows=rows,
    )


DRILLS: dict[str, DrillFunction] = {
    "invoices": list_invoices,
    "payments": list_payments,
    "debts": list_debts,
    "income": list_income,
}
