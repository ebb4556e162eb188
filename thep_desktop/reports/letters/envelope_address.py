"""The recipient's address, placed to show through the window of a DL envelope."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics

from thep_desktop.reports.letters.letter_data import LetterError
from thep_desktop.reports.letters.letter_text import FONT, register_fonts


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
# left and 15 mm from the bottom. An A4 letter folded in three (99 mm panels) is 11 mm
# shorter than the envelope: sitting at the top, the window shows 50–95 mm down the page;
# slipped to the bottom, 39–84 mm. Only 50–84 mm shows in both, so that band is where the
# address goes (a C5 envelope with the same window takes the letter folded once).
ENVELOPE_WINDOW = Box(20 * mm, 50 * mm, 90 * mm, 34 * mm)
# Inside it, a margin for the letter moving sideways and for the ink of tall letters.
ADDRESS_BOX = Box(
    ENVELOPE_WINDOW.left + 4 * mm,
    ENVELOPE_WINDOW.top + 1.5 * mm,
    ENVELOPE_WINDOW.width - 8 * mm,
    ENVELOPE_WINDOW.height - 3 * mm,
)

ADDRESS_SIZE = 10
ADDRESS_LEADING = 12.2
MAX_ADDRESS_LINES = 7  # Royal Mail's limit, and what the window holds at this size


def address_block_lines(recipient: tuple[str, ...]) -> list[str]:
    """The recipient's lines as printed in the envelope window, wrapped to its width.

    An address of more than seven lines is folded the way an office would type it: the
    postcode beside the town, then the two shortest neighbouring lines joined with a comma,
    never the addressee's name. Raises :class:`LetterError` when the address is missing or
    cannot be folded to fit.
    """
    register_fonts()
    given = [line.strip() for line in recipient if line and line.strip()]
    if not given:
        raise LetterError("The letter has no recipient address.")
    lines = _wrapped(given)
    if len(lines) > MAX_ADDRESS_LINES and len(given) >= 3:
        joined = f"{given[-2]} {given[-1]}"
        if _fits(joined):
            given = [*given[:-2], joined]
            lines = _wrapped(given)
    while len(lines) > MAX_ADDRESS_LINES:
        pairs = [
            (len(given[i]) + len(given[i + 1]), i)
            for i in range(1, len(given) - 1)
            if _fits(f"{given[i]}, {given[i + 1]}")
        ]
        if not pairs:
            raise LetterError(
                f"The address for {given[0]} takes {len(lines)} lines; at most "
                f"{MAX_ADDRESS_LINES} show through the envelope window. Shorten it (for "
                "example, leave out the county)."
            )
        _length, i = min(pairs)
        given = [*given[:i], f"{given[i]}, {given[i + 1]}", *given[i + 2 :]]
        lines = _wrapped(given)
    return lines


def _wrapped(given: list[str]) -> list[str]:
    lines: list[str] = []
    for line in given:
        lines.extend(simpleSplit(line, FONT, ADDRESS_SIZE, ADDRESS_BOX.width))
    return lines


def _fits(line: str) -> bool:
    return pdfmetrics.stringWidth(line, FONT, ADDRESS_SIZE) <= ADDRESS_BOX.width
