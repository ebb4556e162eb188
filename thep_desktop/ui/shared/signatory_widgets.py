"""Who signs a letter: a chooser of the partnership's staff, and the signature image.

Used by Settings > Organisation profile (the default signatory) and by the letter templates
(a template's own signatory). Choosing a member of staff fills the name and position; both
can still be typed, for someone not on the staff list.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.settings.organisation_service import (
    MAX_LOGO_BYTES,
    check_signature_image,
)
from thep_desktop.ui.shared.forms import FieldMessages

SIGNATURE_FILTER = "Signature images (*.png *.jpg *.jpeg);;All files (*)"
SIGNATURE_PREVIEW = QSize(220, 60)
PICK_STAFF = "Choose from the staff list…"

ChooseFile = Callable[[QWidget], str]


def choose_signature_file(parent: QWidget) -> str:
    """Ask for an image file; "" when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Choose the signature image", "", SIGNATURE_FILTER
    )
    return path


class StaffChooser(QComboBox):
    """A list of the staff; choosing one emits ``picked(name, job title)`` and resets."""

    picked = Signal(str, str)

    def __init__(self, staff: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staff_chooser")
        self.setToolTip("Fill in the name and position of someone on the staff list")
        self.addItem(PICK_STAFF, None)
        for name, job_title in staff:
            self.addItem(f"{name} — {job_title}" if job_title else name, (name, job_title))
        self.setEnabled(bool(staff))
        self.activated.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        person = self.itemData(index)
        self.setCurrentIndex(0)
        if person is not None:
            self.picked.emit(*person)


class SignaturePicker(QWidget):
    """The signature image: shown on white as on paper, chosen from a file or removed.

    ``choose_file`` can be replaced (tests answer it); ``changed`` is emitted when the
    image is taken or removed. A file that is not a PNG or JPEG is refused beside the
    picture, and the image shown before stays.
    """

    changed = Signal()

    def __init__(
        self,
        messages: FieldMessages,
        field: str = "signature_image",
        parent: QWidget | None = None,
        *,
        empty_note: str = "A space is left above the name to sign by hand.",
    ) -> None:
        super().__init__(parent)
        self.empty_note = empty_note
        self.choose_file: ChooseFile = choose_signature_file
        self.image: bytes | None = None
        self.filename = ""
        self.editable = True
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        frame = QFrame()
        frame.setObjectName("signature_frame")
        frame.setStyleSheet("QFrame#signature_frame { background: white; border: 1px solid #bbb; }")
        frame.setFixedSize(SIGNATURE_PREVIEW.width() + 12, SIGNATURE_PREVIEW.height() + 12)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(4, 4, 4, 4)
        self.preview = QLabel()
        self.preview.setObjectName("signature_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inside.addWidget(self.preview)
        box.addWidget(frame)
        buttons = QHBoxLayout()
        self.choose_button = QPushButton("Choose si&gnature…")
        self.choose_button.setAutoDefault(False)
        self.choose_button.setToolTip("A PNG or JPEG of the signature, printed above the name")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove signature")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.name_label = QLabel()
        self.name_label.setStyleSheet("color: #555;")
        self.name_label.setWordWrap(True)
        box.addWidget(self.name_label)
        self.message = FieldMessages.message_label(field)
        messages.register(field, self.preview, self.message)
        box.addWidget(self.message)
        self.set_image(None, "")

    def set_image(self, data: bytes | None, filename: str) -> None:
        self.image = data or None
        self.filename = filename if data else ""
        self.remove_button.setEnabled(self.image is not None and self.editable)
        if self.image is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("<span style='color:#888'>No signature image</span>")
            self.name_label.setText(self.empty_note)
            return
        pixmap = QPixmap()
        if pixmap.loadFromData(QByteArray(self.image)):
            self.preview.setPixmap(
                pixmap.scaled(
                    SIGNATURE_PREVIEW,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("(no preview)")
        self.name_label.setText(f"{self.filename or 'Signature'}: printed above the name.")

    def set_read_only(self) -> None:
        self.editable = False
        self.choose_button.hide()
        self.remove_button.hide()

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def choose(self) -> bool:
        """Ask for an image and show it; True when it was taken."""
        path = self.choose_file(self)
        if not path:
            return False
        name = Path(path).name
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_LOGO_BYTES + 1)  # enough to know it is too big
        except OSError as exc:
            self.show_problem(f"Cannot read {name}: {exc.strerror or exc}")
            return False
        try:
            check_signature_image(data)
        except ValueError as exc:
            self.show_problem(f"{name} was not used. {exc}.")
            return False
        self.show_problem("")
        self.set_image(data, name)
        self.changed.emit()
        return True

    def remove(self) -> None:
        self.show_problem("")
        self.set_image(None, "")
        self.changed.emit()
