"""What the school's inspection and note dialogs share: a form with each refusal beside its
field, what was typed kept when a save is refused, Ctrl+S or Enter saves, Esc cancels."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.shared.forms import FieldMessages, editor_buttons, error_banner
from thep_desktop.ui.shared.record_forms import show_refusal


class SchoolRecordDialog(QDialog):
    """A form for one record of a school. ``exec()`` is Accepted when it saved; ``saved``
    carries the record's id. Someone who may only look sees the record and Close."""

    saved = Signal(int)
    aliases: dict[str, str] = {}
    what = "the record"

    def __init__(self, services: Services, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services = services
        self.editable = services.actor.can(EDIT_SCHOOLS)
        self.detail: Any = None
        self.setWindowTitle(title)
        self.banner = error_banner()
        self.messages = FieldMessages()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.banner)
        self.layout_.addLayout(self.form)

    def finish(self) -> None:
        """Add the buttons (after the fields); a reader's fields are shown, not changeable."""
        self.buttons = editor_buttons(self, self.editable, self.save, self.what)
        self.layout_.addStretch(1)  # room to spare goes below the fields, not between them
        self.layout_.addWidget(self.buttons)
        if not self.editable:
            for widget in self.findChildren(QWidget):
                if isinstance(widget, QLineEdit | QPlainTextEdit):
                    widget.setReadOnly(True)
                elif isinstance(widget, QComboBox):
                    widget.setEnabled(False)

    def write(self) -> Any:
        raise NotImplementedError

    def save(self) -> bool:
        """Save through the service; a refusal is shown beside its fields, nothing lost."""
        if not self.editable:
            return False
        self.banner.hide()
        self.messages.clear()
        try:
            saved = self.write()
        except ServiceError as exc:
            show_refusal(self.banner, self.messages, exc, self.aliases)
            return False
        self.detail = saved
        self.saved.emit(saved.id)
        self.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter saves from any one-line field or drop-down; in the notes box it starts a line.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not isinstance(QApplication.focusWidget(), QPlainTextEdit):
                event.accept()
                self.save()
                return
        super().keyPressEvent(event)


def note_label(text: str = "") -> QLabel:
    """A line of explanation under a field (greyed, wrapped)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label
