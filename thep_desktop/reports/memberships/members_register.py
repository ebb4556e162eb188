"""The statutory register of members (Companies Act 2006 s.113) as a PDF and as a workbook.

A company limited by guarantee keeps, for each member, the name, the address, the date the
member was admitted (registered as a member) and the date the member ceased. Former
members stay on the register with the date they ceased, and a member who left and
re-joined has one entry per membership period. Plain data in (:class:`MembersRegister`),
files out; nothing here knows the database or Qt.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.validation import normalise_postcode
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import (
    ACCENT,
    FONT,
    FONT_BOLD,
    GREY,
    INK,
    _para_text,
)
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

TITLE = "Register of members"
STATUTE = "Kept under section 113 of the Companies Act 2006."

# Landscape: a member's address (a school's street, locality, town and postcode) then fits
# on one or two lines beside the name, where portrait wraps it to four.
PAGE_SIZE = landscape(A4)
FIRST_TOP = LETTERHEAD_RULE + 8 * mm  # the title starts a little below the letterhead's rule

# Name, address, category, date admitted, date ceased: 257 mm, the landscape text width.
COLUMN_WIDTHS = (72 * mm, 109 * mm, 30 * mm, 23 * mm, 23 * mm)
HEADERS = ("Name", "Address", "Category", "Date admitted", "Date ceased")

HEADER_FILL = HexColor("#e8eef4")
RULE = HexColor("#c8c8c8")
BAND = HexColor("#f6f8fa")


@dataclass(frozen=True)
class RegisterEntry:
    """One membership period of one member."""

    name: str  # the member's name (a school's name, an organisation, a person)
    address: tuple[str, ...]  # address lines, postcode last
    category: str  # "Full member" / "Associate member"
    admitted_on: date
    ceased_on: date | None  # None while a member on the as-at date


@dataclass(frozen=True)
class MembersRegister:
    """The register as at a date: every membership period begun by then, in order of admission.

    The entries are put in order of admission, then name, however they are given.
    """

    as_at: date
    entries: tuple[RegisterEntry, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda e: (e.admitted_on, e.name.casefold())))
        object.__setattr__(self, "entries", ordered)

    @property
    def members(self) -> int:
        """How many entries are members on the as-at date (not ceased)."""
        return sum(1 for entry in self.entries if entry.ceased_on is None)

    @property
    def former(self) -> int:
        return len(self.entries) - self.members

    def summary(self) -> str:
        """``312 entries: 290 members on 30/11/2026 and 22 who have ceased to be members.``"""
        on = format_date(self.as_at)
        if not self.entries:
            return f"No one had been admitted as a member by {on}."
        entries = _count(len(self.entries), "entry", "entries")
        members = _count(self.members, "member", "members")
        if not self.former:
            return f"{entries}: {members} on {on}."
        former = _count(self.former, "former member", "former members")
        return f"{entries}: {members} on {on} and {former}, with the date each ceased."


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def company_line(letterhead: Letterhead) -> str:
    """``Tower Hamlets Education Partnership, company number 08123456``."""
    if letterhead.company_number:
        return f"{letterhead.name}, company number {letterhead.company_number}"
    return letterhead.name


# -- the PDF ----------------------------------------------------------------------------------
class _RegisterDocument(LetterheadDocument):
    """The register on the letterhead: one section, page numbers counted over the whole."""

    def __init__(self, target: io.BytesIO, letterhead: Letterhead, as_at: date) -> None:
        super().__init__(
            target,
            letterhead,
            first_top=FIRST_TOP,
            pagesize=PAGE_SIZE,
            title=f"{TITLE} as at {format_date(as_at)}",
        )
        self.as_at = as_at

    def continuation_detail(self) -> str:
        return f"{TITLE} as at {format_date(self.as_at)}"


def _styles() -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=12, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
        ),
        "company": ParagraphStyle(
            "company", fontName=FONT_BOLD, fontSize=11, leading=14.5, textColor=INK
        ),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9.5, leading=12.5, textColor=GREY),
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName=FONT_BOLD),
    }


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_para_text(text), style)


def register_story(
    register: MembersRegister, letterhead: Letterhead, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The register's heading, then its table (header row repeated on every page)."""
    as_at = format_date(register.as_at)
    story: list[Flowable] = [
        SectionStart(),
        Paragraph(_para_text(TITLE), styles["title"]),
        Spacer(1, 2 * mm),
        Paragraph(_para_text(company_line(letterhead)), styles["company"]),
        Paragraph(_para_text(f"As at {as_at}"), styles["company"]),
        Spacer(1, 2 * mm),
        # An empty register says so in its table, once.
        Paragraph(
            _para_text(f"{STATUTE} {register.summary()}" if register.entries else STATUTE),
            styles["note"],
        ),
        Spacer(1, 5 * mm),
    ]
    rows: list[list[Flowable | str]] = [[_cell(h, styles["head"]) for h in HEADERS]]
    for entry in register.entries:
        rows.append(
            [
                _cell(entry.name, styles["cell"]),
                _cell(", ".join(line for line in entry.address if line.strip()), styles["cell"]),
                _cell(entry.category, styles["cell"]),
                _cell(format_date(entry.admitted_on), styles["cell"]),
                _cell(format_date(entry.ceased_on), styles["cell"]),
            ]
        )
    commands: list[tuple[object, ...]] = [
        # The cells are paragraphs in our font; without this the table names Helvetica too.
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    if not register.entries:
        rows.append([_cell(register.summary(), styles["cell"]), "", "", "", ""])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    # Every other row lightly banded, so a long row's address is read against its own name.
    commands.extend(("BACKGROUND", (0, row), (-1, row), BAND) for row in range(2, len(rows), 2))
    table = LongTable(rows, colWidths=COLUMN_WIDTHS, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    story.append(table)
    return story


def register_pdf_bytes(register: MembersRegister, letterhead: Letterhead) -> bytes:
    """The register as the bytes of a PDF on the letterhead."""
    buffer = io.BytesIO()
    document = _RegisterDocument(buffer, letterhead, register.as_at)
    document.build_story(register_story(register, letterhead, _styles()))
    return buffer.getvalue()


def register_pdf(register: MembersRegister, letterhead: Letterhead, path: str | Path) -> None:
    """Write the register as a PDF at ``path``; it appears only when complete.

    Raises :class:`ExportError` (in words) when the folder is missing, read-only or full, or
    the file is open in another program; an earlier file at ``path`` is then left as it was.
    """
    data = register_pdf_bytes(register, letterhead)
    with replacing(Path(path)) as temporary:
        temporary.write_bytes(data)


# -- the workbook -----------------------------------------------------------------------------
_WORKBOOK_COLUMNS = (
    ColumnSpec("Name"),
    ColumnSpec("Address"),
    ColumnSpec("Postcode"),
    ColumnSpec("Category"),
    ColumnSpec("Date admitted", "date"),
    ColumnSpec("Date ceased", "date"),
)


def _address_and_postcode(lines: tuple[str, ...]) -> tuple[str, str]:
    """The address on one line and its postcode apart (for sorting and filtering by it)."""
    kept = [line.strip() for line in lines if line.strip()]
    if kept:
        try:
            postcode = normalise_postcode(kept[-1])
        except ValueError:
            postcode = ""  # the last line is not a postcode on its own (an address abroad)
        if postcode:
            return ", ".join(kept[:-1]), postcode
    return ", ".join(kept), ""


def register_table(
    register: MembersRegister, *, letterhead: Letterhead | None = None, source: str = ""
) -> TableData:
    """The register as a table for the spreadsheet writer, one row per entry, dates typed."""
    parts = [company_line(letterhead)] if letterhead is not None else []
    parts.append(f"as at {format_date(register.as_at)}. {register.summary()}")
    rows = []
    for entry in register.entries:
        address, postcode = _address_and_postcode(entry.address)
        rows.append(
            (entry.name, address, postcode, entry.category, entry.admitted_on, entry.ceased_on)
        )
    return TableData(
        title=TITLE,
        subtitle=", ".join(parts),
        columns=list(_WORKBOOK_COLUMNS),
        rows=rows,
        row_count=len(rows),
        source=source,
    )


def register_workbook(
    register: MembersRegister,
    path: str | Path,
    *,
    letterhead: Letterhead | None = None,
    source: str = "",
    progress: Progress | None = None,
) -> None:
    """Write the register as an Excel workbook at ``path``; it appears only when complete.

    ``letterhead`` (optional) names the company in the sheet's second line. Raises
    :class:`ExportError` (in words) when the file cannot be written.
    """
    if Path(path).suffix.casefold() != ".xlsx":
        raise ExportError("Choose a file ending .xlsx for the register as a workbook.")
    write_xlsx(path, register_table(register, letterhead=letterhead, source=source), progress)
