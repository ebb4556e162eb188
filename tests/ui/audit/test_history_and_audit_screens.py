"""The History window (schools, staff, letter templates) and Settings > Audit trail…, driven
as a person does: keys, right-click menus, the menu bar, typing and buttons."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from header_menus import menu_action as menu_item
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import activate, button, click_tab, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.audit.audit_dialog import AuditDialog
from thep_desktop.ui.audit.history_dialog import HistoryDialog
from thep_desktop.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    officer = s.staff.create_staff(actor, StaffInput("Nadia Rahman", "Link officer"))
    bow = s.schools.create_school(
        actor,
        SchoolInput(
            urn="100001",
            name="Bow Primary School",
            la_code="211",
            establishment_number="2001",
            phone="020 7946 0001",
            contacts=[ContactInput("Amina Begum", "Head teacher", "head@bow.sch.uk")],
        ),
    )
    s.schools.update_school(
        actor,
        bow.id,
        bow.version,
        replace(bow.as_input(), phone="020 7946 0999", link_officer_id=officer.id),
    )
    s.schools.create_school(
        actor, SchoolInput(urn="100002", name="Cubitt Town School", la_code="211")
    )
    return s


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    click_tab(qtbot, w.tabs, w.schools_tab)  # it opens on the Dashboard
    yield w


def select_school(window: MainWindow, name: str) -> None:
    tab = window.schools_tab
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.row_at(row).name == name:
            tab.table.selectRow(row)
            return
    raise AssertionError(f"{name} is not in the table")


def history_shown(box: QWidget) -> list[tuple[str, str]]:
    """(What, Changes) of each row the History window shows."""
    assert isinstance(box, HistoryDialog)
    model = box.model
    return [(model.index(r, 2).data(), model.index(r, 3).data()) for r in range(model.rowCount())]


def test_ctrl_h_opens_the_selected_schools_history(
    qtbot: QtBot, window: MainWindow, modals
) -> None:  # type: ignore[no-untyped-def]
    select_school(window, "Bow Primary School")
    shown: list[list[tuple[str, str]]] = []
    details: list[str] = []

    def read(box: QWidget) -> None:
        assert box.windowTitle() == "History – Bow Primary School"
        shown.append(history_shown(box))
        details.append(box.details.toPlainText())  # type: ignore[attr-defined]
        qtbot.mouseClick(button(box, "Close"), LEFT)

    modals.then(read)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()

    (rows,) = shown
    assert [what for what, _changes in rows] == [
        "Changed",
        "Created – Contact: Amina Begum",
        "Created",
    ]
    assert "Phone: 020 7946 0001 → 020 7946 0999" in rows[0][1]
    assert "Link officer: Nadia Rahman" in rows[0][1]
    # The newest event is chosen, and its details show each field before and after.
    assert "Phone\n020 7946 0001\n020 7946 0999" in details[0]
    assert "Cubitt" not in str(rows)


def test_right_click_a_school_then_history(qtbot: QtBot, window: MainWindow, modals) -> None:  # type: ignore[no-untyped-def]
    tab = window.schools_tab
    select_school(window, "Bow Primary School")  # then right-click another: it is chosen
    row = next(
        r for r in range(tab.proxy.rowCount()) if tab.proxy.row_at(r).name != "Bow Primary School"
    )
    position = QPoint(10, tab.table.rowViewportPosition(row) + 5)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, tab.table.viewport().mapToGlobal(position)
    )
    QApplication.sendEvent(tab.table.viewport(), event)
    menus = [m for m in window.findChildren(QMenu) if m.isVisible()]
    assert menus, "no menu opened"
    menu = menus[-1]
    assert [a.text().replace("&", "") for a in menu.actions() if a.text()] == [
        "Edit…",
        "Close school…",
        "Delete…",
        "School profile…",
        "History…",
    ]
    titles: list[str] = []
    modals.then(lambda box: (titles.append(box.windowTitle()), box.reject()))
    menu_item(menu, "History…").trigger()
    modals.wait_answered()
    assert titles == ["History – Cubitt Town School"]


def test_history_button_in_the_school_form(qtbot: QtBot, window: MainWindow, modals) -> None:  # type: ignore[no-untyped-def]
    select_school(window, "Bow Primary School")
    seen: list[list[tuple[str, str]]] = []

    def in_form(box: QWidget) -> None:
        push(qtbot, button(box, "History…"))  # runs the History window (answered below)
        qtbot.mouseClick(button(box, "Cancel"), LEFT)

    def in_history(box: QWidget) -> None:
        seen.append(history_shown(box))
        qtbot.mouseClick(button(box, "Close"), LEFT)

    modals.then(in_form).then(in_history)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    modals.wait_answered()
    assert seen and seen[0][0][0] == "Changed"


def test_history_of_a_member_of_staff_and_of_a_template(
    qtbot: QtBot, window: MainWindow, services: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    staff = services.staff.list_staff(services.actor)[0]
    services.staff.update_staff(
        services.actor, staff.id, staff.version, StaffInput("Nadia Rahman", "Senior officer")
    )
    seen: dict[str, list[tuple[str, str]]] = {}

    def in_staff(box: QWidget) -> None:
        table = box.table  # type: ignore[attr-defined]
        table.selectRow(0)
        push(qtbot, button(box, "History…"))
        qtbot.mouseClick(button(box, "Close"), LEFT)

    def record(box: QWidget) -> None:
        seen[box.windowTitle()] = history_shown(box)
        qtbot.mouseClick(button(box, "Close"), LEFT)

    modals.then(in_staff).then(record)
    menu_action(window, "Settings", "Staff…").trigger()
    modals.wait_answered()
    rows = seen["History – Nadia Rahman"]
    # Her own changes, and the school she became link officer of.
    assert [what for what, _ in rows] == [
        "Changed",
        "Changed – School: Bow Primary School",
        "Created",
    ]
    assert "Link officer: Nadia Rahman" in rows[1][1]
    assert "Job title: Link officer → Senior officer" in rows[0][1]

    template = services.letters.list_templates(services.actor)[0]
    data = replace(template.as_input(), subject="A new subject")
    services.letters.update_template(services.actor, template.id, data, template.version)

    def in_templates(box: QWidget) -> None:
        push(qtbot, button(box, "History…"))
        qtbot.mouseClick(button(box, "Close"), LEFT)

    modals.then(in_templates).then(record)
    window.run_dialog = lambda dialog: dialog.exec()  # type: ignore[method-assign]
    menu_action(window, "Letters", "Letter templates…").trigger()
    modals.wait_answered()
    titles = [t for t in seen if t != "History – Nadia Rahman"]
    assert len(titles) == 1
    assert any(
        "Subject:" in changes and "A new subject" in changes for _w, changes in seen[titles[0]]
    )


def open_audit(window: MainWindow, modals, fn) -> None:  # type: ignore[no-untyped-def]
    modals.then(fn)
    menu_action(window, "Settings", "Audit trail…").trigger()
    modals.wait_answered()


def test_audit_screen_searches_as_you_type_and_filters(
    qtbot: QtBot, window: MainWindow, modals
) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, object] = {}

    def use(box: QWidget) -> None:
        assert isinstance(box, AuditDialog)
        model = box.model
        found["start"] = box.count_label.text()
        qtbot.keyClicks(box.search, "begum")
        assert box.count_label.text() == found["start"]  # not yet: typing has not paused
        qtbot.waitUntil(lambda: box.count_label.text() == "1 event", timeout=20_000)
        found["search"] = model.index(0, 4).data()
        box.search.clear()
        qtbot.keyClicks(box.action, "Changed")
        assert box.action.currentText() == "Changed"
        qtbot.waitUntil(lambda: model.index(0, 3).data() == "Changed", timeout=20_000)
        assert box.count_label.text() == "1 event"
        box.table.selectRow(0)
        found["details"] = box.details.toPlainText()
        # A date that cannot be read is said in words, and the list is left as it was.
        qtbot.keyClicks(box.date_from, "31/02/2026")
        qtbot.keyClick(box.date_from, Qt.Key.Key_Return)
        found["message"] = box.message.text()
        box.date_from.clear()
        qtbot.keyClicks(box.date_from, "01/01/2020")
        qtbot.keyClick(box.date_from, Qt.Key.Key_Return)
        found["dated"] = box.count_label.text()
        qtbot.keyClicks(box.date_to, "01/01/2021")
        qtbot.keyClick(box.date_to, Qt.Key.Key_Return)
        found["before"] = box.count_label.text()
        qtbot.mouseClick(button(box, "Close"), LEFT)

    open_audit(window, modals, use)
    assert found["start"] == "6 events"  # staff, 2 schools, a contact, a change… and nothing else
    assert found["search"] == "Contact: Amina Begum"
    assert "Phone\n020 7946 0001\n020 7946 0999" in str(found["details"])
    assert "31/02/2026" in str(found["message"])
    assert found["dated"] == "1 event"
    assert found["before"] == "No events match."


def test_audit_screen_exports_and_checks_the_trail(
    qtbot: QtBot, window: MainWindow, modals, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "trail.xlsx"

    def use(box: QWidget) -> None:
        assert isinstance(box, AuditDialog)
        box.answers.ask_save_path = lambda *_args: (str(target), "")
        push(qtbot, button(box, "Export to Excel…"))
        qtbot.waitUntil(lambda: target.exists() and box.export_job is not None, timeout=10_000)
        qtbot.waitUntil(lambda: not box.export_job.thread.isRunning(), timeout=10_000)  # type: ignore[union-attr]
        # "Exported" is said once the finished export's signal arrives: answered before the
        # check starts, so the two boxes come in the order a person sees them.
        qtbot.waitUntil(lambda: modals.pending == 1, timeout=10_000)
        push(qtbot, button(box, "Check the trail"))  # runs in the background, then says
        qtbot.waitUntil(lambda: modals.pending == 0, timeout=10_000)
        qtbot.mouseClick(button(box, "Close"), LEFT)

    modals.then(use).click("Close").click("OK")
    menu_action(window, "Settings", "Audit trail…").trigger()
    modals.wait_answered()
    assert modals.seen[1].title == "Exported"
    assert modals.seen[2].title == "Audit trail checked"
    assert "unbroken: all 6 events" in modals.seen[2].text
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert sum(1 for r in rows if len(r) > 3 and r[3] in ("Created", "Changed")) == 6


def test_audit_screen_finds_an_edited_row(
    qtbot: QtBot, window: MainWindow, services: Services, modals
) -> None:  # type: ignore[no-untyped-def]
    # As the file's owner could: drop the trigger, change a row.
    path = services.db.url.database
    with sqlite3.connect(str(path)) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET actor = 'somebody' WHERE seq = 3")

    def check(box: QWidget) -> None:
        push(qtbot, button(box, "Check the trail"))
        qtbot.waitUntil(lambda: modals.pending == 0, timeout=10_000)  # the answer was read
        box.reject()

    modals.then(check).click("OK")
    menu_action(window, "Settings", "Audit trail…").trigger()
    modals.wait_answered()
    assert modals.seen[1].text.startswith("The audit trail has problems:")
    assert "Audit record 3 was changed after it was written." in modals.seen[1].text


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEWER])
def test_audit_trail_is_for_administrators_only(
    qtbot: QtBot, sqlite_db: Database, services: Services, role: Role
) -> None:
    them = Services(sqlite_db, Actor("someone", role))
    w = MainWindow(them)
    qtbot.addWidget(w)
    w.load()
    before = services.audit.search(services.actor).total
    (settings,) = [a.menu() for a in w.menuBar().actions() if a.text() == "Se&ttings"]
    (item,) = [a for a in settings.actions() if a.text() == "&Audit trail…"]
    assert not item.isEnabled()
    item.trigger()  # even if it were chosen: nothing opens, nothing is written
    assert not [d for d in w.findChildren(AuditDialog) if d.isVisible()]
    assert services.audit.search(services.actor).total == before


def test_audit_screen_shows_the_newest_and_more_on_asking(
    qtbot: QtBot, window: MainWindow, modals, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import thep_desktop.ui.audit.audit_dialog as audit_dialog

    monkeypatch.setattr(audit_dialog, "DEFAULT_LIMIT", 4)  # 6 events: more than one page
    lines: list[str] = []

    def use(box: QWidget) -> None:
        assert isinstance(box, AuditDialog)
        lines.append(box.count_label.text())
        lines.append(str(box.model.rowCount()))
        push(qtbot, button(box, "Show 4 more"))
        lines.append(box.count_label.text())
        lines.append(str(box.model.rowCount()))
        lines.append(str(box.more_button.isVisible()))
        qtbot.mouseClick(button(box, "Close"), LEFT)

    open_audit(window, modals, use)
    assert lines == ["6 events; showing the newest 4", "4", "6 events", "6", "False"]
