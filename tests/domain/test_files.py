"""File names for letters and exports that Windows and every disk accept, and the words for a
folder that cannot be written to."""

from __future__ import annotations

import errno
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pathvalidate import is_valid_filename

from thep_desktop.domain.files import (
    WINDOWS_PATH_LIMIT,
    cut_to_size,
    file_message,
    folder_message,
    name_room,
    name_size,
    safe_file_stem,
)


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


# -- names short enough for any disk -----------------------------------------------------------
ARABIC = "مدرسة الأمل الابتدائية للبنات في شرق لندن " * 5  # 2 bytes a letter in UTF-8
CHINESE = "伦敦东区圣玛丽与圣约翰天主教联合小学" * 12  # 3 bytes a character
EMOJI = "🏫👩‍🏫📚🌈" * 50  # 4 bytes each, two UTF-16 units each, with a joiner inside


@pytest.mark.parametrize("text", [ARABIC, CHINESE, EMOJI, "é" * 300, "e\u0301" * 200])
@pytest.mark.parametrize("size", [255, 100, 7])
def test_a_name_is_cut_to_the_bytes_and_units_a_disk_takes_between_characters(
    text: str, size: int
) -> None:
    cut = cut_to_size(text, size)
    assert text.startswith(cut.rstrip(" ."))
    assert len(cut.encode("utf-8")) <= size  # Linux and macOS count bytes
    assert len(cut.encode("utf-16-le")) // 2 <= size  # Windows counts UTF-16 units
    cut.encode("utf-8")  # no half of a surrogate pair
    # Nothing is left dangling: no accent without its letter, no joiner without what it joins.
    assert not cut or not unicodedata.combining(cut[-1]) and cut[-1] != "\u200d"
    # As long as fits: a few characters more would not (what was dropped at the end aside).
    assert name_size(text[: len(cut) + 3]) > size or cut == text


@given(st.text(max_size=300), st.integers(min_value=0, max_value=300))
def test_any_text_is_cut_to_fit(text: str, size: int) -> None:
    cut = cut_to_size(text, size)
    assert name_size(cut) <= size
    assert text.startswith(cut)


def test_on_windows_a_deep_folder_leaves_room_for_the_name_and_the_whole_path_fits() -> None:
    deep = Path("C:/Users/jo.bloggs/OneDrive - THE Partnership/Letters/" + "Sub folder/" * 12)
    room = name_room(deep, windows=True)
    assert room < 255
    assert len(str(deep)) + 1 + room <= WINDOWS_PATH_LIMIT
    assert name_room(Path("C:/Letters"), windows=True) == WINDOWS_PATH_LIMIT - 11
    assert name_room(deep, windows=False) == 255
    # A folder that leaves almost nothing still gets a readable name (long paths then).
    assert name_room(Path("C:/" + "x" * 250), windows=True) == 40


# -- what the user is told -----------------------------------------------------------------------
def test_a_missing_folder_a_file_and_a_read_only_folder_are_told_apart(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder"
    assert folder_message(missing) == (
        f"The folder {missing} does not exist. Choose another folder."
    )
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert folder_message(a_file) == f"{a_file} is a file, not a folder. Choose a folder."
    assert folder_message(a_file / "sub") == (
        f"The folder {a_file / 'sub'} does not exist. Choose another folder."
    )
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert folder_message(tmp_path, denied) == (
        f"The folder {tmp_path} cannot be written to (it is read-only or you do not have "
        "permission). Choose another folder."
    )
    read_only_disk = OSError(errno.EROFS, "Read-only file system")
    assert "cannot be written to" in folder_message(tmp_path, read_only_disk)
    full = OSError(errno.ENOSPC, "No space left on device")
    assert folder_message(tmp_path, full) == (
        f"There is no room left on the disk that holds the folder {tmp_path}. Free some "
        "space, or choose another folder."
    )


def test_a_file_that_cannot_be_saved_is_blamed_on_the_right_thing(tmp_path: Path) -> None:
    existing = tmp_path / "run.pdf"
    existing.write_bytes(b"%PDF")
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert file_message(existing, denied).startswith("run.pdf is open in another program")
    new = tmp_path / "new.pdf"
    assert "cannot be written to (it is read-only" in file_message(new, denied)
    gone = tmp_path / "gone" / "x.pdf"
    assert file_message(gone, FileNotFoundError(errno.ENOENT, "No such file")) == (
        f"The folder {gone.parent} does not exist. Choose another folder."
    )
    long = OSError(errno.ENAMETOOLONG, "File name too long")
    assert "is too long" in file_message(tmp_path / ("x" * 300), long)
