"""The list behind a dashboard figure: searching, sorting by real values, Export to Excel,
and a school's row opening its profile."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from qt_driving import Modals, press

from thep_desktop.database import Database
from thep_desktop.services.dashboard.dashboard_data import DrillList, DrillRow
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.dashboard.records_behind_dialog import DrillTableModel, RecordsBehindDialog
from thep_desktop.ui.shared.roles import KIND_ROLE, SORT_ROLE, VALUE_ROLE

AS_AT = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


def invoices() -> DrillList:
    """A list as a service gives it: cells written the office's way, typed sort keys."""
    rows = (
        (1, 100001, "St Mary & St John Primary", "INV-0009", "02/09/2025", "£1,250.00", 9),
        (2, 100002, "Abbey Wood School", "INV-0010", "15/10/2024", "£85.50", 10),
        (3, None, "=SUM(A1) Trust <b>", "INV-0002", "01/01/2026", "£10,000.00", 2),
        (4, 100004, "Bow Primary", "INV-0011", "", "£0.00", 11),
    )
    days = {"02/09/2025": date(2025, 9, 2), "15/10/2024": date(2024, 10, 15)}
    days["01/01/2026"] = date(2026, 1, 1)
    return DrillList(
        title="Invoices outstanding",
        kind="invoices",
        columns=("School", "Invoice", "Issued", "Owed", "Number"),
        rows=tuple(
            DrillRow(
                record_id=rid,
                urn=urn,
                cells=(name, number, issued, owed, str(n)),
                sort_keys=(
                    name,
                    number,
                    days.get(issued),
                    Decimal(owed.replace("£", "").replace(",", "")),
                    n,
                ),
            )
            for rid, urn, name, number, issued, owed, n in rows
        ),
    )


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    return Services(sqlite_db, actor)


@pytest.fixture
def dialog(qtbot, services: Services) -> RecordsBehindDialog:  # type: ignore[no-untyped-def]
    shown = RecordsBehindDialog(services, invoices(), AS_AT)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def column(dialog: RecordsBehindDialog, n: int) -> list[str]:
    proxy = dialog.proxy
    return [proxy.index(r, n).data() for r in range(proxy.rowCount())]


def test_the_model_passes_qts_checks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(DrillTableModel(invoices()))


def test_title_count_and_cells_as_the_service_wrote_them(dialog: RecordsBehindDialog) -> None:
    assert dialog.windowTitle() == "Invoices outstanding as at 15/01/2026"
    assert dialog.count_label.text() == "4 records"
    assert column(dialog, 0)[2] == "=SUM(A1) Trust <b>"  # as written, never read as markup
    heading = dialog.findChild(object, "drill_heading")
    assert heading is not None and "&lt;" not in heading.text().replace("&amp;", "")
    assert [dialog.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "School",
        "Invoice",
        "Issued",
        "Owed",
        "Number",
    ]
    model = dialog.model
    assert [model.headerData(c, Qt.Orientation.Horizontal, KIND_ROLE) for c in range(5)] == [
        "text",
        "text",
        "date",
        "money",
        "integer",
    ]
    assert model.index(0, 3).data(VALUE_ROLE) == Decimal("1250.00")
    assert model.index(0, 2).data(VALUE_ROLE) == date(2025, 9, 2)


def test_a_heading_click_sorts_by_the_real_values(qtbot, dialog: RecordsBehindDialog) -> None:  # type: ignore[no-untyped-def]
    header = dialog.table.horizontalHeader()

    def click_heading(n: int) -> None:
        x = header.sectionViewportPosition(n) + header.sectionSize(n) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click_heading(3)  # Owed: by amount, not as text ("£85.50" after "£10,000.00")
    assert column(dialog, 3) == ["£0.00", "£85.50", "£1,250.00", "£10,000.00"]
    click_heading(3)
    assert column(dialog, 3) == ["£10,000.00", "£1,250.00", "£85.50", "£0.00"]
    click_heading(2)  # Issued: by date, the blank last
    assert column(dialog, 2) == ["15/10/2024", "02/09/2025", "01/01/2026", ""]
    click_heading(4)  # Number: 2 before 10
    assert column(dialog, 4) == ["2", "9", "10", "11"]
    assert dialog.proxy.index(0, 4).data(SORT_ROLE) == (False, 2)


