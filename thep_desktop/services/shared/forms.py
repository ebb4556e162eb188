"""Shared helpers that turn loosely typed input (as typed into a form) into checked values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Table

from thep_desktop.domain.dates import parse_optional_date
from thep_desktop.domain.fees import parse_money
from thep_desktop.domain.numbers import parse_whole_number
from thep_desktop.domain.text_characters import (
    check_characters,
    find_unsafe_in_line,
    find_unsafe_in_lines,
    unsafe_position,
)


class FieldChecker:
    """Collects one message per field while values are checked, so a form shows them all at once.

    Every text is checked for characters that may not be stored (see
    :mod:`thep_desktop.domain.text_characters`): a column without a length (``Text``: notes,
    a letter's body, an address block) holds several lines, any other text column one line.
    """

    def __init__(self, table: Table, labels: dict[str, str]) -> None:
        self.table = table
        self.labels = labels
        self.errors: dict[str, str] = {}
        self._limits = _table_limits(table)
        self._several_lines = _several_lines(table)

    def label(self, field: str) -> str:
        return self.labels.get(field, field.replace("_", " ").capitalize())

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(
        self,
        field: str,
        value: Any,
        *,
        required: bool = False,
        column: str | None = None,
        check: Callable[[str], str] | None = None,
    ) -> str:
        if type(value) is not str:
            value = "" if value is None else str(value)
        text = value.strip()
        if len(text) != len(value):
            text = _trimmed(value)
        if required and not text:
            self.fail(field, f"{self.label(column or field)} is required")
            return text
        limit = self._limits[column or field]
        several = (column or field) in self._several_lines
        if (find_unsafe_in_lines if several else find_unsafe_in_line)(text) is not None:
            try:
                text = check_characters(text, self.label(column or field), several_lines=several)
            except ValueError as exc:
                self.fail(field, str(exc))
                return text
        if check is not None and text:
            try:
                text = check(text)
            except ValueError as exc:
                self.fail(field, str(exc))
                return text
        if limit is not None and len(text) > limit:
            self.fail(
                field,
                f"{self.label(column or field)} is too long: at most {limit} characters "
                f"(this has {len(text)})",
            )
        return text

    def plain_texts(self, source: object, names: tuple[str, ...]) -> dict[str, str]:
        """Several optional texts whose only rule is their column's length, in one pass.

        The same result as :meth:`text` for each name; written as one loop because an import
        checks tens of thousands of rows of them.
        """
        out: dict[str, str] = {}
        for name in names:
            value = getattr(source, name)
            if type(value) is not str:
                value = "" if value is None else str(value)
            text = value.strip()
            out[name] = text if len(text) == len(value) else _trimmed(value)
        # One search over all of them (the rule is per character, so joining them changes
        # nothing): a row almost never holds a control character, and only then is each
        # field checked again, to name the one that does.
        several = self._several_lines
        values = list(out.values())
        if find_unsafe_in_lines("".join(values)) is not None or (
            find_unsafe_in_line("".join([v for n, v in out.items() if n not in several]))
            is not None
        ):
            for name in names:
                try:
                    out[name] = check_characters(
                        out[name], self.label(name), several_lines=name in several
                    )
                except ValueError as exc:
                    self.fail(name, str(exc))
        limits = self._limits
        for name in names:
            limit = limits[name]
            if limit is not None and len(out[name]) > limit:
                self.fail(
                    name,
                    f"{self.label(name)} is too long: at most {limit} characters "
                    f"(this has {len(out[name])})",
                )
        return out

    def whole_number(
        self, field: str, value: Any, *, minimum: int | None = 0, maximum: int | None = None
    ) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self.fail(field, f"{self.label(field)} must be a whole number")
            return None
        if type(value) is str and value.isascii() and value.isdigit():
            number = int(value)  # the usual case, without the label a message would need
        else:
            try:
                number = parse_whole_number(value, self.label(field))
            except ValueError as exc:
                self.fail(field, str(exc))
                return None
        if minimum is not None and number < minimum:
            self.fail(field, f"{self.label(field)} cannot be less than {minimum}")
            return None
        if maximum is not None and number > maximum:
            self.fail(field, f"{self.label(field)} cannot be more than {maximum:,}")
            return None
        return number

    def required_date(self, field: str, value: Any, missing: str) -> date | None:
        """A date that must be given: ``missing`` is the message when it is blank."""
        found = self.date(field, value)
        if found is None and field not in self.errors:
            self.fail(field, missing)
        return found

    def date(self, field: str, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return parse_optional_date(value)
        except ValueError as exc:
            self.fail(field, f"{self.label(field)}: {exc}")
            return None

    def money(self, field: str, value: Any, *, required: bool = True) -> Decimal | None:
        """An amount of pounds (see :func:`~thep_desktop.domain.fees.parse_money`)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, f"{self.label(field)} is required")
            return None
        try:
            return parse_money(value)
        except ValueError as exc:
            self.fail(field, f"{self.label(field)}: {exc}")
            return None


def _trimmed(value: str) -> str:
    """Spaces and line breaks at either end removed; other control characters kept to be refused.

    ``str.strip`` also removes some control characters (U+001C to U+001F, U+0085...), which
    would store a damaged value quietly instead of saying what is wrong with it.
    """
    plain = value.strip(" \t\n\r")
    if unsafe_position(plain, several_lines=True) >= 0:
        return plain
    return value.strip()


_limits: dict[Table, dict[str, int | None]] = {}


def _table_limits(table: Table) -> dict[str, int | None]:
    """Each column's maximum length (None: no limit), worked out once per table."""
    try:
        return _limits[table]
    except KeyError:
        limits = {
            column.name: column.type.length if isinstance(column.type, String) else None
            for column in table.columns
        }
        _limits[table] = limits
        return limits


_several: dict[Table, frozenset[str]] = {}


def _several_lines(table: Table) -> frozenset[str]:
    """The text columns without a length (``Text``), which hold several lines (once per table)."""
    try:
        return _several[table]
    except KeyError:
        names = frozenset(
            column.name
            for column in table.columns
            if isinstance(column.type, String) and column.type.length is None
        )
        _several[table] = names
        return names
