"""Importing schools from the DfE's GIAS establishment extract ("edubasealldata").

Two steps, so the office sees what will happen before anything does:

1. :meth:`GiasImportService.preview` reads the file and compares it with the register,
   changing nothing. It returns an :class:`ImportPreview`: new schools, changed schools (field
   by field, old and new), schools GIAS shows as closed that the register has open, and rows
   refused with the row number, column, value and reason.
2. :meth:`GiasImportService.apply` writes that preview in one transaction. If anyone changed
   one of the schools meanwhile, nothing is written (:class:`ConflictError`).

What GIAS owns and what the office owns: only the details GIAS publishes (name, numbers,
type, phase, status and dates, ages, pupils, trust, diocese, religious character, address,
phone, website, head teacher, Ofsted) are compared and written. The office's own fields (link
officer, notes, contacts, chair of governors, email, causing concern, and later memberships)
are never touched. A column missing from the file (GIAS changes its columns between releases;
it stopped publishing Ofsted in April 2025) leaves that detail as it is.

Row accounting, for the preview's counts: every non-blank data row of the file is exactly
one of ``rows_other_la`` (filtered out by LA code), new, changed, closed, unchanged, or
rejected; so ``rows_read == new + changed + closed + unchanged + rejected_rows + rows_other_la``
(``rejected`` may list several problems for one row; ``rejected_rows`` counts rows).

Pupil numbers: a blank ``NumberOfPupils`` means GIAS has no figure, so the register's is kept;
a figure with an older census date than the register's (say, from a pupil numbers refresh
after the census) does not replace the newer one.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Table, bindparam, case, insert, select, update

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.validation import check_digits, format_uk_phone
from thep_desktop.models import School, SchoolStatus
from thep_desktop.models.base import utcnow
from thep_desktop.services.import_export.tabular import (
    Cell,
    ImportFileError,
    TableFile,
    cell_text,
    normalise_header,
    open_table,
)
from thep_desktop.services.schools.schools_service import (
    SCHOOL_FIELDS,
    SCHOOL_LABELS,
    SchoolInput,
    SchoolsService,
)
from thep_desktop.services.shared.actor import Actor, Permission
from thep_desktop.services.shared.errors import ConflictError, ValidationError

__all__ = [
    "ChangedSchool",
    "ClosedSchool",
    "FieldChange",
    "GiasImportService",
    "ImportFileError",
    "ImportPreview",
    "ImportResult",
    "NewSchool",
    "RejectedRow",
]

# -- the GIAS columns we read -----------------------------------------------------------------
# (GIAS header, our field, how the cell is read)
#   text: as given; name: a GIAS "(name)" column whose placeholders mean blank;
#   date/number: checked by the school validation; status: mapped to our statuses.
GIAS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("URN", "urn", "text"),
    ("LA (code)", "la_code", "text"),
    ("EstablishmentNumber", "establishment_number", "text"),
    ("EstablishmentName", "name", "text"),
    ("TypeOfEstablishment (name)", "establishment_type", "name"),
    # GIAS's own phase "Not applicable" is a phase the register lists, so it is kept.
    ("PhaseOfEducation (name)", "phase", "text"),
    ("EstablishmentStatus (name)", "status", "status"),
    ("OpenDate", "open_date", "date"),
    ("CloseDate", "close_date", "date"),
    ("StatutoryLowAge", "statutory_low_age", "number"),
    ("StatutoryHighAge", "statutory_high_age", "number"),
    ("NumberOfPupils", "pupils_on_roll", "number"),
    ("CensusDate", "pupils_census_date", "date"),
    ("Trusts (name)", "trust", "name"),
    ("Diocese (name)", "diocese", "name"),
    ("ReligiousCharacter (name)", "religious_character", "name"),
    ("Street", "street", "text"),
    ("Locality", "locality", "text"),
    ("Address3", "address3", "text"),
    ("Town", "town", "text"),
    ("County (name)", "county", "name"),
    ("Postcode", "postcode", "text"),
    ("TelephoneNum", "phone", "phone"),
    ("SchoolWebsite", "website", "text"),
    ("HeadTitle (name)", "head_title", "name"),
    ("HeadFirstName", "head_first_name", "text"),
    ("HeadLastName", "head_last_name", "text"),
    ("HeadPreferredJobTitle", "head_job_title", "text"),
    ("OfstedRating (name)", "ofsted_grade", "name"),
    ("OfstedLastInsp", "ofsted_date", "date"),
)
REQUIRED_COLUMNS = ("URN", "EstablishmentName")
OFSTED_COLUMNS = ("OfstedRating (name)", "OfstedLastInsp")
GIAS_FIELDS = tuple(f for _, f, _ in GIAS_COLUMNS if f != "urn")
COLUMN_OF_FIELD = {f: h for h, f, _ in GIAS_COLUMNS}

PLACEHOLDERS = frozenset({"not applicable", "none", "does not apply", "not recorded"})
GIAS_STATUSES = {
    "open": SchoolStatus.OPEN,
    "open, but proposed to close": SchoolStatus.OPEN,
    "proposed to open": SchoolStatus.PROPOSED,
    "closed": SchoolStatus.CLOSED,
}
# Few distinct values over 50,000 rows: one string object each keeps the preview small.
_INTERNED = frozenset(
    {
        "la_code",
        "establishment_type",
        "phase",
        "trust",
        "diocese",
        "religious_character",
        "town",
        "county",
        "head_title",
        "head_job_title",
        "ofsted_grade",
        "locality",
    }
)

PUPIL_FIELDS = ("pupils_on_roll", "pupils_census_date")
_CHUNK = 1000
_REPORT_EVERY = 1000


# -- what a preview holds ---------------------------------------------------------------------
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

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.closed)

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

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (snake_case keys, ISO dates), e.g. for ``thep-admin --json``."""
        return {
            "kind": self.kind,
            "source_name": self.source_name,
            "la_code": self.la_code,
            "rows_read": self.rows_read,
            "rows_other_la": self.rows_other_la,
            "counts": self.counts(),
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
            "changed": [
                {
                    "row_number": c.row_number,
                    "urn": c.urn,
                    "name": c.name,
                    "school_id": c.school_id,
                    "version": c.version,
                    "changes": [
                        {"field": ch.field, "label": ch.label, "old": ch.old, "new": ch.new}
                        for ch in c.changes
                    ],
                    "values": {k: _json_value(v) for k, v in c.values.items()},
                }
                for c in self.changed
            ],
            "closed": [
                {
                    "row_number": c.row_number,
                    "urn": c.urn,
                    "name": c.name,
                    "school_id": c.school_id,
                    "version": c.version,
                    "close_date": _json_value(c.close_date),
                    "changes": [
                        {"field": ch.field, "label": ch.label, "old": ch.old, "new": ch.new}
                        for ch in c.changes
                    ],
                    "values": {k: _json_value(v) for k, v in c.values.items()},
                }
                for c in self.closed
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

    def __str__(self) -> str:
        new = "1 new school" if self.created == 1 else f"{self.created} new schools"
        return f"{new}, {self.updated} updated, {self.closed} closed"


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


def _same_as_stored(values: dict[str, Any], current: tuple[Any, ...], owned: Iterable[str]) -> bool:
    """True when the file's values, as read, are exactly what the register holds.

    The register's values have passed the school validation, and the validation leaves a
    value it has already normalised as it is; so a row matching them needs no checking.
    Anything else (a postcode in lower case, "03" for 3) goes through the full check.
    """
    for f in owned:
        old = current[_REG_POS[f]]
        new = values[f]
        if isinstance(new, str):
            new = new.strip()
            if old is None:
                if new:
                    return False
            elif isinstance(old, str):
                if old != new:
                    return False
            elif isinstance(old, int):
                if str(old) != new:
                    return False
            else:
                return False  # e.g. a date the file gave in a form we did not parse
        elif old != new:
            return False
    return True


def _same(old: object, new: object) -> bool:
    if old == new:
        return True
    # Blank is blank, whichever way the database or the file spells it.
    return (old is None or old == "") and (new is None or new == "")


# -- the service ------------------------------------------------------------------------------
class GiasImportService:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._schools = SchoolsService(database)

    def preview(
        self,
        actor: Actor,
        path: str | Path,
        *,
        la_code: str | None,
        progress: Progress | None = None,
    ) -> ImportPreview:
        """Read the GIAS file at ``path`` and say what importing it would do; change nothing.

        ``la_code`` keeps only that local authority's schools (e.g. ``"211"``); ``None``
        takes every school in the file.
        """
        actor.require(Permission.EDIT_SCHOOLS)
        if la_code is not None:
            try:
                la_code = check_digits(str(la_code), 3, "LA code")
            except ValueError as exc:
                raise ValidationError({"la_code": str(exc)}) from None
            la_code = la_code or None
        with open_table(path) as table:
            columns = _GiasColumns(table)
            preview = ImportPreview("gias", table.name, la_code)
            preview.warnings.extend(columns.warnings())
            if la_code is not None and columns.la is None:
                raise ImportFileError(
                    f"{table.name} has no “LA (code)” column, so its schools cannot be picked "
                    f"out for LA {la_code}. Import it for all of England, or use a full extract."
                )
            register = _read_register(self.db)
            _Comparer(self._schools, columns, register, preview).run(table, progress)
        if la_code is not None and preview.rows_read and preview.rows_other_la == preview.rows_read:
            preview.warnings.append(
                f"No school in this file has LA code {la_code}; check the LA code or the file."
            )
        return preview

    def apply(
        self, actor: Actor, preview: ImportPreview, progress: Progress | None = None
    ) -> ImportResult:
        """Write what ``preview`` found, in one transaction (all or nothing)."""
        actor.require(Permission.EDIT_SCHOOLS)
        if preview.kind != "gias":
            raise ValueError(f"a {preview.kind!r} preview given to the GIAS import")
        return apply_preview(self.db, actor, preview, progress)


# -- reading the file -------------------------------------------------------------------------
class _GiasColumns:
    """Where each column we use sits in this file's header."""

    def __init__(self, table: TableFile) -> None:
        self.name = table.name
        self.header = table.header
        self.width = len(table.header)
        self.is_xlsx = table.kind == "xlsx"
        index: dict[str, int] = {}
        for i, name in enumerate(table.header):
            index.setdefault(name, i)
        missing = [c for c in REQUIRED_COLUMNS if c not in index]
        if missing:
            raise ImportFileError(_wrong_file_message(table, missing))
        self.urn = index["URN"]
        self.la = index.get("LA (code)")
        # (position, field, kind) for the columns present, URN excepted
        self.used = [(index[h], f, k) for h, f, k in GIAS_COLUMNS if h in index and f != "urn"]
        self.present = {f for _, f, _ in self.used} | {"urn"}
        self.missing = [h for h, _, _ in GIAS_COLUMNS if h not in index]
        # Pupils need their census date; a file lacking either leaves both as they are.
        if not {"pupils_on_roll", "pupils_census_date"} <= self.present:
            self.present -= {"pupils_on_roll", "pupils_census_date"}
            self.used = [
                u for u in self.used if u[1] not in ("pupils_on_roll", "pupils_census_date")
            ]
        # Whoever owns the status owns the closing date (an open school has none).
        if "status" in self.present:
            self.present.add("close_date")
        self.owned = tuple(f for f in GIAS_FIELDS if f in self.present)
        # The same, grouped by how a cell is read, for a tight loop over 50,000 rows.
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for at, name, kind in self.used:
            if kind == "text" and name in _INTERNED:
                kind = "interned"
            by_kind.setdefault(kind, []).append((at, name))
        self.text_cols = by_kind.get("text", []) + by_kind.get("number", [])
        self.text_cols += by_kind.get("phone", [])
        self.interned_cols = by_kind.get("interned", [])
        self.name_cols = by_kind.get("name", [])
        self.date_cols = by_kind.get("date", [])
        self.status_at = next((at for at, _ in by_kind.get("status", [])), None)
        self.phone_at = next((at for at, _ in by_kind.get("phone", [])), None)
        self.text_positions = [at for at, _, kind in self.used if kind != "date"]

    def warnings(self) -> list[str]:
        notes = []
        if all(c in self.missing for c in OFSTED_COLUMNS):
            notes.append(
                "This file has no Ofsted columns (GIAS stopped publishing them in April 2025); "
                "Ofsted grades are left as they are."
            )
        others = [c for c in self.missing if c not in OFSTED_COLUMNS]
        if len(self.missing) - len(others) == 1:
            others += [c for c in self.missing if c in OFSTED_COLUMNS]
        if others:
            notes.append(
                "This file has no column "
                + ", ".join(f"“{c}”" for c in others)
                + "; those details are left as they are in the register."
            )
        return notes


def _wrong_file_message(table: TableFile, missing: list[str]) -> str:
    names = " and ".join(f"“{c}”" for c in missing)
    text = (
        f"{table.name} is not a GIAS establishment extract: it has no {names} "
        f"column{'s' if len(missing) > 1 else ''} (an extract has “URN” and “EstablishmentName”)."
    )
    keys = {normalise_header(h) for h in table.header}
    if "linkurn" in keys or "linktype" in keys:
        text += (
            " It looks like the GIAS links file (predecessor and successor schools); "
            "download the establishment fields file (edubasealldata) instead."
        )
    elif "schoolurn" in keys and ("timeperiod" in keys or "tpupils" in keys):
        text += (
            " It looks like a DfE performance tables (key stage 4 school information) file; "
            "to take pupil numbers from it, use Refresh pupil numbers."
        )
    elif len(table.header) <= 2 or not any(keys):
        text += " Check you chose the right file."
    return text


_DATE_FIELDS = frozenset({"open_date", "close_date", "pupils_census_date", "ofsted_date"})


def _read_register(db: Database) -> dict[int, tuple[Any, ...]]:
    """Every school as a plain tuple: (id, version, name, *GIAS_FIELDS), by URN.

    Read with the driver's own values (SQLAlchemy's per-value result processing of 50,000
    rows costs seconds on SQLite); dates and the status are converted here, each distinct
    value once.
    """
    names = ["urn", "id", "version", "name", *GIAS_FIELDS]
    date_at = [i for i, n in enumerate(names) if n in _DATE_FIELDS]
    status_at = names.index("status")
    statuses = {s.value: s for s in SchoolStatus}
    dates: dict[str, date] = {}
    register: dict[int, tuple[Any, ...]] = {}
    with db.read_session() as session:
        sql = f"SELECT {', '.join(names)} FROM school"  # fixed column names, no user input
        for raw in session.connection().exec_driver_sql(sql):
            row = list(raw)
            for i in date_at:
                value = row[i]
                if isinstance(value, str):
                    parsed = dates.get(value)
                    if parsed is None:
                        parsed = dates[value] = date.fromisoformat(value[:10])
                    row[i] = parsed
            status = row[status_at]
            row[status_at] = statuses.get(status, status)
            register[row[0]] = tuple(row[1:])
    return register


_REG_ID, _REG_VERSION, _REG_NAME = 0, 1, 2
_REG_POS = {f: 3 + i for i, f in enumerate(GIAS_FIELDS)}


class _Comparer:
    def __init__(
        self,
        schools: SchoolsService,
        columns: _GiasColumns,
        register: dict[int, tuple[Any, ...]],
        preview: ImportPreview,
    ) -> None:
        self.check = schools._check  # the very rules a typed-in school obeys
        self.columns = columns
        self.register = register
        self.preview = preview
        self.seen: dict[int, int] = {}
        self.dates: dict[str, date | str] = {}
        self.pupils_without_census = 0

    def run(self, table: TableFile, progress: Progress | None) -> None:
        preview = self.preview
        cols = self.columns
        width = cols.width
        urn_at, la_at = cols.urn, cols.la
        la_code = preview.la_code
        seen = self.seen
        total = table.total_hint
        is_xlsx = cols.is_xlsx
        text_positions = cols.text_positions
        for row_number, cells in table.rows:
            preview.rows_read += 1
            if progress is not None and preview.rows_read % _REPORT_EVERY == 0:
                progress.report(min(preview.rows_read, total), total, "Checking the schools…")
            if len(cells) != width:
                if cols.is_xlsx:
                    cells = (cells + [""] * width)[:width]
                else:
                    preview.rejected.append(
                        RejectedRow(
                            row_number,
                            "",
                            "",
                            f"This row has {len(cells)} values where the header has {width} "
                            "(perhaps a comma or quote mark is missing).",
                        )
                    )
                    continue
            if is_xlsx:
                for at in text_positions:
                    if not isinstance(cells[at], str):
                        cells[at] = cell_text(cells[at])
            urn_text = cell_text(cells[urn_at]).strip()
            if urn_text.isdigit() and len(urn_text) < 20:
                urn_number = int(urn_text)
                first = seen.setdefault(urn_number, row_number)
                if first != row_number:
                    raise ImportFileError(
                        f"{table.name} has URN {urn_number} twice, in rows {first} and "
                        f"{row_number}. A GIAS extract lists each school once; check the file."
                    )
            if la_code is not None and la_at is not None:
                if cell_text(cells[la_at]).strip() != la_code:
                    preview.rows_other_la += 1
                    continue
            self.row(row_number, cells, urn_text)
        if progress is not None:
            progress.report(preview.rows_read, preview.rows_read, "Checked.")
        if self.pupils_without_census:
            n = self.pupils_without_census
            preview.warnings.append(
                f"{n} row{'s' if n != 1 else ''} gave a number of pupils without a census date; "
                "those numbers were not imported."
            )

    def row(self, row_number: int, cells: list[Cell], urn_text: str) -> None:
        cols = self.columns
        values: dict[str, Any] = {"urn": urn_text}
        for at, name in cols.text_cols:
            values[name] = cells[at]
        for at, name in cols.interned_cols:
            values[name] = sys.intern(cells[at].strip())  # type: ignore[union-attr]
        for at, name in cols.name_cols:
            text = cells[at].strip()  # type: ignore[union-attr]
            values[name] = "" if text.lower() in PLACEHOLDERS else sys.intern(text)
        dates = self.dates
        for at, name in cols.date_cols:
            cell = cells[at]
            if isinstance(cell, str):
                key = cell.strip()
                if not key:
                    values[name] = None
                    continue
                parsed = dates.get(key)
                if parsed is None:
                    try:
                        parsed = parse_date(key)
                    except ValueError:
                        parsed = key  # the school validation words the message
                    if len(dates) < 100_000:
                        dates[key] = parsed
                values[name] = parsed
            else:
                values[name] = cell
        if cols.status_at is not None:
            text = cells[cols.status_at].strip()  # type: ignore[union-attr]
            status = GIAS_STATUSES.get(text.lower())
            if status is None:
                reason = (
                    f"“{text}” is not an establishment status this program knows "
                    "(Open, Closed, Open but proposed to close, Proposed to open)"
                    if text
                    else "The establishment status is blank"
                )
                column = cols.header[cols.status_at]
                self.preview.rejected.append(RejectedRow(row_number, column, text, reason))
                return
            values["status"] = status
        if cols.phone_at is not None and cols.is_xlsx:
            text = cells[cols.phone_at].strip()  # type: ignore[union-attr]
            if text.isdigit() and len(text) == 10:
                values["phone"] = "0" + text  # Excel drops the 0 of a phone number it sees as one
        if "phone" in values:
            # GIAS gives bare digits; the register keeps them spaced as people write them (and
            # so an unchanged row still matches the register without the full check).
            values["phone"] = format_uk_phone(str(values["phone"]).strip())
        status = values.get("status")
        if status is not None and (status != SchoolStatus.CLOSED or "close_date" not in values):
            values["close_date"] = None  # GIAS's proposed closing date of a school still open
        owned = cols.owned
        if "pupils_on_roll" in values:
            pupils_blank = not str(values["pupils_on_roll"]).strip()
            census_blank = values["pupils_census_date"] is None
            if pupils_blank or census_blank:
                if not pupils_blank:
                    self.pupils_without_census += 1
                values["pupils_on_roll"] = None
                values["pupils_census_date"] = None
                owned = tuple(f for f in owned if f not in PUPIL_FIELDS)
        current = None
        if len(urn_text) == 6 and urn_text.isdigit():
            current = self.register.get(int(urn_text))
            if current is not None and _same_as_stored(values, current, owned):
                self.preview.unchanged += 1
                return
        try:
            checked, _ = self.check(SchoolInput(**values))
        except ValidationError as exc:
            self.preview.rejected.extend(self._rejections(row_number, cells, exc))
            return
        urn = checked["urn"]
        if current is None:
            self.preview.new.append(NewSchool(row_number, urn, checked["name"], checked))
            return
        self._compare(row_number, urn, checked, current, owned)

    def _compare(
        self,
        row_number: int,
        urn: int,
        checked: dict[str, Any],
        current: tuple[Any, ...],
        owned: tuple[str, ...],
    ) -> None:
        preview = self.preview
        school_id, version, name = current[_REG_ID], current[_REG_VERSION], current[_REG_NAME]
        old_status = current[_REG_POS["status"]]
        if "pupils_on_roll" in owned:
            old_census = current[_REG_POS["pupils_census_date"]]
            if old_census is not None and checked["pupils_census_date"] < old_census:
                owned = tuple(f for f in owned if f not in PUPIL_FIELDS)
        changes = []
        new_values: dict[str, object] = {}
        for f in owned:
            old = current[_REG_POS[f]]
            new = checked[f]
            if not _same(old, new):
                label = SCHOOL_LABELS[f]
                changes.append(FieldChange(f, label, display_value(old), display_value(new)))
                new_values[f] = new
        if not changes:
            preview.unchanged += 1
            return
        # A pupil figure goes with its census date, even when only one of them differs.
        for pair in (PUPIL_FIELDS, ("status", "close_date")):
            if any(p in new_values for p in pair):
                for p in pair:
                    new_values.setdefault(p, checked[p])
        if checked.get("status") == SchoolStatus.CLOSED and old_status != SchoolStatus.CLOSED:
            others = tuple(c for c in changes if c.field not in ("status", "close_date"))
            preview.closed.append(
                ClosedSchool(
                    row_number,
                    urn,
                    name,
                    school_id,
                    version,
                    checked["close_date"],
                    others,
                    new_values,
                )
            )
            return
        preview.changed.append(
            ChangedSchool(row_number, urn, name, school_id, version, tuple(changes), new_values)
        )

    def _rejections(
        self, row_number: int, cells: list[Cell], exc: ValidationError
    ) -> Iterable[RejectedRow]:
        header = self.columns.header
        index = {f: at for at, f, _ in self.columns.used}
        index["urn"] = self.columns.urn
        for name, message in exc.field_errors.items():
            at = index.get(name)
            if at is None:
                column = COLUMN_OF_FIELD.get(name, SCHOOL_LABELS.get(name, name))
                value = ""
            else:
                column = header[at]
                value = cell_text(cells[at]).strip()
            yield RejectedRow(row_number, column, value, message)


# -- writing ----------------------------------------------------------------------------------
def apply_preview(
    db: Database, actor: Actor, preview: ImportPreview, progress: Progress | None
) -> ImportResult:
    """Write a preview's new, changed and closed schools in one transaction.

    Every changed or closed school must still be at the version the preview saw, and no new
    school's URN may have been added meanwhile; otherwise :class:`ConflictError` names the
    schools and nothing is written. Cancelling through ``progress`` rolls everything back.
    """
    now = utcnow()
    who = actor.name
    total = len(preview.new) + len(preview.changed) + len(preview.closed)
    done = 0

    def report() -> None:
        if progress is not None:
            progress.report(done, total, "Saving the schools…")

    table: Table = School.__table__  # type: ignore[assignment]
    with db.session() as session:
        report()
        _check_versions(session, preview)
        if preview.new:
            wanted = {n.urn for n in preview.new}
            taken = set(session.scalars(select(School.urn))) & wanted
            if taken:
                names = [f"{n.name} (URN {n.urn})" for n in preview.new if n.urn in taken]
                raise ConflictError(
                    "Someone added "
                    + ("this school" if len(names) == 1 else "these schools")
                    + " to the register after the file was checked: "
                    + _list_names(names)
                    + ". Nothing was imported; check the file again."
                )
        if preview.new:
            names = [*SCHOOL_FIELDS, *_RECORD_FIELDS]
            insert_rows = _BulkInsert(session, table, names, unique=("uuid", "urn"))
            school_values = itemgetter(*SCHOOL_FIELDS)
            for start in range(0, len(preview.new), _CHUNK):
                chunk = preview.new[start : start + _CHUNK]
                insert_rows(
                    [
                        (*school_values(item.values), uuid.uuid4(), now, who, now, who, 1)
                        for item in chunk
                    ]
                )
                done += len(chunk)
                report()

        updates: list[ChangedSchool | ClosedSchool] = [*preview.changed, *preview.closed]
        if updates:
            # One statement for every school, whatever mix of fields changed: each field is
            # SET to the new value where it changed and to itself elsewhere.
            names = sorted({name for item in updates for name in item.values})
            stmt = (
                update(table)
                .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
                .values(
                    {
                        name: case(
                            (
                                bindparam(f"s_{name}", type_=Boolean()),
                                bindparam(f"v_{name}", type_=table.c[name].type),
                            ),
                            else_=table.c[name],
                        )
                        for name in names
                    }
                    | {"version": table.c.version + 1, "updated_at": now, "updated_by": who}
                )
            )
            sane = db.engine.dialect.supports_sane_multi_rowcount
            for start in range(0, len(updates), _CHUNK):
                batch = updates[start : start + _CHUNK]
                params = []
                for item in batch:
                    row: dict[str, object] = {"_id": item.school_id, "_version": item.version}
                    values = item.values
                    if isinstance(item, ClosedSchool) and not values:  # built by hand
                        values = {"status": SchoolStatus.CLOSED, "close_date": item.close_date}
                    for name in names:
                        row[f"s_{name}"] = name in values
                        row[f"v_{name}"] = values.get(name)
                    params.append(row)
                result: Any = session.execute(stmt, params)
                if sane and result.rowcount != len(batch):
                    raise ConflictError(
                        "Someone changed some of these schools while the import was saving. "
                        "Nothing was imported; check the file again."
                    )
                done += len(batch)
                report()
    return ImportResult(len(preview.new), len(preview.changed), len(preview.closed))


_RECORD_FIELDS = ("uuid", "created_at", "created_by", "updated_at", "updated_by", "version")


class _BulkInsert:
    """INSERT of many rows through the driver's executemany, values converted column by column.

    Each value goes through its column type's own bind processor (the conversion SQLAlchemy
    would make), so SQLite and PostgreSQL store exactly what an ORM insert stores; skipping
    SQLAlchemy's per-row parameter handling makes a 50,000-school import several times faster.
    Every value must be given (the mapper's defaults are not applied here).
    """

    def __init__(
        self, session: Any, table: Any, names: list[str], unique: tuple[str, ...] = ()
    ) -> None:
        self.unique = frozenset(unique)
        self.conn = session.connection()
        dialect = self.conn.dialect
        stmt = insert(table).values({n: bindparam(n) for n in names})
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = compiled.positional
        order = list(compiled.positiontup or []) if self.positional else names
        self.names = names
        at = {n: i for i, n in enumerate(names)}
        self.order = [at[n] for n in order]
        self.processors = [
            table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
        ]

    def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        columns = list(zip(*rows, strict=True))
        for i, process in enumerate(self.processors):
            if process is None:
                continue
            if self.names[i] in self.unique:
                columns[i] = tuple(map(process, columns[i]))
            else:  # few distinct values (dates, status, flags): convert each one once
                converted = {v: process(v) for v in set(columns[i])}
                columns[i] = tuple(map(converted.__getitem__, columns[i]))
        if self.positional:
            params: list[Any] = list(zip(*(columns[i] for i in self.order), strict=True))
        else:
            rows_again = zip(*columns, strict=True)
            params = [dict(zip(self.names, values, strict=True)) for values in rows_again]
        self.conn.exec_driver_sql(self.sql, params)


def _check_versions(session: Any, preview: ImportPreview) -> None:
    items: list[ChangedSchool | ClosedSchool] = [*preview.changed, *preview.closed]
    if not items:
        return
    current: dict[int, int] = {}
    ids = [i.school_id for i in items]
    for start in range(0, len(ids), 500):
        stmt = (
            select(School.id, School.version)
            .where(School.id.in_(ids[start : start + 500]))
            .with_for_update()
        )
        current.update({row[0]: row[1] for row in session.execute(stmt)})
    stale = [i for i in items if current.get(i.school_id) != i.version]
    if stale:
        names = [f"{i.name} (URN {i.urn})" for i in stale]
        raise ConflictError(
            "Someone changed or removed "
            + ("this school" if len(stale) == 1 else "these schools")
            + " after the file was checked: "
            + _list_names(names)
            + ". Nothing was imported; check the file again to see the differences now."
        )


def _list_names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return shown
