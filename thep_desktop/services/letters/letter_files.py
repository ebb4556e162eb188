"""Where the letters' PDF files go: names safe on Windows and short enough for any disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from thep_desktop.domain.files import cut_to_size, name_room, name_size, safe_file_stem

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
