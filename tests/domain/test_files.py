"""File names for letters and exports that Windows accepts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pathvalidate import is_valid_filename

from thep_desktop.domain.files import safe_file_stem


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("CON", "CON_"),  # the console
        ("aux", "aux_"),
        ("NUL", "NUL_"),
        ("COM1", "COM1_"),
        ("LPT9.", "LPT9_"),
        ("CON ?", "CON_"),  # a device name left once the refused characters are gone
        ("CON - Welcome letter", "CON - Welcome letter"),  # only the bare name is kept for devices
        ('Fees: "2026/27"?', "Fees 2026 27"),
        ("  St Mary & St John  ", "St Mary & St John"),
        ("Report.", "Report"),  # Windows drops a dot at the end
        ("...", "Document"),
        ("", "Document"),
    ],
)
def test_names_windows_refuses_become_names_it_accepts(text: str, stem: str) -> None:
    assert safe_file_stem(text) == stem
    assert is_valid_filename(f"{stem}.pdf", platform="windows")


def test_fallback_when_nothing_is_left() -> None:
    assert safe_file_stem("///", "Export") == "Export"


@given(st.text(max_size=80))
def test_every_stem_is_a_windows_file_name(text: str) -> None:
    stem = safe_file_stem(text)
    assert stem and stem == stem.strip(" .")
    assert is_valid_filename(stem, platform="windows")
    assert is_valid_filename(f"{stem}.pdf", platform="windows")
