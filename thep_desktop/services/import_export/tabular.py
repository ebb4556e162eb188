"""Reading rows from a CSV or Excel (.xlsx) file, whatever program or agency wrote it.

Used by the imports (GIAS establishments, pupil numbers). The file is streamed, never held
whole in memory: a 50,000-row GIAS extract is read one row at a time.

What is taken care of here, so that every import behaves the same:

- the kind of file is found from its first bytes, not its name (an .xlsx renamed .csv is read
  as Excel; a PDF, an old .xls or other binary file is refused with a message saying so);
- the text encoding is detected: UTF-16 with its byte order mark (what Excel writes as
  "Unicode text"), UTF-8 (with or without a byte order mark) if the whole file decodes as
  UTF-8, otherwise Windows-1252 (what GIAS and Excel's "CSV" write);
- the separator is a comma, or a tab when the header line is separated by tabs (Excel's
  "Text" and "Unicode text" files);
- a stray control character (a NUL, an escape) in a text file does not make it "binary":
  the rows are read, and the school checks refuse the row holding it in words, naming the
  column, while the other rows are imported (see domain/text_characters.py);
- a file cut short (a quoted value never closed, or a last row with fewer values than the
  header) is refused rather than half read;
- Excel cells come back as text, except dates, which come back as :class:`datetime.date`
  (numbers as their text: 100492, not 100492.0).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from thep_desktop.services.shared.errors import ServiceError

Cell = str | date

_CHUNK = 1 << 20
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported; nothing was changed. The message says why."""


@dataclass
class TableFile:
    """An open CSV or Excel file: its header and an iterator over its data rows.

    ``rows`` yields ``(row_number, cells)`` where ``row_number`` counts as a spreadsheet
    program does (the header is row 1) and ``cells`` is a list of str (or date, from Excel).
    Blank lines (or lines of empty cells) are skipped but still counted in the numbering.
    ``total_hint`` is roughly how many rows there are, for a progress bar (0 if unknown).
    """

    name: str
    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total_hint: int = 0
    encoding: str = ""
    _closers: list[Any] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for closer in self._closers:
            closer()
        self._closers.clear()

    def __enter__(self) -> TableFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(path: str | Path) -> TableFile:
    """Open ``path`` as a table. Raises :class:`ImportFileError` with a message for the user."""
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except FileNotFoundError:
        raise ImportFileError(f"The file {name} does not exist (was it moved?).") from None
    except IsADirectoryError:
        raise ImportFileError(f"{name} is a folder, not a file.") from None
    except OSError as exc:
        raise ImportFileError(f"The file {name} cannot be read: {exc.strerror}.") from None
    if not start:
        raise ImportFileError(f"The file {name} is empty.")
    if start.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    if start.startswith(b"%PDF"):
        raise ImportFileError(
            f"{name} is a PDF document, not a CSV or Excel file. Download the data as CSV."
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"{name} is an old-style Excel (.xls) file. Open it in Excel and save it as "
            "“Excel Workbook (.xlsx)” or “CSV”, then import that."
        )
    if path.suffix.lower() in _XLSX_SUFFIXES:
        raise ImportFileError(f"{name} is named as an Excel file but is not one.")
    return _open_csv(path)


# -- CSV ------------------------------------------------------------------------------------
# UTF-16 is what Excel writes as "Unicode text" (.txt, tab-separated, with a byte order mark).
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class _CsvForm:
    encoding: str
    lines: int
    delimiter: str


def _utf16_without_bom(start: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" for UTF-16 text written without a byte order mark, else None.

    Text that is mostly Latin letters has a zero byte beside nearly every letter, on the same
    side each time; binary data has zeros anywhere.
    """
    pairs = len(start) // 2
    if pairs < 8:
        return None
    odd = sum(1 for i in range(1, 2 * pairs, 2) if start[i] == 0)
    even = sum(1 for i in range(0, 2 * pairs, 2) if start[i] == 0)
    if odd >= 0.8 * pairs and even == 0:
        return "utf-16-le"
    if even >= 0.8 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _binary(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} is not a CSV or Excel file (it holds binary data). Check you chose the right file."
    )


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def _looks_binary(chunk: bytes) -> bool:
    """Zero bytes in runs, or control bytes in numbers, as in programs and images.

    A stray NUL or control character in a row of a text file is left for that row to be
    refused in words (see domain/text_characters.py) while the other rows are imported.
    """
    if b"\x00\x00" in chunk:
        return True
    controls = len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
    return controls * 100 > len(chunk) and controls > 2


def _scan_csv(path: Path) -> _CsvForm:
    """Decide the encoding and the separator and count the lines, in one pass over the bytes."""
    name = path.name
    with path.open("rb") as handle:
        start = handle.read(_CHUNK)
    utf16 = next((enc for bom, enc in _UTF16_BOMS if start.startswith(bom)), None)
    utf16 = utf16 or _utf16_without_bom(start[:4096])
    if utf16 is not None:
        return _scan_utf16(path, utf16)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8 = True
    lines = 0
    bom = start.startswith(codecs.BOM_UTF8)
    non_ascii = False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if _looks_binary(chunk):
                raise _binary(name)
            lines += chunk.count(b"\n")
            if utf8 and (non_ascii or not chunk.isascii()):
                non_ascii = True
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8 and non_ascii:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    # Windows-1252 leaves five byte values undefined: such a byte stops the reading with
    # ImportFileError (see _not_text), as the rows are read.
    encoding = ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"
    first = start.split(b"\n", 1)[0].decode(encoding, errors="replace")
    return _CsvForm(encoding, lines, _separator(first))


def _scan_utf16(path: Path, encoding: str) -> _CsvForm:
    """UTF-16 ("Unicode text"): decoded whole once, to count lines and find damage early."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 0
    first = ""
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                text = decoder.decode(chunk)
                if not first:
                    first = text.split("\n", 1)[0]
                if "\x00\x00" in text:
                    raise _binary(path.name)
                lines += text.count("\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path.name} looks like “Unicode text” (UTF-16) but is damaged or cut short. "
                "Save it again from Excel, preferably as “CSV UTF-8 (Comma delimited)”."
            ) from None
    return _CsvForm(encoding, lines, _separator(first.lstrip("\ufeff")))


def _separator(header_line: str) -> str:
    """A tab when the header is separated by tabs (Excel's "Unicode text"), else a comma."""
    tabs = header_line.count("\t")
    return "\t" if tabs and tabs >= header_line.count(",") else ","


def _not_text(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} cannot be read as text (it is neither UTF-8 nor Windows-1252). "
        "Check you chose the right file."
    )


