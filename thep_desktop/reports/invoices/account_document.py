"""What invoices, credit notes and statements share on paper: the first page's head, tables, paying.

Each document is a section of an :class:`AccountDocument` (a :class:`LetterheadDocument`):
the supplier's letterhead as it was when the document was made, the customer's address in
the window of a DL envelope (as letters place it), the document's title and its details
(number, dates, references) beside the address, the legal footer and "Page x of y" per
document. The tables' cells are plain strings wrapped here rather than paragraphs: a run
of a thousand invoices is laid out several times faster that way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from thep_desktop.domain.fees import money
from thep_desktop.reports.invoices.invoice_document import Supplier
from thep_desktop.reports.letters.envelope_address import (
    ADDRESS_BOX,
    ADDRESS_LEADING,
    ADDRESS_SIZE,
    address_block_lines,
)
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, GREY, INK, _para_text
from thep_desktop.reports.letters.letterhead_document import (
    MARGIN_RIGHT,
    LetterheadDocument,
    SectionStart,
    fit,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_TOP_FIRST = 102 * mm  # below the window and the details beside it
DETAILS_LEFT = 118 * mm  # the title and details column, right of the envelope window
DETAILS_VALUE = 150 * mm
TITLE_TOP = 50 * mm  # level with the top of the envelope window
TITLE_SIZE = 20
DETAIL_SIZE = 9.5
DETAIL_LEADING = 12.4
TEXT_WIDTH = PAGE_WIDTH - 40 * mm  # the letterhead's margins are 20 mm each side

CELL_SIZE = 9.5
CELL_LEADING = 11.5
HEADER_FILL = HexColor("#e8eef4")
RULE = HexColor("#c8c8c8")
DRAFT_RED = HexColor("#b00020")
DRAFT_MARK = Color(0.69, 0, 0.125, alpha=0.12)


@dataclass(frozen=True)
class SectionHead:
    """What a document's first page shows above its body, and later pages in their header."""

    letterhead: Letterhead
    title: str
    recipient: tuple[str, ...]
    details: tuple[tuple[str, str], ...]  # label, value beside the address
    continuation: str  # right of a later page's header
    draft: str = ""  # "DRAFT — not a valid invoice" under the title, and a mark on every page


class AccountDocument(LetterheadDocument):
    """Invoices, credit notes or statements, each a section with its own head and page count."""

    def __init__(
        self,
        target: str | BinaryIO,
        letterhead: Letterhead,
        *,
        title: str,
        on_section: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(target, letterhead, first_top=BODY_TOP_FIRST, title=title)
        self.head: SectionHead | None = None
        self._on_section = on_section

    def section_started(self, payload: object) -> None:
        assert isinstance(payload, SectionHead)
        self.head = payload
        self.use_letterhead(payload.letterhead)
        if self._on_section is not None:
            self._on_section(self.section_number)

    def continuation_detail(self) -> str:
        return self.head.continuation if self.head is not None else ""

    def decorate_first_page(self, canvas: Canvas) -> None:
        head = self.head
        if head is None:
            return
        canvas.setFillColor(INK)
        canvas.setFont(FONT, ADDRESS_SIZE)
        y = PAGE_HEIGHT - ADDRESS_BOX.top - ADDRESS_SIZE
        for line in address_block_lines(head.recipient):
            canvas.drawString(ADDRESS_BOX.left, y, line)
            y -= ADDRESS_LEADING
        right = PAGE_WIDTH - MARGIN_RIGHT
        y = PAGE_HEIGHT - TITLE_TOP - TITLE_SIZE + 4
        canvas.setFont(FONT_BOLD, TITLE_SIZE)
        canvas.setFillColor(ACCENT)
        canvas.drawString(DETAILS_LEFT, y, head.title)
        y -= 6 * mm
        if head.draft:
            canvas.setFont(FONT_BOLD, 10)
            canvas.setFillColor(DRAFT_RED)
            canvas.drawString(DETAILS_LEFT, y, fit(head.draft, FONT_BOLD, 10, right - DETAILS_LEFT))
            y -= DETAIL_LEADING + 1
        for label, value in head.details:
            canvas.setFont(FONT_BOLD, DETAIL_SIZE)
            canvas.setFillColor(GREY)
            canvas.drawString(DETAILS_LEFT, y, label)
            canvas.setFont(FONT, DETAIL_SIZE)
            canvas.setFillColor(INK)
            canvas.drawString(
                DETAILS_VALUE, y, fit(value, FONT, DETAIL_SIZE, right - DETAILS_VALUE)
            )
            y -= DETAIL_LEADING

    def decorate_page(self, canvas: Canvas) -> None:
        if self.head is None or not self.head.draft:
            return
        canvas.saveState()
        canvas.setFillColor(DRAFT_MARK)
        canvas.setFont(FONT_BOLD, 110)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2 - 20 * mm)
        canvas.rotate(40)
        canvas.drawCentredString(0, 0, "DRAFT")
        canvas.restoreState()


