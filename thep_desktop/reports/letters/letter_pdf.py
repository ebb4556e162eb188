"""Formal A4 letters on the letterhead, one or a thousand to a PDF.

Plain data in (:class:`Letterhead`, :class:`Letter`), PDF out; nothing here knows the
database or Qt. Each letter is a section of a :class:`LetterheadDocument` (letterhead on its
first page, continuation header on later ones, legal footer and "Page x of y" counted per
letter). What is the letter's own:

- on the first page, the recipient's address inside the window of a UK DL left-window
  envelope (see :data:`ENVELOPE_WINDOW`), and "Our ref", "Your ref" and the date beside it;
  then subject, salutation, body and sign-off;
- on later pages, the recipient, the date and our reference in the continuation header.

Letters are laid out one at a time from an iterator, so a mail merge of a thousand
recipients never holds a thousand letters in memory. The fonts (Carlito, metric-compatible
with Calibri) are embedded, so what prints on the office PC is what the preview showed, with
£ and accented letters.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
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
    FONT,
    FONT_BOLD,
    GREY,
    INK,
    _para_text,
    _styles,
    register_fonts,
    text_to_flowables,
)
from thep_desktop.reports.letters.letterhead_document import (
    MARGIN_RIGHT,
    LazyStory,
    LetterheadDocument,
    SectionStart,
    fit,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_TOP_FIRST = 104 * mm  # below the window and the reference block


def letter_story(letter: Letter, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [SectionStart(letter)]
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


# -- the document ------------------------------------------------------------------------------
class LetterDocument(LetterheadDocument):
    """Letters on the letterhead, each a section: its own first page and "Page x of y"."""

    def __init__(
        self,
        target: str | BinaryIO,
        letterhead: Letterhead,
        *,
        title: str = "",
        author: str = "",
        on_letter: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(target, letterhead, first_top=BODY_TOP_FIRST, title=title, author=author)
        self._on_letter = on_letter
        self.letter: Letter | None = None

    # called as each letter starts, on its first page
    def section_started(self, payload: object) -> None:
        assert isinstance(payload, Letter)
        self.letter = payload
        if self._on_letter is not None:
            self._on_letter(self.section_number)

    def decorate_first_page(self, canvas: Canvas) -> None:
        if self.letter is not None:
            self._draw_address(canvas, self.letter)
            self._draw_references(canvas, self.letter)

    def continuation_detail(self) -> str:
        letter = self.letter
        if letter is None:
            return ""
        parts = [letter.short_recipient, format_long_date(letter.date)]
        if letter.our_ref:
            parts.append(f"Our ref: {letter.our_ref}")
        return "  ·  ".join(p for p in parts if p)

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
                x_value, y, fit(value, FONT, 9.5, PAGE_WIDTH - MARGIN_RIGHT - x_value)
            )
            y -= 13


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
    styles = _styles()
    doc.build_story(LazyStory(for_check, lambda letter: letter_story(letter, styles)))
    return RenderResult(
        letters=doc.section_number,
        pages=sum(doc.pages_per_section),
        pages_per_letter=tuple(doc.pages_per_section),
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
