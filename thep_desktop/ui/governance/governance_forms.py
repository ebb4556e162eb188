"""What the forms of bodies, people and appointments share: the refusal banner and the fields'
messages, Save and Cancel (Close for one who may only look), and saving what is typed once it
reads as dates and choices, with any refusal shown beside its field and nothing typed lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QFormLayout, QPushButton, QVBoxLayout

from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.ui.shared.forms import FieldMessages, editor_buttons, error_banner
from thep_desktop.ui.shared.record_forms import RecordForm, show_refusal

Typed = TypeVar("Typed")


class GovernanceForm(RecordForm):
    """A form of one governance record. A form sets ``editable`` and ``detail`` (None for a
    new record) and builds itself between :meth:`start_form` and :meth:`end_form`."""

    def start_form(self, fields: bool = True) -> tuple[QVBoxLayout, QFormLayout | None]:
        """The form's column with the banner on top, and (``fields``) a form of labelled
        fields under it; a form laid out otherwise adds its own."""
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        self.messages = FieldMessages()
        if not fields:
            return outer, None
        form = QFormLayout()
        outer.addLayout(form)
        return outer, form

    def end_form(self, outer: QVBoxLayout, what: str, stretch: bool = True) -> None:
        """Save and Cancel (Ctrl+S saves), or Close, at the foot; Enter presses neither."""
        self.buttons = editor_buttons(self, self.editable, self.save, what)
        for push in self.buttons.buttons():
            if isinstance(push, QPushButton):
                push.setAutoDefault(False)
        if stretch:
            outer.addStretch(1)
        outer.addWidget(self.buttons)

    def save_typed(
        self,
        typed: tuple[Typed | None, dict[str, str]],
        write: Callable[[Typed, int | None, int | None], Any],
    ) -> bool:
        """Save what is typed, read as ``(data, problems)``, with ``write(data, id,
        version)``: saved and closed, or the problems or the refusal shown beside the fields
        and everything typed kept."""
        if not self.editable:
            return False
        self.banner.hide()
        data, problems = typed
        if data is None or problems:
            show_refusal(self.banner, self.messages, ValidationError(problems))
            return False
        saved = self.save_record(lambda found, version: write(data, found, version))
        return saved is not None and self.close_saved(saved, saved)
