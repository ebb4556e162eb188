"""What ``thep-admin`` prints: aligned text tables for people, stable JSON for scripts.

JSON rules, kept the same for every command: snake_case keys that do not change, dates as
ISO ``YYYY-MM-DD``, timestamps as ISO 8601 in UTC, ``null`` for anything missing (an empty
text is missing), whole numbers as numbers, money as a string with two decimals ("412.50")
so that no program reading it turns pounds into binary floats.
"""

from __future__ import annotations

import argparse
import enum
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.dates import parse_date as _parse_domain_date


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
    """Indented, in the order the keys were given, ASCII-safe on any console."""
    out.write(json.dumps(json_value(data), indent=2))
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
    """An aligned table with a heading line, two spaces between columns."""
    rows = [list(r) for r in rows]
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
    """``Label   value`` lines, the values lined up; a value of several lines stays lined up."""
    width = max((len(label) for label, _ in fields), default=0)
    for label, value in fields:
        lines = value.splitlines() or [""]
        out.write(f"{indent}{label.ljust(width)}  {lines[0]}".rstrip() + "\n")
        for more in lines[1:]:
            out.write(f"{indent}{' ' * width}  {more}".rstrip() + "\n")


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
