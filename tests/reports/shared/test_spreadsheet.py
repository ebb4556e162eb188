"""Spreadsheet export without Qt: typed cells, heading, frozen header, CSV, formulas, failures."""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
import zipfile
from contextlib import nullcontext
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from unittest import mock

import openpyxl
import pytest

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.reports.shared import spreadsheet
from thep_desktop.reports.shared.spreadsheet import (
    MAX_WIDTH,
    ColumnSpec,
    TableData,
    export_table,
    write_csv,
    write_xlsx,
)

COLUMNS = [
    ColumnSpec("URN", "integer"),
    ColumnSpec("School"),
    ColumnSpec("Opened", "date"),
    ColumnSpec("Fee", "money"),
    ColumnSpec("Concern", "bool"),
    ColumnSpec("Pupils", "integer"),
]
ROWS = [
    (100001, "Bow Primary School", date(2026, 1, 16), Decimal("1234.50"), True, 420),
    (100002, "Stepney Green Secondary", None, Decimal("-5.00"), False, None),
    (100003, "St Mary & St John’s", date(2025, 9, 1), Decimal("0.10"), False, 1100),
]
EXPORTED = datetime(2026, 11, 25, 14, 5)
INJECTIONS = ["=1+1", "+44 20 7946 0000", "-x", "@SUM(A1)", "\tx", "\rx"]


def table(rows: object = ROWS, subtitle: str = "Filter: phase Primary", **kw: object) -> TableData:
    return TableData(
        "Schools register",
        subtitle,
        list(kw.pop("columns", COLUMNS)),  # type: ignore[arg-type]
        rows,  # type: ignore[arg-type]
        kw.pop("row_count", None),  # type: ignore[arg-type]
        source="C:\\Office\\office.sqlite3",
        exported_at=EXPORTED,
    )


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


# -- Excel --------------------------------------------------------------------------------------
def test_workbook_has_heading_filter_line_and_a_bold_frozen_filtered_header(tmp_path: Path) -> None:
    path = tmp_path / "Schools.xlsx"
    assert write_xlsx(path, table()) == 3
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "Schools register"
    assert ws["A1"].value == (
        "Schools register — exported 25/11/2026 14:05 from C:\\Office\\office.sqlite3"
    )
    assert ws["A1"].font.b
    assert ws["A2"].value == "Filter: phase Primary"
    assert [c.value for c in ws[3]] == ["URN", "School", "Opened", "Fee", "Concern", "Pupils"]
    assert all(c.font.b and c.font.name == "Calibri" for c in ws[3])
    assert not ws["A4"].font.b
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:F6"
    assert ws.max_row == 6


def test_without_a_filter_the_header_is_the_second_row(tmp_path: Path) -> None:
    path = tmp_path / "Schools.xlsx"
    write_xlsx(path, table(subtitle=""))
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "URN"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:F5"


def test_cells_are_typed_dates_money_numbers_and_yes(tmp_path: Path) -> None:
    path = tmp_path / "Schools.xlsx"
    write_xlsx(path, table())
    ws = openpyxl.load_workbook(path).active
    urn, name, opened, fee, concern, pupils = ws[4]
    assert urn.value == 100001 and urn.data_type == "n" and isinstance(urn.value, int)
    assert name.value == "Bow Primary School" and name.data_type == "s"
    assert opened.is_date and opened.value == datetime(2026, 1, 16)
    assert opened.number_format == "dd/mm/yyyy"
    assert fee.data_type == "n" and Decimal(str(fee.value)) == Decimal("1234.50")
    assert fee.number_format == '"£"#,##0.00'
    assert concern.value == "Yes"
    assert pupils.value == 420
    second = ws[5]
    assert second[2].value is None  # no date: an empty cell, not 00/01/1900
    assert second[3].value == -5 and second[3].data_type == "n"  # negative money is a number
    assert second[4].value is None  # not a concern: blank
    assert second[5].value is None
    assert ws["B6"].value == "St Mary & St John’s"


def test_numbers_excel_cannot_hold_are_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    columns = [ColumnSpec("Fee", "money"), ColumnSpec("Ratio", "integer")]
    write_xlsx(path, table([(Decimal("NaN"), float("inf"))], columns=columns))
    ws = openpyxl.load_workbook(path).active
    assert (ws["A4"].value, ws["B4"].value) == ("NaN", "inf")


