"""A picture the letters print (the logo, a signature), chosen from a file, shown, removed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from thep_desktop.services.settings.organisation_service import MAX_LOGO_BYTES
from thep_desktop.ui.shared.forms import FieldMessages

ChooseFile = Callable[[QWidget], str]
"""``(parent) -> path`` of the file chosen; "" when the user cancels."""


class ImagePicker(QWidget):
    """A picture for the letters (logo, signature): shown on white as on paper, chosen from a
    file or removed.

    ``choose_file`` can be replaced (tests answer it); ``changed`` is emitted when the
    image is taken or removed. A file that ``check`` refuses is named beside the picture
    with the reason, and the image shown before stays.
    """

    changed = Signal()

    def __init__(
        self,
        messages: FieldMessages,
        field: str,
        *,
        what: str,
        preview_size: QSize,
        check: Callable[[bytes], None],
        choose_text: str,
        remove_text: str,
        empty_note: str,
        taken_note: str,
        choose_file: ChooseFile,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choose_file = choose_file
        self.image: bytes | None = None
        self.filename = ""
        self.editable = True
        self.what = what
        self.preview_size = preview_size
        self.check = check
        self.empty_note = empty_note
        self.taken_note = taken_note
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        # White behind the picture, as on paper; the frame holds the colour because the
        # field messages restyle the preview itself when a file is refused.
        frame = QFrame()
        frame.setObjectName(f"{field}_frame")
        frame.setStyleSheet(
            f"QFrame#{field}_frame {{ background: white; border: 1px solid #bbb; }}"
        )
        frame.setFixedSize(preview_size.width() + 12, preview_size.height() + 12)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(4, 4, 4, 4)
        self.preview = QLabel()
        self.preview.setObjectName(f"{field}_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inside.addWidget(self.preview)
        box.addWidget(frame)
        buttons = QHBoxLayout()
        self.choose_button = QPushButton(choose_text)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(remove_text)
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
            self.preview.setText(f"<span style='color:#888'>No {self.what}</span>")
            self.name_label.setText(self.empty_note)
            return
        pixmap = QPixmap()
        if pixmap.loadFromData(QByteArray(self.image)):
            if (
                pixmap.width() > self.preview_size.width()
                or pixmap.height() > self.preview_size.height()
            ):
                pixmap = pixmap.scaled(
                    self.preview_size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self.preview.setPixmap(pixmap)
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("(no preview)")
        size = len(self.image)
        shown_size = f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size} bytes"
        name = self.filename or self.what.capitalize()
        self.name_label.setText(f"{name} ({shown_size}){self.taken_note}")

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
            self.check(data)
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
