"""The fee run: every member's membership fee for a year (or a fee period) as draft invoices.

The preview shows each member's amount and working and what the run would do with it; the
run makes one draft per member to bill, in one transaction, and a second action issues
them all. A member already billed for any day of the same supply (an invoice, draft or
issued, that is not wholly credited) is never billed again: it is listed, as are the
members whose fee cannot be worked out (no pupil figure): none is billed at nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, label_of, record_many
from thep_desktop.bulk_insert import BulkInsert
from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.fees import FeePart, FeePeriod, money, year_parts
from thep_desktop.domain.invoices import (
    ZERO,
    InvoiceKind,
    InvoiceState,
    VatCode,
    line_amounts,
    totals_of,
)
from thep_desktop.domain.memberships import Category
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Customer, FeeRun, Invoice, InvoiceLine
from thep_desktop.models.base import utcnow
from thep_desktop.services.invoices.invoice_data import IssueResult, SettingsDetail
from thep_desktop.services.invoices.invoice_records import customer_snapshots, load_settings
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.invoices.invoices_service import (
    issue_drafts,
    last_issued_date,
)
from thep_desktop.services.memberships.fees_service import (
    FeeQuote,
    ScheduleDetail,
    _require,
    parse_year,
    year_quote,
)
from thep_desktop.services.memberships.member_data import MemberDetail
from thep_desktop.services.memberships.members_service import _load_members
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError, ValidationError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

ONE = Decimal("1.00")


class FeeRunState(StrEnum):
    """What a run does with a member."""

    TO_BILL = "to bill"
    ALREADY_BILLED = "already billed"
    NO_PUPIL_FIGURE = "no pupil figure"
    NOTHING_TO_PAY = "nothing to pay"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


@dataclass(frozen=True)
class FeeRunRow:
    """One member in a fee run's preview."""

    member_id: int
    name: str
    urn: int | None
    category: Category
    amount: Decimal | None  # None: it cannot be worked out (no pupil figure)
    working: str  # "412 pupils x £5.00 x 5/12 = £858.33"
    state: FeeRunState
    billed_as: str = ""  # already billed: "INV-000123", or "draft"
    problem: str = ""  # no pupil figure: why
    supply_from: date | None = None
    supply_to: date | None = None
    parts: tuple[FeePart, ...] = ()

    @property
    def state_text(self) -> str:
        """``Already billed (INV-000123)``, ``No pupil figure``, ``To bill``…"""
        if self.state is FeeRunState.ALREADY_BILLED and self.billed_as:
            return f"{self.state.label} ({self.billed_as})"
        return self.state.label

    @property
    def charged_parts(self) -> tuple[FeePart, ...]:
        return tuple(p for p in self.parts if p.period.charged and p.amount > ZERO)


