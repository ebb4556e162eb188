"""An offline copy's values said the office's way: moments in UK time, dates, money, references."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Boolean, Date, select

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.models import Base
from thep_desktop.models.base import Money, UtcDateTime
from thep_desktop.services.offline.offline_data import Conflict
from thep_desktop.services.offline.offline_rows import record_label, references

NONE_WORDS = "—"
ANOTHER_RECORD = "another record"


def _uk() -> Any:
    try:
        return ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # no time zone data on this computer: its own clock's zone
        return None


def moment_words(value: datetime) -> str:
    """``01/12/2026 at 09:30``, in UK time (the office's), whatever zone the value is in."""
    local = value.astimezone(_uk())
    return f"{local:%d/%m/%Y} at {local:%H:%M}"


def value_words(table: str, field: str, value: Any, labels: Mapping[str, str] | None = None) -> str:
    """One field's canonical value (as a conflict holds it) as a person reads it; a
    reference by the name in ``labels`` of the record it names."""
    if value is None or value == "":
        return NONE_WORDS
    if field in references(table):
        return (labels or {}).get(str(value), ANOTHER_RECORD)
    column = Base.metadata.tables[table].c.get(field)
    kind = column.type if column is not None else None
    try:
        if isinstance(kind, Money):
            return money(Decimal(str(value)))
        if isinstance(kind, UtcDateTime):
            return moment_words(datetime.fromisoformat(str(value)))
        if isinstance(kind, Date):
            return format_date(date.fromisoformat(str(value)))
    except (ValueError, InvalidOperation):
        return str(value)
    if isinstance(kind, Boolean) or isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def reference_labels(path: Path, conflicts: Iterable[Conflict]) -> dict[str, str]:
    """The names of the records the conflicts' references point to, as the copy has them
    (a record only the office has is not found here: it reads as "another record")."""
    wanted: dict[str, set[str]] = {}
    for conflict in conflicts:
        refs = references(conflict.table)
        for found in conflict.fields:
            target = refs.get(found.name)
            if target is None:
                continue
            for value in (found.original, found.mine, found.theirs):
                if value:
                    wanted.setdefault(target, set()).add(str(value))
    if not wanted:
        return {}
    labels: dict[str, str] = {}
    database = Database(Path(path))
    try:
        with database.read_session() as session:
            for name, keys in wanted.items():
                table = Base.metadata.tables[name]
                ids = [uuid.UUID(k) for k in keys if _is_uuid(k)]
                for row in session.execute(select(table).where(table.c.uuid.in_(ids))):
                    labels[str(row.uuid)] = record_label(name, dict(row._mapping))
    finally:
        database.dispose()
    return labels


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
