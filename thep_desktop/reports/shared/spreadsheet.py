"""Writing a table of typed values to an Excel workbook (.xlsx) or a CSV file, without Qt.

File > Export hands over what the user sees (filtered and sorted) as a :class:`TableData`:
column titles with their kind (:data:`KINDS`) and rows of typed values. The workbook has a
heading naming the source and time, a bold frozen header row with an autofilter, columns
sized to their contents, dates as real dates shown dd/mm/yyyy and money as numbers shown in
pounds. The CSV file is UTF-8 with a byte order mark so Excel reads "£" and accents right.

Text that a spreadsheet could take for a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
carriage return) never becomes one: in a workbook it is a text cell marked with Excel's quote
prefix, in CSV it gets a leading apostrophe.

The file appears only when complete: rows go to a temporary file in the same folder, which
replaces the target at the end, so a cancelled or failed export leaves no half-written file.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, BinaryIO

from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.files import file_message, folder_message, in_use_message, new_file_message
from thep_desktop.domain.progress import Progress

KINDS = ("text", "integer", "count", "date", "money", "bool")
"""What a column holds; decides the cell type and number format it is written with.

``integer`` is a whole number shown as it is (a URN); ``count`` a whole number shown with
thousands separators (pupils: 1,250)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could be taken for a formula by a spreadsheet."""

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_FORMAT = '"£"#,##0.00'
COUNT_FORMAT = "#,##0"
SUFFIXES = (".xlsx", ".csv")
SUFFIX_MESSAGE = "Choose a file ending .xlsx or .csv"

MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
MIN_WIDTH = 6
MAX_WIDTH = 60
_FILTER_BUTTON = 3  # room for the autofilter's drop-down arrow beside a header title
_REPORT_EVERY = 250  # rows between progress reports (each may stop the job on Cancel)
_PENNY = Decimal("0.01")
_FONT = "Calibri"  # the workbook's own font: a Font without a name falls back to another


class ExportError(OfficeError):
    """The table could not be written; the message says why and what to do."""


@dataclass(frozen=True)
class ColumnSpec:
    title: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; expected one of {KINDS}")


@dataclass
class TableData:
    """A table as the user sees it: what it is, its columns, and its rows of typed values.

    ``title`` names the table ("Schools register"); ``subtitle`` says what it shows, such as
    the filter in words (empty for everything); ``source`` where the data came from (the
    database). ``row_count`` (if known) lets progress show a percentage.
    """

    title: str
    subtitle: str
    columns: list[ColumnSpec]
    rows: Iterable[Sequence[object]]
    row_count: int | None = None
    source: str = ""
    exported_at: datetime = field(default_factory=datetime.now)
    # Further tables, each a sheet of its own in a workbook (a CSV file holds only this one).
    more_sheets: list[TableData] = field(default_factory=list)
    # A totals row, in bold below the rows and outside the filter (a workbook only).
    totals: Sequence[object] | None = None

    @property
    def heading(self) -> str:
        """``Schools register — exported 25/11/2026 14:05 from …``: the workbook's first line."""
        text = f"{self.title} — exported {self.exported_at:%d/%m/%Y %H:%M}"
        return f"{text} from {self.source}" if self.source else text


# -- values -------------------------------------------------------------------------------------
def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return not isinstance(value, float) or math.isfinite(value)


def _local_naive(value: datetime) -> datetime:
    # Excel has no time zones: show the time as it is on this computer.
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def money_text(value: int | float | Decimal) -> str:
    """``1234.50``: money in CSV, plain with two decimals (no £, no thousands separator)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        return str(amount)
    return str(amount.quantize(_PENNY, rounding=ROUND_HALF_UP))


def plain_text(value: object, kind: str) -> str:
    """How a value is written where only text can go (CSV), before any formula guard."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, datetime):
        return f"{_local_naive(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if kind == "money" and _is_number(value):
        return money_text(value)  # type: ignore[arg-type]
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_text(value: object, kind: str) -> str:
    """The CSV field for a value: numbers stay numbers; risky text gets a leading apostrophe."""
    text = plain_text(value, kind)
    if isinstance(value, str) and looks_like_formula(text):
        return "'" + text
    return text


