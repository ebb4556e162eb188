"""The audit trail as a table for a workbook: one row per event, the time as a date and time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from thep_desktop.reports.shared.spreadsheet import ColumnSpec, TableData

# (title, kind, key of the entry): the columns the audit screen shows, then the record's id.
_COLUMNS = (
    ("Number", "integer", "seq"),
    ("When", "date", "when"),
    ("Who", "text", "who"),
    ("What was done", "text", "action"),
    ("Kind of record", "text", "kind"),
    ("Record", "text", "record"),
    ("Changes", "text", "changes"),
    ("Detail", "text", "detail"),
    ("Record's id", "text", "record_uuid"),
)


def audit_table(
    entries: Sequence[Mapping[str, Any]], *, title: str, subtitle: str = "", source: str = ""
) -> TableData:
    """The entries (plain dicts with the keys above) in the order given, typed."""
    return TableData(
        title=title,
        subtitle=subtitle,
        columns=[ColumnSpec(name, kind) for name, kind, _key in _COLUMNS],
        rows=[tuple(entry.get(key) for _name, _kind, key in _COLUMNS) for entry in entries],
        row_count=len(entries),
        source=source,
    )
