"""Where the letters' PDF files go: names safe on Windows, written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from thep_desktop.domain.files import safe_file_stem
from thep_desktop.services.shared.errors import ServiceError


def temporary_beside(final: Path) -> Path:
    folder = final.parent
    if not folder.is_dir():
        raise ServiceError(f"The folder {folder} does not exist.")
    handle, name = tempfile.mkstemp(prefix=f".{final.stem}-", suffix=".partial", dir=folder)
    os.close(handle)
    return Path(name)


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
