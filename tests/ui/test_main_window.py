"""The main window around the tabs: the demo offer on an empty register, and what it loads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from qt_driving import Modals, click_tab, menu_action

from thep_desktop import config
from thep_desktop.database import Database
from thep_desktop.domain.schools import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def empty_window(qtbot, sqlite_db: Database, actor: Actor) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(window)
    window.show()
    window.load()
    yield window
    if window.demo_job is not None:
        window.demo_job.wait()


def test_an_empty_register_offers_demo_data_and_loads_it_off_the_main_thread(
    qtbot, empty_window: MainWindow, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    # As at start-up: the offer comes once the window shows (app.py runs it from a timer).
    modals.click("Load demo data")
    QTimer.singleShot(0, empty_window.offer_demo)
    modals.wait_answered()
    assert modals.seen[0].title == "An empty register" and "no schools yet" in modals.seen[0].text
    qtbot.waitUntil(lambda: empty_window.schools_tab.model.total_count() > 0, timeout=30_000)
    tab = empty_window.schools_tab
    assert 85 <= tab.model.total_count() <= 95
    total = tab.model.total_count()
    # Closed schools are one click away: the status filter starts at open and proposed.
    current = sum(1 for r in tab.model.rows() if r.status is not SchoolStatus.CLOSED)
    assert 0 < current < total
    assert tab.count_label.text() == f"{current} of {total} schools shown"
    # With data in it, the window shows the Dashboard, and the status bar its day.
    assert empty_window.tabs.currentWidget() is empty_window.dashboard_tab
    assert empty_window.count_label.text().startswith("Figures as at ")
    click_tab(qtbot, empty_window.tabs, tab)
    assert empty_window.count_label.text() == f"{current} of {total} schools shown"
    assert "Demo data loaded" in empty_window.statusBar().currentMessage()
    # Offered once: with schools in the register it is not offered again (no box expected).
    empty_window.offer_demo()
    assert len(modals.seen) == 1


def test_declining_the_offer_is_remembered_for_that_database(
    qtbot, empty_window: MainWindow, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    modals.click("Start empty")
    QTimer.singleShot(0, empty_window.offer_demo)
    modals.wait_answered()
    empty_window.offer_demo()  # the next start: not asked again
    qtbot.wait(50)
    assert len(modals.seen) == 1
    assert empty_window.schools_tab.model.total_count() == 0
    assert config.load_settings().get("demo_declined")


def test_a_viewer_is_not_offered_demo_data(qtbot, sqlite_db: Database, modals: Modals) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Services(sqlite_db, Actor("visitor", Role.VIEWER)))
    qtbot.addWidget(window)
    window.load()
    window.offer_demo()  # a box here would be unexpected, and fail the test
    qtbot.wait(50)
    assert modals.seen == []
    assert not window.demo_action.isEnabled()


def test_demo_data_is_refused_into_a_register_that_has_schools(
    qtbot, empty_window: MainWindow, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    modals.click("Load demo data")
    menu_action(empty_window, "File", "Load demo data…").trigger()
    modals.wait_answered()
    qtbot.waitUntil(lambda: empty_window.schools_tab.model.total_count() > 0, timeout=30_000)
    empty_window.demo_job.wait()
    before = empty_window.schools_tab.model.total_count()
    modals.click("OK")
    menu_action(empty_window, "File", "Load demo data…").trigger()
    modals.wait_answered()
    assert "already has" in modals.seen[-1].text
    assert empty_window.schools_tab.model.total_count() == before
    assert empty_window.services.schools.count(empty_window.services.actor) == before


def test_the_server_dialog_fills_from_the_last_address_and_gives_one_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop.ui.settings.server_dialog import ServerDialog

    dialog = ServerDialog(None, "postgresql://jo@db.office.local:5433/partnership")
    qtbot.addWidget(dialog)
    assert (dialog.host.text(), dialog.port.value(), dialog.user.text()) == (
        "db.office.local",
        5433,
        "jo",
    )
    assert dialog.password.text() == ""  # never stored, never filled in
    dialog.password.setText("pw")
    assert dialog.url() == "postgresql+psycopg://jo:pw@db.office.local:5433/partnership"
    dialog.user.setText("")
    assert dialog.errors() == {"user": "Give your user name on the server"}
    dialog.user.setText("jo")
    for typed in ("db office", "db.office.local/partnership", "jo@db.office.local"):
        dialog.host.setText(typed)
        assert list(dialog.errors()) == ["host"]
        assert "no spaces" in dialog.errors()["host"]


def test_a_database_on_a_network_drive_is_warned_about_in_the_status_bar(
    qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Said as the database opens, and kept in view (the whole warning on the label's tip)."""
    from thep_desktop import database
    from thep_desktop.database import Database
    from thep_desktop.services.registry import Services
    from thep_desktop.services.shared.actor import Actor, Role
    from thep_desktop.ui.main_window import MainWindow

    share = "a Windows share (SMB) mounted at /mnt/office"
    monkeypatch.setattr(database, "network_location", lambda _path: share)
    db = Database(tmp_path / "office.sqlite3")
    db.upgrade(create=True)
    window = MainWindow(Services(db, Actor("jo", Role.ADMIN)))
    qtbot.addWidget(window)
    window.show()
    window.load()
    label = window.network_label
    assert label.isVisible() and label.text() == "On a network drive"
    assert label.toolTip().startswith(f"This database file is on {share}.")
    assert window.statusBar().currentMessage() == label.toolTip()
    db.dispose()