@dataclass(frozen=True)
class FeeRunPreview:
    """What a run would bill: each member's amount, working and state, and the totals."""

    year: AcademicYear
    period: FeePeriod | None  # None: the whole year
    period_label: str  # "" for the whole year
    invoice_date: date
    due_date: date
    reference: str  # "Membership fee 2025/26"
    rows: tuple[FeeRunRow, ...]
    vat_code: VatCode = VatCode.OUTSIDE_SCOPE  # the invoice settings' code for fees
    account_code: str = ""

    def of_state(self, state: FeeRunState) -> tuple[FeeRunRow, ...]:
        return tuple(r for r in self.rows if r.state is state)

    @property
    def to_bill(self) -> tuple[FeeRunRow, ...]:
        return self.of_state(FeeRunState.TO_BILL)

    @property
    def already_billed(self) -> tuple[FeeRunRow, ...]:
        return self.of_state(FeeRunState.ALREADY_BILLED)

    @property
    def without_figures(self) -> tuple[FeeRunRow, ...]:
        return self.of_state(FeeRunState.NO_PUPIL_FIGURE)

    @property
    def nothing_to_pay(self) -> tuple[FeeRunRow, ...]:
        return self.of_state(FeeRunState.NOTHING_TO_PAY)

    @property
    def counts(self) -> dict[FeeRunState, int]:
        found = Counter(r.state for r in self.rows)
        return {state: found.get(state, 0) for state in FeeRunState}

    @property
    def total(self) -> Decimal:
        """The fees of those to bill (before any VAT)."""
        return sum((r.amount or ZERO for r in self.to_bill), ZERO)

    @property
    def total_payable(self) -> Decimal:
        """What the drafts will ask for in all: the fees and any VAT on them."""
        return sum(
            (
                line_amounts(ONE, part.amount, self.vat_code).gross
                for row in self.to_bill
                for part in row.charged_parts
            ),
            ZERO,
        )

    @property
    def what(self) -> str:
        """``2025/26`` or ``2025/26, Autumn term (01/09/2025 to 31/12/2025)``."""
        return self.year.label + (f", {self.period_label}" if self.period_label else "")

    @property
    def summary(self) -> str:
        counts = self.counts
        parts = [f"{counts[FeeRunState.TO_BILL]:,} to bill, {money(self.total)}"]
        for state in list(FeeRunState)[1:]:
            if counts[state]:
                parts.append(f"{counts[state]:,} {state.value}")
        return f"Membership fees {self.what}: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class FeeRunResult:
    """What a run made. ``run_id`` is None when there was no one to bill (nothing made)."""

    run_id: int | None
    draft_ids: tuple[int, ...]
    total: Decimal
    already_billed: tuple[str, ...]  # "Bow School (INV-000123)"
    without_figures: tuple[str, ...]  # "Bow School: no pupil figure at the census of …"
    nothing_to_pay: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """What was done, in words for the person who ran it."""
        if self.draft_ids:
            made = len(self.draft_ids)
            lines = [
                f"{made:,} draft invoice{'s' if made != 1 else ''} made, {money(self.total)} "
                "in all. Check them, then issue them."
            ]
        else:
            lines = ["No drafts were made: there is no one left to bill."]
        if self.already_billed:
            lines.append(f"{len(self.already_billed):,} already billed, not billed again.")
        if self.without_figures:
            lines.append(
                f"{len(self.without_figures):,} without a pupil figure, not billed: "
                "add their pupil numbers, then run again."
            )
        if self.nothing_to_pay:
            lines.append(f"{len(self.nothing_to_pay):,} with nothing to pay.")
        return "\n".join(lines)


@dataclass(frozen=True)
class FeeRunDetail:
    """A run in the list of runs."""

    id: int
    year: AcademicYear
    period_label: str  # "" for the whole year
    invoice_date: date
    made_at: datetime
    made_by: str
    drafts: int
    issued: int
    total: Decimal
    period_starts_on: date | None = None
    period_ends_on: date | None = None
    uuid: object = field(default=None, compare=False)

    @property
    def what(self) -> str:
        return self.year.label + (f", {self.period_label}" if self.period_label else "")

    @property
    def made_on(self) -> date:
        """The day the run was made, on this computer's clock."""
        return self.made_at.astimezone().date()


@dataclass(frozen=True)
class _Billed:
    number: str | None  # None: a draft
    supply_from: date
    supply_to: date


class FeeRunsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def periods(self, actor: Actor, year: AcademicYear | str) -> list[FeePeriod]:
        """The year's charged fee periods, in order: those a run may be limited to."""
        actor.require(VIEW)
        wanted = parse_year(year, "year")
        with self.db.read_session() as session:
            return charged_periods(_require(session, wanted))

    def preview(
        self,
        actor: Actor,
        year: AcademicYear | str,
        period: FeePeriod | str | None = None,
        invoice_date: date | str | None = None,
    ) -> FeeRunPreview:
        """Each member's fee for the year (or the period) and what a run would do with it."""
        actor.require(VIEW)
        wanted = parse_year(year, "year")
        on = _invoice_date(invoice_date)
        with self.db.read_session() as session:
            return _preview(session, wanted, period, on)

    @save
    def create_drafts(
        self,
        actor: Actor,
        year: AcademicYear | str,
        period: FeePeriod | str | None = None,
        invoice_date: date | str | None = None,
        progress: Progress | None = None,
    ) -> FeeRunResult:
        """A draft invoice for every member to bill, in one transaction (all or none).

        Each is to the member's customer, with a line per charged part of its membership
        showing the working, the VAT code and ledger account of the invoice settings, and
        the due date from the payment terms.
        """
        actor.require(MANAGE_INVOICES)
        wanted = parse_year(year, "year")
        on = _invoice_date(invoice_date)
        with self.db.session() as session:
            last = last_issued_date(session, InvoiceKind.INVOICE)
            if last is not None and on < last:
                raise ValidationError(
                    {
                        "invoice_date": f"The last invoice issued is dated {format_date(last)}; "
                        "invoices are numbered in date order, so date these on or after it."
                    }
                )
            preview, members = preview_with_members(session, wanted, period, on)
            return make_drafts(session, preview, members, actor.name, progress)

    @save
    def issue_run(self, actor: Actor, run_id: int, progress: Progress | None = None) -> IssueResult:
        """Issue every draft of the run in one action (all or none)."""
        actor.require(MANAGE_INVOICES)
        with self.db.session() as session:
            run = session.get(FeeRun, run_id)
            if run is None:
                raise NotFoundError("This fee run is no longer in the records.")
            ids = list(
                session.scalars(
                    select(Invoice.id)
                    .where(Invoice.fee_run_id == run_id, Invoice.state == InvoiceState.DRAFT)
                    .order_by(Invoice.id)
                )
            )
            if not ids:
                raise ServiceError(
                    f"The fee run for {_run_what(run)} has no drafts left to issue: "
                    "they are issued (or were deleted)."
                )
            return issue_drafts(session, ids, actor.name, progress)

    def runs(self, actor: Actor) -> list[FeeRunDetail]:
        """Every fee run, newest first, with its drafts, issued invoices and total."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return _runs(session)

    def get_run(self, actor: Actor, run_id: int) -> FeeRunDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = _runs(session, run_id)
        if not found:
            raise NotFoundError("This fee run is no longer in the records.")
        return found[0]

    def run_invoice_ids(self, actor: Actor, run_id: int) -> list[int]:
        """The invoices (drafts and issued) a run made, in number order then as made."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            return run_invoice_ids(session, run_id)


# -- the work -------------------------------------------------------------------------------------
def charged_periods(schedule: ScheduleDetail) -> list[FeePeriod]:
    """The charged parts of the year: the schedule's charged periods and the days between."""
    return [p for p in year_parts(schedule.year, schedule.periods) if p.charged]


def period_label(period: FeePeriod) -> str:
    """``Autumn term (01/09/2025 to 31/12/2025)``, or the dates alone."""
    words = period.description.strip()
    return f"{words} ({period.dates_text})" if words else period.dates_text


def find_period(schedule: ScheduleDetail, period: FeePeriod | str | None) -> FeePeriod | None:
    """The charged period asked for, by description or dates; None for the whole year."""
    if period is None or (isinstance(period, str) and not period.strip()):
        return None
    choices = charged_periods(schedule)
    if isinstance(period, FeePeriod):
        for choice in choices:
            if (choice.starts_on, choice.ends_on) == (period.starts_on, period.ends_on):
                return choice
    else:
        text = " ".join(period.split()).casefold()
        for choice in choices:
            names = {
                choice.description.strip().casefold(),
                choice.dates_text.casefold(),
                period_label(choice).casefold(),
                f"{choice.starts_on:%d/%m/%Y}-{choice.ends_on:%d/%m/%Y}",
                f"{choice.starts_on.isoformat()} to {choice.ends_on.isoformat()}",
            } - {""}
            if text in names:
                return choice
    shown = period if isinstance(period, str) else period.dates_text
    listed = "; ".join(period_label(p) for p in choices) or "none"
    raise ValidationError(
        {
            "period": f"“{shown}” is not one of the charged fee periods of "
            f"{schedule.year.label}. Choose one of: {listed}."
        }
    )


def _invoice_date(value: date | str | None) -> date:
    if value is None or (isinstance(value, str) and not value.strip()):
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ValidationError({"invoice_date": str(exc)}) from None


def _reference(year: AcademicYear, period: FeePeriod | None) -> str:
    text = f"Membership fee {year.label}"
    if period is not None:
        text += f", {period.description.strip() or period.dates_text}"
    return text[:200]


