"""The main window around the tabs: the demo offer on an empty register, and what it loads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
    qtbot, empty_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def answer(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(text)
        return "Load demo data"

    empty_window.ask = answer
    empty_window.offer_demo()
    assert asked and "no schools yet" in asked[0]
    qtbot.waitUntil(lambda: empty_window.schools_tab.model.total_count() > 0, timeout=30_000)
    tab = empty_window.schools_tab
    assert 85 <= tab.model.total_count() <= 95
    total = tab.model.total_count()
    # Closed schools are one click away: the status filter starts at open and proposed.
    current = sum(1 for r in tab.model.rows() if r.status is not SchoolStatus.CLOSED)
    assert 0 < current < total
    assert tab.count_label.text() == f"{current} of {total} schools shown"
    assert empty_window.count_label.text() == f"{current} of {total} schools shown"
    assert "Demo data loaded" in empty_window.statusBar().currentMessage()
    # Offered once: with schools in the register it is not offered again.
    asked.clear()
    empty_window.offer_demo()
    assert asked == []


def test_declining_the_offer_is_remembered_for_that_database(
    empty_window: MainWindow,
) -> None:
    asked: list[str] = []

    def decline(_parent, _title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(text)
        return "Start empty"

    empty_window.ask = decline
    empty_window.offer_demo()
    empty_window.offer_demo()
    assert len(asked) == 1
    assert empty_window.schools_tab.model.total_count() == 0
    assert config.load_settings().get("demo_declined")


def test_a_viewer_is_not_offered_demo_data(qtbot, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Services(sqlite_db, Actor("visitor", Role.VIEWER)))
    qtbot.addWidget(window)
    window.load()
    window.ask = lambda *_a: pytest.fail("a viewer was asked to load demo data")  # type: ignore[assignment]
    window.offer_demo()
    assert not window.demo_action.isEnabled()


def test_demo_data_is_refused_into_a_register_that_has_schools(
    qtbot, empty_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    empty_window.ask = lambda *_a: "Load demo data"  # type: ignore[assignment]
    empty_window.load_demo(confirm=False)
    qtbot.waitUntil(lambda: empty_window.schools_tab.model.total_count() > 0, timeout=30_000)
    told: list[str] = []
    empty_window.tell = lambda _p, _t, text: told.append(text)  # type: ignore[assignment]
    before = empty_window.schools_tab.model.total_count()
    empty_window.load_demo()
    assert told and "already has" in told[0]
    assert empty_window.schools_tab.model.total_count() == before


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
