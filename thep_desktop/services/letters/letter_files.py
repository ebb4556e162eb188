"""Where the letters' PDF files go: names safe on Windows and short enough for any disk, and
one PDF of letters put in its place together with its records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from thep_desktop.domain.files import (
    cut_to_size,
    folder_message,
    name_room,
    name_size,
    safe_file_stem,
)
from thep_desktop.reports.shared.spreadsheet import ExportError, replacing
from thep_desktop.services.shared.errors import ServiceError

# Room kept for " (9999).pdf", so a name made unique by a number still fits.
_NUMBER_ROOM = name_size(" (9999).pdf")


def file_names(school_names: list[str], when: date, template_name: str, folder: Path) -> list[str]:
    """``Bow School - Welcome to membership - 2026-11-25.pdf``, unique, safe on Windows.

    A name longer than the disk takes (255 bytes of UTF-8, or 255 UTF-16 units on Windows,
    less what a long folder path leaves there) loses the end of the school's name first, so
    the template and date stay readable. A name already used in ``folder`` (the same letter
    made earlier that day), or by another school whose long name starts the same way, gets
    a number, ``… (2).pdf``: a letter already sent is never replaced.
    """
    names: list[str] = []
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    room = name_room(folder.absolute()) - _NUMBER_ROOM
    rest = " - " + safe_file_stem(f"{template_name} - {when.isoformat()}", "letter")
    if name_size(rest) > room // 2:  # a template named at great length gives way too
        rest = " - " + cut_to_size(rest[3:], room // 2)
    for school in school_names:
        stem = cut_to_size(safe_file_stem(school, "School"), room - name_size(rest))
        base = safe_file_stem(f"{stem}{rest}", "letter")
        name, count = f"{base}.pdf", 1
        while name.casefold() in taken:
            count += 1
            name = f"{base} ({count}).pdf"
        taken.add(name.casefold())
        names.append(name)
    return names


def pdf_path_problem(final: Path) -> str:
    """Why one PDF of letters cannot be saved at ``final``, in words; "" when it can."""
    if final.suffix.lower() != ".pdf":
        return "Save the letters as a PDF (a name ending .pdf)."
    if not final.parent.is_dir():
        return folder_message(final.parent)
    return ""


def place_recorded(
    final: Path,
    pdf: bytes,
    record: Callable[[], int],
    take_back: Callable[[int], None],
    what: str = "letters",
) -> int:
    """``pdf`` saved at ``final`` together with the records ``record()`` makes (it returns the
    document's id): all or nothing.

    The file is written whole beside its place, the records made, then the file put in its
    place; a file that cannot take its place takes its records back out (``take_back``) and
    the reason is said in words, ending "No {what} were recorded." (Killed between the two,
    the records stay with the PDF in the database, to print from there.)
    """
    document_id: int | None = None
    try:
        with replacing(final) as temporary:
            temporary.write_bytes(pdf)
            document_id = record()
    except ExportError as exc:
        if document_id is not None:
            take_back(document_id)
        raise ServiceError(f"{exc} No {what} were recorded.") from None
    assert document_id is not None
    return document_id