def _preview(
    session: Session, year: AcademicYear, period: FeePeriod | str | None, on: date
) -> FeeRunPreview:
    preview, _members = preview_with_members(session, year, period, on)
    return preview


def preview_with_members(
    session: Session, year: AcademicYear, period: FeePeriod | str | None, on: date
) -> tuple[FeeRunPreview, dict[int, MemberDetail]]:
    """The preview, and the members it read (the run's drafts show their addresses)."""
    schedule = _require(session, year)
    within = find_period(schedule, period)
    settings = load_settings(session)
    members = _load_members(session)
    quote = year_quote(session, year, within, members)
    billed = _billed(session, year)
    window = (within.starts_on, within.ends_on) if within else (year.first_day, year.last_day)
    rows = tuple(
        _row(q, billed.get(q.member_id, ()), window)
        for q in sorted(quote.quotes, key=lambda q: (q.name.casefold(), q.member_id))
    )
    preview = FeeRunPreview(
        year=year,
        period=within,
        period_label=period_label(within) if within else "",
        invoice_date=on,
        due_date=_due(on, settings),
        reference=_reference(year, within),
        rows=rows,
        vat_code=settings.fee_vat_code,
        account_code=settings.fee_account_code,
    )
    return preview, {m.id: m for m in members}


def _due(on: date, settings: SettingsDetail) -> date:
    return on + timedelta(days=settings.payment_terms_days)


def _row(quote: FeeQuote, billed: Sequence[_Billed], window: tuple[date, date]) -> FeeRunRow:
    charged = [p for p in quote.parts if p.period.charged and p.amount > ZERO]
    if charged:
        start, end = min(p.first_day for p in charged), max(p.last_day for p in charged)
    else:
        start, end = window
    row = FeeRunRow(
        member_id=quote.member_id,
        name=quote.name,
        urn=quote.urn,
        category=quote.category,
        amount=quote.amount,
        working=quote.working,
        state=FeeRunState.TO_BILL,
        parts=quote.parts,
    )
    overlapping = [b for b in billed if b.supply_from <= end and b.supply_to >= start]
    if overlapping:
        numbers = [b.number for b in overlapping if b.number]
        shown = ", ".join(numbers) if numbers else "draft"
        if numbers and len(numbers) < len(overlapping):
            shown += " and a draft"
        return replace(row, state=FeeRunState.ALREADY_BILLED, billed_as=shown)
    if quote.amount is None:
        return replace(row, state=FeeRunState.NO_PUPIL_FIGURE, problem=quote.problem)
    if not charged:
        return replace(row, state=FeeRunState.NOTHING_TO_PAY)
    return replace(row, supply_from=start, supply_to=end)


def _billed(session: Session, year: AcademicYear) -> dict[int, list[_Billed]]:
    """Each member's fee invoices of the year (drafts and issued) not wholly credited:
    two statements."""
    rows = session.execute(
        select(
            Invoice.id,
            Invoice.member_id,
            Invoice.number,
            Invoice.supply_from,
            Invoice.supply_to,
            Invoice.total,
        ).where(
            Invoice.kind == InvoiceKind.INVOICE,
            Invoice.fee_year == year.start_year,
            Invoice.member_id.is_not(None),
        )
    ).all()
    credited = {
        invoice_id: amount
        for invoice_id, amount in session.execute(
            select(Invoice.credits_invoice_id, func.sum(Invoice.total))
            .where(Invoice.kind == InvoiceKind.CREDIT_NOTE, Invoice.fee_year == year.start_year)
            .group_by(Invoice.credits_invoice_id)
        )
    }
    found: dict[int, list[_Billed]] = defaultdict(list)
    for r in rows:
        if r.total > ZERO and Decimal(credited.get(r.id) or 0) >= r.total:
            continue  # wholly credited: as if never billed
        found[r.member_id].append(
            _Billed(r.number, r.supply_from or year.first_day, r.supply_to or year.last_day)
        )
    return found


