"""The office server stopped and started again during a session: said in words, nothing lost.

A PostgreSQL server of the test's own (tests/own_pg_server.py) is stopped with
``pg_ctl stop -m fast``, as an administrator restarting it would, while the program has it
open; then started again. The suite's own server is not touched.
"""

from __future__ import annotations

import time

import pytest
from own_pg_server import OwnPgServer, own_pg_server  # noqa: F401 - the fixture
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from qt_driving import click_tab, menu_action, press
from sqlalchemy import func, select

from thep_desktop.models import School
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ServerUnavailableError
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.settings.organisation_dialog import OrganisationDialog
from thep_desktop.ui.shared.server_watch import BACK, GONE

ACTOR = Actor("jo.bloggs", Role.ADMIN)
TRIALS = 3


def _school(urn: str, name: str) -> SchoolInput:
    return SchoolInput(urn=urn, name=name, phase="Primary", la_code="203")


def test_reads_and_saves_carry_on_after_a_restart(
    own_pg_server: OwnPgServer,  # noqa: F811 - the fixture imported above
    reliability,
) -> None:
    """Read, stop, read/save -> ServerUnavailableError; start, read and save work on their own."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    failures = 0
    problems: list[str] = []
    started = time.monotonic()
    try:
        services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
        for trial in range(TRIALS):
            before = [s.name for s in services.schools.list_schools(ACTOR)]
            own_pg_server.stop()
            read_refused = save_refused = False
            try:
                services.schools.list_schools(ACTOR)
            except ServerUnavailableError as exc:
                read_refused = "cannot be reached" in exc.message and "127.0.0.1" in exc.message
            try:
                services.schools.create_school(ACTOR, _school(f"20000{trial}", f"Gone {trial}"))
            except ServerUnavailableError:
                save_refused = True
            own_pg_server.start()
            # No reconnect by hand: the same services read and save again.
            after = [s.name for s in services.schools.list_schools(ACTOR)]
            services.schools.create_school(ACTOR, _school(f"30000{trial}", f"Back {trial}"))
            with services.db.read_session() as session:
                gone = session.scalar(
                    select(func.count()).select_from(School).where(School.name.like("Gone%"))
                )
            ok = read_refused and save_refused and after == before and gone == 0
            if not ok:
                failures += 1
                problems.append(
                    f"trial {trial}: read refused {read_refused}, save refused {save_refused}, "
                    f"rows kept {after == before}, half-saved {gone}"
                )
        names = sorted(s.name for s in services.schools.list_schools(ACTOR))
    finally:
        services.close()
    reliability(
        "server stopped and started mid-session, services",
        trials=TRIALS,
        failures=failures,
        database="postgresql",
        kill_points="pg_ctl stop -m fast between a read and a save",
        detail=f"ServerUnavailableError on read and save, carried on without reconnecting; "
        f"{time.monotonic() - started:.1f} s",
    )
    assert failures == 0, problems
    assert names == sorted(["Ash Grove Primary", *(f"Back {t}" for t in range(TRIALS))])


def test_a_restart_between_two_reads_goes_unnoticed(
    own_pg_server: OwnPgServer,  # noqa: F811 - the fixture imported above
    reliability,
) -> None:
    """The pool's connection died with the old server: it is checked as it is taken
    (pool_pre_ping) and replaced, so the next read after a restart simply works."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    failures = 0
    try:
        services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
        for _trial in range(TRIALS):
            services.schools.list_schools(ACTOR)  # a connection now waits in the pool
            own_pg_server.stop()
            own_pg_server.start()
            try:
                names = [s.name for s in services.schools.list_schools(ACTOR)]
            except ServerUnavailableError:
                names = []
            failures += names != ["Ash Grove Primary"]
    finally:
        services.close()
    reliability(
        "server restarted between two reads",
        trials=TRIALS,
        failures=failures,
        database="postgresql",
        kill_points="pg_ctl stop -m fast, start, with a connection in the pool",
        detail="the dead pooled connection replaced on checkout; the read works, no message",
    )
    assert failures == 0


