"""The Windows version information of the two programs, filled in from thep_desktop.__version__.

packaging/thep.spec writes it for PyInstaller on Windows; the installer script reads the
version back from thep-desktop.exe, so the version is written in one place only.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "resources" / "windows" / "version-info.txt"


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` as Windows wants it: four numbers (a suffix such as ``rc1`` is left out)."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
        if digits.end() < len(part):  # 2.0rc1: the numbers end with the 0
            break
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text(version: str, file: str, description: str) -> str:
    text = TEMPLATE.read_text("utf-8")
    for key, value in (
        ("{version_tuple}", repr(version_numbers(version))),
        ("{version}", version),
        ("{file}", file),
        ("{description}", description),
    ):
        text = text.replace(key, value)
    return text
