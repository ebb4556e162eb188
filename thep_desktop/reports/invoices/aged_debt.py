"""The aged debt report as at a date, per customer with totals: a PDF and an Excel workbook.

What each customer owes on invoices, in the columns of :data:`AGE_BUCKETS` (current, then
1–30, 31–60, 61–90 and over 90 days past the due date), with a total per customer and per
column. Only debt: a customer whose account is in credit is not listed. With ``detail`` the
PDF lists each invoice under its customer, in its own column; the workbook always has a
second sheet of the invoices.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import AGE_BUCKETS, age_bucket
from thep_desktop.reports.invoices.account_document import CELL_SIZE, grid_style, wrapped
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, GREY, INK, _para_text
from thep_desktop.reports.letters.letterhead_document import (
    LETTERHEAD_RULE,
    LetterheadDocument,
    SectionStart,
)
from thep_desktop.reports.shared.spreadsheet import (
    ColumnSpec,
    ExportError,
    TableData,
    replacing,
    write_xlsx,
)

TITLE = "Aged debt"
PAGE_SIZE = landscape(A4)
FIRST_TOP = LETTERHEAD_RULE + 8 * mm
# Customer, five ages, total: 257 mm, the landscape text width.
COLUMNS = (107 * mm, *([25 * mm] * len(AGE_BUCKETS)), 25 * mm)
ZERO = Decimal("0.00")
TOTAL_FILL = "#e8eef4"


@dataclass(frozen=True)
class AgedInvoice:
    number: str
    invoice_date: date
    due_date: date
    days_overdue: int  # 0 when not yet due
    outstanding: Decimal


@dataclass(frozen=True)
class AgedDebtRow:
    customer: str
    amounts: tuple[Decimal, ...]  # in AGE_BUCKETS order
    total: Decimal
    invoices: tuple[AgedInvoice, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AgedDebtReport:
    """``totals`` (in AGE_BUCKETS order) are summed from the rows when not given."""

    as_at: date
    supplier_name: str
    rows: tuple[AgedDebtRow, ...]
    totals: tuple[Decimal, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.amounts) != len(AGE_BUCKETS):
                raise ValueError(
                    f"{row.customer}: {len(row.amounts)} amounts, expected one per age column"
                )
        if not self.totals:
            sums = tuple(
                sum((row.amounts[i] for row in self.rows), ZERO) for i in range(len(AGE_BUCKETS))
            )
            object.__setattr__(self, "totals", sums)

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)

    @property
    def title(self) -> str:
        return f"{TITLE} as at {format_date(self.as_at)}"

    def column_of(self, invoice: AgedInvoice) -> int:
        """The age column (index into AGE_BUCKETS) an invoice's outstanding amount falls in."""
        return AGE_BUCKETS.index(age_bucket(invoice.due_date, self.as_at))


HEADERS = ("Customer", *(bucket.label for bucket in AGE_BUCKETS), "Total")


# -- the PDF ----------------------------------------------------------------------------------
class _AgedDebtDocument(LetterheadDocument):
    def __init__(self, target: BinaryIO, letterhead: Letterhead, report: AgedDebtReport) -> None:
        super().__init__(
            target, letterhead, first_top=FIRST_TOP, pagesize=PAGE_SIZE, title=report.title
        )
        self.report = report

    def continuation_detail(self) -> str:
        return self.report.title


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
        ),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9.5, leading=12.5, textColor=GREY),
    }


def _summary(report: AgedDebtReport) -> str:
    on = format_date(report.as_at)
    if not report.rows:
        return f"No customer owed anything on {on}."
    customers = f"{len(report.rows):,} customer{'s' if len(report.rows) != 1 else ''}"
    overdue = sum(report.totals[1:], ZERO)
    return (
        f"{customers} owed {money(report.total)} on {on}, of which {money(overdue)} was "
        "overdue. Each invoice is aged by the days since its due date."
    )


