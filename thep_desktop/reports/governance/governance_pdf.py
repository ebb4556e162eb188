"""What the governance PDFs share: the document on the letterhead (with a DRAFT mark when
asked), the type styles, tables with a repeated header, and writing the file whole."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, GREY, INK, _para_text
from thep_desktop.reports.letters.letterhead_document import (
    FOOTER_HEIGHT,
    LETTERHEAD_RULE,
    MARGIN_RIGHT,
    LetterheadDocument,
)
from thep_desktop.reports.shared.spreadsheet import replacing

FIRST_TOP = LETTERHEAD_RULE + 8 * mm  # the title a little below the letterhead's rule
HEADER_FILL = HexColor("#e8eef4")
RULE = HexColor("#c8c8c8")
BAND = HexColor("#f6f8fa")
WARNING = HexColor("#a4262c")
DRAFT_GREY = HexColor("#e4e4e4")


class GovernanceDocument(LetterheadDocument):
    """One document on the letterhead: page numbers over the whole, its title on later pages.

    ``draft`` marks every page DRAFT across the middle (minutes not yet approved); ``printed``
    puts the day and time it was printed in the footer (a log is out of date as it prints).
    """

    def __init__(
        self,
        target: io.BytesIO,
        letterhead: Letterhead,
        title: str,
        *,
        pagesize: tuple[float, float] = A4,
        draft: bool = False,
        printed: datetime | None = None,
    ) -> None:
        super().__init__(target, letterhead, first_top=FIRST_TOP, pagesize=pagesize, title=title)
        self.document_title = title
        self.draft = draft
        self.printed = printed
        if draft:
            # Drawn as each page begins, so the text prints over the mark, not under it.
            for template in self.pageTemplates:
                template.onPage = self._draw_draft_mark

    def continuation_detail(self) -> str:
        return self.document_title + (" – DRAFT" if self.draft else "")

    def decorate_page(self, canvas: Canvas) -> None:
        if self.printed is not None:
            canvas.setFont(FONT, 7)
            canvas.setFillColor(GREY)
            canvas.drawRightString(
                self.page_width - MARGIN_RIGHT,
                FOOTER_HEIGHT - 13 * mm,
                f"Printed {format_date(self.printed.date())} {self.printed:%H:%M}",
            )

    def _draw_draft_mark(self, canvas: Canvas, doc: object) -> None:
        canvas.saveState()
        canvas.setFillColor(DRAFT_GREY)
        canvas.setFont(FONT_BOLD, 110)
        canvas.translate(self.page_width / 2, self.page_height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -35, "DRAFT")
        canvas.restoreState()


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=FONT_BOLD, fontSize=11.5, leading=15, textColor=INK
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=3,
        ),
        "item": ParagraphStyle(
            "item", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=INK, spaceBefore=8
        ),
        "body": body,
        "text": ParagraphStyle("text", parent=body, spaceAfter=5),
        "indented": ParagraphStyle("indented", parent=body, leftIndent=6 * mm, spaceAfter=3),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=GREY),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9.5, leading=12.5, textColor=GREY),
        "warning": ParagraphStyle("warning", parent=body, textColor=WARNING, fontName=FONT_BOLD),
        "cell": cell,
        "cell_warning": ParagraphStyle(
            "cell_warning", parent=cell, fontName=FONT_BOLD, textColor=WARNING
        ),
        "head": ParagraphStyle("head", parent=cell, fontName=FONT_BOLD),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """User text as a paragraph: escaped ("St Mary & St John"), its line breaks kept."""
    return Paragraph(_para_text(text, keep_lines=True), style)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    style: dict[str, ParagraphStyle],
    empty: str,
) -> LongTable:
    """A table with its header repeated on each page, rows banded; ``empty`` when no rows."""
    data: list[list[Flowable | str]] = [[para(h, style["head"]) for h in headers]]
    data += [[para(c, style["cell"]) if isinstance(c, str) else c for c in row] for row in rows]
    commands: list[tuple[object, ...]] = [
        # The cells are paragraphs in our font; without this the table names Helvetica too.
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    if not rows:
        data.append([para(empty, style["cell"]), *([""] * (len(headers) - 1))])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    # Every other row lightly banded, so a row of several lines is read across as one.
    commands.extend(("BACKGROUND", (0, r), (-1, r), BAND) for r in range(2, len(data), 2))
    result = LongTable(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(commands))
    return result


def pdf_bytes(document: GovernanceDocument, story: list[Flowable]) -> bytes:
    document.build_story(story)
    target = document.filename
    assert isinstance(target, io.BytesIO)
    return target.getvalue()


def write_pdf(path: str | Path, data: bytes) -> None:
    """``data`` saved at ``path`` whole or not at all (an earlier file left as it was).

    Raises :class:`~thep_desktop.reports.shared.spreadsheet.ExportError` in words when the
    folder is missing, read-only or full, or the file is open in another program.
    """
    with replacing(Path(path)) as temporary:
        temporary.write_bytes(data)
