"""A small form for one change to a membership (admit, notice, end, category): fields, Save.

The service checks what was typed; a refusal is shown beside its field (or in the banner)
and the form stays open with everything as typed, so nothing is lost and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.shared.forms import (
    FieldMessages,
    correction_summary,
    editor_buttons,
    error_banner,
)


class MembershipForm(QDialog):
    """``fields`` in order (name -> (label, widget)); ``save()`` calls the service.

    ``save`` returns the saved record, kept in :attr:`result_value` once the form closes.
    """

    def __init__(
        self,
        title: str,
        intro: str,
        fields: Mapping[str, tuple[str, QWidget]],
        save: Callable[[], object],
        parent: QWidget | None = None,
        *,
        what: str = "the change",
        can_edit: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._save = save
        self.result_value: object = None
        self.inputs = {name: widget for name, (_label, widget) in fields.items()}
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.banner = error_banner()
        layout.addWidget(self.banner)
        self.form = QFormLayout()
        self.messages = FieldMessages()
        self._rows: dict[str, QWidget] = {}
        for name, (label, widget) in fields.items():
            message = self.messages.add_row(self.form, name, label, widget)
            self._rows[name] = message.parentWidget()
        layout.addLayout(self.form)
        # What will follow from the values (the leaving date a notice gives, say).
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.preview.hide()
        layout.addWidget(self.preview)
        layout.addStretch(1)
        self.buttons = editor_buttons(self, can_edit, self.save, what)
        layout.addWidget(self.buttons)

    def show_field(self, name: str, visible: bool) -> None:
        """Show or hide a field with its caption (the ones that do not apply are hidden)."""
        self.form.setRowVisible(self._rows[name], visible)

    def show_preview(self, text: str) -> None:
        self.preview.setText(text)
        self.preview.setVisible(bool(text))

    def save(self) -> bool:
        """Save through the service; on refusal say why beside the fields and stay open."""
        self.messages.clear()
        self.banner.hide()
        try:
            self.result_value = self._save()
        except ValidationError as exc:
            unplaced = self.messages.show(exc.field_errors)
            placed = len(exc.field_errors) - len(unplaced)
            lines = [correction_summary(placed)] if placed else ["Nothing has been saved."]
            self.banner.setText("\n".join([*lines, *unplaced]))
            self.banner.show()
            return False
        except ServiceError as exc:
            self.banner.setText(f"{exc.message}\nNothing has been saved.")
            self.banner.show()
            return False
        self.accept()
        return True
