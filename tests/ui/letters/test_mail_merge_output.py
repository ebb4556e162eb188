"""Where a mail merge saves its letters, on its own: the choices and what is wrong with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_ui_helpers import on_its_text
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.ui.letters.mail_merge_output import OutputChoice
from thep_desktop.ui.shared.forms import FieldMessages

pytestmark = pytest.mark.gui


def shown_output(qtbot: QtBot, tmp_path: Path) -> OutputChoice:
    output = OutputChoice(
        FieldMessages(),
        lambda _parent, _suggested: str(tmp_path / "Chosen letters"),
        lambda _parent, _start: str(tmp_path),
    )
    qtbot.addWidget(output)
    output.update_outputs()
    output.show()
    qtbot.waitExposed(output)
    return output


def test_a_typed_name_is_kept_and_pdf_is_added(qtbot: QtBot, tmp_path: Path) -> None:
    output = shown_output(qtbot, tmp_path)
    output.suggest_file_name("Annual general meeting 2026-11-30.pdf")
    assert output.combined_path.text().endswith("Annual general meeting 2026-11-30.pdf")
    output.combined_path.clear()
    qtbot.keyClicks(output.combined_path, str(tmp_path / "AGM letters"))
    output.suggest_file_name("Another template.pdf")  # another template: the name typed stays
    assert output.combined_path.text() == str(tmp_path / "AGM letters")
    errors: dict[str, str] = {}
    combined, folder = output.chosen(errors)
    assert errors == {} and folder is None
    assert combined == tmp_path / "AGM letters.pdf"
    assert output.confirmed_path == ""  # typed, so replacing a file there is still asked


def test_choose_buttons_fill_the_paths(qtbot: QtBot, tmp_path: Path) -> None:
    output = shown_output(qtbot, tmp_path)
    assert not output.folder_button.isEnabled()
    qtbot.mouseClick(output.combined_button, Qt.MouseButton.LeftButton)
    assert output.combined_path.text() == str(tmp_path / "Chosen letters.pdf")
    assert output.confirmed_path == str(tmp_path / "Chosen letters.pdf")  # the dialog asked
    qtbot.mouseClick(
        output.folder_check, Qt.MouseButton.LeftButton, pos=on_its_text(output.folder_check)
    )
    qtbot.mouseClick(output.folder_button, Qt.MouseButton.LeftButton)
    assert output.folder_path.text() == str(tmp_path)
    errors: dict[str, str] = {}
    assert output.chosen(errors) == (tmp_path / "Chosen letters.pdf", tmp_path)
    assert errors == {}


def test_what_is_missing_or_wrong_is_named_by_field(qtbot: QtBot, tmp_path: Path) -> None:
    output = shown_output(qtbot, tmp_path)
    output.combined_path.clear()
    qtbot.keyClicks(output.combined_path, str(tmp_path / "no such folder" / "letters.pdf"))
    qtbot.mouseClick(
        output.folder_check, Qt.MouseButton.LeftButton, pos=on_its_text(output.folder_check)
    )
    errors: dict[str, str] = {}
    output.chosen(errors)
    assert errors == {
        "combined_file": (
            f"The folder {tmp_path / 'no such folder'} does not exist. Choose another folder."
        ),
        "recipient_folder": "Choose the folder for the schools' PDFs.",
    }
    for check in (output.combined_check, output.folder_check):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=on_its_text(check))
    assert not output.combined_path.isEnabled() and not output.folder_path.isEnabled()
    errors = {}
    assert output.chosen(errors) == (None, None)
    assert errors == {"output": "Choose one PDF for printing, one PDF per school, or both."}
    assert not (tmp_path / "no such folder").exists()  # nothing made while checking
