"""Saved connections in the server dialog, Test connection, and passwords kept or asked for.

Every test has a credential store in memory of its own (tests/conftest.py), or keyring's
"no store" backend where that is the case tried.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from memory_keyring import MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from qt_driving import Modals, button, menu_action
from sqlalchemy.engine import make_url

from thep_desktop import config
from thep_desktop.connections import (
    KEYRING_SERVICE,
    SavedConnection,
    remember_password,
    save_connections,
    saved_connections,
)
from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui import app
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.settings.server_dialog import KEPT_HERE, TESTING, ServerDialog
from thep_desktop.ui.settings.server_login import NO_STORE, PasswordPrompt

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A settings file of this test's own: saved connections start from none."""
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(actor, SchoolInput(urn=100001, name="Bow Primary School"))
    return s


@pytest.fixture
def server(pg_db: Database, actor: Actor) -> Iterator[str]:
    """The address (with its password) of a PostgreSQL database of ours holding one school."""
    Services(pg_db, actor).schools.create_school(
        actor, SchoolInput(urn=100888, name="Server Register School", la_code="211")
    )
    yield pg_db.address


def key_of(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.username}@{parsed.host}:{parsed.port}/{parsed.database}"


def bare(url: str) -> str:
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def refused(url: str) -> str:
    return f"The server refused the password for {make_url(url).username}."


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def fill(qtbot, dialog: ServerDialog, url: str, *, name: str = "", password: str = "") -> None:  # type: ignore[no-untyped-def]
    parsed = make_url(url)
    if name:
        retype(qtbot, dialog.name, name)
    retype(qtbot, dialog.host, parsed.host or "")
    retype(qtbot, dialog.port.lineEdit(), str(parsed.port or 5432))
    retype(qtbot, dialog.database, parsed.database or "")
    retype(qtbot, dialog.user, parsed.username or "")
    retype(qtbot, dialog.password, password)


def test_connections_are_added_renamed_and_removed_and_kept_without_passwords(
    qtbot, modals: Modals, credential_store: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    save_connections(
        [SavedConnection("Office server", "db.office.local", 5432, "partnership", "alice")]
    )
    remember_password("alice@db.office.local:5432/partnership", "office-pw")
    dialog = ServerDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1 and dialog.host.text() == "db.office.local"
    assert dialog.password.text() == "" and dialog.password.placeholderText() == KEPT_HERE

    qtbot.mouseClick(dialog.add_button, LEFT)
    assert dialog.list.currentItem().text() == "Office server (2)"
    assert dialog.password.placeholderText() == ""
    fill(qtbot, dialog, "postgresql://bob@10.0.0.5:5433/partnership", password="home-pw")
    qtbot.mouseClick(dialog.rename_button, LEFT)
    assert dialog.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Home")  # the old name was selected: typing replaces it
    assert dialog.list.currentItem().text() == "Home"
    dialog.ssl_mode.setFocus()
    qtbot.keyClick(dialog.ssl_mode, Qt.Key.Key_End)  # the last mode: verify-full
    assert dialog.current() == SavedConnection(
        "Home", "10.0.0.5", 5433, "partnership", "bob", "verify-full"
    )
    login = dialog.login()
    assert login.password == "home-pw" and login.remember is True
    assert "home-pw" not in login.url and login.url.endswith("?sslmode=verify-full")

    # Remove the first: asked first, and its kept password goes with it.
    dialog.list.setCurrentRow(0)
    modals.click("Remove")
    qtbot.mouseClick(dialog.remove_button, LEFT)
    modals.wait_answered()
    assert "A password kept for it on this computer is forgotten too" in modals.seen[0].text
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Home"]
    assert credential_store.passwords == {}
    qtbot.mouseClick(button(dialog, "Cancel"), LEFT)
    assert saved_connections() == [
        SavedConnection("Home", "10.0.0.5", 5433, "partnership", "bob", "verify-full")
    ]
    text = (config.config_dir() / "settings.json").read_text(encoding="utf-8")
    assert "home-pw" not in text and "office-pw" not in text


def test_a_name_in_use_or_a_missing_detail_is_said_beside_its_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    save_connections([SavedConnection("Office server", "db", 5432, "p", "a")])
    dialog = ServerDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.add_button, LEFT)
    retype(qtbot, dialog.name, "office SERVER")
    retype(qtbot, dialog.user, "")
    qtbot.mouseClick(dialog.connect_button, LEFT)
    assert dialog.isVisible()
    assert dialog.messages.message("name").startswith("Another saved connection is called")
    assert dialog.messages.message("user") == "Give your user name on the server"


