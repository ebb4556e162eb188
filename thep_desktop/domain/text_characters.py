"""Which characters a stored text may hold, and how text is shown safely in a terminal.

The rule, the same for every field on SQLite and PostgreSQL, for what people type and what
files bring (school form, contacts, staff, organisation profile, letter templates, values
typed for a mailing, GIAS and pupil number imports):

- never: the C0 control characters (U+0000 to U+001F, NUL, escape, backspace...), DEL
  (U+007F), the C1 controls (U+0080 to U+009F) and lone surrogates (U+D800 to U+DFFF, which
  Python makes from bytes it could not decode). PostgreSQL cannot store a NUL at all, and
  none of them is text a person means: they come from damaged files or pasted terminal output;
- in a one-line field (a name, an address line, an email): no line break, tab, Unicode line
  or paragraph separator, and no bidirectional embedding, override or isolate (U+202A to
  U+202E, U+2066 to U+2069). Those make a name show in a different order than it is stored
  (a school could appear as another in a list, or a file name hide its real ending); the
  Unicode bidirectional algorithm already lays out right-to-left names correctly without them;
- in a several-line field (notes, a letter's body, an address block): line breaks and tabs
  are kept, a Windows line ending (CR LF) becomes a line break, and the bidirectional controls
  are allowed, since a paragraph mixing scripts may need them.

Zero-width joiners and non-joiners (needed by Bengali and other scripts), marks and every
printable character are stored as given.
"""

from __future__ import annotations

import functools
import re

_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ONE_LINE = re.compile(f"[{_ALWAYS}\t\n\u2028\u2029{_BIDI}]")
_SEVERAL_LINES = re.compile(f"[{_ALWAYS}]")
# What is shown escaped on a terminal: every control, and what reorders or breaks a line.
_SHOWN_ESCAPED = f"{_ALWAYS}\t\n\u2028\u2029{_BIDI}"

_NAMES = {
    "\x00": "a null character",
    "\x07": "a bell character",
    "\x08": "a backspace",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x1b": "an escape character",
    "\x7f": "a delete character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\u202a": "a left-to-right embedding",
    "\u202b": "a right-to-left embedding",
    "\u202c": "a pop directional formatting character",
    "\u202d": "a left-to-right override",
    "\u202e": "a right-to-left override",
    "\u2066": "a left-to-right isolate",
    "\u2067": "a right-to-left isolate",
    "\u2068": "a first strong isolate",
    "\u2069": "a pop directional isolate",
}


def check_characters(text: str, label: str, *, several_lines: bool = False) -> str:
    """``text`` if every character may be stored in the field ``label``; else ``ValueError``.

    A several-line text comes back with Windows line endings made plain line breaks.
    The message names the field, the character (visibly, e.g. U+001B) and where it is.
    """
    if several_lines:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        found = _SEVERAL_LINES.search(text)
    else:
        found = _ONE_LINE.search(text)
    if found is None:
        return text
    raise ValueError(character_problem(text, found.start(), label))


# The first character that may not be stored, as a match (None when all may): for loops
# over tens of thousands of imported rows, where a function call around them shows.
find_unsafe_in_line = _ONE_LINE.search
find_unsafe_in_lines = _SEVERAL_LINES.search


def unsafe_position(text: str, *, several_lines: bool = False) -> int:
    """Where the first character that may not be stored is, or -1 (for a quick scan)."""
    found = (_SEVERAL_LINES if several_lines else _ONE_LINE).search(text)
    return -1 if found is None else found.start()


def character_problem(text: str, at: int, label: str) -> str:
    """The message for the character at ``at`` of ``text`` in the field ``label``."""
    char = text[at]
    code = f"U+{ord(char):04X}"
    before = visible(text[max(0, at - 20) : at]).lstrip()
    where = f" after “{before}”" if before else " at the start"
    if char in "\n\u2028\u2029":
        return f"{label} is one line: it cannot hold {_NAMES[char]} ({code}){where}"
    if char == "\t":
        return f"{label} is one line: it cannot hold a tab{where}; use a space"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (
            f"{label} holds {_NAMES[char]} ({code}){where}, an invisible character that makes "
            "text show in another order than it is stored: delete it and type the text again"
        )
    if "\ud800" <= char <= "\udfff":
        return (
            f"{label} holds a character that is not valid text ({code}){where}, usually from "
            "a file name or a file in another encoding: delete it and type the text again"
        )
    name = _NAMES.get(char, "a control character")
    return (
        f"{label} holds {name} ({code}){where}, an invisible character that cannot be "
        "stored: delete it and type the text again"
    )


def visible(text: str, *, keep: str = "") -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``), for a terminal.

    Nothing that a terminal would act on (escape sequences, a bell, a carriage return that
    overwrites the line) or that reorders text gets through, except the characters in
    ``keep`` (``"\\n"`` to keep line breaks).
    """
    pattern = _escaped_pattern(keep)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


@functools.cache
def _escaped_pattern(keep: str) -> re.Pattern[str]:
    return re.compile(f"[{_SHOWN_ESCAPED}]" if not keep else f"(?![{keep}])[{_SHOWN_ESCAPED}]")


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
