"""The documents engine's page furniture: letterhead, continuation header, footer, page x of y.

:class:`LetterheadDocument` is what letters and the office's formal documents (the register
of members) have in common, portrait or landscape:

- the first page of each section (a letter, or a whole register) carries the letterhead
  (logo, name, address, phone, email, website) across the top;
- later pages a one-line continuation header naming the organisation, and on its right
  whatever the document says identifies it (:meth:`continuation_detail`);
- every page the legal lines in the footer (company, charity, registered office, VAT) and
  "Page x of y", counted per section even when many letters share one PDF.

"of y" is written in one pass: each page refers to a PDF form that is filled in when the
section's last page is known. What every page repeats is drawn once, as forms, so a PDF
of a thousand letters stays small; each page's drawing is compressed as the page ends.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from thep_desktop.reports.letters.letter_data import LetterError, Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, GREY, register_fonts

MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
FOOTER_HEIGHT = 24 * mm
LETTERHEAD_TOP = 14 * mm  # from the top of the page, where the logo and name start
LETTERHEAD_RULE = 44 * mm  # from the top of the page, the rule under the letterhead
CONTINUATION_TOP = 28 * mm  # from the top of the page, where a later page's text starts


class SectionStart(Flowable):
    """Takes no space; tells the document a new section (a letter) begins on this page."""

    def __init__(self, payload: object = None) -> None:
        super().__init__()
        self.payload = payload

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv._doctemplate.start_section(self.payload)  # type: ignore[attr-defined]


class LazyStory(list):  # type: ignore[type-arg]
    """A platypus story filled one section at a time as the layout consumes it.

    ``story_of(item)`` gives an item's flowables, starting with its :class:`SectionStart`;
    each item after the first begins on a new first page. A run of a thousand letters or
    invoices thus never holds a thousand sections' flowables in memory.
    """

    def __init__(self, items: Iterator[Any], story_of: Callable[[Any], list[Flowable]]) -> None:
        super().__init__()
        self._items = items
        self._story_of = story_of
        self._first = True

    def __len__(self) -> int:
        if super().__len__() < 2:
            self._refill()
        return super().__len__()

    def _refill(self) -> None:
        item = next(self._items, None)
        if item is None:
            return
        if not self._first:
            self.extend([NextPageTemplate("first"), PageBreak()])
        self._first = False
        self.extend(self._story_of(item))


class LetterheadDocument(BaseDocTemplate):
    """A document on the letterhead; its story starts each section with a :class:`SectionStart`.

    ``first_top`` is how far down the first page of a section its text starts (below the
    letterhead, and for a letter below the window and references). Subclasses draw what
    else the first page carries in :meth:`decorate_first_page`.
    """

    def __init__(
        self,
        target: str | BinaryIO,
        letterhead: Letterhead,
        *,
        first_top: float,
        pagesize: tuple[float, float] = A4,
        title: str = "",
        author: str = "",
    ) -> None:
        register_fonts()
        super().__init__(
            target,
            pagesize=pagesize,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=CONTINUATION_TOP,
            bottomMargin=FOOTER_HEIGHT,
            title=title or letterhead.name,
            author=author or letterhead.name,
            creator="THE Partnership Office",
            # Not reportlab's invariant mode: that dates every PDF 1 January 2000.
            invariant=False,
            # Otherwise every page names Helvetica, a font the document never uses.
            initialFontName=FONT,
        )
        self.letterhead = letterhead
        self._logo = logo_reader(letterhead.logo)
        self.section_number = 0
        self.section_first_page = 1
        self.pages_per_section: list[int] = []
        # Forms already drawn, by letterhead: a run of invoices may span a change of address.
        self._forms: dict[Letterhead, str] = {}
        self._form_suffix = ""
        page_width, page_height = pagesize
        self.page_width = page_width
        self.page_height = page_height
        self.text_width = page_width - MARGIN_LEFT - MARGIN_RIGHT
        first = self._frame("first", page_height - first_top - FOOTER_HEIGHT)
        later = self._frame("later", page_height - CONTINUATION_TOP - FOOTER_HEIGHT)
        self.addPageTemplates(
            [
                PageTemplate(
                    "first", [first], onPageEnd=self._decorate_first, autoNextPageTemplate="later"
                ),
                PageTemplate("later", [later], onPageEnd=self._decorate_later),
            ]
        )

    def _frame(self, name: str, height: float) -> Frame:
        return Frame(
            MARGIN_LEFT,
            FOOTER_HEIGHT,
            self.text_width,
            height,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    # -- what subclasses add --------------------------------------------------------------
    def section_started(self, payload: object) -> None:
        """Called as a section begins, with its :class:`SectionStart`'s payload."""

    def decorate_first_page(self, canvas: Canvas) -> None:
        """Draw what a section's first page carries besides the letterhead and footer."""

    def decorate_page(self, canvas: Canvas) -> None:
        """Draw what every page of the section carries on top of its text (a DRAFT mark)."""

    def continuation_detail(self) -> str:
        """The text at the right of a later page's header (whom the letter is to, when)."""
        return ""

    def use_letterhead(self, letterhead: Letterhead) -> None:
        """Print the pages from here on this letterhead (a document kept as it was issued).

        Call it from :meth:`section_started`: the section's pages are then decorated with it.
        """
        if letterhead != self.letterhead:
            self.letterhead = letterhead
            self._logo = logo_reader(letterhead.logo)

    # -- sections -------------------------------------------------------------------------
    def start_section(self, payload: object) -> None:
        if self.section_number:
            self._finish_section(self.page - 1)
        self.section_number += 1
        self.section_first_page = self.page
        self.section_started(payload)

    def _finish_section(self, last_page: int) -> None:
        total = last_page - self.section_first_page + 1
        self.pages_per_section.append(total)
        canvas = self.canv
        canvas.beginForm(_total_form(self.section_number), lowery=-4, uppery=20)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(0, 0, str(total))
        canvas.endForm()

    def finish(self) -> None:
        if self.section_number:
            self._finish_section(self.page)

    def build_story(self, story: list[Flowable]) -> None:
        """Lay out ``story`` (which may fill itself lazily) and write the PDF."""
        self.build(story, canvasmaker=_canvas_maker(self))

    # -- page decoration ------------------------------------------------------------------
    def _decorate_first(self, canvas: Canvas, doc: Any) -> None:
        if not self.section_number:
            return
        self._define_forms(canvas)
        canvas.saveState()
        canvas.doForm("letterhead" + self._form_suffix)
        canvas.doForm("footer" + self._form_suffix)
        self._draw_page_number(canvas)
        self.decorate_first_page(canvas)
        self.decorate_page(canvas)
        canvas.restoreState()

    def _decorate_later(self, canvas: Canvas, doc: Any) -> None:
        if not self.section_number:
            return
        self._define_forms(canvas)
        canvas.saveState()
        canvas.doForm("continuation" + self._form_suffix)
        canvas.doForm("footer" + self._form_suffix)
        self._draw_page_number(canvas)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(GREY)
        canvas.drawRightString(
            self.page_width - MARGIN_RIGHT,
            self.page_height - 14 * mm,
            fit(self.continuation_detail(), FONT, 9, self.text_width - 65 * mm),
        )
        self.decorate_page(canvas)
        canvas.restoreState()

    def _define_forms(self, canvas: Canvas) -> None:
        """Draw what every page repeats once, as PDF forms each page refers to.

        The letterhead, the footer's legal lines and the continuation header are the same
        on every page of a run: drawn once, they cost nothing per page and the PDF of a
        thousand letters stays small. Each letterhead in the run has forms of its own.
        """
        known = self._forms.get(self.letterhead)
        if known is not None:
            self._form_suffix = known
            return
        suffix = f"-{len(self._forms)}" if self._forms else ""
        self._forms[self.letterhead] = self._form_suffix = suffix
        canvas.beginForm("letterhead" + suffix)
        self._draw_letterhead(canvas)
        canvas.endForm()
        canvas.beginForm("footer" + suffix)
        self._draw_footer(canvas)
        canvas.endForm()
        canvas.beginForm("continuation" + suffix)
        y = self.page_height - 14 * mm
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN_LEFT, y, fit(self.letterhead.name, FONT_BOLD, 9, 60 * mm))
        canvas.setStrokeColor(HexColor("#c8c8c8"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, y - 4 * mm, self.page_width - MARGIN_RIGHT, y - 4 * mm)
        canvas.endForm()

    def _draw_letterhead(self, canvas: Canvas) -> None:
        head = self.letterhead
        top = self.page_height - LETTERHEAD_TOP
        x = MARGIN_LEFT
        if self._logo is not None:
            width, height = self._logo.getSize()
            scale = min(42 * mm / width, 24 * mm / height)
            w, h = width * scale, height * scale
            canvas.drawImage(self._logo, x, top - h, w, h, mask="auto")
            x += w + 5 * mm
        canvas.setFillColor(ACCENT)
        name_lines = simpleSplit(head.name, FONT_BOLD, 16, 95 * mm - (x - MARGIN_LEFT))
        y = top - 14
        canvas.setFont(FONT_BOLD, 16)
        for line in name_lines[:3]:
            canvas.drawString(x, y, line)
            y -= 18
        lines = [*head.address_lines]
        contact = [c for c in (head.phone, head.email, head.website) if c]
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(GREY)
        y = top - 8
        right = self.page_width - MARGIN_RIGHT
        for line in [*lines, *contact]:
            canvas.drawRightString(right, y, fit(line, FONT, 8.5, 70 * mm))
            y -= 10.5
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        rule_y = self.page_height - LETTERHEAD_RULE
        canvas.line(MARGIN_LEFT, rule_y, right, rule_y)

    def _draw_footer(self, canvas: Canvas) -> None:
        right = self.page_width - MARGIN_RIGHT
        y = FOOTER_HEIGHT - 9 * mm
        canvas.setStrokeColor(HexColor("#c8c8c8"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, FOOTER_HEIGHT - 4 * mm, right, FOOTER_HEIGHT - 4 * mm)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        legal_width = self.text_width - 28 * mm
        for line in self.letterhead.legal_lines():
            for part in simpleSplit(line, FONT, 7, legal_width):
                canvas.drawString(MARGIN_LEFT, y, part)
                y -= 8.5

    def _draw_page_number(self, canvas: Canvas) -> None:
        page_in_section = self.page - self.section_first_page + 1
        label = f"Page {page_in_section} of "
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        x = self.page_width - MARGIN_RIGHT - 22 * mm
        y = FOOTER_HEIGHT - 9 * mm
        canvas.drawString(x, y, label)
        canvas.saveState()
        canvas.translate(x + pdfmetrics.stringWidth(label, FONT, 8), y)
        canvas.doForm(_total_form(self.section_number))
        canvas.restoreState()


def _total_form(section_number: int) -> str:
    return f"pages-of-section-{section_number}"


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def logo_reader(data: bytes | None) -> ImageReader | None:
    """The organisation's logo ready to draw, or None; a file that is no image is refused."""
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
    except Exception:
        raise LetterError(
            "The logo in the organisation profile is not an image that can be printed; "
            "choose another in Settings > Organisation profile."
        ) from None
    return reader


class _AlreadyDeflated:
    """A stream filter for content compressed when its page was finished (see below)."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data


_ALREADY_DEFLATED = _AlreadyDeflated()


def _canvas_maker(doc: LetterheadDocument) -> Callable[..., Canvas]:
    class _Canvas(Canvas):
        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            super().showPage()
            # reportlab keeps every page's drawing commands as text until the whole PDF is
            # written; compressed as each page ends, a thousand letters take a tenth of the
            # memory, and the file is the same.
            page = self._doc.Pages.pages[-1]
            content = page.stream
            if content and page.compression and not page.Contents:
                data = content.encode("utf8") if isinstance(content, str) else content
                filters: list[Any] = [PDFBase85Encode] if rl_config.useA85 else []
                stream = PDFStream(
                    content=zlib.compress(data), filters=[*filters, _ALREADY_DEFLATED]
                )
                stream.__Comment__ = "page stream"
                page.Contents = stream
                page.stream = None

        def save(self) -> None:
            doc.finish()
            super().save()

    return _Canvas
