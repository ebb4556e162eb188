"""File > Export from the Schools tab: what the view shows, filtered and sorted, read back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from header_menus import menu_action as menu_item
from header_menus import open_header_menu
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView, QWidget
from qt_driving import choose, click_tab, menu_action, press

from thep_desktop import config
from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.schools_table_model import (
    COL_CONCERN,
    COL_NAME,
    COL_PUPILS,
    COL_TRUST,
    COLUMNS,
)
from thep_desktop.ui.shared import table_export
from thep_desktop.ui.shared.roles import KIND_ROLE, VALUE_ROLE
from thep_desktop.ui.shared.table_export import Exportable, table_data_from_view

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from the standard columns: the user's settings go in a folder of its own."""
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


def school(urn: int, name: str, phase: str, pupils: int | None, **kw: object) -> SchoolInput:
    values: dict[str, object] = {
        "urn": urn,
        "name": name,
        "phase": phase,
        "la_code": "211",
        "establishment_number": str(2000 + urn % 1000),
        "establishment_type": "Community school",
        "postcode": "E1 6AB",
        "pupils_on_roll": pupils,
        "pupils_census_date": "16/01/2026" if pupils is not None else None,
    }
    values.update(kw)
    return SchoolInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    for data in (
        school(100001, "St Agnes Primary", "Primary", 420, causing_concern=True),
        school(100002, "Stepney Green Secondary", "Secondary", 1100),
        school(100003, "St Paul's Way Primary", "Primary", 1250, trust="=HYPERLINK(1)"),
        school(100004, "Bow Primary School", "Primary", None),
        school(100005, "Mile End Nursery School", "Nursery", 80),
    ):
        s.schools.create_school(actor, data)
    return s


class Answers:
    """Stands in for the file dialog, the questions and the desktop's "open file"."""

    def __init__(self, path: Path | None, chosen_filter: str = "") -> None:
        self.path = path
        self.filter = chosen_filter
        self.asked_path: list[tuple[str, str, str]] = []
        self.questions: list[tuple[str, str]] = []
        self.told: list[tuple[str, str]] = []
        self.opened: list[QUrl] = []
        self.answer = "Close"
        self.kind = "As shown"
        self.kinds_offered: list[str] = []

    def ask_path(self, parent: QWidget, caption: str, start: str, filters: str) -> tuple[str, str]:
        self.asked_path.append((caption, start, filters))
        return (str(self.path) if self.path else "", self.filter)

    def ask(self, parent: object, title: str, text: str, choices: object) -> str:
        if title == "Export" and isinstance(choices, list) and "All fields" in choices:
            self.kinds_offered.append(text)
            return self.kind  # "As shown" or "All fields": what goes in the file
        self.questions.append((title, text))
        return self.answer

    def tell(self, parent: object, title: str, text: str) -> None:
        self.told.append((title, text))


@pytest.fixture
def window(qtbot, services: Services) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    w.load()
    click_tab(qtbot, w.tabs, w.schools_tab)  # it opens on the Dashboard
    yield w


@pytest.fixture(autouse=True)
def no_remembered_folder() -> None:
    settings = config.load_settings()
    settings.pop("export_folder", None)
    config.save_settings(settings)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The folder exports go to (tmp_path also holds the database)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def answer_with(window: MainWindow, answers: Answers) -> None:
    window.ask_save_path = answers.ask_path
    window.ask = answers.ask
    window.tell = answers.tell
    window.open_url = answers.opened.append


def export(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, window.schools_tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)


def filter_primary_st_by_pupils(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    choose(qtbot, tab.phase_filter, "Primary")
    qtbot.keyClicks(tab.search, "st")
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_PUPILS) + header.sectionSize(COL_PUPILS) // 2
    for _click in range(2):  # the heading, clicked twice: largest first
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def shown(window: MainWindow) -> list[list[str]]:
    """The table as the user reads it: display text of every visible cell, in view order."""
    proxy = window.schools_tab.proxy
    columns = window.schools_tab.visible_columns()
    return [[proxy.index(r, c).data() for c in columns] for r in range(proxy.rowCount())]


