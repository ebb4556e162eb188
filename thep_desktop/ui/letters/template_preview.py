"""The letter as it will print, beside the template being edited, with the note under it.

The page fits the width of the pane at first, so it is readable at any window size; Zoom in
and Zoom out (Ctrl++ and Ctrl+-, or Ctrl and the mouse wheel) make it larger or smaller, and
Fit width (Ctrl+0) puts it back. "Open in a window" shows the letter in the document window,
as large as the screen allows. While the template has a mistake, the last letter that could
be drawn stays in view, and the note under it says what is wrong, in red.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.ui.shared.forms import ERROR_STYLE
from thep_desktop.ui.shared.pdf_window import ZOOM_STEPS, effective_zoom, zoom_step

NOTE_STYLE = "color: #555;"
PROBLEM_NOTE_STYLE = ERROR_STYLE + "background: #fdecef; padding: 4px; border-radius: 3px;"


class TemplatePreview(QWidget):
    """A PDF view of one letter, the school it is shown for, and a note on what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Made before the view, so destroyed after it: the view is still whole when the
        # document, closing, tells it so (a document destroyed with the view crashes it).
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.pdf = b""  # the letter shown: the last one that could be drawn
        self.open_window: Callable[[bytes], object] | None = None  # set by the dialog
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 0, 0, 0)
        row = QHBoxLayout()
        label = QLabel("&Preview with:")
        self.school = QComboBox()
        self.school.setObjectName("preview_school")
        self.school.setToolTip(
            "Example values, or a real school's, to see the letter as that school would get it"
        )
        self.school.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.school.setMinimumContentsLength(18)
        label.setBuddy(self.school)
        row.addWidget(label)
        row.addWidget(self.school, 1)
        box.addLayout(row)
        box.addLayout(self._zoom_row())
        self.view = QPdfView()
        self.view.setObjectName("preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setMinimumWidth(320)
        self.view.viewport().installEventFilter(self)
        box.addWidget(self.view, 1)
        self.note = QLabel()
        self.note.setObjectName("preview_note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.note)
        self._show_zoom()

    def _zoom_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(2)

        def button(
            text: str, tip: str, act: Callable[[], None], keys: list[QKeySequence]
        ) -> QToolButton:
            made = QToolButton()
            made.setText(text)
            made.setToolTip(tip)
            made.setAutoRaise(True)
            made.clicked.connect(act)
            for key in keys:
                # Anywhere in the window: the letter's text boxes have no use for these keys.
                QShortcut(key, self, activated=act, context=Qt.ShortcutContext.WindowShortcut)
            row.addWidget(made)
            return made

        ks = QKeySequence
        self.zoom_out_button = button(
            "−", "Zoom out (Ctrl+-)", self.zoom_out, [ks(ks.StandardKey.ZoomOut)]
        )
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoom")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.zoom_label)
        self.zoom_in_button = button(
            "+", "Zoom in (Ctrl++)", self.zoom_in, [ks(ks.StandardKey.ZoomIn), ks("Ctrl+=")]
        )
        self.fit_button = button(
            "Fit width", "Fit the page to the pane (Ctrl+0)", self.fit_width, [ks("Ctrl+0")]
        )
        row.addStretch(1)
        self.open_button = QToolButton()
        self.open_button.setText("Open in a window…")
        self.open_button.setToolTip("Show the letter as large as the screen allows")
        self.open_button.setAutoRaise(True)
        self.open_button.clicked.connect(self._open)
        self.open_button.setEnabled(False)
        row.addWidget(self.open_button)
        return row

    # -- what it shows ----------------------------------------------------------------------
    @property
    def pages(self) -> int:
        if self.document.status() != QPdfDocument.Status.Ready:
            return 0
        return self.document.pageCount()

    def show_pdf(self, pdf: bytes) -> None:
        previous = self._buffer
        buffer = QBuffer(self.document)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.pdf = pdf
        self.document.load(buffer)
        if previous is not None:
            previous.close()
            previous.deleteLater()
        self.open_button.setEnabled(self.open_window is not None)
        self._show_zoom()

    def show_note(self, text: str, *, problem: bool) -> None:
        self.note.setStyleSheet(PROBLEM_NOTE_STYLE if problem else NOTE_STYLE)
        self.note.setText(text)

    def _open(self) -> None:
        if self.open_window is not None and self.pdf:
            self.open_window(self.pdf)

    # -- zoom -------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The size of the page as shown (1.0 is actual size)."""
        return effective_zoom(self.view)

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_STEPS[0], min(factor, ZOOM_STEPS[-1])))
        self._show_zoom()

    def zoom_in(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=True))

    def zoom_out(self) -> None:
        self.set_zoom(zoom_step(self.zoom, larger=False))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def _show_zoom(self) -> None:
        fitted = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.zoom_label.setText(f"{round(self.zoom * 100)}%" if self.pages else "")
        self.fit_button.setEnabled(not fitted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Ctrl and the wheel zoom, as in every document viewer; the wheel alone scrolls.
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(event, QWheelEvent)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            return True
        if event.type() == QEvent.Type.Resize:
            self._show_zoom()
        return super().eventFilter(watched, event)
