"""The document window: a PDF shown inside the app, to read, print, save or open elsewhere.

Letters, invoices, notices and minutes all open their PDFs here with
``show_pdf(parent, pdf_bytes, title, suggested_name)``. The window keeps the bytes exactly as
given: Save as PDF writes them unchanged, and printing draws each page from them.

Printing goes through the system print dialog. Pages are drawn at their real size from the
paper's corner (a letter's address stays inside the envelope window) and only shrunk when the
paper is smaller than the page. Each page is rendered to an image at the printer's resolution,
up to :data:`MAX_PRINT_DPI`, which keeps a large merge within memory.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QWheelEvent,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.files import file_message, folder_message, new_file_message, safe_file_stem
from thep_desktop.domain.progress import Cancelled
from thep_desktop.ui.shared.questions import Tell, tell

MAX_PRINT_DPI = 600
"""Pages are rendered for the printer at its resolution but no finer than this: an A4 page at
600 dpi is a 140 MB image, at 1200 dpi four times that."""

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
PDF_FILTER = "PDF documents (*.pdf)"
_FOLDER_SETTING = "pdf_folder"
_VIEWER_PREFIX = "thep-pdf-"
_VIEWER_KEEP_SECONDS = 24 * 60 * 60

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]
"""``QFileDialog.getSaveFileName(parent, caption, path, filters) -> (path, chosen filter)``."""

_LOAD_ERRORS = {
    QPdfDocument.Error.InvalidFileFormat: "The file is damaged or is not a PDF.",
    QPdfDocument.Error.IncorrectPassword: "The PDF is protected by a password.",
    QPdfDocument.Error.UnsupportedSecurityScheme: (
        "The PDF is protected in a way this program cannot open."
    ),
    QPdfDocument.Error.FileNotFound: "The PDF is empty.",
}

# The windows opened without a parent, kept here so they stay open until closed.
_parentless: set[PdfWindow] = set()


class PrintError(Exception):
    """Printing could not start or could not finish; the message is for the user."""


# -- printing -----------------------------------------------------------------------------------
def print_pages(
    document: QPdfDocument,
    printer: QPrinter,
    first: int,
    last: int,
    copies: int = 1,
    *,
    collate: bool = True,
    on_page: Callable[[int, int], None] | None = None,
) -> int:
    """Print pages ``first`` to ``last`` (counted from 1, as the user sees them) ``copies`` times.

    Collated copies come out 1 2 3, 1 2 3; uncollated 1 1, 2 2, 3 3. ``on_page(done, total)``
    is called before each sheet and may raise (for Cancel): the job is then abandoned. Returns
    the number of sheets sent. Raises :class:`PrintError` when the printer cannot start or a
    page cannot be drawn.
    """
    count = document.pageCount()
    if count < 1:
        raise PrintError("There is nothing to print: the document has no pages.")
    first = max(1, min(first, count))
    last = max(first, min(last, count))
    copies = max(1, copies)
    pages = list(range(first - 1, last))
    if collate:
        order = pages * copies
    else:
        order = [page for page in pages for _copy in range(copies)]

    # Page coordinates from the paper's corner, so a page prints where it was laid out.
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            "The printer could not be started. Check that it is switched on and connected, "
            "then try again."
        )
    finished = False
    try:
        image_page = -1
        image: QImage | None = None
        for done, page in enumerate(order):
            if on_page is not None:
                on_page(done, len(order))
            if done and not printer.newPage():
                raise PrintError("The printer stopped part-way through. Try printing again.")
            if page != image_page:  # uncollated copies reuse the page just rendered
                image_page, image = page, None
            target, image = _draw_page(painter, printer, document, page, image)
            if target.isEmpty():
                raise PrintError(f"Page {page + 1} could not be prepared for printing.")
        finished = True
    finally:
        if not finished:
            printer.abort()
        painter.end()
    return len(order)


def _draw_page(
    painter: QPainter,
    printer: QPrinter,
    document: QPdfDocument,
    page: int,
    image: QImage | None,
) -> tuple[QRectF, QImage | None]:
    """Draw ``page`` at its real size from the paper's corner (shrunk if the paper is smaller)."""
    dpi_x, dpi_y = printer.logicalDpiX(), printer.logicalDpiY()
    points = document.pagePointSize(page)
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    width, height = points.width() * dpi_x / 72, points.height() * dpi_y / 72
    if width <= 0 or height <= 0:
        return QRectF(), image
    shrink = min(1.0, paper.width() / width, paper.height() / height)
    target = QRectF(0, 0, width * shrink, height * shrink)
    if image is None:
        render_dpi = min(max(dpi_x, dpi_y), MAX_PRINT_DPI) * shrink
        size = QSize(
            max(1, round(points.width() * render_dpi / 72)),
            max(1, round(points.height() * render_dpi / 72)),
        )
        options = QPdfDocumentRenderOptions()
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        image = document.render(page, size, options)
        if image.isNull():
            return QRectF(), None
    painter.drawImage(target, image)
    return target, image


