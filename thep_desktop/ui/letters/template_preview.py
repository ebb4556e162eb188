"""The letter as it will print, beside the template being edited, with the note under it."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from thep_desktop.ui.shared.forms import ERROR_STYLE

NOTE_STYLE = "color: #555;"


class TemplatePreview(QWidget):
    """A PDF view of one letter, the school it is shown for, and a note on what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Made before the view, so destroyed after it: the view is still whole when the
        # document, closing, tells it so (a document destroyed with the view crashes it).
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
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
        self.view = QPdfView()
        self.view.setObjectName("preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setMinimumWidth(320)
        box.addWidget(self.view, 1)
        self.note = QLabel()
        self.note.setObjectName("preview_note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.note)

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
        self.document.load(buffer)
        if previous is not None:
            previous.close()
            previous.deleteLater()

    def show_note(self, text: str, *, problem: bool) -> None:
        self.note.setStyleSheet(ERROR_STYLE if problem else NOTE_STYLE)
        self.note.setText(text)
