"""The document window: real letter PDFs shown, paged, zoomed, printed, saved and handed on."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPoint,
    QPointF,
    QSize,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QImage, QPainter, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from thep_desktop.reports.letters.letter_pdf import (
    Letter,
    Letterhead,
    render_letter_bytes,
    render_letters,
)
from thep_desktop.ui.shared import pdf_window
from thep_desktop.ui.shared.pdf_window import (
    PdfWindow,
    page_range_for,
    pdf_file_name,
    print_pages,
    show_pdf,
    write_file_whole,
)

HEAD = Letterhead(
    name="Tower Hamlets Education Partnership",
    address_lines=("229 Bethnal Green Road", "London E2 6AB"),
    phone="020 7364 0000",
    email="info@the-partnership.org.uk",
    company_number="08123456",
    charity_number="1150000",
)
LONG_BODY = "\n\n".join("A long paragraph of text. " * 15 for _ in range(14))


def letter(body: str, school: str = "St Mary & St John's Primary") -> Letter:
    return Letter(
        recipient=("Ms Rahima Begum", "Head Teacher", school, "Ben Jonson Road", "E1 4SD"),
        date=date(2026, 11, 22),
        salutation="Dear Ms Begum,",
        subject="Membership 2026/27",
        body=body,
        signatory="Jo Bloggs",
        signatory_role="Chief Executive",
    )


@pytest.fixture(scope="module")
def two_page_letter() -> bytes:
    data = render_letter_bytes(HEAD, letter(LONG_BODY))
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    return data


@pytest.fixture(scope="module")
def merge_of_three() -> bytes:
    """Three one-page letters in one PDF, each naming its own school."""
    buffer = io.BytesIO()
    render_letters(
        buffer,
        HEAD,
        [letter(f"Letter number {n}.", school=f"School number {n}") for n in (1, 2, 3)],
    )
    return buffer.getvalue()


def page_texts(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def open_window(qtbot: QtBot, pdf: bytes, title: str = "Membership letter") -> PdfWindow:
    window = PdfWindow(pdf, title, "Membership letter - St Mary's")
    qtbot.addWidget(window)
    told: list[tuple[str, str]] = []
    window.tell = lambda _parent, heading, text: told.append((heading, text))
    window.told = told  # type: ignore[attr-defined]
    window.show()
    qtbot.waitExposed(window)
    return window


def page_drawn(window: PdfWindow) -> bool:
    """Whether the view shows a rendered page: dark text on the white page, not just white."""
    image = window.view.viewport().grab().toImage()
    dark = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = image.pixelColor(x, y)
            if colour.lightness() < 80:
                dark += 1
    return dark > 20


def test_a_two_page_letter_opens_with_its_page_count(qtbot: QtBot, two_page_letter: bytes) -> None:
    window = open_window(qtbot, two_page_letter)
    assert window.page_count == 2
    assert window.stack.currentWidget() is window.view
    assert window.page_of.text() == "of 2"
    assert window.pages_label.text() == "2 pages"
    assert window.page_spin.maximum() == 2 and window.page_spin.value() == 1
    assert window.windowTitle() == "Membership letter"
    assert window.zoom_label.text().startswith("Zoom ") and window.zoom_label.text().endswith("%")
    assert window.print_action.isEnabled() and not window.previous_action.isEnabled()
    qtbot.waitUntil(lambda: page_drawn(window), timeout=20_000)


def test_a_merge_of_three_letters_shows_three_pages(qtbot: QtBot, merge_of_three: bytes) -> None:
    window = open_window(qtbot, merge_of_three)
    assert window.page_count == 3
    assert window.pages_label.text() == "3 pages"


def test_page_navigation_moves_the_view_and_the_page_box(
    qtbot: QtBot, merge_of_three: bytes
) -> None:
    window = open_window(qtbot, merge_of_three)
    navigator = window.view.pageNavigator()
    window.next_action.trigger()
    assert navigator.currentPage() == 1 and window.page_spin.value() == 2
    assert window.view.verticalScrollBar().value() > 0
    window.previous_action.trigger()
    assert navigator.currentPage() == 0 and window.page_spin.value() == 1
    assert not window.previous_action.isEnabled()

    window.page_spin.setValue(3)  # typing a page number and pressing Enter
    assert navigator.currentPage() == 2
    assert not window.next_action.isEnabled()
    window.first_action.trigger()
    assert navigator.currentPage() == 0 and window.page_spin.value() == 1


def test_scrolling_the_view_updates_the_page_box(qtbot: QtBot, merge_of_three: bytes) -> None:
    window = open_window(qtbot, merge_of_three)
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: window.page_spin.value() == 3)
    assert window.view.pageNavigator().currentPage() == 2


def test_zoom_in_out_and_actual_size(qtbot: QtBot, two_page_letter: bytes) -> None:
    window = open_window(qtbot, two_page_letter)
    window.actual_size_action.trigger()
    assert window.view.zoomFactor() == pytest.approx(1.0)
    assert window.zoom_label.text() == "Zoom 100%"
    assert window.actual_size_action.isChecked() and not window.fit_width_action.isChecked()

    window.zoom_in_action.trigger()
    assert window.view.zoomFactor() == pytest.approx(1.1)
    assert window.zoom_label.text() == "Zoom 110%"
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert window.view.zoomFactor() == pytest.approx(0.9)
    assert window.zoom_label.text() == "Zoom 90%"


def test_fit_width_fills_the_view_and_says_how_far_it_zoomed(
    qtbot: QtBot, two_page_letter: bytes
) -> None:
    window = open_window(qtbot, two_page_letter)
    window.actual_size_action.trigger()
    window.resize(1200, 900)
    window.fit_width_action.trigger()
    assert window.fit_width_action.isChecked()
    viewport = window.view.viewport().width()
    margins = window.view.documentMargins()
    expected_pixels = viewport - margins.left() - margins.right()
    page_points = window.document.pagePointSize(0).width()
    dpi = QApplication.primaryScreen().logicalDotsPerInch()
    assert window.effective_zoom() == pytest.approx(
        expected_pixels / (page_points * dpi / 72), 0.01
    )
    assert window.zoom_label.text() == f"Zoom {round(window.effective_zoom() * 100)}%"
    assert window.effective_zoom() > 1.1  # a wide window: bigger than actual size

    # Zooming in from a fit starts from the size shown, not from 100%.
    before = window.effective_zoom()
    window.zoom_in_action.trigger()
    assert window.view.zoomFactor() > before
    assert not window.fit_width_action.isChecked()

    window.fit_page_action.trigger()
    assert window.fit_page_action.isChecked()
    assert window.effective_zoom() < before


def test_save_as_pdf_writes_the_bytes_exactly(
    qtbot: QtBot, two_page_letter: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, two_page_letter)
    asked: list[str] = []

    def ask_path(_parent: object, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(tmp_path / "Saved letter"), "PDF documents (*.pdf)"

    window.ask_save_path = ask_path
    window.save_action.trigger()
    saved = tmp_path / "Saved letter.pdf"
    assert saved.read_bytes() == two_page_letter
    assert Path(asked[0]).name == "Membership letter - St Mary's.pdf"
    assert list(tmp_path.iterdir()) == [saved]  # no temporary file left behind
    assert window.told == []


def test_save_as_pdf_replaces_an_existing_file_whole(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    target = tmp_path / "letters.pdf"
    target.write_bytes(b"an older, longer file " * 10_000)
    window = open_window(qtbot, merge_of_three)
    window.ask_save_path = lambda *_a: (str(target), "")
    assert window.save_as_pdf() == target
    assert target.read_bytes() == merge_of_three


def test_a_save_that_cannot_be_written_says_so_plainly(
    qtbot: QtBot, two_page_letter: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, two_page_letter)
    missing = tmp_path / "no such folder" / "letter.pdf"
    window.ask_save_path = lambda *_a: (str(missing), "")
    assert window.save_as_pdf() is None
    assert window.told == [
        ("Save as PDF", f"The folder {missing.parent} does not exist. Choose another folder.")
    ]
    assert not missing.parent.exists()


def test_write_file_whole_leaves_the_old_file_when_it_cannot_replace_it(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    target.mkdir()  # a folder where the file should go: os.replace fails
    with pytest.raises(OSError, match="letter.pdf"):
        write_file_whole(target, b"%PDF-1.4 new")
    assert target.is_dir()
    assert list(tmp_path.iterdir()) == [target]  # the temporary file was removed


def test_cancelling_save_writes_nothing(
    qtbot: QtBot, two_page_letter: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, two_page_letter)
    window.ask_save_path = lambda *_a: ("", "")
    assert window.save_as_pdf() is None
    assert list(tmp_path.iterdir()) == []


def test_open_in_system_viewer_hands_over_a_copy_of_the_bytes(
    qtbot: QtBot, merge_of_three: bytes
) -> None:
    window = open_window(qtbot, merge_of_three)
    opened: list[QUrl] = []
    window.open_url = lambda url: opened.append(url) or True
    window.open_viewer_action.trigger()
    assert len(opened) == 1 and opened[0].isLocalFile()
    path = Path(opened[0].toLocalFile())
    assert path.name == "Membership letter - St Mary's.pdf"
    assert path.read_bytes() == merge_of_three
    assert window.told == []
    shutil.rmtree(path.parent)


def test_no_pdf_program_is_reported(qtbot: QtBot, merge_of_three: bytes) -> None:
    window = open_window(qtbot, merge_of_three)
    offered: list[QUrl] = []

    def no_program(url: QUrl) -> bool:
        offered.append(url)
        return False

    window.open_url = no_program
    assert window.open_in_system_viewer() is None
    assert window.told and "No program for opening PDF files" in window.told[0][1]
    assert not Path(offered[0].toLocalFile()).parent.exists()  # the unused copy is removed


@pytest.mark.parametrize(
    ("damaged", "reason"),
    [
        (b"this is not a pdf", "The file is damaged or is not a PDF."),
        (b"", "The file is damaged or is not a PDF."),
        (b"%PDF-1.4\n1 0 obj\n<<", "The file is damaged or is not a PDF."),
    ],
)
def test_a_pdf_that_cannot_be_read_shows_a_message(
    qtbot: QtBot, damaged: bytes, reason: str
) -> None:
    window = open_window(qtbot, damaged)
    assert window.stack.currentWidget() is window.message
    assert window.message.isVisible()
    shown = window.message.text()
    assert "This document cannot be shown." in shown
    assert reason in shown and window.load_error == reason
    assert "save it, or open it in your usual PDF program" in shown
    assert window.pages_label.text() == "Cannot be shown"
    assert window.page_count == 0
    assert not window.print_action.isEnabled() and not window.zoom_in_action.isEnabled()
    assert not window.page_spin.isVisible()
    assert window.save_action.isEnabled()  # the bytes can still be kept
    # Ctrl+P and the page keys do nothing rather than fail; no problem box is raised.
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.print_document() is False
    window.next_page()
    assert window.stack.currentWidget() is window.message and window.told == []


def test_print_pages_two_copies_of_pages_two_to_three(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, merge_of_three)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(96)  # small images keep the test quick
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    seen: list[tuple[int, int]] = []
    sent = print_pages(
        window.document, printer, 2, 3, 2, on_page=lambda done, total: seen.append((done, total))
    )
    assert sent == 4
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4)]
    reader = PdfReader(str(out))
    assert len(reader.pages) == 4
    # Printed at the letter's own size (A4), not scaled to some other paper.
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


def test_uncollated_copies_print_each_page_together(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    """Each printed page is compared with the document's pages to see which one it is."""
    window = open_window(qtbot, merge_of_three)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(72)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    print_pages(window.document, printer, 1, 2, 2, collate=False)
    sizes = [len(image.data) for page in PdfReader(str(out)).pages for image in page.images]
    assert len(sizes) == 4
    assert sizes[0] == sizes[1] and sizes[2] == sizes[3] and sizes[0] != sizes[2]


