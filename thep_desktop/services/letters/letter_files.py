"""Where the letters' PDF files go: names safe on Windows, written whole or not at all."""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

from thep_desktop.domain.files import safe_file_stem
from thep_desktop.services.shared.errors import ServiceError


def temporary_beside(final: Path) -> Path:
    """A new empty file beside ``final``, to write the PDF into before it takes its name.

    Made as an ordinary file is (mode 0666 less the user's umask, so usually 0644), not
    with ``tempfile.mkstemp``'s owner-only 0600: the renamed file keeps these permissions,
    and a letter others in the office should open must not be readable by its writer only.
    """
    folder = final.parent
    if not folder.is_dir():
        raise ServiceError(f"The folder {folder} does not exist.")
    for _attempt in range(100):
        path = folder / f".{final.stem}-{secrets.token_hex(4)}.partial"
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(handle)
        return path
    raise ServiceError(f"Could not make a working file in {folder}.")


def file_names(school_names: list[str], when: date, template_name: str, folder: Path) -> list[str]:
    """``Bow School - Welcome to membership - 2026-11-25.pdf``, unique, safe on Windows.

    A name already used in ``folder`` (the same letter made earlier that day) gets a number,
    ``… (2).pdf``: a letter already sent is never replaced.
    """
    names: list[str] = []
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    for school in school_names:
        base = safe_file_stem(f"{school} - {template_name} - {when.isoformat()}", "letter")[:150]
        name, count = f"{base}.pdf", 1
        while name.casefold() in taken:
            count += 1
            name = f"{base} ({count}).pdf"
        taken.add(name.casefold())
        names.append(name)
    return names