def page_range_for(printer: QPrinter, page_count: int, current_page: int) -> tuple[int, int]:
    """The pages (from 1) the print dialog asked for: all, a range, or the current page."""
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.CurrentPage:
        return current_page + 1, current_page + 1
    if chosen == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, min(printer.fromPage(), page_count))
        last = printer.toPage() if printer.toPage() > 0 else page_count
        return first, max(first, min(last, page_count))
    return 1, page_count


# -- files ------------------------------------------------------------------------------------
def write_file_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, so ``path`` is either the
    old file or the whole new one, never half-written. Raises OSError with a plain message."""
    folder = path.parent
    if not folder.is_dir():
        raise OSError(folder_message(folder))
    temporary = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(new_file_message(path, exc)) from exc
    try:
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(file_message(path, exc)) from exc


def pdf_file_name(text: str) -> str:
    """``text`` as a file name ending .pdf, without characters Windows refuses."""
    name = safe_file_stem(text)
    return name if name.casefold().endswith(".pdf") else f"{name}.pdf"


def _viewer_folder() -> Path:
    """A new folder under the system temporary folder for one copy handed to another program.

    Each copy gets its own folder, so a copy still open in a viewer (which Windows locks) is
    never overwritten; copies from earlier days are tidied away.
    """
    base = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
        or tempfile.gettempdir()
    )
    now = time.time()
    for old in base.glob(f"{_VIEWER_PREFIX}*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and now - old.stat().st_mtime > _VIEWER_KEEP_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=_VIEWER_PREFIX, dir=base))


# -- the window -------------------------------------------------------------------------------
class PdfWindow(QMainWindow):
    """One PDF, with page navigation, zoom, Print…, Save as PDF… and Open in system viewer.

    Non-modal: several can be open at once. Tests replace ``ask_save_path``, ``open_url``,
    ``exec_print_dialog`` and ``tell`` so no real dialog or program is started.
    """

    def __init__(
        self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf = bytes(pdf)
        self.title = title
        self.suggested_name = pdf_file_name(suggested_name)
        self.ask_save_path: AskPath = QFileDialog.getSaveFileName
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.exec_print_dialog: Callable[[QPrintDialog], int] = lambda dialog: dialog.exec()
        self.tell: Tell = tell
        self.load_error = ""
        self.last_saved_path: Path | None = None
        self.viewer_copy: Path | None = None
        self.setWindowTitle(title)

        # Created before the view, so destroyed before it (the view is told as the document
        # closes); the buffer belongs to the document, which reads from it while it is open.
        self.document = QPdfDocument(self)
        self.buffer = QBuffer(self.document)
        self.buffer.setData(QByteArray(self.pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.viewport().installEventFilter(self)
        self.navigator = self.view.pageNavigator()

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMargin(40)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        self.setCentralWidget(self.stack)

        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()

        self.navigator.currentPageChanged.connect(self._show_current_page)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self.document.statusChanged.connect(self._document_status_changed)
        self.document.load(self.buffer)
        self._document_status_changed()
        self._size_to_screen()

    # -- building ---------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcuts: list[QKeySequence] | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcuts:
            action.setShortcuts(shortcuts)
            keys = shortcuts[0].toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip or text.replace('&', '').rstrip('…')} ({keys})")
        elif tip:
            action.setToolTip(tip)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.print_action = self._action(
            "&Print…", self.print_document, [key(key.StandardKey.Print)], "Print"
        )
        self.save_action = self._action(
            "&Save as PDF…", self.save_as_pdf, [key(key.StandardKey.Save)], "Save a copy"
        )
        self.open_viewer_action = self._action(
            "Open in system &viewer",
            self.open_in_system_viewer,
            tip="Open in your usual PDF program",
        )
        self.close_action = self._action("&Close", self.close, [key("Ctrl+W"), key("Esc")])
        self.previous_action = self._action(
            "&Previous page", self.previous_page, [key("PgUp")], "Previous page"
        )
        self.next_action = self._action("&Next page", self.next_page, [key("PgDown")], "Next page")
        self.first_action = self._action("&First page", self.first_page, [key("Ctrl+Home")])
        self.last_action = self._action("&Last page", self.last_page, [key("Ctrl+End")])
        self.zoom_in_action = self._action(
            "Zoom &in", self.zoom_in, [key(key.StandardKey.ZoomIn), key("Ctrl+=")]
        )
        self.zoom_out_action = self._action(
            "Zoom &out", self.zoom_out, [key(key.StandardKey.ZoomOut)]
        )
        self.actual_size_action = self._action(
            "&Actual size", self.actual_size, [key("Ctrl+0")], "Actual size"
        )
        self.fit_width_action = self._action("Fit &width", self.fit_width, [key("Ctrl+1")])
        self.fit_page_action = self._action("Fit &page", self.fit_page, [key("Ctrl+2")])
        self.fit_group = QActionGroup(self)
        self.fit_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for action in (self.actual_size_action, self.fit_width_action, self.fit_page_action):
            action.setCheckable(True)
            self.fit_group.addAction(action)
        self.document_actions = [
            self.print_action,
            self.previous_action,
            self.next_action,
            self.first_action,
            self.last_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.actual_size_action,
            self.fit_width_action,
            self.fit_page_action,
        ]

    def _build_menus_and_toolbar(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for action in (self.print_action, self.save_action, self.open_viewer_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        view_menu = self.menuBar().addMenu("&View")
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            None,
            self.actual_size_action,
            self.fit_width_action,
            self.fit_page_action,
            None,
            self.first_action,
            self.previous_action,
            self.next_action,
            self.last_action,
        ):
            if action is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(action)

        self.page_spin = QSpinBox()
        self.page_spin.setKeyboardTracking(False)  # typing "12" goes to 12, not 1 then 12
        self.page_spin.setAccessibleName("Page number")
        self.page_spin.setToolTip("Type a page number and press Enter to go to it")
        self.page_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_spin.valueChanged.connect(self.go_to_page)
        self.page_of = QLabel()

        bar = QToolBar("Document")
        bar.setObjectName("documentToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.print_action)
        bar.addAction(self.save_action)
        bar.addAction(self.open_viewer_action)
        bar.addSeparator()
        bar.addAction(self.previous_action)
        self.page_widgets = [
            bar.addWidget(_padded(QLabel("Page"))),
            bar.addWidget(self.page_spin),
            bar.addWidget(_padded(self.page_of)),
        ]
        bar.addAction(self.next_action)
        bar.addSeparator()
        bar.addAction(self.zoom_out_action)
        bar.addAction(self.zoom_in_action)
        bar.addAction(self.actual_size_action)
        bar.addAction(self.fit_width_action)
        bar.addAction(self.fit_page_action)
        self.toolbar = bar
        self.addToolBar(bar)
        # Short names on the buttons (a tool button shows the icon text); menus keep the full ones.
        for action, short in (
            (self.previous_action, "◀ Previous"),
            (self.next_action, "Next ▶"),
            (self.actual_size_action, "100%"),
            (self.open_viewer_action, "Open in viewer"),
        ):
            action.setIconText(short)

    def _build_status_bar(self) -> None:
        self.pages_label = _padded(QLabel())
        self.zoom_label = _padded(QLabel())
        status = self.statusBar()
        status.addPermanentWidget(self.pages_label)
        status.addPermanentWidget(self.zoom_label)

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = 860, 1000
        if available is not None and available.height() > 0:
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    # -- loading ----------------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return self.document.pageCount() if not self.load_error else 0

    def _document_status_changed(self, *_args: object) -> None:
        status = self.document.status()
        if status == QPdfDocument.Status.Ready:
            self._document_ready()
        elif status == QPdfDocument.Status.Error:
            self._document_failed()

    def _document_ready(self) -> None:
        count = self.document.pageCount()
        if count < 1:
            self._document_failed("The PDF has no pages.")
            return
        self.load_error = ""
        self.stack.setCurrentWidget(self.view)
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1, count)
        self.page_spin.setValue(self.navigator.currentPage() + 1)
        self.page_spin.blockSignals(False)
        self.page_spin.setFixedWidth(
            self.page_spin.fontMetrics().horizontalAdvance(str(count) * 2) + 16
        )
        self.page_of.setText(f"of {count}")
        self.pages_label.setText("1 page" if count == 1 else f"{count} pages")
        for action in self.document_actions:
            action.setEnabled(True)
        for widget_action in self.page_widgets:
            widget_action.setVisible(True)
        self._check_fit_action()
        self._show_current_page(self.navigator.currentPage())
        self._show_zoom()

    def _document_failed(self, reason: str = "") -> None:
        reason = reason or _LOAD_ERRORS.get(self.document.error(), "The PDF could not be read.")
        self.load_error = reason
        self.message.setText(
            f"<p style='font-size: 13pt'><b>This document cannot be shown.</b></p>"
            f"<p>{reason}</p>"
            "<p>You can still save it, or open it in your usual PDF program, from the File "
            "menu.</p>"
        )
        self.stack.setCurrentWidget(self.message)
        for action in self.document_actions:
            action.setEnabled(False)
        for widget_action in self.page_widgets:
            widget_action.setVisible(False)
        self.pages_label.setText("Cannot be shown")
        self.zoom_label.setText("")

    # -- pages ------------------------------------------------------------------------------
    @property
    def current_page(self) -> int:
        """The page shown (from 0)."""
        return self.navigator.currentPage()

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (from 1, as the spin box counts)."""
        count = self.page_count
        if count < 1:
            return
        page = max(0, min(number - 1, count - 1))
        if page != self.navigator.currentPage():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())
        if page != self.navigator.currentPage():
            # QPdfView names as current the page under a line 40% down the view; when pages
            # are small (zoomed out) or the last one cannot scroll to the top, that is another
            # page, and the view moves the navigator there. Asking again keeps the page asked
            # for: the view is already scrolled as far as it goes, so it does not move again.
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())
        self._show_current_page(self.navigator.currentPage())

    def previous_page(self) -> None:
        self.go_to_page(self.current_page)

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 2)

    def first_page(self) -> None:
        self.go_to_page(1)

    def last_page(self) -> None:
        self.go_to_page(self.page_count)

    def _show_current_page(self, page: int) -> None:
        count = self.page_count
        if count < 1:
            return
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.previous_action.setEnabled(page > 0)
        self.first_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < count - 1)
        self.last_action.setEnabled(page < count - 1)

    # -- zoom -------------------------------------------------------------------------------
    def effective_zoom(self) -> float:
        """The zoom as the user sees it (1.0 is actual size), also in the fit modes.

        In the fit modes QPdfView leaves ``zoomFactor`` alone and sizes the pages itself; this
        works the size out the same way (Qt 6 ``QPdfViewPrivate::calculateDocumentLayout``).
        """
        return effective_zoom(self.view, self.current_page)

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (1.0 is actual size), keeping the same place in view."""
        factor = max(ZOOM_STEPS[0], min(factor, ZOOM_STEPS[-1]))
        bar = self.view.verticalScrollBar()
        total = bar.maximum() + bar.pageStep()
        place = (bar.value() + bar.pageStep() / 2) / total if total > 0 else 0.0
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        total = bar.maximum() + bar.pageStep()
        bar.setValue(round(place * total - bar.pageStep() / 2))
        self._check_fit_action()
        self._show_zoom()

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self.effective_zoom(), larger=True))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self.effective_zoom(), larger=False))

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._after_fit()

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._after_fit()

    def _after_fit(self) -> None:
        # The page the user was on stays in view.
        self.navigator.jump(self.current_page, QPointF(), self.navigator.currentZoom())
        self._check_fit_action()
        self._show_zoom()

    def _check_fit_action(self) -> None:
        mode = self.view.zoomMode()
        self.fit_width_action.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_action.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.actual_size_action.setChecked(
            mode == QPdfView.ZoomMode.Custom and abs(self.view.zoomFactor() - 1.0) < 1e-9
        )

    def _show_zoom(self, *_args: object) -> None:
        if self.page_count < 1:
            return
        self.zoom_label.setText(f"Zoom {round(self.effective_zoom() * 100)}%")
        self.zoom_in_action.setEnabled(self.effective_zoom() < ZOOM_STEPS[-1] * 0.99)
        self.zoom_out_action.setEnabled(self.effective_zoom() > ZOOM_STEPS[0] * 1.01)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport():
            if event.type() == QEvent.Type.Resize:
                # The fit modes change the zoom as the window is resized.
                self._show_zoom()
            elif (
                event.type() == QEvent.Type.Wheel
                and isinstance(event, QWheelEvent)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                if self.page_count:
                    steps = event.angleDelta().y()
                    if steps > 0:
                        self.zoom_in()
                    elif steps < 0:
                        self.zoom_out()
                return True
        return super().eventFilter(watched, event)

    # -- printing ---------------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        """A printer set to the document's paper size and orientation, named after it."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        points = self.document.pagePointSize(0)
        if points.width() > 0 and points.height() > 0:
            landscape = points.width() > points.height()
            portrait = QSizeF(min(points.width(), points.height()), max(points.toTuple()))
            size = QPageSize(
                portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
            )
            printer.setPageSize(size)
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
            )
        return printer

    def print_document(self) -> bool:
        """Print… : the print dialog (page range, current page, copies), then print.

        Returns True when pages went to the printer.
        """
        count = self.page_count
        if count < 1:
            return False
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.title}")
        dialog.setMinMax(1, count)
        option = QAbstractPrintDialog.PrintDialogOption
        for wanted in (option.PrintPageRange, option.PrintCurrentPage, option.PrintCollateCopies):
            dialog.setOption(wanted, True)
        if self.exec_print_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        printer = dialog.printer()
        first, last = page_range_for(printer, count, self.current_page)
        # A printer that makes copies itself gets one; otherwise each copy is sent.
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        return self._print_with_progress(printer, first, last, copies, printer.collateCopies())

    def _print_with_progress(
        self, printer: QPrinter, first: int, last: int, copies: int, collate: bool
    ) -> bool:
        total = (last - first + 1) * copies
        progress = QProgressDialog("Sending pages to the printer…", "Cancel", 0, total, self)
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(700)

        def on_page(done: int, count: int) -> None:
            progress.setValue(done)
            progress.setLabelText(f"Sending page {done + 1} of {count} to the printer…")
            QApplication.processEvents()
            if progress.wasCanceled():
                raise Cancelled("Printing was cancelled.")

        try:
            sent = print_pages(
                self.document, printer, first, last, copies, collate=collate, on_page=on_page
            )
        except Cancelled:
            self.statusBar().showMessage("Printing cancelled.", 5000)
            return False
        except PrintError as exc:
            self.tell(self, "Print", str(exc))
            return False
        finally:
            progress.reset()
            progress.deleteLater()
        sheets = "1 page" if sent == 1 else f"{sent} pages"
        self.statusBar().showMessage(f"Sent {sheets} to {printer.printerName() or 'print'}.", 8000)
        return True

    # -- saving and opening elsewhere -------------------------------------------------------
    def save_as_pdf(self) -> Path | None:
        """Save as PDF… : the bytes exactly as given, to a file the user chooses."""
        chosen, _filter = self.ask_save_path(
            self,
            "Save as PDF",
            str(config.remembered_folder(_FOLDER_SETTING) / self.suggested_name),
            PDF_FILTER,
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_file_whole(path, self.pdf)
        except OSError as exc:
            self.tell(self, "Save as PDF", str(exc))
            return None
        config.remember_folder(_FOLDER_SETTING, path.parent)
        self.last_saved_path = path
        self.statusBar().showMessage(f"Saved {path.name} in {path.parent}", 8000)
        return path

    def open_in_system_viewer(self) -> Path | None:
        """Hand a copy to the computer's usual PDF program (for its own tools, or to email)."""
        try:
            path = _viewer_folder() / self.suggested_name
            write_file_whole(path, self.pdf)
        except OSError as exc:
            self.tell(
                self,
                "Open in system viewer",
                f"A copy for your PDF program could not be made. {exc}",
            )
            return None
        if self.open_url(QUrl.fromLocalFile(str(path))) is False:
            shutil.rmtree(path.parent, ignore_errors=True)
            self.tell(
                self,
                "Open in system viewer",
                "No program for opening PDF files is set up on this computer. Use Save as "
                "PDF… and open the file from its folder instead.",
            )
            return None
        self.viewer_copy = path
        self.statusBar().showMessage("Opened in your PDF program.", 5000)
        return path

    def closeEvent(self, event: QCloseEvent) -> None:
        # The view stops rendering pages in the background before the document goes.
        self.view.setDocument(None)  # type: ignore[arg-type]
        self.document.close()
        _parentless.discard(self)
        super().closeEvent(event)


def _padded(label: QLabel) -> QLabel:
    label.setContentsMargins(8, 0, 8, 0)
    return label


def effective_zoom(view: QPdfView, page: int = 0) -> float:
    """The zoom of ``view`` as the user sees it (1.0 is actual size), also in the fit modes.

    In the fit modes QPdfView leaves ``zoomFactor`` alone and sizes the pages itself; this
    works the size out the same way (Qt 6 ``QPdfViewPrivate::calculateDocumentLayout``).
    """
    mode = view.zoomMode()
    document = view.document()
    if mode == QPdfView.ZoomMode.Custom or document is None or document.pageCount() < 1:
        return view.zoomFactor()
    screen = QGuiApplication.primaryScreen()
    resolution = (screen.logicalDotsPerInch() if screen is not None else 96.0) / 72.0
    points = document.pagePointSize(max(0, page))
    natural = QSizeF(points.width() * resolution, points.height() * resolution).toSize()
    if natural.width() <= 0 or natural.height() <= 0:
        return 1.0
    margins = view.documentMargins()
    viewport = view.viewport().size()
    across = (viewport.width() - margins.left() - margins.right()) / natural.width()
    if mode == QPdfView.ZoomMode.FitToWidth:
        return max(across, 0.01)
    down = (viewport.height() - view.pageSpacing()) / natural.height()
    return max(min(across, down), 0.01)


def zoom_step(now: float, *, larger: bool) -> float:
    """The next zoom of :data:`ZOOM_STEPS` above (or below) ``now``."""
    if larger:
        return next((z for z in ZOOM_STEPS if z > now * 1.01), ZOOM_STEPS[-1])
    smaller = [z for z in ZOOM_STEPS if z < now * 0.99]
    return smaller[-1] if smaller else ZOOM_STEPS[0]


def show_pdf(parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> PdfWindow:
    """Open ``pdf`` in a new document window and bring it to the front."""
    window = PdfWindow(pdf, title, suggested_name, parent)
    if parent is None:
        _parentless.add(window)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
