"""The recipient's address, placed to show through the window of a DL envelope."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

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

ADDRESS_SIZE = 10.5
ADDRESS_LEADING = 12.6


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