def _open_csv(path: Path) -> TableFile:
    name = path.name
    form = _scan_csv(path)
    handle = path.open("r", encoding=form.encoding, newline="")
    reader = csv.reader(handle, strict=True, delimiter=form.delimiter)
    try:
        header_row = _first_row(reader, name)
    except BaseException:
        handle.close()
        raise
    header = [h.strip().lstrip("\ufeff").strip() for h in header_row]
    table = TableFile(
        name,
        "csv",
        header,
        _csv_rows(reader, name, len(header)),
        total_hint=max(form.lines - 1, 0),
        encoding=form.encoding,
    )
    table._closers.append(handle.close)
    return table


def _csv_error(name: str, row_number: int, exc: csv.Error) -> ImportFileError:
    text = str(exc)
    if "unexpected end of data" in text:
        return ImportFileError(
            f"{name} seems to be cut short: a quoted value starting in row {row_number} is "
            "never closed. Download or save the file again and import the complete file."
        )
    if "field larger than field limit" in text:
        return ImportFileError(
            f"{name} is not a well-formed CSV file: row {row_number} has a value far too long "
            "for any column (perhaps a quote mark is missing)."
        )
    return ImportFileError(
        f"{name} is not a well-formed CSV file: row {row_number} cannot be read ({text})."
    )


def _first_row(reader: Any, name: str) -> list[str]:
    row_number = 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                return row
            row_number += 1
    except csv.Error as exc:
        raise _csv_error(name, row_number, exc) from None
    except UnicodeDecodeError:
        raise _not_text(name) from None
    raise ImportFileError(f"The file {name} is empty.")


def _csv_rows(reader: Any, name: str, width: int) -> Iterator[tuple[int, list[Cell]]]:
    row_number = 1
    pending: tuple[int, list[Cell]] | None = None
    try:
        for row in reader:
            row_number += 1
            if not any(row):  # a blank line, or only separators (",,,")
                continue
            if pending is not None:
                yield pending
            pending = (row_number, row)
    except csv.Error as exc:
        raise _csv_error(name, row_number + 1, exc) from None
    except UnicodeDecodeError:
        raise _not_text(name) from None
    if pending is not None:
        if len(pending[1]) < width:
            raise ImportFileError(
                f"{name} seems to be cut short: its last row (row {pending[0]}) has "
                f"{len(pending[1])} values where the header has {width}. Download or save the "
                "file again and import the complete file."
            )
        yield pending


# -- Excel ----------------------------------------------------------------------------------
def _open_xlsx(path: Path) -> TableFile:
    import zipfile

    from openpyxl import load_workbook

    name = path.name
    # A file object, not the path: openpyxl refuses a workbook whose name does not end .xlsx.
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        handle.close()
        raise ImportFileError(
            f"{name} cannot be opened as an Excel workbook ({exc}). It may be damaged or cut "
            "short; save or download it again."
        ) from None
    except Exception as exc:  # openpyxl raises assorted errors on damaged workbooks
        handle.close()
        raise ImportFileError(f"{name} cannot be opened as an Excel workbook ({exc}).") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        row_number = 0
        for values in rows:
            row_number += 1
            cells = [_xlsx_text(v) for v in values]
            if any(c.strip() if isinstance(c, str) else True for c in cells):
                header = [str(c).strip() for c in cells]
                break
        if header is None:
            raise ImportFileError(f"The file {name} is empty (its first sheet has no rows).")
        while header and not header[-1]:
            header.pop()
        total = max((sheet.max_row or 0) - row_number, 0)
    except ImportFileError:
        workbook.close()
        handle.close()
        raise
    except Exception as exc:  # a damaged sheet inside a readable zip
        workbook.close()
        handle.close()
        raise ImportFileError(f"{name} cannot be read as an Excel workbook ({exc}).") from None
    table = TableFile(name, "xlsx", header, _xlsx_rows(rows, name, row_number), total_hint=total)
    table._closers.append(workbook.close)
    table._closers.append(handle.close)
    return table


def _xlsx_rows(rows: Iterator[Any], name: str, row_number: int) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for values in rows:
            row_number += 1
            cells = [_xlsx_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells or all(isinstance(c, str) and not c.strip() for c in cells):
                continue
            yield row_number, cells
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet part inside the zip
        raise ImportFileError(
            f"{name} cannot be read past row {row_number} ({exc}); it may be damaged."
        ) from None


def _xlsx_text(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def cell_text(cell: Cell) -> str:
    """A cell as text (dates from Excel as dd/mm/yyyy), for messages and text columns."""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return cell


def normalise_header(name: str) -> str:
    """``Number of pupils`` / ``NumberOfPupils`` / ``number_of_pupils`` -> ``numberofpupils``."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


__all__ = [
    "Cell",
    "ImportFileError",
    "TableFile",
    "cell_text",
    "normalise_header",
    "open_table",
]
