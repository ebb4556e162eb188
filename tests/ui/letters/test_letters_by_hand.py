"""Letters as a person writes them: the template window and a mail merge, by menu and keys.

Both windows run modally from the Letters menu, as they do in the office; the questions and
messages they show are answered in the real boxes (``modals``, tests/qt_driving.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, choose, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.reports.schools.schools_table import COL_NAME
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import ContactInput, SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.letters.templates_dialog import TemplatesDialog
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    for urn, name, head in (
        ("100001", "Bow Primary School", "Amina Begum"),
        ("100002", "Stepney Green Secondary", "Tom Price"),
        ("100003", "Mile End Nursery School", "Grace Okafor"),
    ):
        s.schools.create_school(
            actor,
            SchoolInput(
                urn=urn,
                name=name,
                la_code="211",
                street="Bow Road",
                town="London",
                postcode="E3 4PX",
                contacts=[ContactInput(head, "Head teacher", "")],
            ),
        )
    s.letters.create_template(
        actor,
        TemplateInput(
            name="Summer programme",
            subject="Summer programme for {school.name}",
            body="We would like to invite {school.name} to the summer programme.",
            signatory="Jo Bloggs",
        ),
    )
    return s


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    yield w
    for pdf in [x for x in QApplication.topLevelWidgets() if isinstance(x, PdfWindow)]:
        pdf.close()


def in_dialog(qtbot: QtBot, fill: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    def answer(box: QWidget) -> None:
        activate(qtbot, box)
        fill(box)

    return answer


def letters_sent(services: Services) -> list[tuple[str, str]]:
    return sorted(
        (row.recipient_name, row.template_name)
        for school in services.schools.list_schools(services.actor)
        for row in services.letters.correspondence(services.actor, school.id)
    )


def test_the_wording_is_typed_and_saved_with_ctrl_s_and_a_mistake_is_refused(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services
) -> None:
    template = services.letters.find_template(services.actor, "Summer programme")

    def edit(box: QWidget) -> None:
        assert isinstance(box, TemplatesDialog)
        table = box.table
        row = next(
            r
            for r in range(box.model.rowCount())
            if box.model.row_values(r)[0] == ("Summer programme")
        )
        centre = table.visualRect(table.model().index(row, 0)).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        body = box.inputs["body"]
        assert isinstance(body, QPlainTextEdit)
        assert body.toPlainText() == template.body
        body.setFocus()
        body.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClick(body, Qt.Key.Key_Return)
        qtbot.keyClicks(body, "Places are free for {school.name}.")
        press(qtbot, box, Qt.Key.Key_S, CTRL)
        saved = services.letters.get_template(services.actor, template.id)
        assert saved.body.endswith("\nPlaces are free for {school.name}.")
        # A misspelt field: refused, named, and nothing saved.
        qtbot.keyClicks(body, " Dear {contact.nmae}")
        press(qtbot, box, Qt.Key.Key_S, CTRL)
        assert "{contact.nmae}" in box.messages.message("body")
        assert services.letters.get_template(services.actor, template.id) == saved
        modals.click("Discard changes")
        press(qtbot, box, Qt.Key.Key_Escape)

    modals.then(in_dialog(qtbot, edit))
    menu_action(window, "Letters", "Letter templates…").trigger()
    modals.wait_answered()
    assert [s.title for s in modals.seen[1:]] == ["Unsaved changes"]
    final = services.letters.get_template(services.actor, template.id)
    assert final.body.endswith("Places are free for {school.name}.")  # the mistake was not kept


def test_a_mail_merge_to_the_selected_schools_by_hand(
    qtbot: QtBot, window: MainWindow, modals: Modals, services: Services, tmp_path: Path
) -> None:
    tab = window.schools_tab
    table = tab.table
    names = [tab.proxy.row_at(r).name for r in range(tab.proxy.rowCount())]
    for name, modifier in (
        ("Bow Primary School", Qt.KeyboardModifier.NoModifier),
        ("Stepney Green Secondary", CTRL),  # Ctrl+click adds to the selection
    ):
        centre = table.visualRect(tab.proxy.index(names.index(name), COL_NAME)).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, centre)
    assert len(tab.selected_ids()) == 2
    target = tmp_path / "Summer programme.pdf"

    def merge(box: QWidget) -> None:
        assert isinstance(box, MailMergeDialog)
        choose(qtbot, box.template_combo, "Summer programme")
        push(qtbot, box.radios["selected"])
        box.combined_path.setFocus()
        box.combined_path.selectAll()
        qtbot.keyClicks(box.combined_path, str(target))
        push(qtbot, box.check_button)  # the list on the right, checked for this template
        assert box.produce_reason == ""
        modals.click("OK")  # "Letters produced"
        push(qtbot, box.produce_button)
        qtbot.waitUntil(lambda: box.merge_result is not None, timeout=30_000)

    modals.then(in_dialog(qtbot, merge))
    press(qtbot, table, Qt.Key.Key_M, CTRL)
    modals.wait_answered(timeout=30_000)
    produced = modals.seen[1]
    assert produced.title == "Letters produced" and "2 letters" in produced.text
    assert target.exists()
    assert letters_sent(services) == [
        ("Amina Begum", "Summer programme"),
        ("Tom Price", "Summer programme"),
    ]
    # The letters open to print, and the school last clicked lists its letter.
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfWindow)]
    assert len(shown) == 1 and shown[0].pdf == target.read_bytes()
    assert "Summer programme for Stepney Green Secondary" in tab.detail.toPlainText()
