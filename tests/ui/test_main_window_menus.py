"""The main window's menus as a person uses them: each chosen from the menu bar or its keys.

File dialogs, questions and the program's own dialogs run modally for real and are answered
by typing and clicking (``modals``, tests/qt_driving.py). Refusals check nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_databases import DAMAGED, NOT_OURS, REFUSED, folder_state
from pg_databases import PgDatabases
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, button, menu_action, press
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from thep_desktop import __version__, config
from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(
        actor,
        SchoolInput(urn="100001", name="Bow Primary School", la_code="211", postcode="E3 4PX"),
    )
    return s


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    yield w
    if w.demo_job is not None:
        w.demo_job.wait()


def names(w: MainWindow) -> list[str]:
    proxy = w.schools_tab.proxy
    return sorted(proxy.row_at(r).name for r in range(proxy.rowCount()))


def in_dialog(qtbot: QtBot, fill: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    def answer(box: QWidget) -> None:
        activate(qtbot, box)
        fill(box)

    return answer


# -- File -------------------------------------------------------------------------------------
def test_new_database_offers_demo_data_and_loads_it_off_the_main_thread(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    target = tmp_path / "borough.sqlite3"
    modals.type(str(target), then="Save").click("Load demo data")
    menu_action(window, "File", "New database…").trigger()
    modals.wait_answered()
    (file_box, offer) = modals.seen
    assert file_box.title == "New database"
    assert offer.title == "An empty register" and "no schools yet" in offer.text
    qtbot.waitUntil(lambda: window.schools_tab.model.total_count() > 0, timeout=30_000)
    assert str(target) in window.database_label.text()
    total = window.schools_tab.model.total_count()
    # Closed schools are a click away: the count says how many of the whole register show.
    shown = window.schools_tab.proxy.rowCount()
    assert 85 <= total <= 95 and 0 < shown < total
    assert window.schools_tab.count_label.text() == f"{shown} of {total} schools shown"
    qtbot.waitUntil(lambda: "Demo data loaded" in window.statusBar().currentMessage())
    # Offered once: File > Load demo data… now refuses, and says why.
    modals.click("OK")
    menu_action(window, "File", "Load demo data…").trigger()
    modals.wait_answered()
    assert "already has" in modals.seen[-1].text
    assert window.schools_tab.model.total_count() == total


def test_declining_demo_data_is_remembered_for_that_database(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    target = tmp_path / "empty.sqlite3"
    modals.type(str(target), then="Save").click("Start empty")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    modals.wait_answered()
    assert names(window) == [] and window.schools_tab.count_label.text() == "0 schools"
    assert (
        config.without_password(window.services.db.address)
        in config.load_settings()["demo_declined"]
    )
    window.offer_demo()  # as on the next start: not asked again (no box is expected)


def test_load_demo_data_is_refused_into_a_register_with_schools(
    window: MainWindow, modals: Modals, services: Services
) -> None:
    modals.click("OK")
    menu_action(window, "File", "Load demo data…").trigger()
    modals.wait_answered()
    assert modals.seen[0].title == "Demo data" and "already has 1 schools" in modals.seen[0].text
    assert services.schools.count(services.actor) == 1 and names(window) == ["Bow Primary School"]


def test_ctrl_o_opens_another_database_and_recent_databases_goes_back(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path, actor: Actor
) -> None:
    first = window.services.db.sqlite_path
    other = tmp_path / "other.sqlite3"
    made = Services(Database(other), actor)
    made.db.upgrade(create=True)
    made.schools.create_school(
        actor, SchoolInput(urn="100777", name="Other Register School", la_code="211")
    )
    made.close()
    config.remember_database_url(f"sqlite:///{first}")

    modals.type(str(other), then="Open")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_O, CTRL)
    modals.wait_answered()
    assert modals.seen[0].title == "Open database"
    assert str(other) in window.database_label.text()
    assert names(window) == ["Other Register School"]

    recent = menu_action(window, "File", "Recent databases").menu()
    recent.aboutToShow.emit()  # as opening the submenu fills it
    entries = [a for a in recent.actions() if a.text() == str(first)]
    assert entries and entries[0].isEnabled()
    entries[0].trigger()
    assert str(first) in window.database_label.text()
    assert names(window) == ["Bow Primary School"]


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("a text file", NOT_OURS),
        ("another program's file", NOT_OURS),
        ("zero bytes", DAMAGED),
        ("ours with a damaged page", DAMAGED),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_the_open_one_stays(
    qtbot: QtBot,
    window: MainWindow,
    modals: Modals,
    tmp_path: Path,
    services: Services,
    case: str,
    words: str,
) -> None:
    folder = tmp_path / "chosen"
    folder.mkdir()
    chosen = folder / "letter.sqlite3"
    REFUSED[case][0](chosen)
    before = folder_state(folder)
    before_label = window.database_label.text()
    modals.type(str(chosen), then="Open").click("OK")
    menu_action(window, "File", "Open database…").trigger()
    modals.wait_answered()
    refusal = modals.seen[1]
    assert refusal.title == "Cannot open the database"
    assert f"{chosen} {words}" in refusal.text
    assert window.database_label.text() == before_label
    assert names(window) == ["Bow Primary School"]
    assert folder_state(folder) == before  # not a byte touched, no -wal or -shm beside it
    assert window.services is services


def server_typed(qtbot: QtBot, address: str) -> Callable[[QWidget], None]:
    """Fills the Connect to server box with the parts of ``address``, then clicks Connect."""
    url = make_url(address)

    def fill(box: QWidget) -> None:
        for name, typed in (
            ("host", url.host or "localhost"),
            ("database", url.database or ""),
            ("user", url.username or ""),
            ("password", url.password or ""),
        ):
            edit = getattr(box, name)
            assert isinstance(edit, QLineEdit)
            edit.selectAll()
            qtbot.keyClicks(edit, typed)
        port = box.port  # type: ignore[attr-defined]
        assert isinstance(port, QSpinBox)
        port.lineEdit().selectAll()
        qtbot.keyClicks(port.lineEdit(), str(url.port or 5432))
        qtbot.mouseClick(button(box, "Connect"), Qt.MouseButton.LeftButton)

    return fill


def test_connect_to_server_by_typing_the_address(
    qtbot: QtBot, window: MainWindow, modals: Modals, pg_db: Database, actor: Actor
) -> None:
    Services(pg_db, actor).schools.create_school(
        actor, SchoolInput(urn="100888", name="Server Register School", la_code="211")
    )
    url = make_url(pg_db.address)
    modals.then(in_dialog(qtbot, server_typed(qtbot, pg_db.address)))
    menu_action(window, "File", "Connect to server…").trigger()
    modals.wait_answered()
    assert window.database_label.text().startswith("Server: ")
    assert url.database in window.database_label.text()
    assert names(window) == ["Server Register School"]
    # The address is remembered without its password.
    remembered = [u for u in config.recent_database_urls() if u.startswith("postgresql")]
    assert remembered and (url.password or "") not in remembered[0]
    settings_file = config.config_dir() / "settings.json"
    assert url.password and url.password not in settings_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("holds", ["nothing", "another program's tables"])
def test_a_server_database_that_is_not_ours_is_refused_and_the_open_one_stays(
    qtbot: QtBot,
    window: MainWindow,
    modals: Modals,
    new_pg_database: PgDatabases,
    services: Services,
    holds: str,
) -> None:
    address = new_pg_database.create()
    if holds != "nothing":
        engine = create_engine(make_url(address).set(drivername="postgresql+psycopg"))
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE customer (id serial PRIMARY KEY, name text)"))
        engine.dispose()
    before_label = window.database_label.text()
    modals.then(in_dialog(qtbot, server_typed(qtbot, address))).click("OK")
    menu_action(window, "File", "Connect to server…").trigger()
    modals.wait_answered()
    refusal = modals.seen[1]
    assert refusal.title == "Cannot open the database"
    if holds == "nothing":  # only thep-admin init sets up a server database
        assert "has no tables yet" in refusal.text and " init" in refusal.text
    else:
        assert "is not a THE Partnership Office database" in refusal.text
    engine = create_engine(make_url(address).set(drivername="postgresql+psycopg"))
    with engine.connect() as conn:  # nothing was added to it
        tables = inspect(conn).get_table_names()
    engine.dispose()
    assert tables == ([] if holds == "nothing" else ["customer"])
    assert window.database_label.text() == before_label and window.services is services
    assert names(window) == ["Bow Primary School"]


def test_file_exit_closes_the_window_and_its_database(window: MainWindow) -> None:
    # Exit has the platform's own key (none on Windows, where Alt+F4 closes any window).
    menu_action(window, "File", "Exit").trigger()
    assert not window.isVisible()
    assert window.services.db.engine.pool.checkedout() == 0


# -- Settings, Letters, Help ----------------------------------------------------------------------
def test_organisation_profile_from_the_settings_menu_saves_with_ctrl_s(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    def fill(box: QWidget) -> None:
        name = box.findChild(QLineEdit, "name")
        assert name is not None
        name.selectAll()
        qtbot.keyClicks(name, "Bow and Poplar Schools Partnership")
        press(qtbot, box, Qt.Key.Key_S, CTRL)

    modals.then(in_dialog(qtbot, fill))
    menu_action(window, "Settings", "Organisation profile…").trigger()
    modals.wait_answered()
    profile = services.organisation.get_profile(services.actor)
    assert profile.name == "Bow and Poplar Schools Partnership"
    assert window.windowTitle().endswith("Bow and Poplar Schools Partnership")


def test_staff_and_the_letter_windows_open_from_their_menus_and_esc_closes_them(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    def close_with_esc(box: QWidget) -> None:
        press(qtbot, box, Qt.Key.Key_Escape)

    for path in (("Settings", "Staff…"), ("Letters", "Letter templates…")):
        modals.then(in_dialog(qtbot, close_with_esc))
        menu_action(window, *path).trigger()
        modals.wait_answered()
    modals.then(in_dialog(qtbot, close_with_esc))
    press(qtbot, window.schools_tab.table, Qt.Key.Key_M, CTRL)
    modals.wait_answered()
    assert [s.kind for s in modals.seen] == ["StaffDialog", "TemplatesDialog", "MailMergeDialog"]


def test_help_about_names_the_versions_and_the_database_and_copies_them(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    """What support asks first (version, database, Python, Qt, SQLAlchemy), copied in one click."""
    import platform

    import PySide6
    import sqlalchemy
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()

    def copy_then_close(box: QWidget) -> None:
        qtbot.mouseClick(button(box, "Copy"), Qt.MouseButton.LeftButton)
        assert button(box, "Copied").isVisible()
        qtbot.mouseClick(button(box, "Close"), Qt.MouseButton.LeftButton)

    modals.then(copy_then_close)
    menu_action(window, "Help", "About").trigger()
    modals.wait_answered()
    (about,) = modals.seen
    assert about.title == "About THE Partnership Office"
    copied = QGuiApplication.clipboard().text()
    for fact in (
        f"THE Partnership Office {__version__}",
        f"Database: {window.services.db.describe()}",
        f"Python {platform.python_version()}",
        f"PySide6 {PySide6.__version__}",
        f"SQLAlchemy {sqlalchemy.__version__}",
    ):
        assert fact in copied
    assert __version__ in about.text and str(window.services.db.describe()) in about.text
    assert f"SQLAlchemy {sqlalchemy.__version__}" in about.text
