"""A GIAS file's rows as schools: read, checked by the register's own rules and compared with it."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from thep_desktop.domain.dates import parse_date
from thep_desktop.domain.gias_vocabulary import (
    gias_status,
    normalise_establishment_type,
    normalise_phase,
)
from thep_desktop.domain.numbers import digits_of, is_plain_digits
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.validation import format_uk_phone
from thep_desktop.models import SchoolStatus
from thep_desktop.services.import_export.gias_columns import (
    COLUMN_OF_FIELD,
    PLACEHOLDERS,
    GiasColumns,
)
from thep_desktop.services.import_export.import_preview import (
    ChangedSchool,
    ClosedSchool,
    FieldChange,
    ImportPreview,
    NewInspection,
    NewSchool,
    RejectedRow,
    display_value,
)
from thep_desktop.services.import_export.register_rows import REG_ID, REG_NAME, REG_POS, REG_VERSION
from thep_desktop.services.import_export.tabular import Cell, ImportFileError, TableFile, cell_text
from thep_desktop.services.schools.school_checks import check_school
from thep_desktop.services.schools.schools_service import SCHOOL_LABELS, SchoolInput, SchoolsService
from thep_desktop.services.shared.errors import ValidationError

PUPIL_FIELDS = ("pupils_on_roll", "pupils_census_date")
_REPORT_EVERY = 1000
VOCABULARY = (("phase", normalise_phase), ("establishment_type", normalise_establishment_type))


def _same_as_stored(values: dict[str, Any], current: tuple[Any, ...], owned: Iterable[str]) -> bool:
    """True when the file's values, as read, are exactly what the register holds.

    The register's values have passed the school validation, and the validation leaves a
    value it has already normalised as it is; so a row matching them needs no checking.
    Anything else (a postcode in lower case, "03" for 3) goes through the full check.
    """
    for f in owned:
        old = current[REG_POS[f]]
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


class GiasRowComparer:
    def __init__(
        self,
        schools: SchoolsService,
        columns: GiasColumns,
        register: dict[int, tuple[Any, ...]],
        preview: ImportPreview,
    ) -> None:
        self.check = check_school  # the very rules a typed-in school obeys
        self.columns = columns
        self.register = register
        self.preview = preview
        self.seen: dict[int, int] = {}
        self.dates: dict[str, date | str] = {}
        self.pupils_without_census = 0
        # Each distinct spelling GIAS used, and the one spelling the register keeps for it.
        self.spellings: dict[str, dict[str, str]] = {"phase": {}, "establishment_type": {}}
        self.statuses: dict[str, SchoolStatus | None] = {}
        self.today = date.today()  # an inspection GIAS dates later is no inspection yet

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
            if not urn_text.isascii():
                # Full-width or superscript digits are the same URN (domain/numbers.py);
                # anything else the school validation refuses in words.
                urn_text = digits_of(urn_text)
            urn_number = int(urn_text) if is_plain_digits(urn_text) and len(urn_text) < 20 else 0
            if urn_number:
                first = seen.setdefault(urn_number, row_number)
                if first != row_number:
                    raise ImportFileError(
                        f"{table.name} has URN {urn_number} twice, in rows {first} and "
                        f"{row_number}. A GIAS extract lists each school once; check the file."
                    )
            if la_code is not None and la_at is not None:
                la_text = cell_text(cells[la_at]).strip()
                if la_text != la_code and digits_of(la_text) != la_code:
                    preview.rows_other_la += 1
                    continue
            self.row(row_number, cells, urn_text, urn_number)
        if progress is not None:
            progress.report(preview.rows_read, preview.rows_read, "Checked.")
        if self.pupils_without_census:
            n = self.pupils_without_census
            preview.warnings.append(
                f"{n} row{'s' if n != 1 else ''} gave a number of pupils without a census date; "
                "those numbers were not imported."
            )

    def row(self, row_number: int, cells: list[Cell], urn_text: str, urn_number: int) -> None:
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
        # One vocabulary whichever year the file is from ("All through" in 2018 and
        # "All-through" now are one phase), so one filter finds every school.
        for name, normalise in VOCABULARY:
            if name in values:
                given = values[name]
                spelling = self.spellings[name].get(given)
                if spelling is None:
                    spelling = self.spellings[name][given] = sys.intern(normalise(given))
                values[name] = spelling
        if cols.status_at is not None:
            text = cells[cols.status_at].strip()  # type: ignore[union-attr]
            if text not in self.statuses:
                self.statuses[text] = gias_status(text)
            status = self.statuses[text]
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
        if cols.phone_at is not None and cols.through_excel:
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
        if len(urn_text) == 6 and urn_number:
            current = self.register.get(urn_number)
            if current is not None and _same_as_stored(values, current, owned):
                self.preview.unchanged += 1
                self._inspection(row_number, urn_number, current[REG_NAME], current[REG_ID], values)
                return
        try:
            checked, _ = self.check(SchoolInput(**values))
        except ValidationError as exc:
            self.preview.rejected.extend(self._rejections(row_number, cells, exc))
            return
        urn = checked["urn"]
        if current is None:
            self.preview.new.append(NewSchool(row_number, urn, checked["name"], checked))
            self._inspection(row_number, urn, checked["name"], None, checked)
            return
        self._inspection(row_number, urn, current[REG_NAME], current[REG_ID], checked)
        self._compare(row_number, urn, checked, current, owned)

    def _inspection(
        self, row_number: int, urn: int, name: str, school_id: int | None, values: dict[str, Any]
    ) -> None:
        """The inspection a row's Ofsted rating and date stand for, if it gives both.

        Whether the school already has an inspection that day is settled once all rows are
        read (GiasImportService.preview), in one query.
        """
        on = values.get("ofsted_date")
        words = values.get("ofsted_grade")
        if isinstance(on, date) and isinstance(words, str) and words.strip() and on <= self.today:
            self.preview.inspections.append(
                NewInspection(row_number, urn, name, school_id, on, words.strip())
            )

    def _compare(
        self,
        row_number: int,
        urn: int,
        checked: dict[str, Any],
        current: tuple[Any, ...],
        owned: tuple[str, ...],
    ) -> None:
        preview = self.preview
        school_id, version, name = current[REG_ID], current[REG_VERSION], current[REG_NAME]
        old_status = current[REG_POS["status"]]
        if "pupils_on_roll" in owned:
            old_census = current[REG_POS["pupils_census_date"]]
            if old_census is not None and checked["pupils_census_date"] < old_census:
                owned = tuple(f for f in owned if f not in PUPIL_FIELDS)
        changes = []
        new_values: dict[str, object] = {}
        for f in owned:
            old = current[REG_POS[f]]
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
