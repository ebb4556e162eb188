"""Importing schools from the DfE's GIAS establishment extract ("edubasealldata")."""

from __future__ import annotations

from pathlib import Path

from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.validation import check_digits
from thep_desktop.services.import_export.gias_columns import GiasColumns
from thep_desktop.services.import_export.gias_rows import GiasRowComparer
from thep_desktop.services.import_export.import_preview import ImportPreview, ImportResult
from thep_desktop.services.import_export.import_writer import apply_preview, inspections_lacking
from thep_desktop.services.import_export.register_rows import read_register
from thep_desktop.services.import_export.tabular import ImportFileError, open_table
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.bulk import cycle_collector_paused
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.retry import save


class GiasImportService:
    """Reads a GIAS extract, says what importing it would do, and does it.

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

    Ofsted: a row with a rating and an inspection date gives the school that inspection (source
    "gias", a graded inspection, the grade GIAS's words stand for) only if the school has no
    inspection on that date; one the office entered or an earlier import added is never
    overwritten, whatever GIAS says, and a file without the Ofsted columns removes nothing.
    The school's own ``ofsted_grade``/``ofsted_date`` stay GIAS's last word, as before.

    Pupil numbers: a blank ``NumberOfPupils`` means GIAS has no figure, so the register's is kept;
    a figure with an older census date than the register's (say, from a pupil numbers refresh
    after the census) does not replace the newer one.
    """

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
        actor.require(EDIT_SCHOOLS)
        if la_code is not None:
            try:
                la_code = check_digits(str(la_code), 3, "LA code")
            except ValueError as exc:
                raise ValidationError({"la_code": str(exc)}) from None
            la_code = la_code or None
        with cycle_collector_paused(), open_table(path) as table:
            columns = GiasColumns(table)
            preview = ImportPreview("gias", table.name, la_code)
            preview.warnings.extend(columns.warnings())
            if la_code is not None and columns.la is None:
                raise ImportFileError(
                    f"{table.name} has no “LA (code)” column, so its schools cannot be picked "
                    f"out for LA {la_code}. Import it for all of England, or use a full extract."
                )
            register = read_register(self.db)
            GiasRowComparer(self._schools, columns, register, preview).run(table, progress)
        if progress is not None:
            done = preview.rows_read
            progress.report(done, done, "Checking the Ofsted inspections…")
        preview.inspections = inspections_lacking(self.db, preview.inspections)
        if progress is not None:  # a Cancel pressed while the inspections were looked up
            progress.check()
        if la_code is not None and preview.rows_read and preview.rows_other_la == preview.rows_read:
            preview.warnings.append(
                f"No school in this file has LA code {la_code}; check the LA code or the file."
            )
        return preview

    @save
    def apply(
        self, actor: Actor, preview: ImportPreview, progress: Progress | None = None
    ) -> ImportResult:
        """Write what ``preview`` found, in one transaction (all or nothing)."""
        actor.require(EDIT_SCHOOLS)
        if preview.kind != "gias":
            raise ValueError(f"a {preview.kind!r} preview given to the GIAS import")
        with cycle_collector_paused():
            return apply_preview(self.db, actor, preview, progress)
