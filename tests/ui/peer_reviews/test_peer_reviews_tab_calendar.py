"""The Peer reviews tab's month calendar: visits and shading, moving a visit by dragging it or
with the keyboard, the warnings a move brings, and Ctrl+Z putting it back."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QToolButton
from qt_driving import menu_action, press, push
from review_ui_records import EARLY_MAY_2026, Cycle, drag

from thep_desktop.domain.peer_reviews import ReviewStatus, TermName
from thep_desktop.services.registry import Services
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.peer_reviews.month_calendar import (
    BANK_HOLIDAY,
    DAY_COLOURS,
    HALF_TERM,
    HOLIDAY,
    SCHOOL_DAY,
    WEEKEND,
    CalendarVisit,
    MonthCalendar,
    short_name,
)
from thep_desktop.ui.peer_reviews.peer_reviews_tab import CALENDAR_VIEW, PeerReviewsTab
from thep_desktop.ui.peer_reviews.review_editor import ReviewEditor
from thep_desktop.ui.peer_reviews.reviews_table_model import COL_WARNINGS
from thep_desktop.ui.peer_reviews.term_dates_dialog import TermDatesDialog

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def show_calendar(qtbot, tab: PeerReviewsTab) -> None:  # type: ignore[no-untyped-def]
    bar = tab.views.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(CALENDAR_VIEW).center())
    assert tab.views.currentIndex() == CALENDAR_VIEW


def shows(calendar: MonthCalendar, day: date, host: str) -> bool:
    """Whether the day's cell shows a visit to ``host`` (marked ⚠ or not)."""
    return short_name(host) in [line.removeprefix("⚠ ") for line in calendar.day_lines(day)]


def turn_to(qtbot, tab: PeerReviewsTab, month: str) -> None:  # type: ignore[no-untyped-def]
    """Page Down in the calendar until ``month`` ("May 2026") shows (it is later)."""
    for _ in range(14):
        if tab.month_label.text() == month:
            return
        press(qtbot, tab.calendar, Qt.Key.Key_PageDown)
    assert tab.month_label.text() == month


