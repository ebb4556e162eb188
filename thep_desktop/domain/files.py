"""File names every disk in the office accepts, and words for a file that cannot be saved."""

from __future__ import annotations

import errno
import sys
import unicodedata
from pathlib import Path

from pathvalidate import sanitize_filename

NAME_LIMIT = 255
"""The longest file name: 255 bytes of UTF-8 on Linux and macOS, 255 UTF-16 units on NTFS."""

WINDOWS_PATH_LIMIT = 259
"""The longest whole path (MAX_PATH less its terminating NUL) Windows programs can open."""


def safe_file_stem(text: str, fallback: str = "Document") -> str:
    """``text`` as the stem of a file name that Windows accepts (pathvalidate's rules).

    Refused characters become spaces, runs of spaces one, and no dots or spaces at the ends
    (Windows drops them). Names Windows keeps for devices (CON, AUX, NUL, COM1, LPT1...) get
    an underscore, so ``CON`` becomes ``CON_`` and ``CON_.pdf`` opens like any other file.
    ``fallback`` when nothing is left.
    """
    cleaned = sanitize_filename(text, replacement_text=" ", platform="windows")
    cleaned = " ".join(cleaned.split()).strip(" .")
    # Tidying the spaces may leave a bare device name ("CON ?" -> "CON"): check once more.
    return sanitize_filename(cleaned, platform="windows") or fallback


def name_size(text: str) -> int:
    """How much of a file name's limit ``text`` takes: the larger of its UTF-8 bytes (Linux,
    macOS) and its UTF-16 code units (Windows), so one name fits everywhere."""
    return max(len(text.encode("utf-8")), len(text.encode("utf-16-le")) // 2)


def cut_to_size(text: str, size: int) -> str:
    """The longest start of ``text`` whose :func:`name_size` is at most ``size``.

    Cut between characters, never inside one; an accent, joiner or variation selector left
    without the character it belongs to is dropped, and so are spaces and dots at the end
    (Windows drops them itself).
    """
    if name_size(text) <= size:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits (sizes only grow with length)
        middle = (low + high + 1) // 2
        if name_size(text[:middle]) <= size:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    while cut and (
        unicodedata.combining(cut[-1])
        or cut[-1] in "\u200d\ufe0e\ufe0f"
        or unicodedata.category(cut[-1]) in ("Cs", "Mn", "Me", "Cf")
    ):
        cut = cut[:-1]
    return cut.rstrip(" .")


def name_room(folder: Path, windows: bool | None = None) -> int:
    """The :func:`name_size` a file name in ``folder`` may take.

    255 everywhere; on Windows also what the whole path leaves (a deep folder on a network
    drive leaves less), but never under 40, so a name stays readable; Windows with long
    paths turned on opens the rest.
    """
    if windows is None:
        windows = sys.platform == "win32"
    if not windows:
        return NAME_LIMIT
    left = WINDOWS_PATH_LIMIT - len(str(folder)) - 1
    return max(40, min(NAME_LIMIT, left))


# -- what to tell the user ---------------------------------------------------------------------
def folder_message(folder: Path, error: OSError | None = None) -> str:
    """Why files cannot be saved in ``folder``, in words, with what to do.

    ``error`` is what the operating system said when a file was made there; without one,
    the folder is looked at.
    """
    code = error.errno if error is not None else None
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (
            f"There is no room left on the disk that holds the folder {folder}. Free some "
            "space, or choose another folder."
        )
    if not folder.exists():
        return f"The folder {folder} does not exist. Choose another folder."
    if not folder.is_dir():
        return f"{folder} is a file, not a folder. Choose a folder."
    if (
        error is None
        or isinstance(error, PermissionError)
        or code
        in (
            errno.EACCES,
            errno.EPERM,
            errno.EROFS,
        )
    ):
        return (
            f"The folder {folder} cannot be written to (it is read-only or you do not have "
            "permission). Choose another folder."
        )
    return f"Files cannot be saved in the folder {folder}: {error.strerror or error}."


def in_use_message(path: Path) -> str:
    """A file that could not be replaced: on Windows, one open in another program."""
    return (
        f"{path.name} is open in another program, or this folder cannot be written to. "
        "Close it and try again."
    )


def new_file_message(path: Path, error: OSError) -> str:
    """Why a new file at ``path`` could not be made or written, in words: its folder (missing,
    read-only, disk full) or its name."""
    if error.errno == errno.ENAMETOOLONG:
        return f"The name {path.name} is too long for this computer. Choose a shorter name."
    if (
        isinstance(error, FileNotFoundError | NotADirectoryError | PermissionError)
        or error.errno in (errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", -1))
        or not path.parent.is_dir()
    ):
        return folder_message(path.parent, error)
    return f"{path.name} could not be saved: {error.strerror or error}."


def file_message(path: Path, error: OSError) -> str:
    """Why ``path`` could not be saved, in words: the file itself (open elsewhere), its
    folder, or its name."""
    if isinstance(error, PermissionError) and path.exists():
        # The file is there, so the folder is: Windows refuses to replace a file that is
        # open in another program (a PDF viewer, Excel).
        return in_use_message(path)
    return new_file_message(path, error)
