"""The register of members as a PDF on the letterhead and as a workbook: what it lists, how."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.memberships.members_register import (
    MembersRegister,
    RegisterEntry,
    register_pdf,
    register_workbook,
)
from thep_desktop.reports.shared.spreadsheet import ExportError

HEAD = Letterhead(
    name="Tower Hamlets Education Partnership",
    address_lines=("229 Bethnal Green Road", "London E2 6AB"),
    phone="020 7364 0000",
    email="info@the-partnership.org.uk",
    company_number="08123456",
    registered_office="229 Bethnal Green Road\nLondon E2 6AB",
)
AS_AT = date(2026, 11, 30)
HEADER = "Name Address Category Date admitted Date ceased"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils is not installed",
)


def entry(name: str, admitted: date, ceased: date | None = None, **kw: object) -> RegisterEntry:
    values: dict[str, object] = dict(
        name=name,
        address=("Ben Jonson Road", "Stepney", "London", "E1 4SD"),
        category="Full member",
        admitted_on=admitted,
        ceased_on=ceased,
    )
    values.update(kw)
    return RegisterEntry(**values)  # type: ignore[arg-type]


# Out of order on purpose: the register puts them in order of admission, then name.
ENTRIES = (
    entry("Stepney All Saints School", date(2017, 4, 1)),
    entry(
        "St Mary & St John's <Primary> “Ça va” Zoë",
        date(2016, 9, 1),
        address=("Ben Jonson Road", "London", "e1 4sd"),
    ),
    entry(
        "Bow Community Association",
        date(2019, 1, 15),
        category="Associate member",
        address=(
            "The Old Vicarage",
            "2 St Dunstan's Courtyard",
            "Stepney High Street",
            "Limehouse",
            "London",
            "E14 7HA",
        ),
    ),
    # Left, then re-joined: two entries, one per membership period.
    entry("Harry Gosling Primary School", date(2016, 9, 1), date(2020, 8, 31)),
    entry("Harry Gosling Primary School", date(2023, 9, 1)),
    entry(
        "Ms Jo O'Brien",
        date(2024, 2, 29),
        category="Associate member",
        address=("Flat 3", "12 Rue de Rivoli", "Paris"),
    ),
)
REGISTER = MembersRegister(as_at=AS_AT, entries=ENTRIES)


def pdf_text(path: Path) -> list[str]:
    """Each page's text (pdftotext), runs of white space as one space."""
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [" ".join(page.split()) for page in done.stdout.split("\f") if page.strip()]


def many(count: int) -> MembersRegister:
    return MembersRegister(
        as_at=AS_AT,
        entries=tuple(
            entry(
                f"Member school number {n:03d}",
                date(2016, 9, 1 + n % 28),
                date(2021, 3, 31) if n % 10 == 0 else None,
                address=(f"{n} Commercial Road", "Whitechapel", "London", "E1 1LN"),
            )
            for n in range(count)
        ),
    )


def test_entries_are_in_order_of_admission_then_name() -> None:
    assert [(e.admitted_on, e.name) for e in REGISTER.entries] == [
        (date(2016, 9, 1), "Harry Gosling Primary School"),
        (date(2016, 9, 1), "St Mary & St John's <Primary> “Ça va” Zoë"),
        (date(2017, 4, 1), "Stepney All Saints School"),
        (date(2019, 1, 15), "Bow Community Association"),
        (date(2023, 9, 1), "Harry Gosling Primary School"),
        (date(2024, 2, 29), "Ms Jo O'Brien"),
    ]
    assert (REGISTER.members, REGISTER.former) == (5, 1)


@needs_poppler
def test_the_pdf_lists_every_entry_with_its_dates_and_the_as_at_date(tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    register_pdf(REGISTER, HEAD, target)
    (text,) = pdf_text(target)
    assert "Register of members" in text
    assert "Tower Hamlets Education Partnership, company number 08123456" in text
    assert "As at 30/11/2026" in text
    assert "6 entries: 5 members on 30/11/2026 and 1 former member" in text
    assert HEADER in text
    # Markup characters and accents print as typed; dates as dd/mm/yyyy.
    assert "St Mary & St John's <Primary> “Ça va” Zoë Ben Jonson Road, London, e1 4sd" in text
    assert "Full member 01/09/2016" in text
    # The re-joiner twice: the period that ended, with its date ceased, and the current one.
    assert (
        "Harry Gosling Primary School Ben Jonson Road, Stepney, London, E1 4SD Full member "
        "01/09/2016 31/08/2020" in text
    )
    assert text.count("Harry Gosling Primary School") == 2
    assert "Full member 01/09/2023" in text
    assert "Associate member 15/01/2019" in text
    assert "Flat 3, 12 Rue de Rivoli, Paris Associate member 29/02/2024" in text
    # In order of admission down the page.
    names = [e.name for e in REGISTER.entries]
    places = [text.find(name) for name in names[1:4]]
    assert places == sorted(places) and -1 not in places
    assert "Page 1 of 1" in text
    # The legal footer from the letterhead, as on letters.
    assert "company number 08123456" in text.split("Page 1 of 1")[0][-400:]


@needs_poppler
def test_a_long_address_wraps_within_its_column(tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    register_pdf(REGISTER, HEAD, target)
    done = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True
    )
    lines = done.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if "Bow Community Association" in line)
    # Two lines of address, both in the address column, the category beside the first.
    assert "The Old Vicarage, 2 St Dunstan's Courtyard" in lines[start]
    assert "Associate member" in lines[start]
    column = lines[start].index("The Old Vicarage")
    follow = next(line for line in lines[start + 1 :] if line.strip())
    assert follow.strip().endswith("E14 7HA")
    assert follow.index(follow.strip()) == column


