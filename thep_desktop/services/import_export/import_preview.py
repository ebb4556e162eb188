"""What an import preview holds (new, changed, closed and refused rows) and what applying it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import NO_OVERALL_GRADE_FROM, OverallGrade, grade_from_gias
from thep_desktop.models import SchoolStatus
from thep_desktop.services.schools.schools_service import SCHOOL_FIELDS, SchoolInput


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str  # as shown to the user (dates dd/mm/yyyy)
    new: str


@dataclass(frozen=True)
class NewSchool:
    row_number: int
    urn: int
    name: str
    values: dict[str, Any]  # checked values by field name, ready to write

    @cached_property
    def data(self) -> SchoolInput:
        """The school as the form would hold it (made when first asked for)."""
        return SchoolInput(**self.values)


@dataclass(frozen=True)
class ChangedSchool:
    row_number: int
    urn: int
    name: str
    school_id: int
    version: int
    changes: tuple[FieldChange, ...]
    values: dict[str, object]  # the new typed values to write


@dataclass(frozen=True)
class ClosedSchool:
    row_number: int
    urn: int
    name: str
    school_id: int
    version: int
    close_date: date | None
    # Other details GIAS changed for the school as it closed (written with the closure, so
    # that importing the same file again finds nothing to do).
    changes: tuple[FieldChange, ...] = ()
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class NewInspection:
    """An Ofsted inspection a GIAS row carries (rating and date) that the school lacks.

    Added with source "gias" only on a day the school has no inspection: one the office
    entered, or an earlier import added, is never overwritten.
    """

    row_number: int
    urn: int
    name: str
    school_id: int | None  # None: a school new in this import
    inspected_on: date
    gias_words: str  # GIAS's "OfstedRating" as written

    @property
    def overall_grade(self) -> OverallGrade:
        """The grade GIAS's words stand for; none from September 2024, when Ofsted stopped
        giving one (GIAS's words stay in the inspection's notes)."""
        if self.inspected_on >= NO_OVERALL_GRADE_FROM:
            return OverallGrade.NONE
        return grade_from_gias(self.gias_words) or OverallGrade.NONE

    @property
    def notes(self) -> str:
        return f"From GIAS: {self.gias_words}"


@dataclass(frozen=True)
class RejectedRow:
    row_number: int  # as in the file: the header is row 1
    column: str  # the file's column name ("" when the row as a whole is wrong)
    value: str
    reason: str


@dataclass
class ImportPreview:
    kind: str  # "gias" or "pupils"
    source_name: str
    la_code: str | None  # None: all England
    rows_read: int = 0
    rows_other_la: int = 0
    unchanged: int = 0
    new: list[NewSchool] = field(default_factory=list)
    changed: list[ChangedSchool] = field(default_factory=list)
    closed: list[ClosedSchool] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Ofsted inspections the rows carry and the schools lack (only those, once read whole).
    inspections: list[NewInspection] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.closed or self.inspections)

    @property
    def rejected_rows(self) -> int:
        """Rows refused (one row may have several problems listed in ``rejected``)."""
        return len({r.row_number for r in self.rejected})

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "closed": len(self.closed),
            "rejected": self.rejected_rows,
            "unchanged": self.unchanged,
        }

    @property
    def inspections_words(self) -> str:
        """How many Ofsted inspections applying this adds, in words ("" when none)."""
        n = len(self.inspections)
        if not n:
            return ""
        return (
            "1 Ofsted inspection from GIAS will be added"
            if n == 1
            else f"{n:,} Ofsted inspections from GIAS will be added"
        ) + " (only on dates the schools have none, and not one the office deleted)"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (snake_case keys, ISO dates), e.g. for ``thep-admin --json``."""
        return {
            "kind": self.kind,
            "source_name": self.source_name,
            "la_code": self.la_code,
            "rows_read": self.rows_read,
            "rows_other_la": self.rows_other_la,
            "counts": self.counts(),
            "inspections_to_add": len(self.inspections),
            "warnings": list(self.warnings),
            "new": [
                {
                    "row_number": n.row_number,
                    "urn": n.urn,
                    "name": n.name,
                    "data": {f: _json_value(getattr(n.data, f)) for f in SCHOOL_FIELDS},
                }
                for n in self.new
            ],
            "changed": [_update_dict(c) for c in self.changed],
            "closed": [
                _update_dict(c) | {"close_date": _json_value(c.close_date)} for c in self.closed
            ],
            "inspections": [
                {
                    "row_number": i.row_number,
                    "urn": i.urn,
                    "name": i.name,
                    "inspected_on": i.inspected_on.isoformat(),
                    "overall_grade": i.overall_grade.value or None,
                    "gias_words": i.gias_words,
                }
                for i in self.inspections
            ],
            "rejected": [
                {
                    "row_number": r.row_number,
                    "column": r.column,
                    "value": r.value,
                    "reason": r.reason,
                }
                for r in self.rejected
            ],
        }


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    closed: int
    # Someone else wrote the same changes after the preview was made: nothing was left to do.
    already_applied: bool = False
    inspections: int = 0  # Ofsted inspections added from GIAS's rating and date

    @property
    def inspections_words(self) -> str:
        n = self.inspections
        return "1 Ofsted inspection added" if n == 1 else f"{n} Ofsted inspections added"

    def __str__(self) -> str:
        if self.already_applied:
            return (
                "nothing left to change: someone else made the same changes to the register "
                "after this preview"
            )
        new = "1 new school" if self.created == 1 else f"{self.created} new schools"
        text = f"{new}, {self.updated} updated, {self.closed} closed"
        if self.inspections:
            text += f"; {self.inspections_words}"  # said only when the import added some
        return text


def _update_dict(item: ChangedSchool | ClosedSchool) -> dict[str, Any]:
    """A changed or closed school as plain data: what it was, what changes, the new values."""
    return {
        "row_number": item.row_number,
        "urn": item.urn,
        "name": item.name,
        "school_id": item.school_id,
        "version": item.version,
        "changes": [
            {"field": ch.field, "label": ch.label, "old": ch.old, "new": ch.new}
            for ch in item.changes
        ],
        "values": {k: _json_value(v) for k, v in item.values.items()},
    }


def _json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, SchoolStatus):
        return value.value
    return value


def display_value(value: object) -> str:
    """A stored value as the register shows it."""
    if value is None:
        return ""
    if isinstance(value, SchoolStatus):
        return value.label
    if isinstance(value, date):
        return format_date(value)
    return str(value)
