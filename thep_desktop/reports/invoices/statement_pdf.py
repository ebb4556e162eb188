"""Statements of account as PDF: for one customer, or for every customer in one file.

A statement lists, from its opening balance (brought forward from before the period, when
it has one), each invoice, credit note, payment, refund and credit applied with the running
balance, then the balance at the statement date, how much of it is overdue and how old,
any credit held, and how to pay. Plain data in, PDF out, as the invoices are printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import AGE_BUCKETS
from thep_desktop.reports.invoices.account_document import (
    TEXT_WIDTH,
    AccountDocument,
    SectionHead,
    grid_style,
    para,
    remittance,
    section_start,
    styles,
    totals_table,
    wrapped,
)
from thep_desktop.reports.invoices.invoice_document import InvoiceError, RenderResult, Supplier
from thep_desktop.reports.letters.letter_data import LetterError
from thep_desktop.reports.letters.letter_text import FONT_BOLD
from thep_desktop.reports.letters.letterhead_document import LazyStory

TITLE = "Statement of account"
# Date, details, reference, debit, credit, balance: 170 mm, the text width.
COLUMNS = (22 * mm, 40 * mm, 36 * mm, 24 * mm, 24 * mm, 24 * mm)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementEntry:
    date: date
    kind: str  # "Invoice", "Credit note", "Payment", "Refund", "Credit applied"
    reference: str  # the invoice's number, the payment's reference
    debit: Decimal  # what the customer owes more (an invoice, a refund)
    credit: Decimal  # what the customer owes less (a payment, a credit note)
    balance: Decimal  # owed after this entry; negative when the customer is in credit


@dataclass(frozen=True)
class StatementDocument:
    supplier: Supplier
    customer_name: str
    customer_contact: str
    customer_address_lines: tuple[str, ...]
    customer_postcode: str
    statement_date: date
    period_from: date | None  # None: every transaction since the account was opened
    opening_balance: Decimal
    entries: tuple[StatementEntry, ...]
    closing_balance: Decimal
    credit_held: Decimal
    overdue: Decimal
    aged: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)  # AGE_BUCKETS order
    payment_terms_days: int = 30
    footer_note: str = ""

    @property
    def recipient(self) -> tuple[str, ...]:
        lines = [self.customer_contact, self.customer_name, *self.customer_address_lines]
        lines.append(self.customer_postcode)
        return tuple(line.strip() for line in lines if line and line.strip())

    @property
    def period_text(self) -> str:
        end = format_date(self.statement_date)
        if self.period_from is None:
            return f"Up to {end}"
        return f"{format_date(self.period_from)} to {end}"


def statement_head(statement: StatementDocument, logo: bytes | None) -> SectionHead:
    details = (
        ("Statement date", format_date(statement.statement_date)),
        ("Period", statement.period_text),
        ("Balance due", money(max(statement.closing_balance, ZERO))),
        ("Of which overdue", money(statement.overdue)),
    )
    return SectionHead(
        letterhead=statement.supplier.letterhead(logo),
        title=TITLE,
        recipient=statement.recipient,
        details=details,
        continuation=(
            f"{TITLE}  ·  {statement.customer_name}  ·  {format_date(statement.statement_date)}"
        ),
    )


def statement_story(
    statement: StatementDocument, logo: bytes | None, style: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [section_start(statement_head(statement, logo))]
    story.append(_entries_table(statement))
    story.append(Spacer(1, 3 * mm))
    closing: list[Flowable] = [_balance(statement)]
    if statement.aged:
        closing += [Spacer(1, 5 * mm), para("Age of the balance", style["heading"])]
        closing.append(_aged_table(statement))
    if statement.closing_balance > ZERO:
        closing.extend(
            remittance(
                statement.supplier,
                f"Our terms are payment within {statement.payment_terms_days} days of the "
                "invoice date.",
                "Please quote the numbers of the invoices you are paying as the reference.",
                style,
            )
        )
    elif statement.closing_balance == ZERO:
        closing += [Spacer(1, 4 * mm), para("Nothing is owed. Thank you.", style["body"])]
    story.append(KeepTogether(closing))
    if statement.footer_note.strip():
        story += [Spacer(1, 3 * mm), para(statement.footer_note.strip(), style["small"])]
    return story


def _entries_table(statement: StatementDocument) -> Table:
    rows: list[list[str]] = [["Date", "Details", "Reference", "Debit", "Credit", "Balance"]]
    bold_rows: list[int] = []
    if statement.period_from is not None or statement.opening_balance != ZERO:
        start = statement.period_from
        label = "Balance brought forward"
        rows.append([format_date(start), label, "", "", "", money(statement.opening_balance)])
        bold_rows.append(len(rows) - 1)
    reference_width = COLUMNS[2] - 8
    for entry in statement.entries:
        rows.append(
            [
                format_date(entry.date),
                entry.kind,
                wrapped(entry.reference, reference_width),
                money(entry.debit) if entry.debit else "",
                money(entry.credit) if entry.credit else "",
                money(entry.balance),
            ]
        )
    if not statement.entries:
        rows.append(["", "No transactions in this period", "", "", "", ""])
    commands = grid_style(6, len(rows), numeric_from=3)
    commands += [("FONT", (0, r), (-1, r), FONT_BOLD) for r in bold_rows]
    table = Table(rows, colWidths=COLUMNS, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _balance(statement: StatementDocument) -> Table:
    rows = [
        (f"Balance at {format_date(statement.statement_date)}", money(statement.closing_balance))
    ]
    if statement.credit_held > ZERO:
        rows.insert(0, ("Credit held on your account", money(statement.credit_held)))
    return totals_table(rows, width=95 * mm)


def _aged_table(statement: StatementDocument) -> Table:
    labels = [label for label, _amount in statement.aged]
    amounts = [money(amount) for _label, amount in statement.aged]
    width = TEXT_WIDTH / max(len(labels), 1)
    table = Table([labels, amounts], colWidths=[width] * len(labels), hAlign="LEFT")
    table.setStyle(TableStyle(grid_style(len(labels), 2, numeric_from=0)))
    return table


def aged_from_buckets(amounts: Iterable[Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """The statement's ``aged`` from amounts in :data:`AGE_BUCKETS` order."""
    values = tuple(amounts)
    if len(values) != len(AGE_BUCKETS):
        raise ValueError(f"expected {len(AGE_BUCKETS)} amounts, one per age bucket")
    return tuple((b.label, v) for b, v in zip(AGE_BUCKETS, values, strict=True))


def render_statements(
    out: str | Path | BinaryIO,
    statements: Iterable[StatementDocument],
    logo: bytes | None = None,
    on_document: Callable[[int], None] | None = None,
) -> RenderResult:
    """Lay out one statement per customer into one PDF at ``out``, each its own pages."""
    iterator = iter(statements)
    first = next(iterator, None)
    if first is None:
        raise InvoiceError("There are no statements to print.")
    doc = AccountDocument(
        str(out) if isinstance(out, Path) else out,
        first.supplier.letterhead(logo),
        title=f"{TITLE} {format_date(first.statement_date)}",
        on_section=on_document,
    )
    style = styles()
    try:
        doc.build_story(
            LazyStory(chain((first,), iterator), lambda s: statement_story(s, logo, style))
        )
    except LetterError as exc:
        raise InvoiceError(str(exc)) from exc
    return RenderResult(
        pages=sum(doc.pages_per_section), pages_per_document=tuple(doc.pages_per_section)
    )