@needs_poppler
def test_three_hundred_entries_paginate_with_the_header_on_every_page(tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    register_pdf(many(300), HEAD, target)
    pages = pdf_text(target)
    total = len(pages)
    assert total >= 5
    for number, page in enumerate(pages, start=1):
        assert HEADER in page, number
        assert f"Page {number} of {total}" in page
        if number > 1:  # the continuation header says what the page belongs to
            assert "Register of members as at 30/11/2026" in page
    everything = " ".join(pages)
    for n in range(300):
        assert everything.count(f"Member school number {n:03d} ") == 1, n
    # A former member keeps its entry, with the date it ceased.
    assert "Member school number 010 10 Commercial Road, Whitechapel, London, E1 1LN " in everything
    assert re.search(r"Member school number 010 .{0,80}? 11/09/2016 31/03/2021", everything)


@needs_poppler
def test_fonts_are_embedded_and_qpdf_finds_no_fault(tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    register_pdf(many(40), HEAD, target)
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    for row in rows:
        assert "Carlito" in row[0], fonts  # no Helvetica from the table
        assert row[-5] == "yes", fonts  # emb
    if shutil.which("qpdf") is not None:
        done = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@needs_poppler
def test_an_empty_register_says_no_one_had_been_admitted(tmp_path: Path) -> None:
    target = tmp_path / "register.pdf"
    register_pdf(MembersRegister(as_at=date(2016, 8, 31)), HEAD, target)
    (text,) = pdf_text(target)
    assert "As at 31/08/2016" in text
    assert HEADER in text
    assert text.count("No one had been admitted as a member by 31/08/2016.") == 1


def test_a_folder_that_is_not_there_is_said_in_words_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "missing" / "register.pdf"
    with pytest.raises(ExportError, match="does not exist"):
        register_pdf(REGISTER, HEAD, target)
    with pytest.raises(ExportError, match="does not exist"):
        register_workbook(REGISTER, target.with_suffix(".xlsx"))
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs a read-only folder")
def test_a_read_only_folder_keeps_the_earlier_register(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "register.pdf"
    target.write_bytes(b"the register printed last month")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot be written to"):
            register_pdf(REGISTER, HEAD, target)
    finally:
        folder.chmod(0o700)
    assert target.read_bytes() == b"the register printed last month"
    assert [p.name for p in folder.iterdir()] == ["register.pdf"]


def test_a_register_open_in_another_program_is_said_in_words_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "register.pdf"
    target.write_bytes(b"the register printed last month")

    def refuse(source: object, destination: object) -> None:
        raise PermissionError(13, "The process cannot access the file")  # as Windows says

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="open in another program"):
        register_pdf(REGISTER, HEAD, target)
    assert target.read_bytes() == b"the register printed last month"
    assert [p.name for p in tmp_path.iterdir()] == ["register.pdf"]


def test_the_workbook_has_real_dates_and_the_right_values(tmp_path: Path) -> None:
    target = tmp_path / "register.xlsx"
    register_workbook(REGISTER, target, letterhead=HEAD, source="the office database")
    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "Register of members"
    assert str(sheet["A1"].value).startswith("Register of members — exported ")
    assert sheet["A2"].value == (
        "Tower Hamlets Education Partnership, company number 08123456, as at 30/11/2026. "
        "6 entries: 5 members on 30/11/2026 and 1 former member, with the date each ceased."
    )
    assert [c.value for c in sheet[3]] == [
        "Name",
        "Address",
        "Postcode",
        "Category",
        "Date admitted",
        "Date ceased",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:F9"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows == [
        [
            "Harry Gosling Primary School",
            "Ben Jonson Road, Stepney, London",
            "E1 4SD",
            "Full member",
            datetime(2016, 9, 1),
            datetime(2020, 8, 31),
        ],
        [
            "St Mary & St John's <Primary> “Ça va” Zoë",
            "Ben Jonson Road, London",
            "E1 4SD",
            "Full member",
            datetime(2016, 9, 1),
            None,
        ],
        [
            "Stepney All Saints School",
            "Ben Jonson Road, Stepney, London",
            "E1 4SD",
            "Full member",
            datetime(2017, 4, 1),
            None,
        ],
        [
            "Bow Community Association",
            "The Old Vicarage, 2 St Dunstan's Courtyard, Stepney High Street, Limehouse, London",
            "E14 7HA",
            "Associate member",
            datetime(2019, 1, 15),
            None,
        ],
        [
            "Harry Gosling Primary School",
            "Ben Jonson Road, Stepney, London",
            "E1 4SD",
            "Full member",
            datetime(2023, 9, 1),
            None,
        ],
        # Not a UK postcode at the end: the whole address stays in the address column.
        [
            "Ms Jo O'Brien",
            "Flat 3, 12 Rue de Rivoli, Paris",
            None,
            "Associate member",
            datetime(2024, 2, 29),
            None,
        ],
    ]
    for row in sheet.iter_rows(min_row=4, min_col=5, max_col=5):
        assert row[0].is_date and row[0].number_format == "dd/mm/yyyy"
    assert sheet["F4"].is_date and sheet["F4"].number_format == "dd/mm/yyyy"
    widths = sheet.column_dimensions
    assert widths["B"].width > widths["A"].width > widths["E"].width >= 13


def test_a_workbook_needs_an_xlsx_name_and_nothing_is_written_otherwise(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        register_workbook(REGISTER, tmp_path / "register.csv")
    assert list(tmp_path.iterdir()) == []
