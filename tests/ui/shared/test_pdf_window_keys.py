"""The document window as a person uses it: Ctrl+S and Ctrl+P through the real dialogs.

The file dialog and Qt's own print dialog run modally, as in the office, and are filled in
by typing and clicking (``modals``, tests/qt_driving.py). Printing goes to "Print to File
(PDF)", which the dialog offers on any computer, so the printed pages can be read back.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, button, menu_action, press
from test_pdf_window import _difference  # one way of comparing pages

from thep_desktop import config
from thep_desktop.reports.letters.letter_pdf import Letter, Letterhead, render_letters
from thep_desktop.ui.shared.pdf_window import PdfWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
HEAD = Letterhead(name="Tower Hamlets Education Partnership", address_lines=("London E2 6AB",))


@pytest.fixture(scope="module")
def three_letters() -> bytes:
    letters = [
        Letter(
            recipient=("The Head Teacher", school, "London"),
            date=date(2026, 11, 22),
            salutation="Dear Head Teacher,",
            subject="Summer programme",
            # Letters of very different lengths, so a printed page shows which one it is.
            body="\n\n".join([f"A letter for {school}. " * 8] * paragraphs),
            signatory="Jo Bloggs",
        )
        for school, paragraphs in (("Bow School", 1), ("Mile End School", 3), ("Stepney School", 6))
    ]
    out = io.BytesIO()
    render_letters(out, HEAD, letters)
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_remembered_folder() -> None:
    settings = config.load_settings()
    settings.pop("pdf_folder", None)
    config.save_settings(settings)


def open_letters(qtbot: QtBot, data: bytes) -> PdfWindow:
    w = PdfWindow(data, "Summer programme", "Summer programme")
    qtbot.addWidget(w)
    activate(qtbot, w)
    qtbot.waitUntil(lambda: w.page_count == 3, timeout=10_000)
    return w


@pytest.fixture
def window(qtbot: QtBot, three_letters: bytes) -> PdfWindow:
    return open_letters(qtbot, three_letters)


def test_ctrl_s_saves_the_letters_exactly_where_typed(
    qtbot: QtBot, window: PdfWindow, modals: Modals, tmp_path: Path, three_letters: bytes
) -> None:
    target = tmp_path / "summer"  # ".pdf" is added, as the file type says
    modals.type(str(target), then="Save")
    press(qtbot, window.view, Qt.Key.Key_S, CTRL)
    modals.wait_answered()
    assert modals.seen[0].title == "Save as PDF"
    saved = tmp_path / "summer.pdf"
    assert saved.read_bytes() == three_letters
    assert window.statusBar().currentMessage() == f"Saved summer.pdf in {tmp_path}"


def test_escape_in_the_save_dialog_writes_nothing(
    qtbot: QtBot, window: PdfWindow, modals: Modals, tmp_path: Path
) -> None:
    modals.press_escape()
    menu_action(window, "File", "Save as PDF…").trigger()
    modals.wait_answered()
    assert list(tmp_path.iterdir()) == [] and window.last_saved_path is None


def picture(data: bytes, page: int) -> QImage:
    """A small grey picture of a PDF page on white paper.

    A printed page is a picture with see-through parts, which would come out black without
    the white paper under it.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    drawn = document.render(page, QSize(210, 297))
    document.close()
    paper = QImage(drawn.size(), QImage.Format.Format_ARGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, drawn)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def print_to_file(
    qtbot: QtBot, out: Path, pages: tuple[int, int] | None, copies: int
) -> Callable[[QWidget], None]:
    """Fill in Qt's print dialog: print to a PDF file, a page range, a number of copies."""

    def fill(box: QWidget) -> None:
        assert isinstance(box, QPrintDialog)
        activate(qtbot, box)
        assert box.windowTitle() == "Print Summer programme"
        filename = box.findChild(QLineEdit, "filename")
        assert filename is not None
        filename.selectAll()
        qtbot.keyClicks(filename, str(out))
        options = [b for b in box.findChildren(QAbstractButton) if "Options" in b.text()]
        if options and "<<" not in options[0].text():
            qtbot.mouseClick(options[0], Qt.MouseButton.LeftButton)
        if pages is not None:
            page_range = box.findChild(QAbstractButton, "printRange")
            assert page_range is not None
            qtbot.mouseClick(page_range, Qt.MouseButton.LeftButton)
            for name, value in zip(("from", "to"), pages, strict=True):
                spin = box.findChild(QSpinBox, name)
                assert spin is not None
                spin.lineEdit().selectAll()
                qtbot.keyClicks(spin.lineEdit(), str(value))
        count = box.findChild(QSpinBox, "copies")
        assert count is not None
        count.lineEdit().selectAll()
        qtbot.keyClicks(count.lineEdit(), str(copies))
        qtbot.mouseClick(button(box, "Print"), Qt.MouseButton.LeftButton)

    return fill


def test_ctrl_p_prints_the_pages_and_copies_chosen_in_the_print_dialog(
    qtbot: QtBot, window: PdfWindow, modals: Modals, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    modals.then(print_to_file(qtbot, out, pages=(2, 3), copies=2))
    press(qtbot, window.view, Qt.Key.Key_P, CTRL)
    modals.wait_answered()
    printed_data = out.read_bytes()
    assert len(PdfReader(io.BytesIO(printed_data)).pages) == 4  # pages 2 and 3, twice
    # Printed pages are pictures of the letters: each is matched to the letter it shows.
    letters = [picture(window.pdf, n) for n in range(3)]
    shown = []
    for n in range(4):
        image = picture(printed_data, n)
        differences = [_difference(image, letter) for letter in letters]
        shown.append(differences.index(min(differences)) + 1)
    assert shown == [2, 3, 2, 3]  # collated copies of pages 2 to 3
    assert window.statusBar().currentMessage().startswith("Sent 4 pages to")


def test_cancel_in_the_print_dialog_prints_nothing(
    qtbot: QtBot, window: PdfWindow, modals: Modals, tmp_path: Path
) -> None:
    def cancel(box: QWidget) -> None:
        filename = box.findChild(QLineEdit, "filename")
        assert filename is not None
        filename.selectAll()
        qtbot.keyClicks(filename, str(tmp_path / "printed.pdf"))
        qtbot.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)

    modals.then(cancel)
    menu_action(window, "File", "Print…").trigger()
    modals.wait_answered()
    assert list(tmp_path.iterdir()) == []


def test_page_and_zoom_keys_move_through_the_letters(qtbot: QtBot, three_letters: bytes) -> None:
    window = open_letters(qtbot, three_letters)  # its own: Ctrl+W deletes it
    view = window.view
    press(qtbot, view, Qt.Key.Key_End, CTRL)
    qtbot.waitUntil(lambda: window.current_page == 2)
    press(qtbot, view, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: window.current_page == 1)
    press(qtbot, view, Qt.Key.Key_Home, CTRL)
    qtbot.waitUntil(lambda: window.current_page == 0)
    press(qtbot, view, Qt.Key.Key_0, CTRL)
    assert window.zoom_label.text() == "Zoom 100%"
    press(qtbot, view, Qt.Key.Key_Plus, CTRL)
    assert window.zoom_label.text() == "Zoom 110%"
    press(qtbot, view, Qt.Key.Key_Minus, CTRL)
    press(qtbot, view, Qt.Key.Key_Minus, CTRL)
    assert window.zoom_label.text() == "Zoom 90%"
    with qtbot.waitSignal(window.destroyed, timeout=20_000):  # closed, and gone
        press(qtbot, view, Qt.Key.Key_W, CTRL)