def test_print_from_the_window_honours_range_and_copies(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, merge_of_three)
    out = tmp_path / "printed.pdf"
    shown: list[QPrintDialog] = []

    def accept(dialog: QPrintDialog) -> int:
        shown.append(dialog)
        assert (dialog.minPage(), dialog.maxPage()) == (1, 3)
        assert dialog.testOption(QPrintDialog.PrintDialogOption.PrintCurrentPage)
        printer = dialog.printer()
        assert printer.pageLayout().pageSize().id().name == "A4"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        printer.setCopyCount(2)
        return QDialog.DialogCode.Accepted

    window.exec_print_dialog = accept
    window.print_action.trigger()
    assert shown
    assert len(PdfReader(str(out)).pages) == 4
    assert window.told == []


def test_cancelling_the_print_dialog_prints_nothing(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, merge_of_three)
    out = tmp_path / "printed.pdf"

    def cancel(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Rejected

    window.exec_print_dialog = cancel
    assert window.print_document() is False
    assert not out.exists()


def test_page_range_for_reads_the_print_dialog_choice() -> None:
    printer = QPrinter()
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert page_range_for(printer, 5, 2) == (1, 5)
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert page_range_for(printer, 5, 2) == (3, 3)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(4, 9)
    assert page_range_for(printer, 5, 0) == (4, 5)


def test_file_names_are_safe_and_end_in_pdf() -> None:
    assert pdf_file_name('Invoice 12/2026: "St Mary"') == "Invoice 12 2026 St Mary.pdf"
    assert pdf_file_name("minutes.PDF") == "minutes.PDF"
    assert pdf_file_name("  ") == "Document.pdf"


def test_several_windows_can_be_open_at_once(
    qtbot: QtBot, two_page_letter: bytes, merge_of_three: bytes
) -> None:
    first = open_window(qtbot, two_page_letter, "First")
    second = open_window(qtbot, merge_of_three, "Second")
    assert first.isVisible() and second.isVisible()
    assert not first.isModal() and not second.isModal()
    second.next_page()
    assert first.current_page == 0 and second.current_page == 1


def test_screenshot_of_a_rendered_letter(
    qtbot: QtBot, two_page_letter: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, two_page_letter)
    window.resize(900, 1000)
    qtbot.waitUntil(lambda: page_drawn(window), timeout=20_000)
    shot = window.grab()
    assert shot.save(str(tmp_path / "pdf-window.png"))
    assert not QImage(str(tmp_path / "pdf-window.png")).isNull()


def test_keys_move_between_pages_zoom_and_close(qtbot: QtBot, merge_of_three: bytes) -> None:
    window = open_window(qtbot, merge_of_three)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.current_page == 1
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert window.current_page == 0
    qtbot.keyClick(window.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 100%"
    qtbot.keyClick(window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 110%"
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 100%"
    destroyed: list[bool] = []
    window.destroyed.connect(lambda: destroyed.append(True))
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.isVisible()
    qtbot.waitUntil(lambda: destroyed == [True])  # closed windows free their memory


def test_show_pdf_keeps_a_window_without_a_parent_open(
    qtbot: QtBot, two_page_letter: bytes
) -> None:
    window = show_pdf(None, two_page_letter, "Letter", "letter")
    assert window in pdf_window._parentless and window.isVisible()
    window.close()
    assert window not in pdf_window._parentless


def test_the_last_page_can_be_reached_when_zoomed_right_out(
    qtbot: QtBot, merge_of_three: bytes
) -> None:
    window = open_window(qtbot, merge_of_three)
    window.set_zoom(0.25)
    for page in (3, 1, 2):
        window.go_to_page(page)
        assert window.page_spin.value() == page
        assert window.current_page == page - 1


def test_windows_closed_or_destroyed_while_drawing_do_not_crash(
    qtbot: QtBot, merge_of_three: bytes
) -> None:
    """Pages are drawn in the background: closing at once, or losing the parent, is safe.

    Safe means: no exception reaches Qt's event loop (pytest-qt turns one into a failure
    through ``captureExceptions``), and every window is really gone afterwards.
    """
    gone: list[str] = []
    with qtbot.captureExceptions() as exceptions:
        for number in range(5):
            window = PdfWindow(merge_of_three, "Letters", "letters")
            window.destroyed.connect(lambda *_a, n=number: gone.append(f"closed {n}"))
            window.show()
            qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
            window.close()  # WA_DeleteOnClose: deleted once control returns to the loop
            parent = QWidget()
            child = PdfWindow(merge_of_three, "Letters", "letters", parent)
            child.destroyed.connect(lambda *_a, n=number: gone.append(f"orphaned {n}"))
            child.show()
            qtbot.keyClick(child, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            parent.deleteLater()
            qtbot.wait(20)
        qtbot.waitUntil(lambda: len(gone) == 10, timeout=20_000)
        QApplication.processEvents()
    assert exceptions == []
    assert sorted(gone) == sorted(
        [f"closed {n}" for n in range(5)] + [f"orphaned {n}" for n in range(5)]
    )
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfWindow)]
    assert not pdf_window._parentless


def _render(data: bytes, page: int) -> QImage:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    image = document.render(page, QSize(210, 297)).convertToFormat(QImage.Format.Format_Grayscale8)
    document.close()
    return image


def _difference(a: QImage, b: QImage) -> float:
    """Mean difference of grey levels (0 same, 255 opposite), over every other pixel."""
    total = count = 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            total += abs(a.pixelColor(x, y).value() - b.pixelColor(x, y).value())
            count += 1
    return total / count


def test_a_printed_page_matches_the_page_shown_in_place_and_size(
    qtbot: QtBot, merge_of_three: bytes, tmp_path: Path
) -> None:
    window = open_window(qtbot, merge_of_three)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(150)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    print_pages(window.document, printer, 2, 2)
    printed = _render(out.read_bytes(), 0)
    shown = _render(merge_of_three, 1)
    assert _difference(printed, shown) < 3
    # The comparison notices a page moved by 3 mm, as an envelope window would.
    moved = QImage(shown.size(), QImage.Format.Format_Grayscale8)
    moved.fill(Qt.GlobalColor.white)
    painter = QPainter(moved)
    painter.drawImage(3, 3, shown)
    painter.end()
    assert _difference(printed, moved) > 2 * _difference(printed, shown)


def test_ctrl_and_the_mouse_wheel_zoom(qtbot: QtBot, two_page_letter: bytes) -> None:
    window = open_window(qtbot, two_page_letter)
    window.actual_size()
    viewport = window.view.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)

    def wheel(delta: int, modifiers: Qt.KeyboardModifier) -> None:
        event = QWheelEvent(
            centre,
            viewport.mapToGlobal(centre),
            QPoint(),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)

    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 110%"
    wheel(-120, Qt.KeyboardModifier.ControlModifier)
    wheel(-120, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom_label.text() == "Zoom 90%"
    wheel(-120, Qt.KeyboardModifier.NoModifier)  # scrolls, does not zoom
    assert window.zoom_label.text() == "Zoom 90%"


def test_copies_for_the_system_viewer_from_earlier_days_are_tidied_away(
    qtbot: QtBot, two_page_letter: bytes
) -> None:
    temp = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation))
    old = Path(tempfile.mkdtemp(prefix="thep-pdf-", dir=temp))
    (old / "yesterday.pdf").write_bytes(b"%PDF old")
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(old, (two_days_ago, two_days_ago))
    recent = Path(tempfile.mkdtemp(prefix="thep-pdf-", dir=temp))
    window = open_window(qtbot, two_page_letter)
    window.open_url = lambda _url: True
    path = None
    try:
        path = window.open_in_system_viewer()
        assert path is not None and path.read_bytes() == two_page_letter
        assert not old.exists()
        assert recent.exists()  # may still be open in a viewer
    finally:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(recent, ignore_errors=True)
        if path is not None:
            shutil.rmtree(path.parent, ignore_errors=True)


def test_save_as_pdf_into_a_read_only_folder_says_so(
    qtbot: QtBot, two_page_letter: bytes, tmp_path: Path
) -> None:
    from qt_driving import press  # tests/qt_driving.py
    from read_only_folders import read_only_folder  # tests/read_only_folders.py

    window = open_window(qtbot, two_page_letter)
    with read_only_folder(tmp_path / "Read only") as folder:
        window.ask_save_path = lambda *_a: (str(folder / "letter.pdf"), "")
        press(qtbot, window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert list(folder.iterdir()) == []
    assert window.told == [
        (
            "Save as PDF",
            f"The folder {folder} cannot be written to (it is read-only or you do not have "
            "permission). Choose another folder.",
        )
    ]
    assert window.last_saved_path is None