# The columns every record has, given by the bulk path (the ORM's defaults do not apply there).
RECORD_FIELDS = ("uuid", "created_at", "created_by", "updated_at", "updated_by", "version")
BULK_CHUNK = 1000


def insert_records(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], who: str, now: datetime
) -> list[Change]:
    """INSERT new records below the ORM (a fee run makes thousands), and their trail entries.

    Every row names the same columns; columns not named take their scalar default. The
    audit trail gets the same "create" entry the ORM path would give each record.
    """
    if not rows:
        return []
    defaults = {
        c.name: c.default.arg  # type: ignore[attr-defined]
        for c in table.c
        if c.default is not None and c.default.is_scalar and c.name not in RECORD_FIELDS
    }
    names = [*dict.fromkeys([*defaults, *rows[0], *RECORD_FIELDS])]
    insert_rows = BulkInsert(session, table, names, unique=("uuid",))
    changes = []
    values = []
    for row in rows:
        made = uuid.uuid4()
        full = {**defaults, **row, "uuid": made, "created_at": now, "created_by": who}
        full |= {"updated_at": now, "updated_by": who, "version": 1}
        values.append(tuple(full[n] for n in names))
        after = {
            k: v for k, v in full.items() if k not in RECORD_FIELDS and v is not None and v != ""
        }
        after["uuid"] = made
        changes.append(Change(Action.CREATE, table.name, made, label_of(after), None, after))
    for start in range(0, len(values), BULK_CHUNK):
        insert_rows(values[start : start + BULK_CHUNK])
    return changes


def _member_customers(
    session: Session, member_ids: Sequence[int], who: str, now: datetime, trail: list[Change]
) -> dict[int, Customer]:
    """Each member's customer record, those missing made together: three statements."""
    ids = list(member_ids)
    have = set(session.scalars(select(Customer.member_id).where(Customer.member_id.in_(ids))))
    missing = [{"member_id": m} for m in ids if m not in have]
    trail += insert_records(session, Customer.__table__, missing, who, now)  # type: ignore[arg-type]
    return {
        c.member_id: c  # type: ignore[misc]
        for c in session.scalars(select(Customer).where(Customer.member_id.in_(ids)))
    }


def make_drafts(
    session: Session,
    preview: FeeRunPreview,
    members: dict[int, MemberDetail],
    who: str,
    progress: Progress | None,
) -> FeeRunResult:
    """The run and its drafts, written in bulk: a dozen statements for any number."""
    settings = load_settings(session)
    to_bill = preview.to_bill
    already = tuple(f"{r.name} ({r.billed_as})" for r in preview.already_billed)
    without = tuple(f"{r.name}: {r.problem}" for r in preview.without_figures)
    nothing = tuple(r.name for r in preview.nothing_to_pay)
    if not to_bill:
        return FeeRunResult(None, (), ZERO, already, without, nothing)
    within = preview.period
    run = FeeRun(
        academic_year=preview.year.start_year,
        period_starts_on=within.starts_on if within else None,
        period_ends_on=within.ends_on if within else None,
        period_label=preview.period_label,
        invoice_date=preview.invoice_date,
        created_by=who,
        updated_by=who,
    )
    session.add(run)
    session.flush()  # the run's id, and its own trail entry
    now = utcnow()
    trail: list[Change] = []
    customers = _member_customers(session, [r.member_id for r in to_bill], who, now, trail)
    snapshots = customer_snapshots(session, customers.values(), members)
    vat_code, account = settings.fee_vat_code, settings.fee_account_code
    invoices = []
    lines: dict[int, list[dict[str, Any]]] = {}
    total = ZERO
    for done, row in enumerate(to_bill, start=1):
        customer = customers[row.member_id]
        lines[row.member_id] = []
        amounts = []
        for position, part in enumerate(row.charged_parts, start=1):
            figures = line_amounts(ONE, part.amount, vat_code)
            amounts.append(figures)
            lines[row.member_id].append(
                {
                    "position": position,
                    "description": _line_text(preview.year, part),
                    "quantity": ONE,
                    "unit_price": part.amount,
                    "vat_code": vat_code,
                    "account_code": account,
                    "net": figures.net,
                    "vat": figures.vat,
                    "service_item_id": None,
                }
            )
        totals = totals_of(amounts)
        total += totals.total
        invoices.append(
            {
                "kind": InvoiceKind.INVOICE,
                "state": InvoiceState.DRAFT,
                "customer_id": customer.id,
                "member_id": row.member_id,
                "invoice_date": preview.invoice_date,
                "due_date": preview.due_date,
                "supply_from": row.supply_from,
                "supply_to": row.supply_to,
                "reference": preview.reference,
                "fee_year": preview.year.start_year,
                "fee_period_starts_on": within.starts_on if within else preview.year.first_day,
                "fee_run_id": run.id,
                "total_net": totals.net,
                "total_vat": totals.vat,
                "total": totals.total,
                **snapshots[customer.id],
            }
        )
        if progress is not None and done % 100 == 0:
            progress.report(done, len(to_bill), f"Drafted {done:,} of {len(to_bill):,}")
    invoice_table: Table = Invoice.__table__  # type: ignore[assignment]
    trail += insert_records(session, invoice_table, invoices, who, now)
    made = dict(
        session.execute(
            select(Invoice.member_id, Invoice.id).where(Invoice.fee_run_id == run.id)
        ).all()
    )
    line_table: Table = InvoiceLine.__table__  # type: ignore[assignment]
    trail += insert_records(
        session,
        line_table,
        [line | {"invoice_id": made[m]} for m in lines for line in lines[m]],
        who,
        now,
    )
    record_many(session, trail)
    if progress is not None:
        progress.report(len(to_bill), len(to_bill), f"Drafted {len(to_bill):,}")
    draft_ids = tuple(made[r.member_id] for r in to_bill)
    return FeeRunResult(run.id, draft_ids, total, already, without, nothing)


