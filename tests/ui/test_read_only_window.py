"""The window on a database this user may only read: it says so, and a save is refused in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from qt_driving import Modals, activate, click_tab, press
from read_only_databases import make_read_only

from thep_desktop.database import Database
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.schools.school_dialog import SchoolDialog
from thep_desktop.ui.shared import forms

pytestmark = pytest.mark.gui


@pytest.fixture(params=["file", "folder", "postgresql"])
def read_only_services(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actor: Actor
) -> Iterator[Services]:
    if request.param == "postgresql":
        address = request.getfixturevalue("new_pg_database").create(migrated=True)
    else:
        address = str(tmp_path / "office.sqlite3")
        Database(address).upgrade(create=True)
    services, _note = open_services(address, actor)
    services.schools.create_school(
        actor, SchoolInput(urn="100001", name="Bow Primary School", la_code="211")
    )
    services.organisation.get_profile(actor)
    services.close()
    make_read_only(address, monkeypatch, request.param)
    services, _note = open_services(address, actor)
    yield services
    services.close()


def test_the_window_says_read_only_and_a_save_keeps_what_was_typed(
    qtbot, read_only_services: Services, modals: Modals, actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(read_only_services)
    qtbot.addWidget(window)
    window.load()
    activate(qtbot, window)
    click_tab(qtbot, window.tabs, window.schools_tab)  # it opens on the Dashboard
    assert window.windowTitle().endswith("Read-only: changes cannot be saved")
    assert window.read_only_label.isVisible()
    assert window.read_only_label.text() == "Read-only: changes cannot be saved"

    opened: list[SchoolDialog] = []

    def run(dialog: SchoolDialog) -> None:
        opened.append(dialog)
        dialog.show()

    window.schools_tab.run_dialog = run
    window.schools_tab.select_ids([read_only_services.schools.get_school_by_urn(actor, 100001).id])
    press(qtbot, window.schools_tab.table, Qt.Key.Key_Return)
    (dialog,) = opened
    phone = dialog.inputs["phone"]
    assert isinstance(phone, QLineEdit)
    phone.selectAll()
    qtbot.keyClicks(phone, "020 7000 1111")
    press(qtbot, dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()  # not closed: nothing was saved
    assert dialog.banner.text().startswith("Changes cannot be saved: ")
    assert phone.text() == "020 7000 1111"  # what was typed is kept
    stored = read_only_services.schools.get_school_by_urn(actor, 100001)
    assert stored.phone == ""
    modals.click(forms.DISCARD_CHANGES)  # closing asks about the unsaved change, as ever
    press(qtbot, dialog, Qt.Key.Key_Escape)
    modals.wait_answered()
    assert not dialog.isVisible()