def section_start(head: SectionHead) -> SectionStart:
    # The address is checked before the document is laid out, so a bad one stops the run
    # with the customer's name rather than printing outside the window.
    address_block_lines(head.recipient)
    return SectionStart(head)


# -- text and tables ------------------------------------------------------------------------
def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8.5, leading=11, textColor=GREY, spaceBefore=2
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            textColor=ACCENT,
            spaceBefore=0,
            spaceAfter=3,
        ),
        "lead": ParagraphStyle("lead", parent=body, spaceAfter=6),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_para_text(text, keep_lines=True), style)


def wrapped(text: str, width: float, font: str = FONT, size: float = CELL_SIZE) -> str:
    """``text`` broken into lines that fit ``width`` (its own line breaks kept), for a cell."""
    lines: list[str] = []
    for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(simpleSplit(part, font, size, width) or [""])
    return "\n".join(lines)


def quantity_text(value: Decimal) -> str:
    """``3``, ``2.5``, ``0.25``: a quantity without trailing zeros."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def price_text(value: Decimal) -> str:
    """A unit price in pounds: pence as usual, more places only when the price has them."""
    if value == value.quantize(Decimal("0.01")):
        return money(value)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value).normalize():,f}"


def grid_style(
    columns: int, rows: int, *, numeric_from: int, header: bool = True
) -> list[tuple[object, ...]]:
    """The tables' look: a shaded header row, light rules, figures right-aligned."""
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_SIZE, CELL_LEADING),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    if rows > 1:
        commands.append(("LINEBELOW", (0, 1 if header else 0), (-1, -1), 0.4, RULE))
    return commands


def totals_table(rows: list[tuple[str, str]], *, width: float = 80 * mm) -> Table:
    """Label and amount pairs at the right, the last (what is due) in bold over a rule."""
    table = Table(rows, colWidths=(width - 30 * mm, 30 * mm), hAlign="RIGHT")
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 10, 12),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, 11.5, 14),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("TOPPADDING", (0, -1), (-1, -1), 4),
    ]
    table.setStyle(TableStyle(commands))
    return table


def remittance(
    supplier: Supplier, terms: str, reference_words: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """How to pay: the terms, the bank account for a transfer, and what to quote."""
    story: list[Flowable] = [Spacer(1, 5 * mm), para("How to pay", styles["heading"])]
    if terms:
        story.append(para(terms, styles["lead"]))
    if supplier.has_bank_details:
        story.append(para("Please pay by bank transfer (BACS) to:", styles["body"]))
        table = Table(
            [(label, value) for label, value in supplier.bank_rows()],
            colWidths=(32 * mm, TEXT_WIDTH - 32 * mm),
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (0, -1), FONT_BOLD, 10, 12.5),
                    ("FONT", (1, 0), (1, -1), FONT, 10, 12.5),
                    ("TEXTCOLOR", (0, 0), (0, -1), GREY),
                    ("TEXTCOLOR", (1, 0), (1, -1), INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        story += [Spacer(1, 1.5 * mm), table, Spacer(1, 1.5 * mm)]
        story.append(para(reference_words, styles["body"]))
    else:
        contact = supplier.email or supplier.phone
        ask = f" Please contact us at {contact} for how to pay." if contact else ""
        story.append(para(f"{reference_words}{ask}", styles["body"]))
    return story
