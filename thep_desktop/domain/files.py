"""File names the office's computers accept: no characters Windows refuses."""

from __future__ import annotations

_REFUSED = set('<>:"/\\|?*')


def safe_file_stem(text: str, fallback: str = "Document") -> str:
    """``text`` as the stem of a file name: refused characters become spaces, runs of spaces
    one, and no dots or spaces at the ends (Windows drops them); ``fallback`` when nothing is left.
    """
    cleaned = "".join(" " if ch in _REFUSED or ord(ch) < 32 else ch for ch in text)
    return " ".join(cleaned.split()).strip(" .") or fallback
