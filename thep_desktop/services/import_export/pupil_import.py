"""Refreshing pupil numbers from a spreadsheet: URN, number of pupils, census date.

For the figures the office gets before GIAS publishes them (the LA's own census returns, a
school's return). The file is a CSV or an Excel workbook with a URN column, a number of
pupils column and (usually) a census date column; the column names are matched loosely
("Number of pupils", "NumberOfPupils", "Pupils", "NOR"...). As with the GIAS import, a
preview says what would change and changes nothing; apply writes it in one transaction.

Row accounting: every non-blank data row is exactly one of changed, unchanged or rejected
(``rows_read == changed + unchanged + rejected_rows``). A URN not in the register, a
negative or non-numeric number, a blank number and a row without a census date (when no
census date is given for the whole file) are rejected with the reason.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from thep_desktop.database import Database
from thep_desktop.domain.dates import parse_optional_date
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.validation import check_urn
from thep_desktop.models import School
from thep_desktop.services.import_export.import_preview import (
    ChangedSchool,
    FieldChange,
    ImportPreview,
    ImportResult,
    RejectedRow,
    display_value,
)
from thep_desktop.services.import_export.import_writer import apply_preview
from thep_desktop.services.import_export.register_rows import (
    REG_ID,
    REG_NAME,
    REG_POS,
    REG_VERSION,
    read_register,
)
from thep_desktop.services.import_export.tabular import (
    Cell,
    ImportFileError,
    cell_text,
    normalise_header,
    open_table,
)
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.schools.schools_service import SCHOOL_LABELS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.retry import save

URN_NAMES = ("urn", "schoolurn")
PUPIL_NAMES = (
    "numberofpupils",
    "pupils",
    "pupilsonroll",
    "numberonroll",
    "nor",
    "noofpupils",
    "totalpupils",
)
CENSUS_NAMES = ("censusdate", "census", "dateofcensus")

_REPORT_EVERY = 500


def _cell(cells: list[Cell], at: int | None) -> str:
    if at is None or at >= len(cells):
        return ""
    return cell_text(cells[at]).strip()


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [normalise_header(h) for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


class PupilNumbersService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def preview(
        self,
        actor: Actor,
        path: str | Path,
        progress: Progress | None = None,
        *,
        census_date: date | str | None = None,
    ) -> ImportPreview:
        """Compare the file's pupil numbers with the register; change nothing.

        ``census_date`` is used for rows whose census date is blank (or for every row when
        the file has no census date column).
        """
        actor.require(EDIT_SCHOOLS)
        default_census: date | None = None
        if census_date is not None and str(census_date).strip():
            try:
                default_census = parse_optional_date(census_date)  # type: ignore[arg-type]
            except ValueError as exc:
                raise ValidationError({"census_date": f"Census date: {exc}"}) from None
        with open_table(path) as table:
            urn_at = _find(table.header, URN_NAMES)
            pupils_at = _find(table.header, PUPIL_NAMES)
            census_at = _find(table.header, CENSUS_NAMES)
            missing = []
            if urn_at is None:
                missing.append("“URN”")
            if pupils_at is None:
                missing.append("“Number of pupils”")
            if missing:
                raise ImportFileError(
                    f"{table.name} has no {' or '.join(missing)} column. A pupil numbers file "
                    "needs the columns URN, Number of pupils and Census date."
                )
            assert urn_at is not None and pupils_at is not None
            if census_at is None and default_census is None:
                raise ImportFileError(
                    f"{table.name} has no “Census date” column. Add one, or give the census "
                    "date these numbers are from."
                )
            preview = ImportPreview("pupils", table.name, None)
            register = read_register(self.db)
            checker = FieldChecker(School.__table__, SCHOOL_LABELS)  # type: ignore[arg-type]
            header = table.header
            seen: dict[int, int] = {}
            total = table.total_hint
            for row_number, cells in table.rows:
                preview.rows_read += 1
                if progress is not None and preview.rows_read % _REPORT_EVERY == 0:
                    progress.report(min(preview.rows_read, total), total, "Checking…")

                def reject(at: int | None, value: str, reason: str, row: int = row_number) -> None:
                    column = header[at] if at is not None else "Census date"
                    preview.rejected.append(RejectedRow(row, column, value, reason))

                urn_text = _cell(cells, urn_at)
                try:
                    urn = check_urn(urn_text)
                except ValueError as exc:
                    reject(urn_at, urn_text, str(exc))
                    continue
                first = seen.setdefault(urn, row_number)
                if first != row_number:
                    raise ImportFileError(
                        f"{table.name} has URN {urn} twice, in rows {first} and {row_number}. "
                        "Give each school's number once."
                    )
                current = register.get(urn)
                if current is None:
                    reject(urn_at, urn_text, f"There is no school with URN {urn} in the register")
                    continue
                pupils_text = _cell(cells, pupils_at)
                if not pupils_text:
                    reject(pupils_at, "", "No number of pupils is given")
                    continue
                checker.errors.clear()
                pupils = checker.whole_number("pupils_on_roll", pupils_text, maximum=100_000)
                if checker.errors:
                    reject(pupils_at, pupils_text, checker.errors["pupils_on_roll"])
                    continue
                raw_census: Cell = ""
                if census_at is not None and census_at < len(cells):
                    raw_census = cells[census_at]
                census = checker.date("pupils_census_date", raw_census)
                if checker.errors:
                    reason = checker.errors["pupils_census_date"]
                    reject(census_at, _cell(cells, census_at), reason)
                    continue
                if census is None:
                    census = default_census
                if census is None:
                    reject(census_at, "", "No census date: give the census date the number is from")
                    continue
                old_pupils = current[REG_POS["pupils_on_roll"]]
                old_census = current[REG_POS["pupils_census_date"]]
                if old_pupils == pupils and old_census == census:
                    preview.unchanged += 1
                    continue
                changes = tuple(
                    FieldChange(f, SCHOOL_LABELS[f], display_value(old), display_value(new))
                    for f, old, new in (
                        ("pupils_on_roll", old_pupils, pupils),
                        ("pupils_census_date", old_census, census),
                    )
                    if old != new
                )
                preview.changed.append(
                    ChangedSchool(
                        row_number,
                        urn,
                        current[REG_NAME],
                        current[REG_ID],
                        current[REG_VERSION],
                        changes,
                        {"pupils_on_roll": pupils, "pupils_census_date": census},
                    )
                )
        return preview

    @save
    def apply(
        self, actor: Actor, preview: ImportPreview, progress: Progress | None = None
    ) -> ImportResult:
        """Write the previewed pupil numbers in one transaction (all or nothing)."""
        actor.require(EDIT_SCHOOLS)
        if preview.kind != "pupils":
            raise ValueError(f"a {preview.kind!r} preview given to the pupil numbers import")
        return apply_preview(self.db, actor, preview, progress)
