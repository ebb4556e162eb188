"""Shared helpers that turn loosely typed input (as typed into a form) into checked values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import String, Table

from thep_desktop.domain.dates import parse_optional_date


class FieldChecker:
    """Collects one message per field while values are checked, so a form shows them all at once."""

    def __init__(self, table: Table, labels: dict[str, str]) -> None:
        self.table = table
        self.labels = labels
        self.errors: dict[str, str] = {}
        self._limits = _table_limits(table)

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
        if type(value) is str:
            text = value.strip()
        else:
            text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(field, f"{self.label(column or field)} is required")
            return text
        if check is not None and text:
            try:
                text = check(text)
            except ValueError as exc:
                self.fail(field, str(exc))
                return text
        limit = self._limits[column or field]
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
        limits = self._limits
        for name in names:
            value = getattr(source, name)
            if type(value) is str:
                text = value.strip()
            else:
                text = "" if value is None else str(value).strip()
            limit = limits[name]
            if limit is not None and len(text) > limit:
                self.fail(
                    name,
                    f"{self.label(name)} is too long: at most {limit} characters "
                    f"(this has {len(text)})",
                )
            out[name] = text
        return out

    def whole_number(
        self, field: str, value: Any, *, minimum: int | None = 0, maximum: int | None = None
    ) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self.fail(field, f"{self.label(field)} must be a whole number")
            return None
        try:
            number = int(str(value).strip().replace(",", ""))
        except ValueError:
            self.fail(field, f"{self.label(field)} must be a whole number, not “{value}”")
            return None
        if minimum is not None and number < minimum:
            self.fail(field, f"{self.label(field)} cannot be less than {minimum}")
            return None
        if maximum is not None and number > maximum:
            self.fail(field, f"{self.label(field)} cannot be more than {maximum:,}")
            return None
        return number

    def date(self, field: str, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return parse_optional_date(value)
        except ValueError as exc:
            self.fail(field, f"{self.label(field)}: {exc}")
            return None


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
