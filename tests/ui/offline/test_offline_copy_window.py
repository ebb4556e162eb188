"""The window on an offline copy, File > Take an offline copy…, and File > Synchronise with the
office… with a conflict resolved in the Synchronise window: a real PostgreSQL office."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from offline_records import office_with_demo, rename_school, school_name, take_copy
from pg_databases import PgDatabases
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, click_tab, menu_action, press, push
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from thep_desktop.connections import KEYRING_SERVICE, remember_password
from thep_desktop.database import Database
from thep_desktop.domain.invoices import InvoiceKind
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.offline.offline_values import moment_words, value_words
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.offline.offline_actions import OPEN_COPY
from thep_desktop.ui.offline.sync_dialog import TO_CHOOSE, SyncDialog
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.schools.schools_table_model import COL_NAME
from thep_desktop.ui.settings.server_login import PasswordPrompt

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
UK_MOMENT = r"\d\d/\d\d/\d{4} at \d\d:\d\d"


@pytest.fixture
def office(pg_db: Database) -> Iterator[Services]:
    services = office_with_demo(pg_db)
    yield services
    services.close()


@pytest.fixture
def show(qtbot: QtBot) -> Iterator[object]:
    """Makes a main window on some services, shown and filled; closed at the end."""
    made: list[MainWindow] = []

    def window_on(services: Services) -> MainWindow:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        window.load()
        made.append(window)
        return window

    yield window_on
    for window in made:
        job = window.offline_actions.job
        if job is not None:
            job.wait()
        window.offline_actions.counter.wait()


def key_of(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.username}@{parsed.host}:{parsed.port}/{parsed.database}"


def audit_rows(db: Database) -> int:
    with db.read_session() as session:
        return int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def wait_job(qtbot: QtBot, window: MainWindow) -> None:
    job = window.offline_actions.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning(), timeout=60_000)
    qtbot.wait(50)


def test_times_are_said_in_uk_time_and_values_the_offices_way() -> None:
    summer = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)  # British Summer Time: an hour ahead
    winter = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert moment_words(summer) == "01/07/2026 at 13:05"
    assert moment_words(winter) == "01/12/2026 at 09:30"
    assert value_words("invoice", "invoice_date", "2026-01-15") == "15/01/2026"
    assert value_words("invoice_line", "unit_price", "1234.5") == "£1,234.50"
    assert value_words("school", "close_date", None) == "—"
    assert value_words("school", "name", "Bow School") == "Bow School"
    assert value_words("invoice", "member_id", "0b7e") == "another record"
    assert value_words("invoice", "member_id", "0b7e", {"0b7e": "Bow School"}) == "Bow School"


def test_a_copy_says_so_in_the_title_and_the_status_bar_and_an_office_database_does_not(
    qtbot: QtBot,
    office: Services,
    tmp_path: Path,
    show,
    modals: Modals,
    sqlite_db: Database,
    actor: Actor,
) -> None:  # type: ignore[no-untyped-def]
    on_server = show(office)
    assert "Offline copy" not in on_server.windowTitle()
    assert not on_server.offline_label.isVisible()
    assert menu_action(on_server, "File", "Take an offline copy…").isEnabled()
    assert not on_server.sync_action.isEnabled()

    urn = office.schools.list_schools(office.actor)[0].urn
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, urn, "Renamed Offline School")
    on_copy = show(copy)
    assert on_copy.windowTitle().startswith("Offline copy – THE Partnership Office")
    label = on_copy.offline_label
    assert label.isVisible()
    server = make_url(office.db.address)
    # Counted off the window's thread: said a moment after the window shows.
    qtbot.waitUntil(lambda: label.text().endswith("waiting"), timeout=10_000)
    assert re.fullmatch(
        f"Offline copy of {server.host}:{server.port} / {server.database}, taken {UK_MOMENT}; "
        "not yet synchronised; 1 change waiting",
        label.text(),
    ), label.text()
    assert menu_action(on_copy, "File", "Synchronise with the office…").isEnabled()
    assert not on_copy.take_copy_action.isEnabled()  # a copy is taken from the server only

    # A second school saved in the window (Enter on its row, phone typed, Ctrl+S) is counted.
    tab = on_copy.schools_tab
    click_tab(qtbot, on_copy.tabs, tab)  # the window opens on the Dashboard
    other = next(r for r in tab.model.rows() if r.urn != urn)
    row = next(n for n in range(tab.proxy.rowCount()) if tab.proxy.row_at(n).id == other.id)
    table = tab.table
    table.scrollTo(tab.proxy.index(row, COL_NAME))
    rect = table.visualRect(tab.proxy.index(row, COL_NAME))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())

    def new_phone(form: QWidget) -> None:
        assert isinstance(form, SchoolDialog)
        activate(qtbot, form)
        form.tabs.setCurrentIndex(1)
        phone = form.inputs["phone"]
        assert isinstance(phone, QLineEdit)
        phone.setFocus()
        phone.selectAll()
        qtbot.keyClicks(phone, "020 7946 0123")
        press(qtbot, form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    modals.then(new_phone)
    press(qtbot, table, Qt.Key.Key_Return)
    modals.wait_answered()
    qtbot.waitUntil(lambda: label.text().endswith("; 2 changes waiting"), timeout=20_000)

    plain = show(Services(sqlite_db, actor))
    assert "Offline copy" not in plain.windowTitle()
    assert not plain.offline_label.isVisible()
    assert not plain.sync_action.isEnabled() and not plain.take_copy_action.isEnabled()


def test_take_an_offline_copy_through_the_file_menu_and_open_it(
    qtbot: QtBot, office: Services, tmp_path: Path, show, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    window = show(office)
    schools = office.schools.count(office.actor)
    typed = tmp_path / "Treasurer laptop copy"  # no extension typed: .sqlite3 is added
    modals.type(str(typed), then="Save").click(OPEN_COPY)
    menu_action(window, "File", "Take an offline copy…").trigger()
    modals.wait_answered(timeout=60_000)
    path = typed.with_name("Treasurer laptop copy.sqlite3")
    assert path.exists()
    assert (
        "The offline copy is saved as" in modals.seen[1].text and str(path) in modals.seen[1].text
    )
    assert window.services.db.sqlite_path == path
    assert window.windowTitle().startswith("Offline copy – ")
    qtbot.waitUntil(
        lambda: "not yet synchronised; no changes waiting" in window.offline_label.text(),
        timeout=10_000,
    )
    assert window.services.schools.count(window.services.actor) == schools
    assert menu_action(window, "File", "Synchronise with the office…").isEnabled()


def test_a_copy_is_never_written_over_an_existing_file(
    qtbot: QtBot, office: Services, tmp_path: Path, show, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    window = show(office)
    taken = tmp_path / "Last week's copy.sqlite3"
    taken.write_bytes(b"the treasurer's work of last week")
    trail = audit_rows(office.db)
    modals.type(str(taken), then="Save").click("OK")
    menu_action(window, "File", "Take an offline copy…").trigger()
    modals.wait_answered(timeout=60_000)
    said = modals.seen[1]
    assert said.title == "No offline copy was taken"
    assert "already exists; an offline copy goes into a new file" in said.text
    assert taken.read_bytes() == b"the treasurer's work of last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name]
    assert audit_rows(office.db) == trail
    assert window.services is office and not window.offline_label.isVisible()


def test_a_school_changed_on_both_sides_is_resolved_mine_in_the_synchronise_window(
    qtbot: QtBot, office: Services, tmp_path: Path, show, modals: Modals, credential_store
) -> None:  # type: ignore[no-untyped-def]
    school = office.schools.list_schools(office.actor)[0]
    urn, original = school.urn, school.name
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, urn, "Mine School")
    rename_school(office, urn, "Theirs School")
    window = show(copy)
    password = make_url(office.db.address).password or ""

    def type_password(box: QWidget) -> None:
        assert isinstance(box, PasswordPrompt)  # the copy keeps no password: asked for
        assert "thep_ci" in box.findChild(QLabel, "intro").text()  # type: ignore[union-attr]
        qtbot.keyClicks(box.password, password)
        assert box.remember.isChecked()
        press(qtbot, box.password, Qt.Key.Key_Return)

    def resolve(box: QWidget) -> None:
        assert isinstance(box, SyncDialog)
        assert box.tabs.tabText(box.tabs.currentIndex()) == "&Conflicts (1)"
        model = box.conflicts_view.model()
        cells = [model.index(0, c).data() for c in range(model.columnCount())]
        assert cells == [
            "School “Mine School”",
            "Name",
            original,
            "Mine School",
            "Theirs School",
            TO_CHOOSE,
        ]
        assert not box.sync_button.isEnabled()  # not until every conflict has a side
        assert "1 line of the conflicts still to choose" in box.still.text()
        box.conflicts_view.selectRow(0)
        push(qtbot, box.mine_button)  # Keep mine (Alt+M; the test platform has no mnemonics)
        assert model.index(0, 5).data() == "Mine"
        assert box.sync_button.isEnabled() and box.sync_button.isDefault()
        press(qtbot, box.conflicts_view, Qt.Key.Key_Return)  # Enter: Synchronise

    modals.then(type_password).then(resolve).click("OK")
    menu_action(window, "File", "Synchronise with the office…").trigger()
    modals.wait_answered(timeout=60_000)
    done = modals.seen[2]
    assert done.title == "Synchronised"
    assert re.fullmatch(
        "Sent 1 change, received 0, 1 conflict resolved; the copy is up to date as at "
        f"{UK_MOMENT}.",
        done.text,
    ), done.text
    assert school_name(office, urn) == "Mine School"
    # The window opened the copy afresh: a new connection on the refreshed file.
    assert window.services is not copy
    assert window.services.db.sqlite_path == path
    assert school_name(window.services, urn) == "Mine School"
    assert "Mine School" in [r.name for r in window.schools_tab.model.rows()]
    qtbot.waitUntil(
        lambda: (
            re.search(
                f"last synchronised {UK_MOMENT}; no changes waiting", window.offline_label.text()
            )
            is not None
        ),
        timeout=10_000,
    )
    # Kept once the server took it (Remember was ticked), as Connect to server keeps it.
    assert credential_store.passwords == {(KEYRING_SERVICE, key_of(office.db.address)): password}


def test_a_copy_of_another_database_is_refused_in_words_with_nothing_changed(
    qtbot: QtBot,
    office: Services,
    tmp_path: Path,
    show,
    modals: Modals,
    new_pg_database: PgDatabases,
) -> None:  # type: ignore[no-untyped-def]
    urn = office.schools.list_schools(office.actor)[0].urn
    copy, path = take_copy(office, tmp_path)
    copy.db.dispose()
    other = new_pg_database.create(migrated=True)
    bare = make_url(other)._replace(password=None).render_as_string(hide_password=False)
    with sqlite3.connect(path) as conn:  # the copy now names another office database
        conn.execute("UPDATE offline_copy SET server = ?", (bare,))
    conn.close()
    # Its password is kept on this computer: nothing is asked.
    remember_password(key_of(other), make_url(other).password or "")
    rename_school(copy, urn, "Renamed Offline School")
    window = show(copy)
    office_trail = audit_rows(office.db)
    office_name = school_name(office, urn)

    modals.click("OK")
    menu_action(window, "File", "Synchronise with the office…").trigger()
    modals.wait_answered(timeout=60_000)
    (said,) = modals.seen
    assert said.title == "Not synchronised"
    assert "This offline copy was taken from another office database" in said.text
    assert "Nothing was sent or received" in said.text
    assert school_name(office, urn) == office_name and audit_rows(office.db) == office_trail
    assert school_name(window.services, urn) == "Renamed Offline School"
    qtbot.waitUntil(lambda: "1 change waiting" in window.offline_label.text(), timeout=10_000)


def test_a_preview_overtaken_at_the_office_is_refused_and_the_copy_stays_open_as_it_was(
    qtbot: QtBot, office: Services, tmp_path: Path, show, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    urn = office.schools.list_schools(office.actor)[0].urn
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, urn, "Mine School")
    rename_school(office, urn, "Theirs School")
    remember_password(key_of(office.db.address), make_url(office.db.address).password or "")
    window = show(copy)

    def resolve_while_the_office_changes_it_again(box: QWidget) -> None:
        assert isinstance(box, SyncDialog)
        push(qtbot, box.all_mine_button)
        rename_school(office, urn, "Theirs Again School")  # a colleague, meanwhile
        push(qtbot, box.sync_button)

    modals.then(resolve_while_the_office_changes_it_again).click("OK")
    menu_action(window, "File", "Synchronise with the office…").trigger()
    modals.wait_answered(timeout=60_000)
    said = modals.seen[1]
    assert said.title == "Not synchronised"
    assert "The office's records changed since the preview" in said.text
    assert "Nothing was sent or received" in said.text
    assert school_name(office, urn) == "Theirs Again School"
    # The window still has the copy, as it was, and goes on reading it.
    assert window.services is copy
    assert school_name(window.services, urn) == "Mine School"
    info, waiting = office.offline.status(path)
    assert info.synced_at is None and [c.words for c in waiting] == [
        "Changed school “Mine School”: name"
    ]
    assert not path.with_name(path.name + ".part").exists()
    press(qtbot, window.schools_tab.table, Qt.Key.Key_F5)
    assert "Mine School" in [r.name for r in window.schools_tab.model.rows()]


def test_a_payment_against_an_invoice_credited_meanwhile_is_flagged_before_and_after(
    qtbot: QtBot, office: Services, tmp_path: Path, show, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    invoice = next(
        r
        for r in office.invoices.list_invoices(office.actor)
        if r.kind == InvoiceKind.INVOICE and r.outstanding > 0
    )
    copy, path = take_copy(office, tmp_path)
    amount = invoice.outstanding
    copy.payments.record_payment(
        copy.actor,
        PaymentInput(
            customer_id=invoice.customer_id,
            amount=amount,
            reference="BACS from the school",
            allocations=((invoice.id, amount),),
        ),
    )
    office.invoices.credit(office.actor, invoice.id, "Raised in error")
    remember_password(key_of(office.db.address), make_url(office.db.address).password or "")
    window = show(copy)
    flag = f"A payment of £{amount:,.2f} recorded in the copy is set against {invoice.number}"

    def look_and_synchronise(box: QWidget) -> None:
        assert isinstance(box, SyncDialog)
        assert box.flags.isVisible() and box.flags.text().startswith(f"⚠ {flag}")
        assert box.sync_button.isEnabled()  # a warning, not a conflict
        push(qtbot, box.sync_button)

    modals.then(look_and_synchronise).click("OK")
    menu_action(window, "File", "Synchronise with the office…").trigger()
    modals.wait_answered(timeout=60_000)
    done = modals.seen[1]
    assert done.title == "Synchronised" and f"⚠ {flag}" in done.text
    at_office = office.payments.payments(office.actor, invoice.customer_id)
    assert "BACS from the school" in [p.reference for p in at_office]
