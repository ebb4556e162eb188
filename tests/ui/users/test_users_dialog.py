"""Settings > Users driven through real widgets: the list, Add person, Change role, Disable
and Enable, on a local file and on the server, and read-only for everyone but admins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from qt_driving import Modals, activate, menu_action, press, push
from server_logins import ServerLogins
from sqlalchemy import func, select

from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser, AuditEvent
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.users.identity import LOCAL_FILE_NOTE
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.users.users_dialog import (
    COL_LOGIN,
    COL_NAME,
    SERVER_NOTE,
    AddPersonForm,
    RoleForm,
    UsersDialog,
)

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
ME = computer_login()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    setup, _note = open_services(url, Actor("setup.script"), create=True)
    setup.close()
    return url


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    """The database as this computer's login opens it: an administrator by default."""
    s, _note = open_services(db_url)
    yield s
    s.close()


def users_state(database: Database) -> tuple[list[tuple[str, str, str, bool]], int]:
    """Every user (login, name, role, active), and the audit rows other than logins."""
    with database.read_session() as session:
        users = [
            (u.login, u.full_name, str(u.role), u.active)
            for u in session.scalars(select(AppUser).order_by(AppUser.login))
        ]
        audit = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "login")
        )
    return users, int(audit or 0)


def users_dialog(qtbot, services: Services) -> UsersDialog:  # type: ignore[no-untyped-def]
    dialog = UsersDialog(services)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.table.setFocus()
    return dialog


def select_row(dialog: UsersDialog, login: str) -> None:
    assert dialog.select_login(login)
    dialog.table.setFocus()


def fill_add_form(qtbot, login: str, name: str, role: str, passwords=("", "")):  # type: ignore[no-untyped-def]
    """What a person types into Add person, then Ctrl+S."""

    def fill(box: QWidget) -> None:
        assert isinstance(box, AddPersonForm)
        activate(qtbot, box)
        qtbot.keyClicks(box.login, login)
        qtbot.keyClicks(box.full_name, name)
        box.role.setFocus()
        qtbot.keyClicks(box.role, role)
        if box.password is not None and box.password_again is not None:
            qtbot.keyClicks(box.password, passwords[0])
            qtbot.keyClicks(box.password_again, passwords[1])
        press(qtbot, box.login, Qt.Key.Key_S, CTRL)

    return fill


def expect_still_open(check):  # type: ignore[no-untyped-def]
    """The form stayed open after saving: check it, then Cancel it (Esc)."""

    def answer(box: QWidget) -> None:
        check(box)
        assert isinstance(box, QDialog)
        box.reject()

    return answer


