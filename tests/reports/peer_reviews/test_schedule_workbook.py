"""The schedule as a workbook: every review with real dates, and a sheet by school."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from plain_schedules import schedule

from thep_desktop.reports.peer_reviews.schedule_xlsx import write_schedule_xlsx
from thep_desktop.reports.shared.spreadsheet import ExportError


def test_every_review_with_real_dates_statuses_and_all_reviewers(tmp_path: Path) -> None:
    target = tmp_path / "schedule.xlsx"
    assert write_schedule_xlsx(target, schedule(), source="office.sqlite3") == 4
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Reviews", "By school"]
    sheet = book["Reviews"]
    assert str(sheet["A1"].value).startswith("Reviews — exported 30/11/2026 14:05")
    assert sheet["A2"].value == (
        "Peer reviews 2025/26. 4 reviews: 3 proposed, 1 confirmed, 1 without a date yet."
    )
    header = [cell.value for cell in sheet[3]]
    assert header[:11] == [
        "Cluster",
        "First day",
        "Last day",
        "Day",
        "Host URN",
        "Host school",
        "Reviewing schools",
        "Lead reviewer",
        "Reviewers",
        "Focus",
        "Status",
    ]
    assert header[11:] == [
        "Proposed on",
        "Confirmed on",
        "Completed on",
        "Report received on",
        "Quality assured on",
        "QA outcome",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:Q7"
    assert sheet.column_dimensions["F"].width >= len("St Mary & St John's C of E Primary")
    bow = [cell.value for cell in sheet[4]]
    assert bow[:11] == [
        "Bow and Poplar",
        datetime(2025, 11, 4),
        datetime(2025, 11, 5),
        "Tuesday to Wednesday",
        100929,
        "Bow School",
        "Marner Primary School, St Mary & St John's C of E Primary",
        "Head of Marner Primary School (Marner Primary School)",
        "Head of Marner Primary School, Headteacher, Marner Primary School (lead); "
        "Head of St Mary & St John's C of E Primary, Headteacher, "
        "St Mary & St John's C of E Primary",
        "Reading in Key Stage 1; Attendance & punctuality",
        "Confirmed",
    ]
    assert bow[11] == datetime(2025, 9, 1) and bow[12] == datetime(2025, 9, 12)
    assert sheet["B4"].number_format == "dd/mm/yyyy"
    assert sheet["B4"].is_date
    olga = [cell.value for cell in sheet[7]]
    assert olga[5] == "Olga Primary School" and olga[1] is None and olga[10] == "Proposed"


def test_the_by_school_sheet_gives_each_schools_hosting_and_reviewing(tmp_path: Path) -> None:
    target = tmp_path / "schedule.xlsx"
    write_schedule_xlsx(target, schedule())
    sheet = openpyxl.load_workbook(target)["By school"]
    assert [c.value for c in sheet[3]] == [
        "School",
        "URN",
        "Clusters",
        "Hosts on",
        "Host status",
        "Reviewed by",
        "Reviews given",
        "Reviews at",
    ]
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:H7"
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert list(rows) == [
        "Bow School",
        "Marner Primary School",
        "Olga Primary School",
        "St Mary & St John's C of E Primary",
    ]
    assert rows["Bow School"] == (
        "Bow School",
        100929,
        "Bow and Poplar, Poplar & Limehouse",
        datetime(2025, 11, 4),
        "Confirmed",
        "Marner Primary School, St Mary & St John's C of E Primary",
        3,
        "Marner Primary School on 18/11/2025; St Mary & St John's C of E Primary on "
        "13/01/2026; Olga Primary School (no date yet)",
    )
    assert sheet["D4"].number_format == "dd/mm/yyyy"


def test_only_an_xlsx_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_schedule_xlsx(tmp_path / "schedule.xls", schedule())
    assert list(tmp_path.iterdir()) == []