def _shown_width(value: object, kind: str) -> int:
    """Roughly how many characters Excel needs to show the value in its number format."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if kind == "money" and _is_number(value):
        return len(f"£{Decimal(str(value)):,.2f}")
    if kind == "count" and isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    text = plain_text(value, kind)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(columns: Sequence[ColumnSpec], rows: Iterable[Sequence[object]]) -> list[int]:
    """Column widths in Excel's units (characters): fit the header and contents, capped."""
    widest = [len(c.title) + _FILTER_BUTTON for c in columns]
    kinds = [c.kind for c in columns]
    for row in rows:
        for number, value in enumerate(row):
            width = _shown_width(value, kinds[number])
            if width > widest[number]:
                widest[number] = width
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widest]


# -- writing a file whole -----------------------------------------------------------------------
def cannot_write_message(path: Path) -> str:
    return in_use_message(path)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a new temporary file beside ``path``; on success it replaces ``path``.

    On any failure (including Cancel) the temporary file is removed and ``path`` is untouched.
    """
    folder = path.parent
    temporary = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp"
    if not folder.is_dir():
        raise ExportError(folder_message(folder))
    try:
        # Created (mode 0666 less the umask, like any new file) before anything is written.
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise ExportError(new_file_message(path, exc)) from exc
    try:
        try:
            yield temporary
        except OSError as exc:  # writing: the disk filled up, or went away
            raise ExportError(new_file_message(path, exc)) from exc
        try:
            os.replace(temporary, path)
        except PermissionError as exc:
            raise ExportError(cannot_write_message(path)) from exc
        except OSError as exc:
            raise ExportError(file_message(path, exc)) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _reporter(progress: Progress | None, total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        if progress is not None:
            if total:
                progress.report(done, total, f"Writing row {done:,} of {total:,}…")
            else:
                progress.report(done, 0, f"Writing row {done:,}…")

    return report


def _materialised(rows: Iterable[Sequence[object]]) -> Sequence[Sequence[object]]:
    return rows if isinstance(rows, list | tuple) else list(rows)


# -- CSV ------------------------------------------------------------------------------------------
def write_csv(path: str | Path, table: TableData, progress: Progress | None = None) -> int:
    """Write the header and rows as CSV (UTF-8 with BOM); returns the number of rows."""
    import csv

    target = Path(path)
    kinds = [c.kind for c in table.columns]
    total = table.row_count or 0
    report = _reporter(progress, total)
    written = 0
    with replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([csv_text(c.title, "text") for c in table.columns])
            report(0)
            for row in table.rows:
                writer.writerow([csv_text(v, kinds[i]) for i, v in enumerate(row)])
                written += 1
                if written % _REPORT_EVERY == 0:
                    report(written)
            report(written)
    return written


# -- Excel ----------------------------------------------------------------------------------------
def write_xlsx(
    path: str | Path | BinaryIO, table: TableData, progress: Progress | None = None
) -> int:
    """Write an Excel workbook of the table; returns the number of rows written.

    The table's ``more_sheets`` follow as sheets of their own; the count is the first
    sheet's rows (what the user exported: schools, not their contacts). ``path`` may also
    be an open binary stream (a workbook kept in memory, or attached to a message).
    """
    from openpyxl import Workbook

    if progress is not None:
        progress.report(0, 0, "Preparing the workbook…")
    tables = [table, *table.more_sheets]
    all_rows = [_materialised(t.rows) for t in tables]
    total = sum(len(rows) for rows in all_rows)
    report = _reporter(progress, total)

    # Write-only mode streams rows to disk (25,000 rows in seconds, little memory); its
    # column widths and panes must be set before the first row, its filter before closing.
    workbook = Workbook(write_only=True)
    workbook.properties.title = table.title
    workbook.properties.creator = "THE Partnership Office"
    sheets: list[Any] = []
    written = 0
    try:
        with _written_whole(path) as temporary:
            report(0)
            done = 0
            for number, (sheet_table, rows) in enumerate(zip(tables, all_rows, strict=True)):
                sheet = workbook.create_sheet(_sheet_title(sheet_table.title))
                sheets.append(sheet)
                count = _write_sheet(sheet, sheet_table, rows, _offset(report, done))
                done += count
                if number == 0:
                    written = count
            report(done)
            if progress is not None:
                progress.report(done, total, "Saving the workbook…")
            workbook.save(temporary)
    except BaseException:
        # Also when the file could not even be started (a folder that cannot be written):
        # the rows streamed so far are tidied away, not left for the garbage collector.
        for sheet in sheets:
            _discard_stream(sheet)
        raise
    return written


@contextmanager
def _written_whole(path: str | Path | BinaryIO) -> Iterator[Path | BinaryIO]:
    """Where to save: a temporary file replacing ``path`` when complete, or the stream."""
    if isinstance(path, str | Path):
        with replacing(Path(path)) as temporary:
            yield temporary
    else:
        yield path


def _offset(report: Callable[[int], None], before: int) -> Callable[[int], None]:
    """``report`` for a later sheet: its rows count on from the sheets before it."""
    return lambda done: report(before + done)


def _write_sheet(
    sheet: Any,
    table: TableData,
    rows: Sequence[Sequence[object]],
    report: Callable[[int], None],
) -> int:
    """Stream one table into a write-only sheet: heading, header row, typed rows, filter."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
    from openpyxl.styles import Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = table.columns
    kinds = [c.kind for c in columns]
    last_column = get_column_letter(max(1, len(columns)))
    for number, width in enumerate(column_widths(columns, rows), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    header_row = 3 if table.subtitle else 2
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def text_cell(text: str, font: Font | None = None) -> WriteOnlyCell:
        # A carriage return reads back as a line break (XML turns it into one anyway).
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        cell = WriteOnlyCell(sheet, cleaned)
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        if looks_like_formula(text):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        if font is not None:
            cell.font = font
        return cell

    def styled(value: object, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = number_format
        return cell

    def typed(value: object, kind: str) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return "Yes" if value else None
        if isinstance(value, datetime):
            return styled(_local_naive(value), DATETIME_FORMAT)
        if isinstance(value, date):
            return styled(value, DATE_FORMAT)
        if _is_number(value):
            if not _is_finite(value):
                return str(value)  # Excel has no NaN or infinity
            if kind == "money":
                return styled(value, MONEY_FORMAT)
            if kind == "count":
                return styled(value, COUNT_FORMAT)
            return value
        text = value if isinstance(value, str) else str(value)
        if len(text) > MAX_CELL_TEXT:
            return text_cell(text[: MAX_CELL_TEXT - 1] + "…")
        if looks_like_formula(text) or "\r" in text or ILLEGAL_CHARACTERS_RE.search(text):
            return text_cell(text)
        return text

    sheet.append([text_cell(table.heading, Font(name=_FONT, bold=True, size=13))])
    if table.subtitle:
        sheet.append([text_cell(table.subtitle, Font(name=_FONT, italic=True, color="595959"))])
    bold = Font(name=_FONT, bold=True)
    shade = PatternFill("solid", fgColor="E8EEF4")
    rule = Border(bottom=Side(style="thin", color="7F7F7F"))
    header = []
    for column in columns:
        cell = text_cell(column.title, bold)
        cell.fill = shade
        cell.border = rule
        header.append(cell)
    sheet.append(header)

    written = 0
    for row in rows:
        sheet.append([typed(v, kinds[i]) for i, v in enumerate(row)])
        written += 1
        if written % _REPORT_EVERY == 0:
            report(written)
    if table.totals is not None:
        totals = []
        for number, value in enumerate(table.totals):
            cell = typed(value, kinds[number])
            if not isinstance(cell, Cell):
                cell = WriteOnlyCell(sheet, cell)
            cell.font = bold
            cell.border = Border(top=Side(style="thin", color="7F7F7F"))
            totals.append(cell)
        sheet.append(totals)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + written}"
    return written


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet name, and more than 31 characters.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Export"


def _discard_stream(sheet: Any) -> None:
    """Remove the rows a write-only sheet streamed to the system's temporary folder."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    rows = getattr(sheet, "_rows", None)
    for step in (
        rows.close if rows is not None else None,  # ends the rows' XML while its file is open
        writer.close,
        writer.cleanup,
    ):
        if step is None:
            continue
        try:
            step()
        except Exception:  # noqa: BLE001 - only tidying up after the real error
            pass


# -- either ---------------------------------------------------------------------------------------
def export_table(path: str | Path, table: TableData, progress: Progress | None = None) -> int:
    """Write ``table`` as Excel or CSV, chosen by the file name; returns the rows written."""
    suffix = Path(path).suffix.casefold()
    if suffix == ".xlsx":
        return write_xlsx(path, table, progress)
    if suffix == ".csv":
        return write_csv(path, table, progress)
    raise ExportError(SUFFIX_MESSAGE)