def test_test_connection_says_what_it_found(
    qtbot, server: str, credential_store: MemoryKeyring, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    dialog = ServerDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    password = make_url(server).password or ""
    fill(qtbot, dialog, server, name="Office server", password=password)

    def tested() -> str:
        qtbot.mouseClick(dialog.test_button, LEFT)
        qtbot.waitUntil(lambda: dialog.test_result.text() not in ("", TESTING), timeout=10_000)
        return dialog.test_result.text()

    found = tested()
    assert found.startswith(f"Reached the server {make_url(server).host}:")
    assert "(PostgreSQL 1" in found and "holds THE Partnership Office data" in found
    dialog.grab().save(str(tmp_path / "server-dialog.png"))
    retype(qtbot, dialog.password, "not-the-password")
    assert tested() == f"The server refused the password for {make_url(server).username}."
    # A kept password that no longer works is forgotten, and the dialog says so.
    credential_store.passwords[(KEYRING_SERVICE, key_of(server))] = "an-old-password"
    retype(qtbot, dialog.password, "")
    forgotten = "The password kept on this computer was forgotten; type the right one."
    assert tested().endswith(forgotten)
    assert credential_store.passwords == {}
    retype(qtbot, dialog.database, "no_such_database_here")
    retype(qtbot, dialog.password, password)
    assert "has no database called “no_such_database_here”" in tested()


def test_connecting_keeps_the_password_only_once_the_server_took_it(
    qtbot, window: MainWindow, modals: Modals, server: str, credential_store: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    password = make_url(server).password or ""

    def wrong_then_right(box: QWidget) -> None:
        assert isinstance(box, ServerDialog)
        fill(qtbot, box, server, name="Office server", password="not-the-password")
        assert box.remember.isChecked()  # ticked unless the person unticks it
        qtbot.mouseClick(box.connect_button, LEFT)

    def right_password(box: QWidget) -> None:
        assert isinstance(box, PasswordPrompt)
        assert box.problem.text() == refused(server)
        assert "“Office server”" in box.windowTitle() + box.findChild(QWidget, "intro").text()  # type: ignore[union-attr]
        qtbot.keyClicks(box.password, password)
        qtbot.mouseClick(button(box, "Connect"), LEFT)

    modals.then(wrong_then_right).then(right_password)
    menu_action(window, "File", "Connect to server…").trigger()
    modals.wait_answered()
    assert window.database_label.text().startswith("Server: ")
    assert window.schools_tab.model.total_count() == 1
    # Kept once accepted: the right one, never the refused one; not in the settings file.
    assert credential_store.passwords == {(KEYRING_SERVICE, key_of(server)): password}
    text = (config.config_dir() / "settings.json").read_text(encoding="utf-8")
    assert password not in text and "not-the-password" not in text
    assert [c.name for c in saved_connections()] == ["Office server"]


def test_unticking_remember_keeps_nothing(
    qtbot, window: MainWindow, modals: Modals, server: str, credential_store: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    def typed(box: QWidget) -> None:
        assert isinstance(box, ServerDialog)
        fill(qtbot, box, server, password=make_url(server).password or "")
        box.remember.setFocus()
        qtbot.keyClick(box.remember, Qt.Key.Key_Space)  # the tick taken off
        assert not box.remember.isChecked()
        qtbot.mouseClick(box.connect_button, LEFT)

    modals.then(typed)
    menu_action(window, "File", "Connect to server…").trigger()
    modals.wait_answered()
    assert window.database_label.text().startswith("Server: ")
    assert credential_store.passwords == {}


def test_the_last_server_opens_at_start_with_the_kept_password_without_asking(
    qtbot, modals: Modals, server: str
) -> None:  # type: ignore[no-untyped-def]
    remember_password(key_of(server), make_url(server).password or "")
    opened = app.open_first_database(bare(server))
    assert opened is not None
    try:
        assert opened.schools.count(opened.actor) == 1
    finally:
        opened.close()
    assert modals.seen == [] and modals.unexpected == []


def test_a_refused_kept_password_is_forgotten_and_asked_for_again(
    qtbot, modals: Modals, server: str, credential_store: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    password = make_url(server).password or ""
    remember_password(key_of(server), "changed-since")

    def asked(box: QWidget) -> None:
        assert isinstance(box, PasswordPrompt)
        assert box.problem.isVisible()
        assert box.problem.text() == refused(server)
        # Forgotten before asking: a refused password is never offered again.
        assert credential_store.passwords == {}
        qtbot.keyClicks(box.password, password)
        qtbot.mouseClick(button(box, "Connect"), LEFT)

    modals.then(asked)
    opened = app.open_first_database(bare(server))
    modals.wait_answered()
    assert opened is not None
    opened.close()
    assert credential_store.passwords == {(KEYRING_SERVICE, key_of(server)): password}


def test_without_a_credential_store_the_password_is_asked_and_nothing_breaks(
    qtbot, modals: Modals, server: str
) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())  # what keyring has where no store works

    def asked(box: QWidget) -> None:
        assert isinstance(box, PasswordPrompt)
        assert not box.problem.isVisible()  # asked because none is kept, not refused
        assert not box.remember.isEnabled() and not box.remember.isChecked()
        note = box.findChild(QWidget, "no_store")
        assert note is not None and note.text() == NO_STORE  # type: ignore[attr-defined]
        qtbot.keyClicks(box.password, make_url(server).password or "")
        qtbot.mouseClick(button(box, "Connect"), LEFT)

    modals.then(asked)
    opened = app.open_first_database(bare(server))
    modals.wait_answered()
    assert opened is not None
    opened.close()


def test_cancelling_the_password_keeps_the_open_database(
    qtbot, window: MainWindow, modals: Modals, server: str, services: Services
) -> None:  # type: ignore[no-untyped-def]
    config.remember_database_url(bare(server))
    modals.click("Cancel")
    window._fill_recent()
    (recent,) = [a for a in window.recent_menu.actions() if a.text().startswith("postgresql")]
    recent.trigger()
    modals.wait_answered()
    assert modals.seen[0].kind == "PasswordPrompt"
    assert window.services is services
    assert "no password was given" in window.statusBar().currentMessage()


def test_a_server_used_before_is_offered_named_after_its_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Its name follows the address as it is changed, and never repeats another's name."""
    key = "alice@db:5432/partnership"
    save_connections([SavedConnection(key, "elsewhere", 5432, "partnership", "alice")])
    dialog = ServerDialog(None, "postgresql://alice@db:5432/partnership")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.currentItem().text() == f"{key} (2)"  # another is called that already
    assert dialog.host.text() == "db"
    retype(qtbot, dialog.host, "db2")
    assert dialog.name.text() == "alice@db2:5432/partnership"
    assert dialog.list.currentItem().text() == "alice@db2:5432/partnership"
    retype(qtbot, dialog.name, "Main office")  # a name of the person's own stays put
    retype(qtbot, dialog.host, "db3")
    assert dialog.list.currentItem().text() == "Main office"
    qtbot.mouseClick(dialog.connect_button, LEFT)
    assert not dialog.isVisible()
    assert [c.name for c in saved_connections()] == ["Main office", key]
