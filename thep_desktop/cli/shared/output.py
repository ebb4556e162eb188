"""What ``thep-admin`` prints: aligned text tables for people, stable JSON for scripts.

Readable output never passes a control character through: a school's name holding an escape
sequence (stored before validation refused them, or read from a file) is shown as ``\x1b``,
not acted on by the terminal. Tables and fields escape every control character of a value
(see :func:`thep_desktop.domain.text_characters.visible`); :func:`visible_output` guards the
whole of stdout and stderr for everything else a command prints. JSON escapes them itself.

JSON rules, kept the same for every command: snake_case keys that do not change, dates as
ISO ``YYYY-MM-DD``, timestamps as ISO 8601 in UTC, ``null`` for anything missing (an empty
text is missing), whole numbers as numbers, money as a string with two decimals ("412.50")
so that no program reading it turns pounds into binary floats.
"""

from __future__ import annotations

import argparse
import enum
import json
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.dates import parse_date as _parse_domain_date
from thep_desktop.domain.text_characters import visible


# -- values in JSON ---------------------------------------------------------------------------
def json_value(value: Any) -> Any:
    """One value as it appears in our JSON."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):.2f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        raise TypeError("floats have no place in our JSON: use int or Decimal")
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [json_value(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


class CommandError(Exception):
    """Something the person asked for cannot be done; the message says why."""


def write_json(data: Mapping[str, Any], out: TextIO) -> None:
    """Indented, in the order the keys were given, ASCII-safe on any console.

    ``ensure_ascii`` (json's default) writes every control character as ``\u001b``, so no
    stored text reaches the terminal raw.
    """
    out.write(json.dumps(json_value(data), indent=2, ensure_ascii=True))
    out.write("\n")


# -- values as text ------------------------------------------------------------------------------
def text_value(value: Any) -> str:
    """One value as a person reads it: dates dd/mm/yyyy, Yes/No, money in pounds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)  # a URN or an age: no thousands separator
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, datetime):
        local = value.astimezone()
        return f"{format_date(local.date())} {local:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    return str(value)


def plural(n: int, noun: str) -> str:
    """``1 school``, ``90 schools``, ``1,204 schools``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


@dataclass(frozen=True)
class Column:
    heading: str
    right: bool = False  # numbers line up on the right


def write_table(columns: Sequence[Column], rows: Iterable[Sequence[str]], out: TextIO) -> None:
    """An aligned table with a heading line, two spaces between columns.

    Each cell stays on its line: control characters, tabs and line breaks are shown escaped.
    """
    rows = [[visible(cell) for cell in r] for r in rows]
    widths = [len(c.heading) for c in columns]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if c.right else cell.ljust(w)
            for c, w, cell in zip(columns, widths, cells, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out.write(line([c.heading for c in columns]) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for row in rows:
        out.write(line(row) + "\n")


def write_fields(fields: Sequence[tuple[str, str]], out: TextIO, indent: str = "") -> None:
    """``Label   value`` lines, the values lined up; a value of several lines stays lined up.

    Tabs are laid out as spaces; other control characters are shown escaped.
    """
    width = max((len(label) for label, _ in fields), default=0)
    for label, value in fields:
        lines = visible(value.expandtabs(4), keep="\n").split("\n")
        out.write(f"{indent}{label.ljust(width)}  {lines[0]}".rstrip() + "\n")
        for more in lines[1:]:
            out.write(f"{indent}{' ' * width}  {more}".rstrip() + "\n")


# -- the streams --------------------------------------------------------------------------------
# Line breaks, tabs and carriage returns (the progress line redraws itself with them) pass
# the stream guard; values in tables and fields are escaped fully above.
_PASSED = "\n\r\t"


class VisibleStream:
    """A text stream that shows control characters as escapes instead of passing them on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text, keep=_PASSED))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def visible_output() -> Iterator[None]:
    """While a command runs, stdout and stderr show control characters escaped."""
    saved = sys.stdout, sys.stderr
    sys.stdout = VisibleStream(sys.stdout)  # type: ignore[assignment]
    sys.stderr = VisibleStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


# -- arguments ------------------------------------------------------------------------------------
def parse_date(text: str) -> date:
    """A date typed on the command line: ``2026-01-15``, ``15/01/2026`` or ``15/1/26``.

    A two-digit year follows :func:`thep_desktop.domain.dates.parse_date`'s pivot (00 to 69
    are 2000 to 2069, 70 to 99 are 1970 to 1999).

    For ``type=`` in argparse: a wrong date is a usage error with the reason.
    """
    try:
        return _parse_domain_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