# -- exporting from the window ------------------------------------------------------------------
def test_export_writes_the_rows_shown_filtered_and_sorted(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    answers = Answers(out / "Primaries.xlsx")
    answer_with(window, answers)
    # The Concern column, which the standard set leaves to the red names, shown by the user.
    menu = open_header_menu(window.schools_tab.table, COL_NAME)
    menu_item(menu, "Concern").trigger()
    menu.close()  # as a click on the item closes it
    filter_primary_st_by_pupils(qtbot, window)
    assert [r[1] for r in shown(window)] == ["St Paul's Way Primary", "St Agnes Primary"]

    export(qtbot, window)

    ws = openpyxl.load_workbook(answers.path).active
    path = window.services.db.sqlite_path
    tab = window.schools_tab
    assert ws["A1"].value.startswith("Schools register — exported ")
    assert ws["A1"].value.endswith(f" from {path}")
    assert (
        ws["A2"].value
        == "Filter: phase Primary; status Open and proposed; search “st” (2 of 5 schools)"
    )
    # The columns on screen, in their order: the standard set unless the user chose others.
    visible = tab.visible_columns()
    assert [c.value for c in ws[3]] == [COLUMNS[n].title for n in visible]
    assert [c.value for c in ws[3]][:6] == [
        "URN",
        "School",
        "Phase",
        "Status",
        "Membership",
        "Pupils",
    ]
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:J5"
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    # Each cell reads as the table shows it (the table puts commas in pupil numbers).
    as_shown = [
        [
            "" if v is None else f"{v:,}" if visible[c] == COL_PUPILS else str(v)
            for c, v in enumerate(row)
        ]
        for row in body
    ]
    assert as_shown == shown(window)
    pupils = visible.index(COL_PUPILS)
    assert body[0][0] == 100003 and body[0][pupils] == 1250  # URN and pupils as numbers
    assert ws.cell(4, pupils + 1).number_format == "#,##0"  # 1,250 in Excel too
    assert ws.cell(4, 1).number_format == "General"  # a URN has no thousands separator
    assert body[1][visible.index(COL_CONCERN)] == "Yes"  # St Agnes is causing concern
    assert answers.told == []
    assert answers.questions[0][0] == "Exported"
    assert f"Exported 2 rows to {answers.path}." in window.statusBar().currentMessage()
    assert answers.opened == []  # "Close" was answered: nothing opened


def test_export_to_csv_adds_the_suffix_of_the_chosen_type(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    answers = Answers(out / "Schools", table_export.FILE_FILTERS.split(";;")[1])
    answer_with(window, answers)
    tab = window.schools_tab
    menu = open_header_menu(tab.table, COL_NAME)
    menu_item(menu, "Show all columns").trigger()
    menu.close()  # as a click on the item closes it
    filter_primary_st_by_pupils(qtbot, window)
    export(qtbot, window)
    path = out / "Schools.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    visible = tab.visible_columns()
    assert rows[0] == [COLUMNS[n].title for n in visible] and len(visible) == len(COLUMNS)
    picked = [visible.index(n) for n in (COL_NAME, COL_PUPILS, COL_TRUST)]
    assert [(r[0], *(r[i] for i in picked)) for r in rows[1:]] == [
        ("100003", "St Paul's Way Primary", "1250", "'=HYPERLINK(1)"),
        ("100001", "St Agnes Primary", "420", ""),
    ]


def test_text_like_a_formula_stays_text_in_the_workbook(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    answers = Answers(out / "Schools.xlsx")
    answer_with(window, answers)
    tab = window.schools_tab
    menu = open_header_menu(tab.table, COL_NAME)
    menu_item(menu, "Trust").trigger()
    menu.close()  # as a click on the item closes it
    export(qtbot, window)
    ws = openpyxl.load_workbook(answers.path).active
    trust = tab.visible_columns().index(COL_TRUST) + 1
    cells = {ws.cell(row, 1).value: ws.cell(row, trust) for row in range(3, ws.max_row + 1)}
    assert cells[100003].value == "=HYPERLINK(1)" and cells[100003].data_type == "s"


def test_the_file_dialog_starts_with_a_dated_name_then_remembers_the_folder(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    answers = Answers(out / "first.xlsx")
    answer_with(window, answers)
    export(qtbot, window)
    caption, start, filters = answers.asked_path[0]
    assert caption == "Export Schools register"
    assert Path(start).name == f"Schools {date.today().isoformat()}.xlsx"
    assert filters == "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"
    answers.path = out / "second.xlsx"
    export(qtbot, window)
    assert Path(answers.asked_path[1][1]).parent == out


def test_open_opens_the_exported_file(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(out / "Schools.xlsx")
    answers.answer = "Open"
    answer_with(window, answers)
    export(qtbot, window)
    assert answers.opened == [QUrl.fromLocalFile(str(out / "Schools.xlsx"))]


def test_cancel_writes_nothing_and_says_so(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = table_export.export_table

    def cancelled_at_once(path: Path, data: Any, progress: Progress) -> int:
        progress.cancel()  # as if Cancel was pressed before the first row
        return real(path, data, progress)

    monkeypatch.setattr(table_export, "export_table", cancelled_at_once)
    answers = Answers(out / "Schools.xlsx")
    answer_with(window, answers)
    export(qtbot, window)
    assert window.export_job is not None and window.export_job.cancelled
    assert list(out.iterdir()) == []
    assert window.statusBar().currentMessage() == "Export cancelled: Schools.xlsx was not written."
    assert answers.questions == [] and answers.told == []


def test_choosing_no_file_exports_nothing(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(None)
    answer_with(window, answers)
    menu_action(window, "File", "Export…").trigger()
    assert window.export_job is None
    assert answers.asked_path and list(out.iterdir()) == []


def test_an_empty_table_is_not_exported(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(out / "Schools.xlsx")
    answer_with(window, answers)
    qtbot.keyClicks(window.schools_tab.search, "no such school")
    menu_action(window, "File", "Export…").trigger()
    assert window.export_job is None and answers.asked_path == []
    assert answers.told[0][0] == "Nothing to export"


def test_a_problem_saving_is_told_in_plain_words(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(out / "missing folder" / "Schools.xlsx")
    answer_with(window, answers)
    export(qtbot, window)
    assert answers.told == [
        (
            "The export was not saved",
            f"The folder {out / 'missing folder'} does not exist. Choose another folder.",
        )
    ]
    assert answers.questions == []


def test_another_file_type_is_refused_before_writing(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(out / "Schools.xls")
    answer_with(window, answers)
    menu_action(window, "File", "Export…").trigger()
    assert window.export_job is None
    assert answers.told == [("Export", "Choose a file ending .xlsx or .csv")]
    assert list(out.iterdir()) == []


def test_ctrl_e_is_file_export(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.export_action.shortcut() == QKeySequence("Ctrl+E")
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_action in file_menu.actions()
    answers = Answers(None)
    answer_with(window, answers)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.schools_tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(answers.asked_path) == 1


def test_export_is_offered_only_on_a_tab_with_a_table(window: MainWindow) -> None:
    assert isinstance(window.schools_tab, Exportable)
    assert window.export_action.isEnabled()
    other = window.tabs.addTab(QWidget(), "Other")
    window.tabs.setCurrentIndex(other)
    assert not window.export_action.isEnabled()
    window.tabs.setCurrentWidget(window.schools_tab)
    assert window.export_action.isEnabled()


# -- reading any view ---------------------------------------------------------------------------
def test_the_schools_model_answers_typed_values_and_kinds(window: MainWindow) -> None:
    model = window.schools_tab.model
    kinds = [model.headerData(c, Qt.Orientation.Horizontal, KIND_ROLE) for c in range(13)]
    # A URN is a plain number; pupils a count, shown 1,250 in the workbook too.
    assert kinds[0] == "integer" and kinds[COL_PUPILS] == "count" and kinds[12] == "bool"
    assert set(kinds[1:7]) == {"text"}
    by_urn = {model.index(r, 0).data(VALUE_ROLE): r for r in range(model.rowCount())}
    bow = by_urn[100004]
    assert model.index(bow, COL_PUPILS).data(VALUE_ROLE) is None
    assert model.index(bow, 12).data(VALUE_ROLE) is False
    assert model.index(by_urn[100001], 12).data(VALUE_ROLE) is True
    assert model.index(bow, 5).data(VALUE_ROLE) == "Open"


def test_hidden_and_moved_columns_export_as_the_view_shows_them(
    window: MainWindow,
) -> None:
    tab = window.schools_tab
    header = tab.table.horizontalHeader()
    for column in range(len(COLUMNS)):
        header.setSectionHidden(column, column not in (0, 1, 2))
    # School first, then URN, DfE number.
    header.moveSection(header.visualIndex(2), 0)
    header.moveSection(header.visualIndex(1), 2)
    data = table_data_from_view(tab.table, "Schools register")
    assert [c.title for c in data.columns] == ["School", "URN", "DfE number"]
    assert [c.kind for c in data.columns] == ["text", "integer", "text"]
    assert list(data.rows)[0] == ("Bow Primary School", 100004, "211/2004")


def test_the_quick_path_reads_the_same_as_each_cell(window: MainWindow) -> None:
    """The schools model's row_values must agree with VALUE_ROLE cell by cell."""
    tab = window.schools_tab
    tab.table.sortByColumn(COL_PUPILS, Qt.SortOrder.AscendingOrder)
    data = table_data_from_view(tab.table, "Schools register")
    proxy = tab.proxy
    each_cell = [
        tuple(proxy.index(r, c).data(VALUE_ROLE) for c in tab.visible_columns())
        for r in range(proxy.rowCount())
    ]
    assert list(data.rows) == each_cell


def test_any_table_view_can_be_read_by_roles_or_display_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = QStandardItemModel(0, 3)
    for column, (title, kind) in enumerate((("Name", None), ("Started", "date"), ("Odd", "x"))):
        model.setHeaderData(column, Qt.Orientation.Horizontal, title)
        if kind:
            model.setHeaderData(column, Qt.Orientation.Horizontal, kind, KIND_ROLE)

    def item(text: str, value: Any = None) -> QStandardItem:
        it = QStandardItem(text)
        if value is not None:
            it.setData(value, VALUE_ROLE)
        return it

    model.appendRow([item("Amina"), item("01/09/2025", date(2025, 9, 1)), item("")])
    model.appendRow([item("Hidden"), item(""), item("")])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setRowHidden(1, True)
    data = table_data_from_view(view, "Staff", "Active only")
    assert [(c.title, c.kind) for c in data.columns] == [
        ("Name", "text"),
        ("Started", "date"),
        ("Odd", "text"),  # an unknown kind is written as text
    ]
    assert data.rows == [("Amina", date(2025, 9, 1), None)]
    assert data.row_count == 1 and data.subtitle == "Active only"


def test_a_tab_offers_an_export_request(window: MainWindow) -> None:
    tab = window.schools_tab
    tab.set_quick_filter(tab.status_filter, "")  # All statuses: no filter in words
    request = tab.export_request()
    assert (request.view, request.title, request.subtitle, request.file_stem) == (
        tab.table,
        "Schools register",
        "",
        "Schools",
    )
    assert request.all_fields is not None and "address lines" in request.all_fields_help
    assert (
        table_export.default_file_name(request, date(2026, 11, 25), all_fields=True)
        == "Schools - all fields 2026-11-25.xlsx"
    )
    assert table_export.default_file_name(request, date(2026, 11, 25)) == "Schools 2026-11-25.xlsx"
    assert table_export.safe_file_stem('Fees: "2026/27"?') == "Fees 2026 27"
    assert table_export.safe_file_stem("NUL") == "NUL_"  # a name Windows keeps for a device


# -- all fields ---------------------------------------------------------------------------------
def test_ctrl_e_then_all_fields_writes_every_field_and_contact(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, out: Path, modals
) -> None:
    actor = services.actor
    bow = services.schools.get_school_by_urn(actor, 100004)
    data = bow.as_input()
    data.street, data.locality, data.town = "1 Bow Road", "Bow", "London"
    data.phone, data.email, data.website = "020 7946 0001", "admin@bow.sch.uk", "www.bow.sch.uk"
    data.head_title, data.head_first_name, data.head_last_name = "Ms", "Amina", "Begum"
    data.open_date, data.ofsted_date = "01/09/1998", "09/11/2022"
    data.contacts = [
        ContactInput("Amina Begum", "Head teacher", "head@bow.sch.uk"),
        ContactInput("Tom Okafor", "School business manager", "sbm@bow.sch.uk", "020 7946 0002"),
    ]
    services.schools.update_school(actor, bow.id, bow.version, data)
    later = date.today() + timedelta(days=90)
    stepney = services.schools.get_school_by_urn(actor, 100002)
    services.schools.close_school(actor, stepney.id, stepney.version, later)
    window.ask_save_path = lambda *_args: (str(out / "Everything.xlsx"), "")
    tab = window.schools_tab
    tab.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    modals.click("All fields").click("Close")  # what goes in the file; then not opening it
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (out / "Everything.xlsx").exists(), timeout=10_000)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()

    ws = openpyxl.load_workbook(out / "Everything.xlsx").active
    header = [c.value for c in ws[3]]
    for title in (
        "Street",
        "Locality",
        "Town",
        "Postcode",
        "Phone",
        "Email",
        "Website",
        "Head teacher",
        "Ofsted inspection date",
        "Census date",
        "Opening date",
        "Closing date",
        "Contact 2 name",
        "Contact 2 role",
        "Contact 2 email",
        "Contact 2 phone",
    ):
        assert title in header, title
    assert "Contact 3 name" not in header  # as many groups as the most contacts a school has
    rows = {row[0].value: row for row in ws.iter_rows(min_row=4)}
    assert list(rows) == [100004, 100005, 100001, 100003, 100002]  # the table's order
    bow_row = {title: cell for title, cell in zip(header, rows[100004], strict=True)}
    assert bow_row["School"].value == "Bow Primary School"
    assert bow_row["Street"].value == "1 Bow Road" and bow_row["Town"].value == "London"
    assert bow_row["Email"].value == "admin@bow.sch.uk"
    assert bow_row["Head teacher"].value == "Ms Amina Begum"
    assert bow_row["Contact 2 role"].value == "School business manager"
    assert bow_row["Contact 2 email"].value == "sbm@bow.sch.uk"
    for title, expected in (
        ("Opening date", date(1998, 9, 1)),
        ("Ofsted inspection date", date(2022, 11, 9)),
    ):
        cell = bow_row[title]
        assert cell.is_date and cell.number_format == "dd/mm/yyyy"
        assert cell.value.date() == expected
    stepney_row = dict(zip(header, rows[100002], strict=True))
    assert stepney_row["Status"].value == "Open"  # closes later: open until then
    assert stepney_row["Closing date"].is_date and stepney_row["Closing date"].value.date() == later
    assert stepney_row["Census date"].value.date() == date(2026, 1, 16)
    assert stepney_row["Pupils on roll"].value == 1100
    assert stepney_row["Pupils on roll"].number_format == "#,##0"
    assert stepney_row["Contact 1 name"].value is None
    # And one row per contact on a sheet of its own, for email lists.
    book = openpyxl.load_workbook(out / "Everything.xlsx")
    assert book.sheetnames == ["Schools register – all fields", "Contacts"]
    contacts = [[c.value for c in row] for row in book["Contacts"].iter_rows(min_row=3)]
    assert contacts[0] == ["URN", "School", "Name", "Role", "Email", "Phone"]
    assert contacts[1:] == [
        [100004, "Bow Primary School", "Amina Begum", "Head teacher", "head@bow.sch.uk", None],
        [
            100004,
            "Bow Primary School",
            "Tom Okafor",
            "School business manager",
            "sbm@bow.sch.uk",
            "020 7946 0002",
        ],
    ]
    assert f"Exported 5 rows to {out / 'Everything.xlsx'}." in window.statusBar().currentMessage()


def test_all_fields_to_csv_follows_the_filter(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    answers = Answers(out / "Primaries.csv")
    answers.kind = "All fields"
    answer_with(window, answers)
    filter_primary_st_by_pupils(qtbot, window)
    export(qtbot, window)
    assert len(answers.kinds_offered) == 1 and "address lines" in answers.kinds_offered[0]
    with open(out / "Primaries.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:3] == ["URN", "DfE number", "School"]
    assert [r[0] for r in rows[1:]] == ["100003", "100001"]  # filtered and sorted as shown
    census = header.index("Census date")
    assert rows[1][census] == "16/01/2026"
    assert rows[1][header.index("Trust")] == "'=HYPERLINK(1)"  # never a formula


def test_cancel_at_the_question_exports_nothing(qtbot, window: MainWindow, out: Path) -> None:  # type: ignore[no-untyped-def]
    answers = Answers(out / "Schools.xlsx")
    answers.kind = "Cancel"
    answer_with(window, answers)
    window.export_action.trigger()
    assert window.export_job is None and answers.asked_path == []
    assert list(out.iterdir()) == []


def test_a_folder_that_cannot_be_written_to_is_told_in_the_same_words(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, out: Path
) -> None:
    from read_only_folders import read_only_folder  # tests/read_only_folders.py

    with read_only_folder(out / "Read only") as folder:
        answers = Answers(folder / "Schools.xlsx")
        answer_with(window, answers)
        export(qtbot, window)
        assert list(folder.iterdir()) == []
    assert answers.told == [
        (
            "The export was not saved",
            f"The folder {folder} cannot be written to (it is read-only or you do not have "
            "permission). Choose another folder.",
        )
    ]
    assert answers.questions == []