def test_a_refusal_is_not_a_lost_server(own_pg_server: OwnPgServer) -> None:  # noqa: F811
    """A save the server refuses for another reason is not reported as the server gone."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    try:
        services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
        with pytest.raises(Exception) as raised:
            with services.db.session() as session:
                session.execute(select(func.count()).select_from(School).where(School.id / 0 > 1))
        assert not isinstance(raised.value, ServerUnavailableError)
        assert [s.name for s in services.schools.list_schools(ACTOR)] == ["Ash Grove Primary"]
    finally:
        services.close()


# -- the window ----------------------------------------------------------------------------------
def _retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _wait_gone(qtbot, window: MainWindow) -> bool:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.server_watch.label.isVisible(), timeout=20_000)
    return window.server_watch.label.text() == GONE


def _wait_back(qtbot, window: MainWindow) -> bool:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.server_watch.label.isVisible(), timeout=15_000)
    return window.statusBar().currentMessage() == BACK


def test_the_window_keeps_what_was_typed_and_carries_on_after_a_restart(
    qtbot,
    own_pg_server: OwnPgServer,  # noqa: F811 - the fixture imported above
    modals,
    reliability,
) -> None:  # type: ignore[no-untyped-def]
    """The school form and the organisation profile: refused in words, kept, saved once after."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
    window = MainWindow(services)
    qtbot.addWidget(window)
    # The program tries every 3 s; the test asks every half second to stay quick.
    window.server_watch.timer.setInterval(500)
    window.show()
    window.load()
    click_tab(qtbot, window.tabs, window.schools_tab)  # it opens on the Dashboard
    opened: list[SchoolDialog] = []

    def run(dialog: SchoolDialog) -> None:
        opened.append(dialog)
        dialog.show()

    window.schools_tab.run_dialog = run  # type: ignore[method-assign]
    problems: list[tuple[str, str]] = []  # (which form's trial, what went wrong)
    trial = "school form"
    started = time.monotonic()

    def check(ok: bool, what: str) -> None:
        if not ok:
            problems.append((trial, what))

    # 1. The school form: typed, the server stops, Ctrl+S.
    window.schools_tab.table.setFocus()
    window.schools_tab.table.selectRow(0)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    dialog = opened[0]
    _retype(qtbot, dialog.inputs["town"], "Bethnal Green")  # type: ignore[arg-type]
    _retype(qtbot, dialog.inputs["phone"], "020 7000 1111")  # type: ignore[arg-type]
    before = services.schools.get_school_by_urn(ACTOR, 100001)
    # A colleague adds a school meanwhile: the window shows it once it reloads its list.
    colleague, _note = open_services(own_pg_server.url, ACTOR)
    colleague.schools.create_school(ACTOR, _school("100002", "Bow Common Primary"))
    colleague.close()
    shown_before = window.schools_tab.model.total_count()
    own_pg_server.stop()
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    check(dialog.isVisible(), "the school form closed")
    check("cannot be reached" in dialog.banner.text(), f"banner: {dialog.banner.text()!r}")
    check(dialog.inputs["town"].text() == "Bethnal Green", "the town typed was lost")  # type: ignore[attr-defined]
    check(dialog.inputs["phone"].text() == "020 7000 1111", "the phone typed was lost")  # type: ignore[attr-defined]
    check(_wait_gone(qtbot, window), "the status bar did not say the server is gone")
    # A list refresh meanwhile: said, and the rows read last stay.
    press(qtbot, window.schools_tab.table, Qt.Key.Key_F5)
    check(
        "the schools shown are as they were last read" in window.statusBar().currentMessage(),
        f"reload said {window.statusBar().currentMessage()!r}",
    )
    check(window.schools_tab.model.total_count() == shown_before == 1, "the rows were dropped")
    own_pg_server.start()
    check(_wait_back(qtbot, window), "the status bar did not say the server is back")
    check(window.schools_tab.model.total_count() == 2, "the list was not read again when back")
    after_restart = services.schools.get_school_by_urn(ACTOR, 100001)
    check(after_restart == before, "the refused save was half-saved")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    check(not dialog.isVisible(), "the second save did not close the form")
    saved = services.schools.get_school_by_urn(ACTOR, 100001)
    check(
        (saved.town, saved.phone, saved.version) == ("Bethnal Green", "020 7000 1111", 2),
        f"saved {(saved.town, saved.phone, saved.version)}",
    )
    check(services.schools.count(ACTOR) == 2, "saved more than once")

    # 2. Settings > Organisation profile, a modal form, the same way.
    trial = "profile form"

    def profile(box: QWidget) -> None:
        assert isinstance(box, OrganisationDialog)
        _retype(qtbot, box.inputs["phone"], "020 7364 6000")  # type: ignore[arg-type]
        own_pg_server.stop()
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
        check(box.isVisible(), "the profile form closed")
        check("cannot be reached" in box.banner.text(), f"profile banner {box.banner.text()!r}")
        check(box.inputs["phone"].text() == "020 7364 6000", "the profile phone was lost")  # type: ignore[union-attr]
        check(_wait_gone(qtbot, window), "the status bar did not say so (profile)")
        own_pg_server.start()
        check(_wait_back(qtbot, window), "the status bar did not say it is back (profile)")
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)

    version = services.organisation.get_profile(ACTOR).version
    modals.then(profile)
    menu_action(window, "Settings", "Organisation profile…").trigger()
    modals.wait_answered(timeout=30_000)
    stored = services.organisation.get_profile(ACTOR)
    check(
        (stored.phone, stored.version) == ("020 7364 6000", version + 1),
        f"profile saved {(stored.phone, stored.version)}",
    )
    window.close()
    reliability(
        "server stopped and started mid-session, window",
        trials=2,
        failures=len({which for which, _what in problems}),
        database="postgresql",
        kill_points="pg_ctl stop -m fast with the school form, then the profile form, typed in",
        detail=f"message shown, typing kept, status bar gone/back, saved once; "
        f"{time.monotonic() - started:.1f} s",
    )
    assert problems == []
