"""The small forms of the meeting editor (a decision, an action, circulating, approving and
signing minutes, an erratum): fields with their messages, Save (Ctrl+S) and Cancel, a refusal
shown beside its field in the service's words with everything typed kept."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.shared.forms import FieldMessages, editor_buttons, error_banner
from thep_desktop.ui.shared.record_forms import RecordForm, show_refusal


class MeetingForm(RecordForm):
    """A form that writes once through a service; ``write()`` does it (raising the service's
    refusal), ``check()`` gives words for what cannot be read before asking the service.

    ``aliases`` maps a service's field name to the one this form shows it under.
    """

    aliases: Mapping[str, str] = {}

    def __init__(self, services: Services, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services = services
        self.editable = True
        self.setWindowTitle(title)
        self.messages = FieldMessages()
        self.outer = QVBoxLayout(self)
        self.banner = error_banner()
        self.outer.addWidget(self.banner)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.outer.addWidget(self.intro)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.result_value: object = None

    def finish(self, what: str) -> None:
        """The buttons, once the fields are in; what they hold as opened is not "changed"."""
        self.outer.addStretch(1)
        self.buttons: QDialogButtonBox = editor_buttons(self, True, self.save, what)
        for push in self.buttons.buttons():
            push.setAutoDefault(False)
            push.setDefault(False)
        self.outer.addWidget(self.buttons)
        self._initial = self.state()

    def set_read_only(self) -> None:
        """For one who may look but not change: every box read-only, Close instead of Save."""
        self.editable = False
        for edit in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            edit.setReadOnly(True)
        for widget in self.findChildren(QComboBox) + self.findChildren(QCheckBox):
            widget.setEnabled(False)
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

    def say(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def check(self) -> dict[str, str]:
        return {}

    def write(self) -> object:
        raise NotImplementedError

    def save(self) -> bool:
        self.banner.hide()
        problems = self.check()
        if problems:
            show_refusal(self.banner, self.messages, ValidationError(problems), self.aliases)
            return False
        try:
            self.result_value = self.write()
        except ServiceError as exc:
            show_refusal(self.banner, self.messages, exc, self.aliases)
            return False
        self._initial = self.state()
        self.accept()
        return True