def test_the_search_box_keeps_the_rows_with_its_words(qtbot, dialog: RecordsBehindDialog) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, dialog.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dialog.search.hasFocus()
    qtbot.keyClicks(dialog.search, "primary")
    assert sorted(column(dialog, 0)) == ["Bow Primary", "St Mary & St John Primary"]
    assert dialog.count_label.text() == "2 of 4 records shown"
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "inv-0010")  # any column, any case
    assert column(dialog, 0) == ["Abbey Wood School"]
    dialog.search.clear()
    assert dialog.count_label.text() == "4 records"


def test_export_writes_the_rows_shown_as_typed_cells(
    qtbot, dialog: RecordsBehindDialog, modals: Modals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "Owed.xlsx"
    dialog.ask_save_path = lambda *_args: (str(target), "")
    qtbot.keyClicks(dialog.search, "s")  # Bow Primary has none: three rows shown
    modals.click("Close")  # "Exported 3 rows … Open it now?"
    press(qtbot, dialog.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    job = dialog.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()
    sheet = load_workbook(target).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header_at = next(i for i, r in enumerate(rows) if r[:2] == ("School", "Invoice"))
    assert "Invoices outstanding" in str(rows[0][0])
    assert any("search “s”" in str(v) for r in rows[:header_at] for v in r if v)
    data = {r[1]: r for r in rows[header_at + 1 :]}
    assert set(data) == {
        n
        for n, name in (
            ("INV-0009", "St Mary & St John Primary"),
            ("INV-0010", "Abbey Wood School"),
            ("INV-0002", "=SUM(A1) Trust <b>"),
            ("INV-0011", "Bow Primary"),
        )
        if "s" in name.casefold() or "s" in n.casefold()
    }
    first = data["INV-0009"]
    assert first[0] == "St Mary & St John Primary"
    assert isinstance(first[2], datetime) and first[2].date() == date(2025, 9, 2)
    assert first[3] == 1250 and isinstance(first[3], float | int)
    assert first[4] == 9 and isinstance(first[4], int)
    assert data["INV-0002"][0] == "=SUM(A1) Trust <b>"  # text, not a formula
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=SUM(A1) Trust <b>")
    assert cell.data_type == "s"


def test_a_schools_row_opens_its_profile_by_double_click_or_enter(
    qtbot, dialog: RecordsBehindDialog, services: Services
) -> None:  # type: ignore[no-untyped-def]
    profiles: list[int] = []
    dialog.open_profile = lambda svc, urn, parent: profiles.append(urn)
    table = dialog.table
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Abbey, Bow, St Mary, =SUM trust
    names = column(dialog, 0)
    abbey = names.index("Abbey Wood School")
    rect = table.visualRect(dialog.proxy.index(abbey, 0))
    # A real double click: press and release, then the double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert profiles == [100002]
    table.setCurrentIndex(dialog.proxy.index(names.index("Bow Primary"), 1))
    press(qtbot, table, Qt.Key.Key_Return)
    assert profiles == [100002, 100004]
    # A row that is not a school's (a trust) opens nothing.
    table.setCurrentIndex(dialog.proxy.index(names.index("=SUM(A1) Trust <b>"), 0))
    press(qtbot, table, Qt.Key.Key_Return)
    assert profiles == [100002, 100004]


def test_escape_closes_the_list(qtbot, dialog: RecordsBehindDialog) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_export_types_each_column_by_its_keys_and_its_words() -> None:
    """A place that only orders words stays text; 1,250 is a count; a blank is blank."""
    rows = (
        DrillRow(
            1, 100001, ("Bow Primary", "100001", "1,250", "Confirmed"), ("bow", 100001, 1250, 2)
        ),
        DrillRow(2, None, ("A trust", "", "", "Proposed"), ("a trust", 0, 0, 1)),
        DrillRow(3, 100003, ("Ash Grove", "100003", "95", "Completed"), ("ash", 100003, 95, 3)),
    )
    model = DrillTableModel(
        DrillList("Reviews", "reviews", ("Host", "URN", "Pupils", "Step"), rows)
    )
    assert model.kinds == ("text", "integer", "count", "text")
    assert model.row_values(0) == ("Bow Primary", 100001, 1250, "Confirmed")
    assert model.row_values(1) == ("A trust", None, None, "Proposed")
    # Sorted by the step's place, not its name.
    steps = sorted(range(3), key=lambda r: model.index(r, 3).data(SORT_ROLE))
    assert [model.index(r, 3).data() for r in steps] == ["Proposed", "Confirmed", "Completed"]
