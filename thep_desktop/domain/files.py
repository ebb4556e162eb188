"""File names the office's computers accept: nothing Windows refuses or keeps for devices."""

from __future__ import annotations

from pathvalidate import sanitize_filename


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
