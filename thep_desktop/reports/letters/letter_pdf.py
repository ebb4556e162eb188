"""Formal A4 letters on the letterhead, one or a thousand to a PDF.

Plain data in (:class:`Letterhead`, :class:`Letter`), PDF out; nothing here knows the
database or Qt. The layout:

- first page: the letterhead (logo, name, address, phone, email, website) across the top;
  the recipient's address inside the window of a UK DL left-window envelope (see
  :data:`ENVELOPE_WINDOW`); "Our ref", "Your ref" and the date beside it; then subject,
  salutation, body and sign-off;
- later pages: a one-line continuation header naming the organisation, the recipient and
  the date;
- every page: the legal lines in the footer (company, charity, registered office, VAT) and
  "Page x of y", counted per letter even when many letters share one PDF.

Letters are laid out one at a time from an iterator, so a mail merge of a thousand
recipients never holds a thousand letters in memory. "of y" is written in one pass with a
PDF form that each page refers to and that is filled in when the letter's last page is known.
The fonts (Carlito, metric-compatible with Calibri) are embedded, so what prints on the
office PC is what the preview showed, with £ and accented letters.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from thep_desktop.domain.dates import format_long_date
from thep_desktop.reports.letters.envelope_address import (
    ADDRESS_BOX,
    ADDRESS_LEADING,
    ADDRESS_SIZE,
    ENVELOPE_WINDOW,
    Box,
    address_block_lines,
)
from thep_desktop.reports.letters.letter_data import Letter, LetterError, Letterhead, RenderResult
from thep_desktop.reports.letters.letter_text import (
    ACCENT,
    FONT,
    FONT_BOLD,
    GREY,
    INK,
    _para_text,
    _styles,
    register_fonts,
    text_to_flowables,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
FOOTER_HEIGHT = 24 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

BODY_TOP_FIRST = 104 * mm  # below the window and the reference block
BODY_TOP_LATER = 28 * mm


class _LetterStart(Flowable):
    """Takes no space; tells the document a new letter begins on this page."""

    def __init__(self, letter: Letter) -> None:
        super().__init__()
        self.letter = letter

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv._doctemplate.begin_letter(self.letter)  # type: ignore[attr-defined]


def letter_story(letter: Letter, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [_LetterStart(letter)]
    if letter.subject:
        story.append(Paragraph(_para_text(letter.subject), styles["subject"]))
    if letter.salutation:
        story.append(Paragraph(_para_text(letter.salutation), styles["salutation"]))
    story.extend(text_to_flowables(letter.body, styles))
    closing: list[Flowable] = [Spacer(1, 4)]
    if letter.sign_off:
        closing.append(Paragraph(_para_text(letter.sign_off), styles["signature"]))
    closing.extend(_signature(letter.signature_image))
    if letter.signatory:
        closing.append(Paragraph(_para_text(letter.signatory), styles["signature"]))
    if letter.signatory_role:
        closing.append(Paragraph(_para_text(letter.signatory_role), styles["role"]))
    if letter.cc:
        closing.append(Spacer(1, 8))
        closing.append(Paragraph(_para_text("cc: " + "; ".join(letter.cc)), styles["role"]))
    story.append(KeepTogether(closing))
    return story


class _LazyStory(list):  # type: ignore[type-arg]
    """The platypus story, filled one letter at a time as the layout consumes it."""

    def __init__(self, letters: Iterator[Letter], styles: dict[str, ParagraphStyle]) -> None:
        super().__init__()
        self._letters = letters
        self._styles = styles
        self._first = True
        self.letters_started = 0

    def __len__(self) -> int:
        if super().__len__() < 2:
            self._refill()
        return super().__len__()

    def _refill(self) -> None:
        letter = next(self._letters, None)
        if letter is None:
            return
        if not self._first:
            self.extend([NextPageTemplate("first"), PageBreak()])
        self._first = False
        self.letters_started += 1
        self.extend(letter_story(letter, self._styles))


# -- the document ------------------------------------------------------------------------------
class LetterDocument(BaseDocTemplate):
    def __init__(
        self,
        target: str | BinaryIO,
        letterhead: Letterhead,
        *,
        title: str = "",
        author: str = "",
        on_letter: Callable[[int], None] | None = None,
    ) -> None:
        register_fonts()
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=BODY_TOP_LATER,
            bottomMargin=FOOTER_HEIGHT,
            title=title or letterhead.name,
            author=author or letterhead.name,
            creator="THE Partnership Office",
            # Not reportlab's invariant mode: that dates every PDF 1 January 2000.
            invariant=False,
            # Otherwise every page names Helvetica, a font the letter never uses.
            initialFontName=FONT,
        )
        self.letterhead = letterhead
        self._logo = _logo_reader(letterhead.logo)
        self._on_letter = on_letter
        self.letter: Letter | None = None
        self.letter_number = 0
        self.letter_first_page = 1
        self.pages_per_letter: list[int] = []
        self._forms_defined = False
        first = Frame(
            MARGIN_LEFT,
            FOOTER_HEIGHT,
            TEXT_WIDTH,
            PAGE_HEIGHT - BODY_TOP_FIRST - FOOTER_HEIGHT,
            id="first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        later = Frame(
            MARGIN_LEFT,
            FOOTER_HEIGHT,
            TEXT_WIDTH,
            PAGE_HEIGHT - BODY_TOP_LATER - FOOTER_HEIGHT,
            id="later",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(
                    "first", [first], onPageEnd=self._decorate_first, autoNextPageTemplate="later"
                ),
                PageTemplate("later", [later], onPageEnd=self._decorate_later),
            ]
        )

    # called from _LetterStart.draw, on the first page of each letter
    def begin_letter(self, letter: Letter) -> None:
        if self.letter is not None:
            self._finish_letter(self.page - 1)
        self.letter = letter
        self.letter_number += 1
        self.letter_first_page = self.page
        if self._on_letter is not None:
            self._on_letter(self.letter_number)

    def _finish_letter(self, last_page: int) -> None:
        total = last_page - self.letter_first_page + 1
        self.pages_per_letter.append(total)
        canvas = self.canv
        canvas.beginForm(_total_form(self.letter_number), lowery=-4, uppery=20)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(0, 0, str(total))
        canvas.endForm()

    def finish(self) -> None:
        if self.letter is not None:
            self._finish_letter(self.page)

    # -- page decoration -------------------------------------------------------------------
    def _decorate_first(self, canvas: Canvas, doc: Any) -> None:
        letter = self.letter
        if letter is None:
            return
        self._define_forms(canvas)
        canvas.saveState()
        canvas.doForm("letterhead")
        canvas.doForm("footer")
        self._draw_page_number(canvas)
        self._draw_address(canvas, letter)
        self._draw_references(canvas, letter)
        canvas.restoreState()

    def _decorate_later(self, canvas: Canvas, doc: Any) -> None:
        letter = self.letter
        if letter is None:
            return
        self._define_forms(canvas)
        canvas.saveState()
        canvas.doForm("continuation")
        canvas.doForm("footer")
        self._draw_page_number(canvas)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(GREY)
        parts = [letter.short_recipient, format_long_date(letter.date)]
        if letter.our_ref:
            parts.append(f"Our ref: {letter.our_ref}")
        detail = "  ·  ".join(p for p in parts if p)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN_RIGHT, PAGE_HEIGHT - 14 * mm, _fit(detail, FONT, 9, 105 * mm)
        )
        canvas.restoreState()

    def _define_forms(self, canvas: Canvas) -> None:
        """Draw what every page repeats once, as PDF forms each page refers to.

        The letterhead, the footer's legal lines and the continuation header are the same
        on every letter of a run: drawn once, they cost nothing per page and the PDF of a
        thousand letters stays small.
        """
        if self._forms_defined:
            return
        self._forms_defined = True
        canvas.beginForm("letterhead")
        self._draw_letterhead(canvas)
        canvas.endForm()
        canvas.beginForm("footer")
        self._draw_footer(canvas)
        canvas.endForm()
        canvas.beginForm("continuation")
        y = PAGE_HEIGHT - 14 * mm
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN_LEFT, y, self.letterhead.name)
        canvas.setStrokeColor(HexColor("#c8c8c8"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, y - 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, y - 4 * mm)
        canvas.endForm()

    def _draw_letterhead(self, canvas: Canvas) -> None:
        head = self.letterhead
        top = PAGE_HEIGHT - 14 * mm
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
        right = PAGE_WIDTH - MARGIN_RIGHT
        for line in [*lines, *contact]:
            canvas.drawRightString(right, y, _fit(line, FONT, 8.5, 70 * mm))
            y -= 10.5
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        rule_y = PAGE_HEIGHT - 44 * mm
        canvas.line(MARGIN_LEFT, rule_y, right, rule_y)

    def _draw_address(self, canvas: Canvas, letter: Letter) -> None:
        lines = address_block_lines(letter.recipient)
        canvas.setFont(FONT, ADDRESS_SIZE)
        canvas.setFillColor(INK)
        y = PAGE_HEIGHT - ADDRESS_BOX.top - ADDRESS_SIZE
        for line in lines:
            canvas.drawString(ADDRESS_BOX.left, y, line)
            y -= ADDRESS_LEADING

    def _draw_references(self, canvas: Canvas, letter: Letter) -> None:
        x_label = 122 * mm
        x_value = 140 * mm
        y = PAGE_HEIGHT - ADDRESS_BOX.top - ADDRESS_SIZE
        rows = []
        if letter.our_ref:
            rows.append(("Our ref", letter.our_ref))
        if letter.your_ref:
            rows.append(("Your ref", letter.your_ref))
        rows.append(("Date", format_long_date(letter.date)))
        for label, value in rows:
            canvas.setFont(FONT_BOLD, 9.5)
            canvas.setFillColor(GREY)
            canvas.drawString(x_label, y, label)
            canvas.setFont(FONT, 9.5)
            canvas.setFillColor(INK)
            canvas.drawString(
                x_value, y, _fit(value, FONT, 9.5, PAGE_WIDTH - MARGIN_RIGHT - x_value)
            )
            y -= 13

    def _draw_footer(self, canvas: Canvas) -> None:
        right = PAGE_WIDTH - MARGIN_RIGHT
        y = FOOTER_HEIGHT - 9 * mm
        canvas.setStrokeColor(HexColor("#c8c8c8"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, FOOTER_HEIGHT - 4 * mm, right, FOOTER_HEIGHT - 4 * mm)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        legal_width = TEXT_WIDTH - 28 * mm
        for line in self.letterhead.legal_lines():
            for part in simpleSplit(line, FONT, 7, legal_width):
                canvas.drawString(MARGIN_LEFT, y, part)
                y -= 8.5

    def _draw_page_number(self, canvas: Canvas) -> None:
        page_in_letter = self.page - self.letter_first_page + 1
        label = f"Page {page_in_letter} of "
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        x = PAGE_WIDTH - MARGIN_RIGHT - 22 * mm
        y = FOOTER_HEIGHT - 9 * mm
        canvas.drawString(x, y, label)
        canvas.saveState()
        canvas.translate(x + pdfmetrics.stringWidth(label, FONT, 8), y)
        canvas.doForm(_total_form(self.letter_number))
        canvas.restoreState()


def _total_form(letter_number: int) -> str:
    return f"pages-of-letter-{letter_number}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


SIGNATURE_HEIGHT = 16 * mm  # the room left to sign by hand when there is no image
SIGNATURE_WIDTH = 60 * mm


def _signature(data: bytes | None) -> list[Flowable]:
    """The signature image, scaled into the signing space; or the space, to sign by hand."""
    if not data:
        return [Spacer(1, SIGNATURE_HEIGHT)]
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
    except Exception:
        raise LetterError(
            "The signature image chosen for this letter is not a picture that can be "
            "printed; choose another (PNG or JPEG) for the signatory."
        ) from None
    scale = min(SIGNATURE_WIDTH / width, (SIGNATURE_HEIGHT - 2 * mm) / height)
    image = Image(io.BytesIO(data), width * scale, height * scale)
    image.hAlign = "LEFT"
    return [Spacer(1, 1 * mm), image, Spacer(1, 1 * mm)]


def _logo_reader(data: bytes | None) -> ImageReader | None:
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


def render_letters(
    target: str | Path | BinaryIO,
    letterhead: Letterhead,
    letters: Iterable[Letter],
    *,
    title: str = "",
    author: str = "",
    on_letter: Callable[[int], None] | None = None,
) -> RenderResult:
    """Lay out ``letters`` (any iterable, consumed lazily) into one PDF at ``target``.

    ``on_letter(n)`` is called as letter ``n`` (from 1) starts; it may raise to stop (for
    Cancel). Raises :class:`LetterError` for a letter that cannot be laid out, and
    ``ValueError`` when there are no letters at all.
    """
    iterator = iter(letters)
    first = next(iterator, None)
    if first is None:
        raise LetterError("There are no letters to print: the list of recipients is empty.")
    for_check = _checked(_chain(first, iterator))
    doc = LetterDocument(
        str(target) if isinstance(target, Path) else target,
        letterhead,
        title=title,
        author=author,
        on_letter=on_letter,
    )
    story = _LazyStory(for_check, _styles())
    doc.build(story, canvasmaker=_canvas_maker(doc))
    return RenderResult(
        letters=doc.letter_number,
        pages=sum(doc.pages_per_letter),
        pages_per_letter=tuple(doc.pages_per_letter),
    )


def render_letter_bytes(letterhead: Letterhead, letter: Letter, **kwargs: Any) -> bytes:
    """One letter as the bytes of its own PDF (for emailing and the correspondence history)."""
    buffer = io.BytesIO()
    render_letters(buffer, letterhead, [letter], **kwargs)
    return buffer.getvalue()


def _chain(first: Letter, rest: Iterator[Letter]) -> Iterator[Letter]:
    yield first
    yield from rest


def _checked(letters: Iterator[Letter]) -> Iterator[Letter]:
    # The address is checked before the letter is laid out, so a bad one stops the run
    # with its name rather than printing outside the window.
    for letter in letters:
        address_block_lines(letter.recipient)
        yield letter


class _AlreadyDeflated:
    """A stream filter for content compressed when its page was finished (see below)."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data


_ALREADY_DEFLATED = _AlreadyDeflated()


def _canvas_maker(doc: LetterDocument) -> Callable[..., Canvas]:
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


__all__ = [
    "ADDRESS_BOX",
    "ENVELOPE_WINDOW",
    "Box",
    "Letter",
    "LetterError",
    "Letterhead",
    "RenderResult",
    "address_block_lines",
    "register_fonts",
    "render_letter_bytes",
    "render_letters",
    "text_to_flowables",
]
