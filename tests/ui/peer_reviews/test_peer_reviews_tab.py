"""The Peer reviews tab's schedule: the list, filters, confirm, delete, statuses and who may do
what, driven through real widgets on a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QToolButton
from qt_driving import Modals, button, choose, menu_action, press, push
from review_records import review_sums
from review_ui_records import Cycle, click_row, hosts_shown

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import Breach, ReviewStatus, Rule
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.audit.history_dialog import HistoryDialog
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.peer_reviews.cycle_dialog import CycleDialog
from thep_desktop.ui.peer_reviews.review_editor import ReviewEditor
from thep_desktop.ui.peer_reviews.reviews_table_model import (
    COL_HOST,
    COL_STATUS,
    COL_WARNINGS,
    ReviewRow,
    summary_text,
)
from thep_desktop.ui.peer_reviews.status_dialog import StatusDialog

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def statuses(services: Services, cycle: Cycle) -> dict[int, ReviewStatus]:
    return {r.id: r.status for r in cycle.reviews(services)}


def test_the_tab_lists_the_cycle_by_date_with_statuses_and_a_summary(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Peer &reviews"
    assert tab.cycle_combo.currentText() == "2025/26"
    reviews = cycle.reviews(services)
    by_date = sorted(reviews, key=lambda r: (r.starts_on, r.host_name))
    assert hosts_shown(tab) == [r.host_name for r in by_date]
    first = by_date[0]
    assert first.starts_on is not None
    status = tab.proxy.index(0, COL_STATUS).data()
    assert status == f"Report received {first.starts_on:%d/%m/%Y}"
    assert tab.summary_label.text() == (
        "12 reviews: 5 proposed, 4 confirmed, 2 completed, 1 report received · no warnings"
    )
    assert window.count_label.text() == "12 reviews"
    # A click on the Host heading sorts by host.
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_HOST) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert hosts_shown(tab) == sorted(r.host_name for r in reviews)
    # The Peer reviews menu holds the tab's actions.
    assert menu_action(window, "Peer reviews", "Generate schedule…").isEnabled()
    assert menu_action(window, "Peer reviews", "Check").isEnabled()


def test_the_filters_and_the_search_narrow_the_schedule(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    reviews = cycle.reviews(services)
    choose(qtbot, tab.cluster_filter, "Isle of Dogs")
    isle = cycle.clusters["Isle of Dogs"]
    assert sorted(hosts_shown(tab)) == sorted(r.host_name for r in reviews if r.cluster_id == isle)
    assert tab.count_label.text() == "6 of 12 reviews shown"
    choose(qtbot, tab.status_filter, "Confirmed")
    wanted = [
        r.host_name for r in reviews if r.cluster_id == isle and r.status is ReviewStatus.CONFIRMED
    ]
    assert sorted(hosts_shown(tab)) == sorted(wanted)
    choose(qtbot, tab.status_filter, "Any status")
    choose(qtbot, tab.cluster_filter, "All clusters")
    assert len(hosts_shown(tab)) == 12
    # Ctrl+F finds the search box; a school's name finds the reviews it hosts or reviews.
    press(qtbot, tab.table, Qt.Key.Key_F, CTRL)
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "globe primary")
    involved = [
        r.host_name
        for r in reviews
        if "Globe Primary School" in (r.host_name, *(s.name for s in r.team))
    ]
    assert len(involved) == 3  # it hosts one and reviews at two
    assert sorted(hosts_shown(tab)) == sorted(involved)
    assert tab.summary_label.text().startswith("3 reviews:")
    press(qtbot, tab.search, Qt.Key.Key_Escape)
    assert len(hosts_shown(tab)) == 12


def test_confirm_confirms_the_selected_proposed_reviews(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    tab = window.peer_reviews_tab
    choose(qtbot, tab.status_filter, "Proposed")
    proposed = [tab.proxy.row_at(r).id for r in range(tab.proxy.rowCount())]
    assert len(proposed) == 5
    click_row(qtbot, tab, proposed[0])
    click_row(qtbot, tab, proposed[1], add=True)
    modals.click("Confirm")
    menu_action(window, "Peer reviews", "Confirm").trigger()
    modals.wait_answered()
    assert "Confirm 2 proposed reviews as agreed with the schools" in modals.seen[-1].text
    now = statuses(services, cycle)
    assert [now[i] for i in proposed] == [ReviewStatus.CONFIRMED] * 2 + [ReviewStatus.PROPOSED] * 3
    assert window.statusBar().currentMessage() == "2 reviews confirmed."
    assert len(hosts_shown(tab)) == 3  # the filter still shows the proposed only
    # Nothing proposed selected: Confirm cannot be chosen.
    choose(qtbot, tab.status_filter, "Confirmed")
    click_row(qtbot, tab, proposed[0])
    assert not tab.confirm_action.isEnabled()


def test_a_proposed_review_is_deleted_after_asking_and_a_confirmed_one_stays(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    sqlite_db: Database,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    tab = window.peer_reviews_tab
    reviews = cycle.reviews(services)
    confirmed = next(r for r in reviews if r.status is ReviewStatus.CONFIRMED)
    proposed = next(r for r in reviews if r.status is ReviewStatus.PROPOSED)
    # A confirmed review: Delete cannot be chosen and the key does nothing.
    before = review_sums(sqlite_db)
    click_row(qtbot, tab, confirmed.id)
    assert not tab.delete_action.isEnabled()
    press(qtbot, tab.table, Qt.Key.Key_Delete)
    assert modals.seen == [] and review_sums(sqlite_db) == before
    # Cancel keeps it.
    click_row(qtbot, tab, proposed.id)
    modals.click("Cancel")
    press(qtbot, tab.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert review_sums(sqlite_db) == before
    modals.click("Delete")
    press(qtbot, tab.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert f"Delete the proposed review at {proposed.host_name}" in modals.seen[-1].text
    assert proposed.id not in statuses(services, cycle)
    assert proposed.host_name not in hosts_shown(tab)
    assert len(hosts_shown(tab)) == 11


def test_back_to_proposed_clears_the_later_dates_and_history_shows_the_changes(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    tab = window.peer_reviews_tab
    completed = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.COMPLETED)
    click_row(qtbot, tab, completed.id)
    assert not tab.status_actions[ReviewStatus.COMPLETED].isEnabled()
    assert tab.status_actions[ReviewStatus.REPORT_RECEIVED].isEnabled()
    modals.click("Back to proposed")
    menu_action(window, "Peer reviews", "Back to proposed…").trigger()
    modals.wait_answered()
    after = services.reviews.get_review(services.actor, completed.id)
    assert after.status is ReviewStatus.PROPOSED
    assert set(after.status_dates) == {ReviewStatus.PROPOSED}
    assert after.starts_on == completed.starts_on and after.team == completed.team
    row = tab.model.row_of_id(completed.id)
    assert tab.model.index(row, COL_STATUS).data().startswith("Proposed")
    # Ctrl+H in the schedule: the review's history.
    press(qtbot, tab.table, Qt.Key.Key_H, CTRL)
    history = opened[-1]
    assert isinstance(history, HistoryDialog)
    assert completed.host_name in history.windowTitle()


def test_a_viewer_sees_the_schedule_but_no_action_that_changes_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, sqlite_db: Database
) -> None:
    viewer = Services(sqlite_db, Actor("val.viewer", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.show()
    w.load()
    tab = w.peer_reviews_tab
    shown: list[QDialog] = []
    tab.run_dialog = lambda d: (shown.append(d), d.show())  # type: ignore[method-assign]
    w.tabs.setCurrentWidget(tab)
    assert len(hosts_shown(tab)) == 12  # looking is allowed
    proposed = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.PROPOSED)
    click_row(qtbot, tab, proposed.id)
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and "Peer" in a.text())
    enabled = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled() and a.text()}
    # Looking, and the files made by reading (the schedule, the calendar), are allowed.
    assert enabled == {
        "Open review…",
        "History…",
        "Check",
        "Export schedule…",
        "Export calendar…",
    }
    assert [a.isEnabled() for a in tab.clusters_view.toolbar.actions()] == [False] * 4
    # Enter opens the review to read.
    press(qtbot, tab.table, Qt.Key.Key_Return)
    editor = shown[-1]
    assert isinstance(editor, ReviewEditor) and not editor.editable
    editor.reject()
    # A visit cannot be moved by the keyboard either.
    before = review_sums(sqlite_db)
    tab.views.setCurrentIndex(1)
    tab.calendar.select(proposed.id, show=True)
    press(qtbot, tab.calendar, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert review_sums(sqlite_db) == before
    assert "not move visits" in w.statusBar().currentMessage()


def test_the_status_steps_record_completed_and_quality_assured_with_their_dates(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
) -> None:
    tab = window.peer_reviews_tab
    reviews = cycle.reviews(services)
    confirmed = next(r for r in reviews if r.status is ReviewStatus.CONFIRMED)
    click_row(qtbot, tab, confirmed.id)
    assert not tab.status_actions[ReviewStatus.QUALITY_ASSURED].isEnabled()
    menu_action(window, "Peer reviews", "Mark visit completed…").trigger()
    form = opened[-1]
    assert isinstance(form, StatusDialog)
    assert confirmed.starts_on is not None
    visited = confirmed.starts_on
    form.on.selectAll()
    qtbot.keyClicks(form.on, f"{visited:%d/%m/%Y}")
    push(qtbot, button(form, "Save"))
    after = services.reviews.get_review(services.actor, confirmed.id)
    assert after.status is ReviewStatus.COMPLETED
    assert after.status_dates[ReviewStatus.COMPLETED] == visited
    row = tab.model.row_of_id(confirmed.id)
    assert tab.model.index(row, COL_STATUS).data() == f"Completed {visited:%d/%m/%Y}"
    assert tab.selected_ids() == [confirmed.id]
    # Quality assurance needs an outcome.
    reported = next(r for r in reviews if r.status is ReviewStatus.REPORT_RECEIVED)
    click_row(qtbot, tab, reported.id)
    menu_action(window, "Peer reviews", "Quality-assured…").trigger()
    form = opened[-1]
    assert isinstance(form, StatusDialog)
    choose(qtbot, form.outcome, "Consistent and fair")
    push(qtbot, button(form, "Save"))
    done = services.reviews.get_review(services.actor, reported.id)
    assert done.status is ReviewStatus.QUALITY_ASSURED
    assert done.qa_outcome is not None and done.qa_outcome.label == "Consistent and fair"
    assert "1 quality assured" in tab.summary_label.text()


def test_a_new_cycle_is_started_and_shown_and_ctrl_n_adds_a_review_to_it(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
) -> None:
    tab = window.peer_reviews_tab
    menu_action(window, "Peer reviews", "New cycle…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, CycleDialog)
    year = dialog.year.currentText()
    assert year != "2025/26"
    press(qtbot, dialog.notes, Qt.Key.Key_S, CTRL)
    assert not dialog.isVisible()
    assert tab.cycle_combo.count() == 2 and tab.cycle_combo.currentText() == year
    assert hosts_shown(tab) == []
    assert tab.summary_label.text() == (
        f"No reviews shown.\nThe term dates of {year} are not saved yet, so the calendar shows "
        "no holidays: enter them with Peer reviews > Term dates…"
    )
    assert window.statusBar().currentMessage() == f"Peer reviews {year} started."
    # Ctrl+N, while the tab is in view, adds a review to the cycle shown (not a school).
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    editor = opened[-1]
    assert isinstance(editor, ReviewEditor) and editor.cycle_id == tab.cycle.id  # type: ignore[union-attr]
    assert editor.detail is None
    editor.reject()
    # The earlier cycle is chosen again from the drop-down; its settings open beside it.
    choose(qtbot, tab.cycle_combo, "2025/26")
    assert len(hosts_shown(tab)) == 12
    settings = next(
        b for b in tab.findChildren(QToolButton) if b.defaultAction() is tab.cycle_settings_action
    )
    push(qtbot, settings)
    dialog = opened[-1]
    assert isinstance(dialog, CycleDialog) and dialog.year.currentText() == "2025/26"
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Peer reviews 2025/26: reading")
    press(qtbot, dialog.notes, Qt.Key.Key_S, CTRL)
    assert tab.cycle_combo.currentText() == "2025/26 – Peer reviews 2025/26: reading"
    assert window.statusBar().currentMessage() == "Peer reviews 2025/26: reading: settings saved."


def test_file_export_writes_the_schedule_as_shown(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
    tmp_path,
) -> None:
    import openpyxl

    tab = window.peer_reviews_tab
    choose(qtbot, tab.cluster_filter, "Isle of Dogs")
    target = tmp_path / "Peer reviews.xlsx"
    window.ask_save_path = lambda *_args: (str(target), "")  # type: ignore[method-assign]
    modals.click("Close")  # written: not opening it
    menu_action(window, "File", "Export…").trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    header = next(n for n, r in enumerate(rows) if r[:3] == ["Date", "Host school", "Cluster"])
    assert "cluster Isle of Dogs" in " ".join(str(r[0]) for r in rows[:header])
    body = rows[header + 1 :]
    assert [r[1] for r in body] == hosts_shown(tab)
    assert {r[2] for r in body} == {"Isle of Dogs"} and len(body) == 6


def test_the_schedule_model_passes_qts_model_checks(  # type: ignore[no-untyped-def]
    qtmodeltester, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_a_review_changed_in_the_editor_is_rechecked_and_its_warning_told(  # type: ignore[no-untyped-def]
    qtbot,
    services: Services,
    cycle: Cycle,
    window: MainWindow,
    opened: list[QDialog],
    modals: Modals,
) -> None:
    tab = window.peer_reviews_tab
    review = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.PROPOSED)
    click_row(qtbot, tab, review.id)
    press(qtbot, tab.table, Qt.Key.Key_Return)
    editor = opened[-1]
    assert isinstance(editor, ReviewEditor) and editor.detail is not None
    editor.first_day.selectAll()
    qtbot.keyClicks(editor.first_day, "13/06/2026")  # a Saturday
    modals.click("OK")  # the editor tells the warnings once saved
    press(qtbot, editor.first_day, Qt.Key.Key_S, CTRL)
    modals.wait_answered()
    assert modals.seen[-1].title == "Saved, with warnings"
    assert not editor.isVisible()
    saved = services.reviews.get_review(services.actor, review.id)
    assert saved.starts_on is not None and f"{saved.starts_on:%d/%m/%Y}" == "13/06/2026"
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Review at {review.host_name} (13/06/2026) saved. ⚠")
    assert "is a weekend" in message
    row = tab.model.row_of_id(review.id)
    assert "is a weekend" in tab.model.index(row, COL_WARNINGS).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.selected_ids() == [review.id]


def test_a_right_click_on_a_review_offers_what_can_be_done_with_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    confirmed = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.CONFIRMED)
    rows = [tab.proxy.row_at(r).id for r in range(tab.proxy.rowCount())]
    rect = tab.table.visualRect(tab.proxy.index(rows.index(confirmed.id), COL_HOST))
    viewport = tab.table.viewport()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), viewport.mapToGlobal(rect.center())
    )
    QApplication.sendEvent(viewport, event)
    menu = tab.table_menu
    assert isinstance(menu, QMenu) and menu.isVisible()
    enabled = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled() and a.text()}
    assert enabled == {
        "Edit review…",
        "History…",
        "Mark visit completed…",
        "Back to proposed…",
        "Print confirmation letters…",
    }
    assert tab.selected_ids() == [confirmed.id]
    menu.close()


def test_the_summary_counts_a_breach_shared_by_two_reviews_once(  # type: ignore[no-untyped-def]
    services: Services, cycle: Cycle
) -> None:
    first, second, third = cycle.reviews(services)[:3]
    mutual = Breach(Rule.MUTUAL_SAME_TERM, "A and B review each other", ("1", "2"), (1, 2))
    weekend = Breach(Rule.SCHOOL_DAY, "C on a Saturday", ("3",), (3,))
    rows = [
        ReviewRow(first, (mutual,)),
        ReviewRow(second, (mutual,)),
        ReviewRow(third, (weekend,)),
    ]
    text = summary_text(rows)
    assert text.startswith("3 reviews: ")
    assert text.endswith(" · ⚠ 2 warnings")
    assert summary_text(rows[2:]).endswith(" · ⚠ 1 warning")
    assert summary_text([]) == "No reviews shown."
