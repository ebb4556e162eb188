"""The Governance tab: meetings with their notice warnings, the action tracker, the compliance
panel, the register of directors and who may do what, driven through real widgets on a real
database set up through the services."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from governance_ui_records import (
    Governance,
    click_record,
    governance_sums,
    governance_year,
    shown_ids,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from qt_driving import Modals, button, choose, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import ActionStatus
from thep_desktop.services.governance.governance_data import ActionFilter, MeetingInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.audit.history_dialog import HistoryDialog
from thep_desktop.ui.governance.action_editor import ActionEditor
from thep_desktop.ui.governance.action_status_dialog import ActionStatusDialog
from thep_desktop.ui.governance.actions_table_model import (
    COL_STATUS,
    OVERDUE_BACKGROUND,
)
from thep_desktop.ui.governance.governance_tab import (
    ACTIONS_VIEW,
    DIRECTORS_VIEW,
    MEETINGS_VIEW,
    GovernanceTab,
)
from thep_desktop.ui.governance.meeting_editor import MeetingEditor
from thep_desktop.ui.governance.meetings_table_model import COL_NOTICE
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date.today()


@pytest.fixture
def year(services: Services) -> Governance:
    return governance_year(services, TODAY)


def tab_of(window: MainWindow) -> GovernanceTab:
    return window.governance_tab


def test_the_window_has_the_tab_and_its_menu(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "&Governance"
    assert [tab.views.tabText(n) for n in range(tab.views.count())] == [
        "Meeti&ngs",
        "&Actions",
        "Bo&dies and people",
        "Register of dire&ctors",
    ]
    assert menu_action(window, "Governance", "New meeting…").isEnabled()
    assert menu_action(window, "Governance", "Decision log (PDF)…").isEnabled()
    assert window.count_label.text() == "3 meetings"
    # The register from the menu: its view comes to the front.
    menu_action(window, "Governance", "Register of directors").trigger()
    assert tab.views.currentIndex() == DIRECTORS_VIEW


def test_meetings_are_listed_newest_first_with_short_notice_marked(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    view = tab_of(window).meetings_view
    assert shown_ids(view) == [
        year.meetings["board-next"],
        year.meetings["board-short"],
        year.meetings["board-past"],
    ]
    rows = {view.proxy.record_at(r).id: r for r in range(view.proxy.rowCount())}
    short = view.proxy.index(rows[year.meetings["board-short"]], COL_NOTICE)
    assert short.data() == "⚠ Short"
    assert short.data(Qt.ItemDataRole.ToolTipRole).startswith("Short notice: sent on")
    assert "2 clear days" in short.data(Qt.ItemDataRole.ToolTipRole)
    past = view.proxy.index(rows[year.meetings["board-past"]], COL_NOTICE)
    assert past.data() == "✓"
    assert past.data(Qt.ItemDataRole.ToolTipRole).endswith("20 clear days given.")
    upcoming = view.proxy.index(rows[year.meetings["board-next"]], COL_NOTICE)
    assert upcoming.data() == ""
    assert upcoming.data(Qt.ItemDataRole.ToolTipRole).startswith("No notice recorded yet")


def test_the_body_year_and_search_narrow_the_meetings(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    choose(qtbot, view.body_filter, "Advisory Council")
    assert shown_ids(view) == []
    assert view.count_label.text() == "0 of 3 meetings shown"
    choose(qtbot, view.body_filter, "Board of Directors")
    assert len(shown_ids(view)) == 3
    # Ctrl+F finds the search box; a venue's words find its meeting; Esc clears.
    press(qtbot, view.table, Qt.Key.Key_F, CTRL)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "bonner")
    assert shown_ids(view) == [year.meetings["board-short"]]
    assert window.count_label.text() == "1 of 3 meetings shown"
    press(qtbot, view.search, Qt.Key.Key_Escape)
    assert len(shown_ids(view)) == 3
    # This academic year: the meetings that fall in it.
    this_year = AcademicYear.of(TODAY)
    choose(qtbot, view.year_filter, this_year.label)
    wanted = [m for m in year.meetings.values() if tab_meeting_day(tab, m) in this_year]
    assert sorted(shown_ids(view)) == sorted(wanted)


def tab_meeting_day(tab: GovernanceTab, meeting_id: int) -> date:
    return next(m.meets_on for m in tab.meetings if m.id == meeting_id)


def test_the_tracker_shows_open_actions_with_the_overdue_one_marked_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    view = tab.actions_view
    assert view.open_only.isChecked()
    assert shown_ids(view) == [year.actions["overdue"], year.actions["due-soon"]]
    overdue = view.proxy.index(0, COL_STATUS)
    assert overdue.data() == "⚠ Open – overdue by 12 days"
    assert overdue.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert "overdue by 12 days" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    on_time = view.proxy.index(1, COL_STATUS)
    assert on_time.data() == "Open"
    assert on_time.data(Qt.ItemDataRole.BackgroundRole) is None
    assert view.count_label.text() == "2 of 3 actions shown · ⚠ 1 overdue"
    assert window.count_label.text() == view.count_label.text()
    # Unticked (Space), the done one shows with the day it closed.
    view.open_only.setFocus()
    qtbot.keyClick(view.open_only, Qt.Key.Key_Space)
    assert not view.open_only.isChecked()
    assert len(shown_ids(view)) == 3
    done_row = shown_ids(view).index(year.actions["done"])
    done_on = format_date(TODAY - timedelta(days=45))
    assert view.proxy.index(done_row, COL_STATUS).data() == f"Done {done_on}"
    # The owner filter, typed.
    choose(qtbot, view.owner_filter, "Priya Raman")
    assert shown_ids(view) == [year.actions["overdue"]]


def test_closing_an_action_in_the_status_dialog_takes_it_off_the_open_list(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    year: Governance,
    window: MainWindow,
    opened: list[QDialog],
    sqlite_db: Database,
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    view = tab.actions_view
    wanted = year.actions["due-soon"]
    click_record(qtbot, view, wanted)
    # A date that is not one is refused beside its field; nothing changes.
    before = governance_sums(sqlite_db)
    menu_action(window, "Governance", "Change status…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, ActionStatusDialog)
    assert dialog.status.currentText() == "Done"
    dialog.on.selectAll()
    qtbot.keyClicks(dialog.on, "31/02/2026")
    dialog.progress.setFocus()
    qtbot.keyClicks(dialog.progress, "Booked the hall at Bonner Primary")
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible()
    assert "not a date" in dialog.messages.message("on")
    assert governance_sums(sqlite_db) == before
    # Typed again: saved, and gone from "open only".
    closed_on = TODAY - timedelta(days=1)
    dialog.on.selectAll()
    qtbot.keyClicks(dialog.on, format_date(closed_on))
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    saved = services.governance_actions.get_action(services.actor, wanted)
    assert saved.status is ActionStatus.DONE
    assert saved.closed_on == closed_on
    assert saved.progress == "Booked the hall at Bonner Primary"
    assert shown_ids(view) == [year.actions["overdue"]]
    assert window.statusBar().currentMessage() == "Action “Book the venue for the AGM” done."


def test_a_new_action_is_raised_at_the_meeting_chosen(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    press(qtbot, tab.actions_view.table, Qt.Key.Key_N, CTRL)
    editor = opened[-1]
    assert isinstance(editor, ActionEditor) and editor.windowTitle() == "New action"
    # Saved without a meeting: refused beside the field, nothing saved.
    qtbot.keyClicks(editor.text, "Write to the auditors")
    push(qtbot, button(editor, "Save"))
    assert editor.messages.message("meeting_id") == "Choose the meeting that raised the action."
    # The meetings newest first: End chooses the first of the year, which raised the others.
    editor.meeting_box.setFocus()
    qtbot.keyClick(editor.meeting_box, Qt.Key.Key_End)
    first = format_date(TODAY - timedelta(days=90))
    assert editor.meeting_box.currentText() == f"Board of Directors, {first}"
    editor.owner.setFocus()
    for _ in range(editor.owner.count()):  # the body's members, chosen with the arrow keys
        if editor.owner.currentText() == "Tomasz Nowak":
            break
        qtbot.keyClick(editor.owner, Qt.Key.Key_Down)
    due = TODAY + timedelta(days=30)
    qtbot.keyClicks(editor.due_on, format_date(due))
    push(qtbot, button(editor, "Save"))
    assert not editor.isVisible()
    actions = services.governance_actions.list_actions(services.actor, ActionFilter())
    made = next(a for a in actions if a.text == "Write to the auditors")
    assert made.owner_person_id == year.people["Tomasz Nowak"]
    assert made.due_on == due
    assert made.meeting_id == year.meetings["board-past"]
    assert tab.actions_view.selected_ids() == [made.id]
    assert window.statusBar().currentMessage() == "Action “Write to the auditors” raised."
    # Enter on it: the same form, to change; the due date moved.
    press(qtbot, tab.actions_view.table, Qt.Key.Key_Return)
    editor = opened[-1]
    assert isinstance(editor, ActionEditor) and editor.windowTitle() == "Action"
    editor.due_on.selectAll()
    later = due + timedelta(days=7)
    qtbot.keyClicks(editor.due_on, format_date(later))
    press(qtbot, editor.due_on, Qt.Key.Key_S, CTRL)
    assert not editor.isVisible()
    assert services.governance_actions.get_action(services.actor, made.id).due_on == later


def test_the_compliance_panel_lists_what_is_due_and_goes_to_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    panel = tab.compliance
    lines = panel.lines()
    assert panel.title.text() == f"Compliance on {format_date(TODAY)}: 6 to look at"
    assert "Behind their required meetings" in lines
    behind = next(line for line in lines if "Advisory Council" in line and line.startswith("⚠"))
    short = next(line for line in lines if line.startswith("⚠ Board of Directors, "))
    assert "Short notice" in short
    overdue = next(line for line in lines if "Circulate the draft budget" in line)
    assert overdue.endswith("overdue by 12 days")
    ending = next(line for line in lines if line.startswith("David Ashworth"))
    assert format_date(TODAY + timedelta(days=60)) in ending
    assert "Margaret Okonkwo" not in " ".join(lines)  # her term ends in over a year

    def click(text: str) -> None:
        row = lines.index(text)
        rect = panel.list.visualItemRect(panel.list.item(row))
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    # The short notice: the meeting, selected in the Meetings view (its filter cleared).
    choose(qtbot, tab.meetings_view.body_filter, "Advisory Council")
    click(short)
    assert tab.views.currentIndex() == MEETINGS_VIEW
    assert tab.meetings_view.selected_ids() == [year.meetings["board-short"]]
    # The overdue action, in the tracker.
    click(overdue)
    assert tab.views.currentIndex() == ACTIONS_VIEW
    assert tab.actions_view.selected_ids() == [year.actions["overdue"]]
    # The body behind: its meetings (none yet).
    click(behind)
    assert tab.views.currentIndex() == MEETINGS_VIEW
    assert tab.meetings_view.body_filter.currentText() == "Advisory Council"
    # The person whose term ends: Bodies and people.
    click(ending)
    assert tab.views.currentWidget() is tab.bodies_view
    assert tab.bodies_view.person_id() == year.people["David Ashworth"]


def test_all_in_order_when_nothing_is_due(  # type: ignore[no-untyped-def]
    qtbot, services: Services, window: MainWindow, opened: list[QDialog]
) -> None:
    lines = tab_of(window).compliance.lines()
    assert len(lines) == 1 and lines[0].startswith("✓ All in order")


def test_the_register_of_directors_as_at_two_dates(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(DIRECTORS_VIEW)
    view = tab.directors_view
    assert view.as_at.text() == format_date(TODAY)
    assert sorted(view.names()) == [
        "David Ashworth",
        "Margaret Okonkwo",
        "Priya Raman",
        "Tomasz Nowak",
    ]
    assert view.names(former=True) == ["Helen Carter"]
    # In the register's order: by the day appointed.
    assert view.names() == ["Margaret Okonkwo", "David Ashworth", "Priya Raman", "Tomasz Nowak"]
    assert view.current_label.text() == f"Directors on {format_date(TODAY)}: 4"
    assert window.count_label.text() == f"4 directors on {format_date(TODAY)}, 1 former"
    # Term ends shown for those in office.
    model = view.current_model
    row = view.names().index("David Ashworth")
    assert model.index(row, 5).data() == format_date(TODAY + timedelta(days=60))
    # 400 days ago: Helen Carter was still a director, Tomasz Nowak not yet.
    earlier = TODAY - timedelta(days=400)
    view.as_at.setFocus()
    view.as_at.selectAll()
    qtbot.keyClicks(view.as_at, format_date(earlier))
    qtbot.keyClick(view.as_at, Qt.Key.Key_Return)
    assert sorted(view.names()) == [
        "David Ashworth",
        "Helen Carter",
        "Margaret Okonkwo",
        "Priya Raman",
    ]
    assert view.names(former=True) == []
    assert view.former_label.text() == f"No director had ceased by {format_date(earlier)}."
    assert window.count_label.text() == f"4 directors on {format_date(earlier)}"
    # A date that is not one is said in words; the register stays as it was.
    view.as_at.selectAll()
    qtbot.keyClicks(view.as_at, "30/02/2025")
    qtbot.keyClick(view.as_at, Qt.Key.Key_Return)
    assert "is not a date" in view.problem.text()
    assert len(view.names()) == 4 and "Helen Carter" in view.names()
    push(qtbot, view.today_button)
    assert len(view.names()) == 4 and view.problem.text() == ""
    # A double-click on a director: their record in Bodies and people.
    row = view.names().index("Priya Raman")
    rect = view.current.visualRect(view.current_model.index(row, 0))
    # A real double click: press and release, then the double-click event.
    qtbot.mouseClick(view.current.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.current.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.views.currentWidget() is tab.bodies_view
    assert tab.bodies_view.person_id() == year.people["Priya Raman"]
    # Enter on a former director: theirs.
    tab.views.setCurrentIndex(DIRECTORS_VIEW)
    rect = view.former.visualRect(view.former_model.index(0, 0))
    qtbot.mouseClick(view.former.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    press(qtbot, view.former, Qt.Key.Key_Return)
    assert tab.views.currentWidget() is tab.bodies_view
    assert tab.bodies_view.person_id() == year.people["Helen Carter"]


def test_the_usual_bodies_are_offered_on_an_empty_database(  # type: ignore[no-untyped-def]
    qtbot, services: Services, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    assert view.empty.isVisible() and not view.table.isVisible()
    assert not tab.new_meeting_action.isEnabled()  # no body to meet yet
    push(qtbot, view.usual_button)
    bodies = services.governing_bodies.list_bodies(services.actor)
    assert sorted(b.code for b in bodies) == ["AC", "B", "GM"]
    assert not view.empty.isVisible() and view.table.isVisible()
    assert [view.body_filter.itemText(n) for n in range(view.body_filter.count())] == [
        "All bodies",
        *(b.name for b in bodies),
    ]
    assert window.statusBar().currentMessage().startswith("3 bodies added")
    assert tab.new_meeting_action.isEnabled()
    assert not tab.usual_bodies_action.isEnabled()


def test_deleting_a_meeting_asks_and_a_refusal_is_in_the_services_words(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    year: Governance,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    sqlite_db: Database,
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    # The meeting that raised actions cannot go: the service says why; nothing changes.
    click_record(qtbot, view, year.meetings["board-past"])
    before = governance_sums(sqlite_db)
    modals.click("Delete").click("OK")
    press(qtbot, view.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert modals.seen[-1].title == "The meeting was not deleted"
    assert "action" in modals.seen[-1].text
    assert governance_sums(sqlite_db) == before
    # Cancel keeps one; Delete removes it.
    click_record(qtbot, view, year.meetings["board-next"])
    modals.click("Cancel")
    menu_action(window, "Governance", "Delete meeting…").trigger()
    modals.wait_answered()
    assert governance_sums(sqlite_db) == before
    modals.click("Delete")
    press(qtbot, view.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert year.meetings["board-next"] not in shown_ids(view)
    assert window.statusBar().currentMessage().startswith("Meeting Board of Directors, ")


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEWER])
def test_a_role_without_manage_governance_sees_the_edit_actions_disabled(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, sqlite_db: Database, role: Role
) -> None:
    reader = Services(sqlite_db, Actor("sam.reader", role))
    w = MainWindow(reader)
    qtbot.addWidget(w)
    w.show()
    w.load()
    tab = tab_of(w)
    shown: list[QDialog] = []
    tab.run_dialog = lambda d: (shown.append(d), d.show())  # type: ignore[method-assign]
    w.tabs.setCurrentWidget(tab)
    assert len(shown_ids(tab.meetings_view)) == 3  # looking is allowed
    click_record(qtbot, tab.meetings_view, year.meetings["board-short"])
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and a.text() == "G&overnance")
    disabled = {a.text().replace("&", "") for a in menu.actions() if a.text() and not a.isEnabled()}
    assert {
        "New meeting…",
        "Delete meeting…",
        "New action…",
        "Change status…",
        "Edit action…",
        "Delete action…",
    } <= disabled
    enabled = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled()}
    assert {"Open meeting…", "Minutes (PDF)…", "Register of directors"} <= enabled
    # Keys do nothing either.
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    click_record(qtbot, tab.actions_view, year.actions["overdue"])
    before = governance_sums(sqlite_db)
    press(qtbot, tab.actions_view.table, Qt.Key.Key_Delete)
    assert shown == []
    # Enter shows the action to read: nothing in it can be saved.
    press(qtbot, tab.actions_view.table, Qt.Key.Key_Return)
    editor = shown[-1]
    assert isinstance(editor, ActionEditor) and editor.text.isReadOnly()
    assert [b.text() for b in editor.buttons.buttons()] == ["Close"]
    editor.reject()
    assert governance_sums(sqlite_db) == before


def test_the_models_pass_qts_model_checks(  # type: ignore[no-untyped-def]
    qtbot, qtmodeltester, services: Services, year: Governance, window: MainWindow
) -> None:
    tab = tab_of(window)
    for model in (
        tab.meetings_view.model,
        tab.actions_view.model,
        tab.directors_view.current_model,
        tab.meetings_view.proxy,
        tab.actions_view.proxy,
    ):
        qtmodeltester.check(model)


def test_history_and_the_right_click_menu_of_a_meeting_and_an_action(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    click_record(qtbot, view, year.meetings["board-short"])
    press(qtbot, view.table, Qt.Key.Key_H, CTRL)
    history = opened[-1]
    assert isinstance(history, HistoryDialog)
    assert history.windowTitle() == f"History – Board of Directors – {tab.selected_meeting().label}"
    meeting_uuid = tab.selected_meeting().uuid
    assert any(
        e.record_uuid == meeting_uuid and e.action_words == "Created" for e in history.entries
    )
    assert any(e.table_name == "agenda_item" for e in history.entries)  # what belongs to it
    history.close()
    # Right-click on a row: what can be done with that meeting.
    rect = view.table.visualRect(view.proxy.index(0, 1))
    view.table.customContextMenuRequested.emit(rect.center())
    menu = view.context_menu
    assert menu is not None
    words = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert words[:3] == ["Open meeting…", "Delete meeting…", "Meeting history…"]
    assert view.selected_ids() == [year.meetings["board-next"]]
    menu.close()
    # The action's history, from the tracker.
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    click_record(qtbot, tab.actions_view, year.actions["overdue"])
    press(qtbot, tab.actions_view.table, Qt.Key.Key_H, CTRL)
    history = opened[-1]
    assert history.windowTitle() == "History – Action – Circulate the draft budget to the schools"
    assert history.entries


def test_ctrl_n_and_enter_open_the_meeting_editor(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    choose(qtbot, view.body_filter, "Advisory Council")
    press(qtbot, view.table, Qt.Key.Key_N, CTRL)
    editor = opened[-1]
    assert isinstance(editor, MeetingEditor) and editor.windowTitle() == "New meeting"
    assert editor.detail is None
    editor.done(QDialog.DialogCode.Rejected)
    # Enter (and a double-click) on a meeting: that meeting.
    choose(qtbot, view.body_filter, "All bodies")
    click_record(qtbot, view, year.meetings["board-short"])
    press(qtbot, view.table, Qt.Key.Key_Return)
    editor = opened[-1]
    assert isinstance(editor, MeetingEditor)
    assert editor.detail is not None and editor.detail.id == year.meetings["board-short"]
    editor.done(QDialog.DialogCode.Rejected)
    # In the Actions view Ctrl+N is a new action, not a meeting.
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    press(qtbot, tab.actions_view.table, Qt.Key.Key_N, CTRL)
    assert isinstance(opened[-1], ActionEditor)
    opened[-1].done(QDialog.DialogCode.Rejected)


def test_f5_shows_what_a_colleague_saved(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    colleague = Services(services.db, Actor("cleo.clerk", Role.CLERK))
    board = year.bodies["B"]
    made = colleague.meetings.save_meeting(
        colleague.actor, MeetingInput(board, TODAY + timedelta(days=90), venue="Globe Primary")
    )
    assert made.id not in shown_ids(tab.meetings_view)
    press(qtbot, tab.meetings_view.table, Qt.Key.Key_F5)
    assert made.id in shown_ids(tab.meetings_view)
    assert window.statusBar().currentMessage() == "Reloaded from the database."


def test_ctrl_p_prints_the_selected_meetings_minutes_and_print_the_register(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    year: Governance,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    tmp_path: Path,
) -> None:
    tab = tab_of(window)
    view = tab.meetings_view
    click_record(qtbot, view, year.meetings["board-past"])
    minutes = tmp_path / "minutes.pdf"
    modals.type(str(minutes), "Save")
    press(qtbot, view.table, Qt.Key.Key_P, CTRL)
    modals.wait_answered()
    qtbot.waitUntil(lambda: minutes.exists() and bool(pdf_windows()), timeout=20_000)
    text = pdf_text(minutes)
    held = TODAY - timedelta(days=90)
    assert text.startswith("DRAFT Minutes: Board of Directors")
    assert f"Meeting held on {held:%A} {held.day} {held:%B %Y} at 5.30 pm" in text
    assert "Circulate the draft budget to the schools" in text  # its actions
    for pdf in pdf_windows():
        pdf.close()
    # The register as at a date typed, printed from its view.
    tab.views.setCurrentIndex(DIRECTORS_VIEW)
    earlier = TODAY - timedelta(days=400)
    directors = tab.directors_view
    directors.as_at.selectAll()
    qtbot.keyClicks(directors.as_at, format_date(earlier))
    qtbot.keyClick(directors.as_at, Qt.Key.Key_Return)
    register = tmp_path / "register.pdf"
    modals.type(str(register), "Save")
    push(qtbot, directors.print_button)
    modals.wait_answered()
    qtbot.waitUntil(lambda: register.exists() and bool(pdf_windows()), timeout=20_000)
    text = pdf_text(register)
    assert "Helen Carter" in text and "Tomasz Nowak" not in text
    for pdf in pdf_windows():
        pdf.close()


def pdf_windows() -> list[PdfWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfWindow) and w.isVisible()]


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_ctrl_e_exports_the_tracker_as_shown(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    year: Governance,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    tmp_path: Path,
) -> None:
    import openpyxl

    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    target = tmp_path / "Actions.xlsx"
    window.ask_save_path = lambda *_args: (str(target), "")  # type: ignore[method-assign]
    modals.click("Close")  # written: not opening it
    press(qtbot, tab.actions_view.table, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(target.exists, timeout=10_000)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    header = next(n for n, r in enumerate(rows) if r[:3] == ["Due", "Action", "Owner"])
    assert "open only" in " ".join(str(r[0]) for r in rows[:header])
    body = rows[header + 1 :]
    assert [r[1] for r in body] == [
        "Circulate the draft budget to the schools",
        "Book the venue for the AGM",
    ]
    assert body[0][5] == "⚠ Open – overdue by 12 days"
    assert body[0][0].date() == TODAY - timedelta(days=12)  # a date cell, not words


def test_in_progress_with_a_note_keeps_an_action_open_and_overdue(  # type: ignore[no-untyped-def]
    qtbot, services: Services, year: Governance, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    view = tab.actions_view
    wanted = year.actions["overdue"]
    click_record(qtbot, view, wanted)
    press(qtbot, view.table, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = opened[-1]
    assert isinstance(dialog, ActionStatusDialog)
    choose(qtbot, dialog.status, "In progress")
    dialog.progress.setFocus()
    qtbot.keyClicks(dialog.progress, "Draft with the finance lead")
    press(qtbot, dialog.progress, Qt.Key.Key_S, CTRL)
    assert not dialog.isVisible()
    saved = services.governance_actions.get_action(services.actor, wanted)
    assert saved.status is ActionStatus.IN_PROGRESS and saved.closed_on is None
    assert shown_ids(view)[0] == wanted and view.selected_ids() == [wanted]
    assert view.proxy.index(0, COL_STATUS).data() == "⚠ In progress – overdue by 12 days"
    assert view.proxy.index(0, COL_STATUS + 1).data() == "Draft with the finance lead"


def test_a_status_change_after_a_colleagues_is_refused_in_the_services_words(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    year: Governance,
    window: MainWindow,
    opened: list[QDialog],
    sqlite_db: Database,
) -> None:
    tab = tab_of(window)
    tab.views.setCurrentIndex(ACTIONS_VIEW)
    view = tab.actions_view
    wanted = year.actions["due-soon"]
    click_record(qtbot, view, wanted)
    menu_action(window, "Governance", "Change status…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, ActionStatusDialog)
    # Meanwhile a colleague drops it.
    colleague = Services(services.db, Actor("cleo.clerk", Role.CLERK))
    fresh = colleague.governance_actions.get_action(colleague.actor, wanted)
    colleague.governance_actions.set_action_status(
        colleague.actor, wanted, ActionStatus.DROPPED, TODAY, "Not needed", fresh.version
    )
    before = governance_sums(sqlite_db)
    qtbot.keyClicks(dialog.progress, "Booked")
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible()
    assert dialog.banner.isVisible()
    assert dialog.banner.text().startswith("Someone else changed this action since you opened it")
    assert dialog.progress.toPlainText().endswith("Booked")  # what was typed stays
    assert governance_sums(sqlite_db) == before
    dialog.reject()