def test_the_calendar_shows_each_visit_on_its_day_and_shades_the_days_without_school(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    show_calendar(qtbot, tab)
    reviews = cycle.reviews(services)
    first = min(r.starts_on for r in reviews if r.starts_on)
    # The cycle's year is past: the calendar opens on the month of its first visit.
    assert tab.month_label.text() == f"{first:%B %Y}"
    calendar = tab.calendar
    for review in reviews:
        assert review.starts_on is not None
        if review.starts_on.month == first.month and review.starts_on.year == first.year:
            assert shows(calendar, review.starts_on, review.host_name)
    # December: Christmas Day is a named bank holiday, after the end of term.
    turn_to(qtbot, tab, "December 2025")
    christmas = date(2025, 12, 25)
    assert calendar.day_lines(christmas) == ["25", "Christmas Day"]
    assert calendar.day_info[christmas].kind == BANK_HOLIDAY
    assert calendar.day_info[date(2025, 12, 22)].kind == HOLIDAY
    assert calendar.day_info[date(2025, 12, 20)].kind == WEEKEND
    # What is drawn: the cell of Christmas Day in the bank holidays' colour.
    image = calendar.grab().toImage()
    centre = calendar.cell_rect(christmas).center().toPoint()  # type: ignore[union-attr]
    assert QColor(image.pixel(centre)) == DAY_COLOURS[BANK_HOLIDAY]
    # The buttons turn the months too; February has its half term.
    push(qtbot, tab.next_month)
    push(qtbot, tab.next_month)
    assert tab.month_label.text() == "February 2026"
    assert calendar.day_lines(date(2026, 2, 16))[:2] == ["16", "Half term"]
    assert calendar.day_info[date(2026, 2, 16)].kind == HALF_TERM
    push(qtbot, tab.previous_month)
    assert tab.month_label.text() == "January 2026"
    # The cluster filter applies to the calendar as well.
    isle = cycle.clusters["Isle of Dogs"]
    shown = {v.review_id for v in calendar.visits}
    assert shown == {r.id for r in reviews}
    tab.cluster_filter.setCurrentIndex(tab.cluster_filter.findData(isle))
    assert {v.review_id for v in calendar.visits} == {r.id for r in reviews if r.cluster_id == isle}


def test_dragging_a_visit_onto_a_bank_holiday_keeps_it_there_with_a_warning_and_ctrl_z_puts_it_back(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    actor = services.actor
    review = next(r for r in cycle.reviews(services) if r.status is ReviewStatus.PROPOSED)
    # The office had put the visit on Wednesday 6 May 2026; Edit > Reload shows it.
    services.reviews.move_review(actor, review.id, date(2026, 5, 6), review.version)
    menu_action(window, "Edit", "Reload").trigger()
    show_calendar(qtbot, tab)
    turn_to(qtbot, tab, "May 2026")
    calendar = tab.calendar
    start = calendar.chip_rect(review.id, date(2026, 5, 6))
    assert start is not None
    target = calendar.cell_rect(EARLY_MAY_2026)
    assert target is not None
    drag(qtbot, calendar, start.center().toPoint(), target.center().toPoint() + QPoint(0, 10))
    moved = services.reviews.get_review(actor, review.id)
    assert moved.starts_on == EARLY_MAY_2026  # kept: a warning, not a refusal
    assert f"⚠ {short_name(review.host_name)}" in calendar.day_lines(EARLY_MAY_2026)
    warning = "04/05/2026 is a bank holiday"
    assert tab.move_warnings.isVisible() and warning in tab.move_warnings.text()
    assert warning in window.statusBar().currentMessage()
    row = tab.model.row_of_id(review.id)
    assert tab.model.index(row, COL_WARNINGS).data().startswith("⚠")
    assert warning in tab.model.index(row, COL_WARNINGS).data(Qt.ItemDataRole.ToolTipRole)
    # Ctrl+Z (Edit > Undo) puts the visit back on the day it was.
    press(qtbot, calendar, Qt.Key.Key_Z, CTRL)
    back = services.reviews.get_review(actor, review.id)
    assert back.starts_on == date(2026, 5, 6)
    assert shows(calendar, date(2026, 5, 6), review.host_name)
    assert not shows(calendar, EARLY_MAY_2026, review.host_name)
    assert window.statusBar().currentMessage().startswith("Moved back")
    # And Ctrl+Y moves it again.
    press(qtbot, calendar, Qt.Key.Key_Y, CTRL)
    assert services.reviews.get_review(actor, review.id).starts_on == EARLY_MAY_2026


def test_the_keyboard_chooses_a_visit_and_moves_it_a_school_day_or_a_week(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    show_calendar(qtbot, tab)
    calendar = tab.calendar
    reviews = sorted(
        (r for r in cycle.reviews(services) if r.starts_on),
        key=lambda r: r.starts_on,  # type: ignore[arg-type, return-value]
    )
    first = reviews[0]
    # Right chooses the month's first visit; it is selected in the schedule too.
    press(qtbot, calendar, Qt.Key.Key_Right)
    assert calendar.selected_id == first.id and tab.selected_ids() == [first.id]
    assert first.starts_on is not None
    # Alt+Right: the next school day (a Friday's visit goes to Monday).
    press(qtbot, calendar, Qt.Key.Key_Right, ALT)
    moved = services.reviews.get_review(services.actor, first.id)
    expected = first.starts_on.toordinal() + (3 if first.starts_on.weekday() == 4 else 1)
    assert moved.starts_on == date.fromordinal(expected)
    # Alt+Down: a week later.
    press(qtbot, calendar, Qt.Key.Key_Down, ALT)
    again = services.reviews.get_review(services.actor, first.id)
    assert again.starts_on == date.fromordinal(expected + 7)
    assert calendar.selected_id == first.id  # still chosen after the move


def test_double_clicking_a_visit_or_an_empty_school_day_opens_the_review_editor(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    show_calendar(qtbot, tab)
    calendar = tab.calendar
    review = min((r for r in cycle.reviews(services) if r.starts_on), key=lambda r: r.starts_on)  # type: ignore[arg-type, return-value]
    assert review.starts_on is not None
    chip = calendar.chip_rect(review.id, review.starts_on)
    assert chip is not None
    qtbot.mouseDClick(calendar, Qt.MouseButton.LeftButton, pos=chip.center().toPoint())
    editor = opened[-1]
    assert isinstance(editor, ReviewEditor) and editor.detail is not None
    assert editor.detail.id == review.id
    editor.reject()
    empty = next(
        day
        for day in calendar.days_shown()
        if day.month == calendar.month.month
        and day.weekday() < 5
        and calendar.day_lines(day) == [str(day.day)]
    )
    cell = calendar.cell_rect(empty)
    assert cell is not None
    qtbot.mouseDClick(calendar, Qt.MouseButton.LeftButton, pos=cell.center().toPoint())
    new = opened[-1]
    assert isinstance(new, ReviewEditor) and new is not editor and new.detail is None
    assert new.first_day.text() == f"{empty:%d/%m/%Y}"  # the day double-clicked
    new.reject()


def test_term_dates_changed_beside_the_cycle_shade_the_calendar_at_once(  # type: ignore[no-untyped-def]
    qtbot, services: Services, cycle: Cycle, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.peer_reviews_tab
    calendar = tab.calendar
    assert calendar.day_info[date(2026, 2, 16)].kind == HALF_TERM
    button = next(
        b for b in tab.findChildren(QToolButton) if b.defaultAction() is tab.term_dates_action
    )
    push(qtbot, button)
    dialog = opened[-1]
    assert isinstance(dialog, TermDatesDialog) and dialog.year.label == "2025/26"
    # The spring half term a week earlier, saved with Ctrl+S.
    for field, typed in (
        ("half_term_starts_on", "09/02/2026"),
        ("half_term_ends_on", "13/02/2026"),
    ):
        edit = dialog.edits[(TermName.SPRING, field)]
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
    press(qtbot, dialog.edits[(TermName.SPRING, "ends_on")], Qt.Key.Key_S, CTRL)
    assert window.statusBar().currentMessage() == "Term dates of 2025/26 saved."
    assert calendar.day_info[date(2026, 2, 9)].kind == HALF_TERM
    assert calendar.day_info[date(2026, 2, 16)].kind == SCHOOL_DAY
    dialog.reject()


def test_a_crowded_day_shows_the_visits_that_fit_and_how_many_more(qtbot) -> None:  # type: ignore[no-untyped-def]
    calendar = MonthCalendar()
    qtbot.addWidget(calendar)
    calendar.resize(900, 420)
    calendar.show()
    day = date(2025, 11, 12)
    visits = [
        CalendarVisit(n, (day,), f"School {n}", ReviewStatus.CONFIRMED, f"School {n}")
        for n in range(1, 9)
    ]
    calendar.set_month(day)
    calendar.set_visits(visits, {})
    lines = calendar.day_lines(day)
    drawn = [line for line in lines if line.startswith("School")]
    assert 0 < len(drawn) < 8
    assert lines[-1] == f"+{8 - len(drawn)} more"
    # Hovering the cell names every visit of the day.
    cell = calendar.cell_rect(day)
    assert cell is not None
    tip = calendar.tooltip_at(cell.bottomRight() - QPoint(4, 4).toPointF())
    assert all(f"School {n}: confirmed" in tip for n in range(1, 9))
    # A taller window fits them all.
    calendar.resize(900, 1400)
    assert calendar.day_lines(day)[1:] == [f"School {n}" for n in range(1, 9)]