def _line_text(year: AcademicYear, part: FeePart) -> str:
    """``Membership fee 2025/26, 01/09/2025 to 31/08/2026: 412 pupils x £5.00 = £2,060.00``."""
    dates = f"{format_date(part.first_day)} to {format_date(part.last_day)}"
    return f"Membership fee {year.label}, {dates}: {part.working}"


def _run_what(run: FeeRun) -> str:
    label = AcademicYear(run.academic_year).label
    return label + (f", {run.period_label}" if run.period_label else "")


def run_invoice_ids(session: Session, run_id: int) -> list[int]:
    if session.get(FeeRun, run_id) is None:
        raise NotFoundError("This fee run is no longer in the records.")
    rows = session.execute(
        select(Invoice.id, Invoice.sequence).where(Invoice.fee_run_id == run_id)
    ).all()
    # Issued ones in number order (as they will be filed), then any drafts as made.
    return [r.id for r in sorted(rows, key=lambda r: (r.sequence is None, r.sequence or 0, r.id))]


def _runs(session: Session, run_id: int | None = None) -> list[FeeRunDetail]:
    drafts = func.count(Invoice.id).filter(Invoice.state == InvoiceState.DRAFT)
    issued = func.count(Invoice.id).filter(Invoice.state == InvoiceState.ISSUED)
    total = func.coalesce(func.sum(Invoice.total), 0)
    figures = {
        r[0]: (r[1], r[2], r[3])
        for r in session.execute(
            select(Invoice.fee_run_id, drafts, issued, total)
            .where(Invoice.fee_run_id.is_not(None))
            .group_by(Invoice.fee_run_id)
        )
    }
    query = select(FeeRun).order_by(FeeRun.created_at.desc(), FeeRun.id.desc())
    if run_id is not None:
        query = query.where(FeeRun.id == run_id)
    result = []
    for run in session.scalars(query):
        made, done, amount = figures.get(run.id, (0, 0, ZERO))
        result.append(
            FeeRunDetail(
                id=run.id,
                year=AcademicYear(run.academic_year),
                period_label=run.period_label,
                invoice_date=run.invoice_date,
                made_at=run.created_at,
                made_by=run.created_by,
                drafts=made,
                issued=done,
                total=Decimal(amount).quantize(Decimal("0.01")),
                period_starts_on=run.period_starts_on,
                period_ends_on=run.period_ends_on,
                uuid=run.uuid,
            )
        )
    return result