def test_date_times_lose_their_time_zone_as_local_time(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    when = datetime(2026, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    write_xlsx(path, table([(when,)], columns=[ColumnSpec("Changed", "date")]))
    cell = openpyxl.load_workbook(path).active["A4"]
    assert cell.is_date and cell.number_format == "dd/mm/yyyy hh:mm"
    assert cell.value == when.astimezone().replace(tzinfo=None)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows = [(text, -3) for text in INJECTIONS]
    columns = [ColumnSpec("Name"), ColumnSpec("Number", "integer")]
    write_xlsx(path, table(rows, columns=columns))
    ws = openpyxl.load_workbook(path).active
    for number, text in enumerate(INJECTIONS, start=4):
        cell = ws.cell(number, 1)
        assert cell.data_type == "s", text
        # A carriage return is kept as the line break XML reads it as.
        assert cell.value == text.replace("\r", "\n")
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
        assert ws.cell(number, 2).value == -3 and ws.cell(number, 2).data_type == "n"
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "=1+1" in sheet_xml


def test_control_characters_are_dropped_and_long_text_is_cut_to_excels_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.xlsx"
    long_text = "x" * 40_000
    write_xlsx(path, table([("Bow\x01 School",), (long_text,)], columns=[ColumnSpec("Name")]))
    ws = openpyxl.load_workbook(path).active
    assert ws["A4"].value == "Bow School"
    assert len(ws["A5"].value) == 32_767 and ws["A5"].value.endswith("…")


def test_column_widths_fit_contents_and_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    columns = [ColumnSpec("Notes"), ColumnSpec("Opened", "date"), ColumnSpec("Fee", "money")]
    rows = [("n" * 200, date(2026, 1, 1), Decimal("1234567.89"))]
    write_xlsx(path, table(rows, columns=columns))
    widths = openpyxl.load_workbook(path).active.column_dimensions
    assert widths["A"].width == MAX_WIDTH
    assert 10 <= widths["B"].width <= 14
    assert widths["C"].width >= len("£1,234,567.89")


def test_rows_may_come_from_a_generator_and_progress_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    seen: list[tuple[int, int]] = []
    rows = ((n, f"School {n}") for n in range(600))
    columns = [ColumnSpec("URN", "integer"), ColumnSpec("School")]
    count = write_xlsx(
        path, table(rows, columns=columns), Progress(lambda d, t, m: seen.append((d, t)))
    )
    assert count == 600
    assert (250, 600) in seen and (600, 600) in seen
    assert openpyxl.load_workbook(path).active["B603"].value == "School 599"


def test_unknown_column_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        ColumnSpec("Fee", "currency")


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_starts_with_the_byte_order_mark_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "Schools.csv"
    assert write_csv(path, table()) == 3
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert read_csv(path) == [
        ["URN", "School", "Opened", "Fee", "Concern", "Pupils"],
        ["100001", "Bow Primary School", "16/01/2026", "1234.50", "Yes", "420"],
        ["100002", "Stepney Green Secondary", "", "-5.00", "", ""],
        ["100003", "St Mary & St John’s", "01/09/2025", "0.10", "", "1100"],
    ]


def test_csv_money_is_rounded_to_the_penny_half_up(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    columns = [ColumnSpec("Fee", "money")]
    rows = [(Decimal("2.675"),), (Decimal("10"),), (3,), (Decimal("Infinity"),)]
    write_csv(path, table(rows, columns=columns))
    assert [r[0] for r in read_csv(path)[1:]] == ["2.68", "10.00", "3.00", "Infinity"]


def test_csv_text_that_looks_like_a_formula_gets_an_apostrophe(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [(text, Decimal("-2.50")) for text in INJECTIONS]
    columns = [ColumnSpec("Name"), ColumnSpec("Fee", "money")]
    write_csv(path, table(rows, columns=columns))
    back = read_csv(path)[1:]
    assert [r[0] for r in back] == ["'" + text for text in INJECTIONS]
    assert {r[1] for r in back} == {"-2.50"}  # a negative amount stays a number


# -- choosing, cancelling, failing -------------------------------------------------------------
def test_export_table_chooses_by_suffix(tmp_path: Path) -> None:
    export_table(tmp_path / "a.XLSX", table())
    export_table(tmp_path / "b.csv", table())
    assert zipfile.is_zipfile(tmp_path / "a.XLSX")
    assert read_csv(tmp_path / "b.csv")[0][0] == "URN"


@pytest.mark.parametrize("name", ["Schools.xls", "Schools.txt", "Schools"])
def test_other_file_types_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(spreadsheet.ExportError, match=r"^Choose a file ending \.xlsx or \.csv$"):
        export_table(tmp_path / name, table())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_cancel_leaves_no_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    system_temp = tmp_path / "system-temp"  # where openpyxl streams a sheet's rows
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    folder = tmp_path / "exports"
    folder.mkdir()
    progress = Progress(lambda done, total, message: progress.cancel() if done >= 500 else None)
    rows = [(n, f"School {n}") for n in range(2000)]
    columns = [ColumnSpec("URN", "integer"), ColumnSpec("School")]
    with pytest.raises(Cancelled):
        export_table(folder / f"Schools{suffix}", table(rows, columns=columns), progress)
    assert list(folder.iterdir()) == []
    assert list(system_temp.iterdir()) == []


def test_cancel_keeps_the_file_it_would_have_replaced(tmp_path: Path) -> None:
    path = tmp_path / "Schools.xlsx"
    path.write_bytes(b"last week's export")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        write_xlsx(path, table(), progress)
    assert path.read_bytes() == b"last week's export"
    assert list(tmp_path.iterdir()) == [path]


def test_replacing_an_earlier_export_works(tmp_path: Path) -> None:
    path = tmp_path / "Schools.csv"
    path.write_text("old", encoding="utf-8")
    write_csv(path, table())
    assert read_csv(path)[1][0] == "100001"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_file_open_in_excel_gives_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    # On Windows, replacing a workbook Excel has open fails with PermissionError.
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(spreadsheet.os, "replace", refuse)
    with pytest.raises(spreadsheet.ExportError) as caught:
        export_table(tmp_path / f"Schools{suffix}", table())
    assert caught.value.message == (
        f"Schools{suffix} is open in another program, or this folder cannot be written to. "
        "Close it and try again."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("writer", "name"), [(write_xlsx, "Schools.xlsx"), (write_csv, "Schools.csv")]
)
def test_a_folder_that_cannot_be_written_gives_the_same_message(
    tmp_path: Path,
    writer,
    name: str,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Root may write anywhere (as CI runs): refuse as the system refuses anyone else.
        if Path(path).parent == folder and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    as_root = getattr(os, "geteuid", lambda: -1)() == 0
    try:
        with (
            mock.patch.object(spreadsheet.os, "open", refuse) if as_root else nullcontext(),
            pytest.raises(spreadsheet.ExportError, match="cannot be written to"),
        ):
            writer(folder / name, table())
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(spreadsheet.ExportError, match="does not exist"):
        write_csv(tmp_path / "gone" / "Schools.csv", table())


# -- more than one sheet, and counts -------------------------------------------------------------
def contacts_sheet(rows: list[tuple[object, ...]]) -> TableData:
    return TableData(
        "Contacts",
        "",
        [ColumnSpec("URN", "integer"), ColumnSpec("Email")],
        rows,
        source="C:\\Office\\office.sqlite3",
        exported_at=EXPORTED,
    )


def test_more_sheets_follow_in_a_workbook_and_only_the_first_goes_to_csv(
    tmp_path: Path,
) -> None:
    data = table()
    data.more_sheets = [contacts_sheet([(100001, "head@bow.sch.uk"), (100001, "=1+1")])]
    seen: list[tuple[int, int]] = []
    written = write_xlsx(tmp_path / "s.xlsx", data, Progress(lambda d, t, _m: seen.append((d, t))))
    assert written == 3  # the schools, not their contacts
    assert seen[-1] == (5, 5)  # progress counts every row of every sheet
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["Schools register", "Contacts"]
    sheet = book["Contacts"]
    assert sheet["A1"].value.startswith("Contacts — exported 25/11/2026 14:05")
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["URN", "Email"],
        [100001, "head@bow.sch.uk"],
        [100001, "=1+1"],
    ]
    assert sheet["B4"].data_type == "s" and sheet.auto_filter.ref == "A2:B4"
    assert sheet.freeze_panes == "A3"
    data.rows = ROWS
    assert write_csv(tmp_path / "s.csv", data) == 3
    assert len(read_csv(tmp_path / "s.csv")) == 4


def test_cancel_in_a_later_sheet_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    folder = tmp_path / "exports"
    folder.mkdir()
    data = table()
    data.more_sheets = [contacts_sheet([(n, f"{n}@x.sch.uk") for n in range(2000)])]
    progress = Progress(lambda done, total, message: progress.cancel() if done >= 500 else None)
    with pytest.raises(Cancelled):
        write_xlsx(folder / "Schools.xlsx", data, progress)
    assert list(folder.iterdir()) == []
    assert list(system_temp.iterdir()) == []


def test_counts_show_thousands_separators_and_urns_do_not(tmp_path: Path) -> None:
    columns = [ColumnSpec("URN", "integer"), ColumnSpec("Pupils", "count")]
    write_xlsx(tmp_path / "s.xlsx", table([(100001, 1250), (100002, None)], columns=columns))
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert (sheet["A4"].value, sheet["A4"].number_format) == (100001, "General")
    assert (sheet["B4"].value, sheet["B4"].number_format) == (1250, "#,##0")
    assert sheet["B5"].value is None
    write_csv(tmp_path / "s.csv", table([(100001, 1250)], columns=columns))
    assert read_csv(tmp_path / "s.csv")[1] == ["100001", "1250"]  # plain for other programs
