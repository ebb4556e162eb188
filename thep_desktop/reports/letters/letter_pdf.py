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
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFBase85Encode, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from thep_desktop.domain.dates import format_long_date

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
FOOTER_HEIGHT = 24 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

FONT = "Carlito"
FONT_BOLD = "Carlito-Bold"
FONT_ITALIC = "Carlito-Italic"
FONT_BOLD_ITALIC = "Carlito-BoldItalic"

INK = HexColor("#1a1a1a")
GREY = HexColor("#555555")
ACCENT = HexColor("#1f4e79")


@dataclass(frozen=True)
class Box:
    """A rectangle measured from the top-left corner of the page, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


# The window of a UK DL (110 × 220 mm) left-window envelope is 90 × 45 mm, 20 mm from the
# left and 15 mm from the bottom. An A4 letter folded in three slides in with its top edge at
# the top of the envelope, so the window shows 20–110 mm across and 50–95 mm down the page;
# a C5 envelope with the same window takes the letter folded once. The address is printed
# inside it with a margin for the letter moving in the envelope.
ENVELOPE_WINDOW = Box(20 * mm, 50 * mm, 90 * mm, 45 * mm)
ADDRESS_BOX = Box(
    ENVELOPE_WINDOW.left + 4 * mm,
    ENVELOPE_WINDOW.top + 4 * mm,
    ENVELOPE_WINDOW.width - 8 * mm,
    ENVELOPE_WINDOW.height - 8 * mm,
)
BODY_TOP_FIRST = 104 * mm  # below the window and the reference block
BODY_TOP_LATER = 28 * mm

ADDRESS_SIZE = 10.5
ADDRESS_LEADING = 12.6


class LetterError(ValueError):
    """A letter cannot be laid out as asked; the message says which and why."""


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    company_number: str = ""
    charity_number: str = ""
    vat_number: str = ""
    registered_office: str = ""
    logo: bytes | None = None

    def legal_lines(self) -> list[str]:
        """The footer: who the organisation is in law."""
        first: list[str] = []
        if self.company_number:
            first.append(
                f"{self.name} is a company limited by guarantee registered in England and "
                f"Wales, company number {self.company_number}"
            )
        if self.charity_number:
            first.append(f"registered charity number {self.charity_number}")
        lines = ["; ".join(first) + "." if first else ""]
        second: list[str] = []
        if self.registered_office:
            office = ", ".join(p.strip() for p in self.registered_office.splitlines() if p.strip())
            second.append(f"Registered office: {office}")
        if self.vat_number:
            second.append(f"VAT registration number {self.vat_number}")
        if second:
            lines.append(". ".join(second) + ".")
        return [line for line in lines if line]


@dataclass(frozen=True)
class Letter:
    """One letter to one recipient, every value already merged, as plain text."""

    recipient: tuple[str, ...]  # the address block: name, role, school, street..., postcode
    date: date
    salutation: str  # "Dear Ms Begum,"
    body: str  # paragraphs separated by a blank line; lines starting "- " or "• " are bullets
    subject: str = ""
    our_ref: str = ""
    your_ref: str = ""
    sign_off: str = "Yours sincerely"
    signatory: str = ""
    signatory_role: str = ""
    recipient_label: str = ""  # short name for the continuation header; default first line
    cc: tuple[str, ...] = field(default_factory=tuple)

    @property
    def short_recipient(self) -> str:
        if self.recipient_label:
            return self.recipient_label
        return self.recipient[0] if self.recipient else ""


@dataclass(frozen=True)
class RenderResult:
    letters: int
    pages: int
    pages_per_letter: tuple[int, ...]


# -- fonts -----------------------------------------------------------------------------------
_fonts_ready = False


def register_fonts() -> None:
    """Register the embedded letter fonts with reportlab (once per process)."""
    global _fonts_ready
    if _fonts_ready:
        return
    folder = resources.files("thep_desktop") / "resources" / "fonts"
    for name, file in (
        (FONT, "Carlito-Regular.ttf"),
        (FONT_BOLD, "Carlito-Bold.ttf"),
        (FONT_ITALIC, "Carlito-Italic.ttf"),
        (FONT_BOLD_ITALIC, "Carlito-BoldItalic.ttf"),
    ):
        with resources.as_file(folder / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    _fonts_ready = True


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=11,
        leading=14.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=7,
    )
    return {
        "body": body,
        "subject": ParagraphStyle(
            "subject", parent=body, fontName=FONT_BOLD, spaceBefore=0, spaceAfter=9
        ),
        "salutation": ParagraphStyle("salutation", parent=body, spaceAfter=9),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=3),
        "signature": ParagraphStyle("signature", parent=body, spaceAfter=0),
        "role": ParagraphStyle("role", parent=body, textColor=GREY, spaceAfter=0),
    }


# -- the body as flowables ---------------------------------------------------------------------
def text_to_flowables(text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Plain text to paragraphs and bullet lists; every character prints as typed."""
    flowables: list[Flowable] = []
    for block in _blocks(text):
        lines = block.splitlines()
        if all(_is_bullet(line) for line in lines):
            items = [
                ListItem(Paragraph(_para_text(_bullet_text(line)), styles["bullet"]))
                for line in lines
            ]
            flowables.append(
                ListFlowable(
                    items,
                    bulletType="bullet",
                    start="•",
                    leftIndent=14,
                    bulletFontName=FONT,
                    bulletFontSize=11,
                    spaceAfter=7,
                )
            )
        else:
            flowables.append(Paragraph(_para_text(block, keep_lines=True), styles["body"]))
    return flowables


def _blocks(text: str) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _is_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("- ", "• ", "* "))


def _bullet_text(line: str) -> str:
    return line.lstrip()[2:].strip()


def _para_text(text: str, *, keep_lines: bool = False) -> str:
    """Escape for reportlab's paragraph markup; single line breaks stay line breaks."""
    escaped = escape(text, {'"': "&quot;"})
    if keep_lines:
        escaped = escaped.replace("\n", "<br/>")
    return escaped


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
    closing.append(Spacer(1, 16 * mm))  # room to sign
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
            invariant=True,
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


def address_block_lines(recipient: tuple[str, ...]) -> list[str]:
    """The recipient's lines as printed in the envelope window, wrapped to its width.

    Raises :class:`LetterError` when the address is missing or would not fit the window.
    """
    register_fonts()
    given = [line.strip() for line in recipient if line and line.strip()]
    if not given:
        raise LetterError("The letter has no recipient address.")
    lines: list[str] = []
    for line in given:
        lines.extend(simpleSplit(line, FONT, ADDRESS_SIZE, ADDRESS_BOX.width))
    fits = int((ADDRESS_BOX.height - ADDRESS_SIZE) // ADDRESS_LEADING) + 1
    if len(lines) > fits:
        raise LetterError(
            f"The address for {given[0]} has {len(lines)} lines; at most {fits} fit the "
            "envelope window. Shorten it (for example, leave out the county)."
        )
    return lines


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
