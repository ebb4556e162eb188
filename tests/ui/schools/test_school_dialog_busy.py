"""The school form while another holds the database: the wait shown, then words, typing kept."""

from __future__ import annotations

import pytest
from lock_holders import write_lock_held
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from qt_driving import press

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog

pytestmark = pytest.mark.gui

BUSY = (
    "The database is busy: someone else is saving a large change. Nothing was saved; "
    "try again in a minute."
)


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(actor, SchoolInput(urn=100001, name="Bow Primary School"))
    return s


@pytest.fixture
def dialog(qtbot, window: MainWindow, dialogs: list[SchoolDialog]) -> SchoolDialog:  # type: ignore[no-untyped-def]
    window.schools_tab.table.setFocus()
    window.schools_tab.table.selectRow(0)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    return dialogs[0]


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def watch_the_wait(window: MainWindow) -> list[tuple[bool, str, str]]:
    """What the window showed each time the save reported its wait (after it painted)."""
    seen: list[tuple[bool, str, str]] = []
    wait = window.services.db.lock_wait
    shown = wait.notify
    assert shown is window.database_wait

    def spy(seconds: float | None) -> None:
        shown(seconds)
        notice = window.database_wait.notice
        seen.append((notice.isVisible(), notice.text(), window.statusBar().currentMessage()))

    wait.notify = spy
    return seen


def test_a_save_that_waits_too_long_says_so_and_keeps_what_was_typed(
    qtbot, window: MainWindow, dialog: SchoolDialog, services: Services
) -> None:  # type: ignore[no-untyped-def]
    services.db.lock_wait.attempt_seconds = 0.1
    services.db.lock_wait.total_seconds = 1.2
    seen = watch_the_wait(window)
    retype(qtbot, dialog.inputs["phone"], "020 7000 1111")  # type: ignore[arg-type]
    retype(qtbot, dialog.inputs["town"], "Bow")  # type: ignore[arg-type]
    before = services.schools.get_school_by_urn(services.actor, 100001)
    with write_lock_held(services.db):
        press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.banner.text() == BUSY
    assert dialog.inputs["phone"].text() == "020 7000 1111"  # type: ignore[attr-defined]
    assert dialog.inputs["town"].text() == "Bow"  # type: ignore[attr-defined]
    assert services.schools.get_school_by_urn(services.actor, 100001) == before
    waits = seen[:-1]
    assert waits and all(visible for visible, _text, _bar in waits)
    assert waits[0][1] == "Waiting for the database: someone else is saving (0 s)…"
    assert waits[0][2] == waits[0][1]
    assert seen[-1] == (False, waits[-1][1], "")  # the notice went once the wait was over
    # Saved again once the colleague's save is done: the same form, the same values.
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    stored = services.schools.get_school_by_urn(services.actor, 100001)
    assert (stored.phone, stored.town) == ("020 7000 1111", "Bow")


def test_a_short_wait_is_shown_and_the_save_goes_through(
    qtbot, window: MainWindow, dialog: SchoolDialog, services: Services, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    services.db.lock_wait.attempt_seconds = 0.1
    services.db.lock_wait.total_seconds = 10
    seen = watch_the_wait(window)
    shots: list[bool] = []
    spy = services.db.lock_wait.notify

    def spy_and_picture(seconds: float | None) -> None:
        spy(seconds)  # type: ignore[misc]
        if seconds is not None and not shots:
            shots.append(window.database_wait.notice.grab().save(str(tmp_path / "wait.png")))

    services.db.lock_wait.notify = spy_and_picture
    retype(qtbot, dialog.inputs["town"], "Bow")  # type: ignore[arg-type]
    with write_lock_held(services.db, release_after=0.8):
        press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert services.schools.get_school_by_urn(services.actor, 100001).town == "Bow"
    assert len(seen) >= 2 and seen[0][0] and seen[-1][0] is False
    assert shots == [True]  # the notice could be pictured: it was on screen