def aged_debt_story(report: AgedDebtReport, *, detail: bool = False) -> list[Flowable]:
    style = _styles()
    story: list[Flowable] = [
        SectionStart(),
        Paragraph(_para_text(report.title), style["title"]),
        Spacer(1, 1 * mm),
        Paragraph(_para_text(report.supplier_name), style["note"]),
        Paragraph(_para_text(_summary(report)), style["note"]),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[str]] = [list(HEADERS)]
    commands: list[tuple[object, ...]] = []
    name_width = COLUMNS[0] - 8
    for row in report.rows:
        rows.append(
            [
                wrapped(row.customer, name_width),
                *(_amount(a) for a in row.amounts),
                money(row.total),
            ]
        )
        # The customer's total in bold; with the invoices under it, its name too.
        commands.append(
            ("FONT", (0 if detail else -1, len(rows) - 1), (-1, len(rows) - 1), FONT_BOLD)
        )
        if not detail:
            continue
        first = len(rows)
        for invoice in row.invoices:
            cells = [""] * len(AGE_BUCKETS)
            cells[report.column_of(invoice)] = money(invoice.outstanding)
            late = f", {invoice.days_overdue} days overdue" if invoice.days_overdue else ""
            text = (
                f"{invoice.number}  dated {format_date(invoice.invoice_date)}, "
                f"due {format_date(invoice.due_date)}{late}"
            )
            rows.append(["    " + text, *cells, ""])
        if len(rows) > first:
            commands += [
                ("FONT", (0, first), (-1, len(rows) - 1), FONT, CELL_SIZE - 1, CELL_SIZE + 1),
                ("TEXTCOLOR", (0, first), (-1, len(rows) - 1), GREY),
                ("TOPPADDING", (0, first), (-1, len(rows) - 1), 1),
                ("BOTTOMPADDING", (0, first), (-1, len(rows) - 1), 1),
            ]
    if not report.rows:
        rows.append([_summary(report), *([""] * (len(HEADERS) - 1))])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    rows.append(["Total", *(money(a) for a in report.totals), money(report.total)])
    table = LongTable(rows, colWidths=COLUMNS, repeatRows=1, hAlign="LEFT")
    style_commands = grid_style(len(HEADERS), len(rows), numeric_from=1) + commands
    style_commands += [
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, CELL_SIZE, CELL_SIZE + 2),
        ("TEXTCOLOR", (0, -1), (-1, -1), INK),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
    ]
    table.setStyle(TableStyle(style_commands))
    story.append(table)
    return story


def _amount(value: Decimal) -> str:
    return money(value) if value else "–"


def aged_debt_pdf_bytes(
    report: AgedDebtReport, letterhead: Letterhead, *, detail: bool = False
) -> bytes:
    buffer = io.BytesIO()
    _AgedDebtDocument(buffer, letterhead, report).build_story(
        aged_debt_story(report, detail=detail)
    )
    return buffer.getvalue()


def write_aged_debt_pdf(
    out: str | Path | BinaryIO,
    report: AgedDebtReport,
    letterhead: Letterhead,
    *,
    detail: bool = False,
) -> None:
    """The report as a landscape PDF on the letterhead; ``detail`` lists each invoice.

    A path is written whole or not at all (:class:`ExportError` in words when it cannot be).
    """
    data = aged_debt_pdf_bytes(report, letterhead, detail=detail)
    if isinstance(out, str | Path):
        with replacing(Path(out)) as temporary:
            temporary.write_bytes(data)
    else:
        out.write(data)


# -- the workbook -----------------------------------------------------------------------------
def aged_debt_table(report: AgedDebtReport) -> TableData:
    """The report for the spreadsheet writer: customers, and a second sheet of invoices."""
    money_columns = [ColumnSpec(label, "money") for label in HEADERS[1:]]
    invoice_rows = [
        (
            row.customer,
            invoice.number,
            invoice.invoice_date,
            invoice.due_date,
            invoice.days_overdue,
            AGE_BUCKETS[report.column_of(invoice)].label,
            invoice.outstanding,
        )
        for row in report.rows
        for invoice in row.invoices
    ]
    invoices = TableData(
        title="Invoices",
        subtitle=f"Each invoice owed on {format_date(report.as_at)}, aged from its due date",
        columns=[
            ColumnSpec("Customer"),
            ColumnSpec("Invoice"),
            ColumnSpec("Invoice date", "date"),
            ColumnSpec("Due date", "date"),
            ColumnSpec("Days overdue", "count"),
            ColumnSpec("Age"),
            ColumnSpec("Outstanding", "money"),
        ],
        rows=invoice_rows,
        totals=("Total", None, None, None, None, None, sum((r[-1] for r in invoice_rows), ZERO)),
    )
    return TableData(
        title=TITLE,
        subtitle=f"{report.supplier_name}, as at {format_date(report.as_at)}. {_summary(report)}",
        columns=[ColumnSpec("Customer"), *money_columns],
        rows=[(row.customer, *row.amounts, row.total) for row in report.rows],
        row_count=len(report.rows),
        totals=("Total", *report.totals, report.total),
        more_sheets=[invoices],
    )


def write_aged_debt_xlsx(path_or_stream: str | Path | BinaryIO, report: AgedDebtReport) -> None:
    """The report as an Excel workbook: amounts as numbers in pounds, dates as dates."""
    if isinstance(path_or_stream, str | Path) and Path(path_or_stream).suffix.casefold() != (
        ".xlsx"
    ):
        raise ExportError("Choose a file ending .xlsx for the aged debt workbook.")
    write_xlsx(path_or_stream, aged_debt_table(report))