def test_settings_users_shows_the_list_and_the_local_files_note(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.user_label.text() == f"{ME} (admin)"  # who the database says opened it
    assert "Administrator" in window.user_label.toolTip()
    seen: list[tuple[str, list[str], list[str]]] = []

    def look(box: QWidget) -> None:
        assert isinstance(box, UsersDialog)
        note = box.findChild(QLabel, "note")
        assert note is not None and note.isVisible()
        row = [box.model.index(0, c).data() for c in range(box.model.columnCount())]
        headers = [box.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
        seen.append((note.text(), headers, row))
        press(qtbot, box.table, Qt.Key.Key_Escape)

    modals.then(look)
    menu_action(window, "Settings", "Users…").trigger()
    modals.wait_answered()
    note, headers, row = seen[0]
    assert note == LOCAL_FILE_NOTE
    assert headers == ["Login", "Name", "Role", "Active", "Added on", "Added by"]
    assert row == [ME, "", "admin", "Yes", date.today().strftime("%d/%m/%Y"), ME]


def test_insert_adds_a_person_with_a_role_chosen_in_words(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    dialog = users_dialog(qtbot, services)
    modals.then(fill_add_form(qtbot, "nadia.rahman", "Nadia Rahman", "Treasurer"))
    press(qtbot, dialog.table, Qt.Key.Key_Insert)
    modals.wait_answered()
    users, _audit = users_state(services.db)
    assert ("nadia.rahman", "Nadia Rahman", "treasurer", True) in users
    assert dialog.selected() is not None and dialog.selected().login == "nadia.rahman"
    assert "Nadia Rahman (nadia.rahman) is added as treasurer" in dialog.banner.text()

    modals.then(fill_add_form(qtbot, "bola", "Bola Adeyemi", "Clerk"))
    press(qtbot, dialog.table, Qt.Key.Key_N, CTRL)
    modals.wait_answered()
    assert dialog.logins_shown() == sorted(["bola", "nadia.rahman", ME])
    header = dialog.table.horizontalHeader()  # a click on Name sorts by name
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, COL_NAME)
    )
    names = [dialog.model.index(r, COL_NAME).data() for r in range(3)]
    assert names == ["Bola Adeyemi", "Nadia Rahman", ""]  # blanks last
    assert dialog.model.index(0, COL_LOGIN).data() == "bola"


def _section_centre(header, column: int) -> QPoint:  # type: ignore[no-untyped-def]
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    return QPoint(x, header.height() // 2)


def test_a_bad_login_gets_a_message_beside_it_and_nothing_is_added(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    before = users_state(services.db)
    dialog = users_dialog(qtbot, services)
    seen: dict[str, str] = {}

    def check(box: QWidget) -> None:
        assert isinstance(box, AddPersonForm)
        seen["login"] = box.messages.message("login")
        seen["typed"] = box.login.text()
        seen["name"] = box.full_name.text()
        seen["banner"] = box.banner.text()

    def fill_then_check(box: QWidget) -> None:
        fill_add_form(qtbot, "2 bad", "Someone", "Staff")(box)
        assert box.isVisible()  # refused: the form stays, with what was typed
        expect_still_open(check)(box)

    modals.then(fill_then_check)
    push(qtbot, dialog.add_button)
    modals.wait_answered()
    assert "A login is 1 to 63 letters" in seen["login"]
    assert (seen["typed"], seen["name"]) == ("2 bad", "Someone")
    assert "nothing has been saved" in seen["banner"]
    assert users_state(services.db) == before


def test_enter_changes_the_role_and_the_last_admin_keeps_theirs(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    services.users.add_user(services.actor, "sam", Role.STAFF, full_name="Sam Colleague")
    dialog = users_dialog(qtbot, services)

    def choose(role_words: str):  # type: ignore[no-untyped-def]
        def answer(box: QWidget) -> None:
            assert isinstance(box, RoleForm)
            activate(qtbot, box)
            box.role.setFocus()
            qtbot.keyClicks(box.role, role_words)
            push(qtbot, box.ok_button)

        return answer

    select_row(dialog, "sam")
    modals.then(choose("Viewer"))
    press(qtbot, dialog.table, Qt.Key.Key_Return)
    modals.wait_answered()
    assert ("sam", "Sam Colleague", "viewer", True) in users_state(services.db)[0]
    assert "Sam Colleague (sam) is now viewer (was staff)" in dialog.banner.text()

    before = users_state(services.db)
    seen: list[str] = []

    def refused(box: QWidget) -> None:
        assert isinstance(box, RoleForm)
        activate(qtbot, box)
        box.role.setFocus()
        qtbot.keyClicks(box.role, "Clerk")
        push(qtbot, box.ok_button)
        assert box.isVisible()
        seen.append(box.banner.text())
        box.reject()

    select_row(dialog, ME)
    modals.then(refused)
    press(qtbot, dialog.table, Qt.Key.Key_Enter)
    modals.wait_answered()
    assert f"{ME} is the only active administrator" in seen[0]
    assert users_state(services.db) == before


def test_delete_disables_after_a_question_naming_the_person_and_enable_undoes_it(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    services.users.add_user(services.actor, "sam", Role.CLERK, full_name="Sam Colleague")
    dialog = users_dialog(qtbot, services)
    before = users_state(services.db)
    select_row(dialog, "sam")
    modals.click("Cancel")
    press(qtbot, dialog.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert modals.seen[-1].text.startswith("Disable Sam Colleague (sam)?")
    assert users_state(services.db) == before

    modals.click("Disable")
    press(qtbot, dialog.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert ("sam", "Sam Colleague", "clerk", False) in users_state(services.db)[0]
    row = next(r for r in range(3) if dialog.model.index(r, COL_LOGIN).data() == "sam")
    assert dialog.model.index(row, 3).data() == "No – disabled"
    assert dialog.active_button.text() == "&Enable"
    push(qtbot, dialog.active_button)  # enabling asks nothing
    assert ("sam", "Sam Colleague", "clerk", True) in users_state(services.db)[0]

    before = users_state(services.db)
    select_row(dialog, ME)  # yourself: the service refuses, said in words
    modals.click("Disable").click("OK")
    press(qtbot, dialog.table, Qt.Key.Key_Delete)
    modals.wait_answered()
    assert modals.seen[-1].title == "Not changed"
    assert "You cannot disable your own login" in modals.seen[-1].text
    assert users_state(services.db) == before


def test_someone_not_an_admin_sees_the_list_read_only(  # type: ignore[no-untyped-def]
    qtbot, db_url: str, services: Services, modals: Modals
) -> None:
    services.users.add_user(services.actor, "vic.viewer", Role.VIEWER)
    viewer, _note = open_services(db_url, Actor("vic.viewer", Role.VIEWER))
    try:
        window = MainWindow(viewer)
        qtbot.addWidget(window)
        window.show()
        before = users_state(viewer.db)
        seen: list[UsersDialog] = []

        def look(box: QWidget) -> None:
            assert isinstance(box, UsersDialog)
            seen.append(box)
            assert not box.add_button.isEnabled()
            assert not box.role_button.isEnabled() and not box.active_button.isEnabled()
            assert "may look at the list of people but not change it" in box.banner.text()
            assert sorted(box.logins_shown()) == sorted([ME, "vic.viewer"])
            for key in (Qt.Key.Key_Insert, Qt.Key.Key_Return, Qt.Key.Key_Delete):
                press(qtbot, box.table, key)  # no form, no question: a box would fail
            press(qtbot, box.table, Qt.Key.Key_Escape)

        modals.then(look)
        menu_action(window, "Settings", "Users…").trigger()
        modals.wait_answered()
        assert seen and users_state(viewer.db) == before
    finally:
        viewer.close()


# -- on the server ----------------------------------------------------------------------------
@pytest.fixture
def server_services(pg_db: Database) -> Iterator[Services]:
    s, _note = open_services(pg_db.address)  # the owner of the tables: an administrator
    yield s
    s.close()


def test_on_the_server_a_person_gets_a_login_with_the_password_typed_twice(  # type: ignore[no-untyped-def]
    qtbot, server_services: Services, server_logins: ServerLogins, modals: Modals
) -> None:
    dialog = users_dialog(qtbot, server_services)
    assert dialog.note.text() == SERVER_NOTE
    login = server_logins.name("gui")
    before = users_state(server_services.db)
    seen: list[str] = []

    def mismatch(box: QWidget) -> None:
        fill_add_form(qtbot, login, "Gui Person", "Staff", ("Pass-word-1", "Pass-word-2"))(box)
        assert isinstance(box, AddPersonForm) and box.isVisible()
        seen.append(box.messages.message("password_again"))
        box.password_again.clear()
        qtbot.keyClicks(box.password_again, "Pass-word-1")
        press(qtbot, box.login, Qt.Key.Key_S, CTRL)

    modals.then(mismatch)
    press(qtbot, dialog.table, Qt.Key.Key_Insert)
    modals.wait_answered()
    assert seen == ["The two passwords are not the same"]
    users, _audit = users_state(server_services.db)
    assert (login, "Gui Person", "staff", True) in users and len(users) == len(before[0]) + 1
    person, _note = open_services(
        server_logins.url(server_services.db.address, login, "Pass-word-1")
    )
    assert (person.actor.name, person.actor.role) == (login, Role.STAFF)
    person.close()


def test_an_admin_who_changes_their_own_role_works_in_it_at_once(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    services.users.add_user(services.actor, "head.admin", Role.ADMIN)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.load()
    assert window.user_label.text() == f"{ME} (admin)"

    def to_staff(box: QWidget) -> None:
        assert isinstance(box, UsersDialog)
        activate(qtbot, box)
        select_row(box, ME)
        modals.then(choose_role(qtbot, "Office staff"))
        press(qtbot, box.table, Qt.Key.Key_Return)
        assert "is now staff (was admin)" in box.banner.text()
        press(qtbot, box.table, Qt.Key.Key_Escape)

    modals.then(to_staff)
    menu_action(window, "Settings", "Users…").trigger()
    modals.wait_answered()
    # The database says who they are now: the window shows it, and the menus follow it.
    assert window.user_label.text() == f"{ME} (staff)"
    assert window.services.actor.role == Role.STAFF
    assert not window.demo_action.isEnabled()
    assert window.users_action.isEnabled()  # still there, read-only now


def choose_role(qtbot, words: str):  # type: ignore[no-untyped-def]
    def answer(box: QWidget) -> None:
        assert isinstance(box, RoleForm)
        activate(qtbot, box)
        box.role.setFocus()
        qtbot.keyClicks(box.role, words)
        push(qtbot, box.ok_button)

    return answer


def test_history_shows_a_persons_record_and_role_changes(  # type: ignore[no-untyped-def]
    qtbot, services: Services, modals: Modals
) -> None:
    from qt_driving import push

    from thep_desktop.ui.audit.history_dialog import HistoryDialog

    services.users.add_user(services.actor, "sam", Role.CLERK, full_name="Sam Colleague")
    services.users.set_role(services.actor, "sam", Role.TREASURER)
    dialog = users_dialog(qtbot, services)
    seen: list[list[str]] = []

    def read(box) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(box, HistoryDialog)
        seen.append([box.model.index(r, 2).data() for r in range(box.model.rowCount())])
        box.reject()

    select_row(dialog, "sam")
    modals.then(read)
    push(qtbot, dialog.history_button)
    modals.wait_answered()
    # Added, then the role changed: one row each (the role change is not a second "Changed").
    assert seen == [["Role changed", "Created"]]
