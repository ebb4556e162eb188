"""What the record forms share (peer reviews, governance): a refusal shown beside its
fields; Enter that never presses one of the form's buttons by accident; closing with
changes typed asks first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel

from thep_desktop.services.shared.errors import ConflictError, ServiceError, ValidationError
from thep_desktop.ui.shared.forms import FieldMessages, correction_summary, may_close_unsaved
from thep_desktop.ui.shared.questions import Ask, ask


def show_refusal(
    banner: QLabel,
    messages: FieldMessages,
    error: ServiceError,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Say why nothing was saved; what the person typed stays as it was.

    ``aliases`` maps a service's field name to the form's (``school_ids`` -> ``schools``)
    where the form shows it under another name.
    """
    messages.clear()
    if isinstance(error, ValidationError):
        renamed = aliases or {}
        errors = {renamed.get(name, name): text for name, text in error.field_errors.items()}
        unplaced = messages.show(errors)
        placed = len(errors) - len(unplaced)
        lines = [correction_summary(placed)] if placed else ["Nothing has been saved."]
        banner.setText("\n".join([*lines, *unplaced]))
    elif isinstance(error, ConflictError):
        banner.setText(
            f"{error.message}\nWhat you typed is still here: close the window without saving "
            "and open it again to see their change."
        )
    else:
        banner.setText(f"{error.message}\nNothing has been saved.")
    banner.show()


class RecordForm(QDialog):
    """A peer-review form. Enter adds what was typed (a school to a team) or moves on: it
    never presses the default button (Save, or Add closure…); saving is Ctrl+S or Save.
    Cancel or Esc with changes typed asks before dropping them.

    A form sets ``editable``, keeps ``state()`` of what is typed (``_initial`` as opened or
    last saved) and ``save()``; ``unsaved_what`` names what would be lost.
    """

    editable = False
    unsaved_what = "the changes"
    _initial: object = None
    ask: Ask = staticmethod(ask)  # type: ignore[assignment]

    def state(self) -> object:
        return None

    def save(self) -> bool:
        return False

    # What a form that saves one record has (set in its constructor).
    banner: QLabel
    messages: FieldMessages
    detail: Any = None

    def save_record(self, write: Callable[[int | None, int | None], Any]) -> Any | None:
        """``write(id, version)`` the record opened (a new one: None, None) through its
        service: what was saved, or None with the refusal shown beside the fields."""
        self.banner.hide()
        detail = self.detail
        try:
            return write(detail.id if detail else None, detail.version if detail else None)
        except ServiceError as exc:
            show_refusal(self.banner, self.messages, exc)
            return None

    def close_saved(self, detail: Any, emitted: Any) -> bool:
        """The record saved becomes the form's (nothing left unsaved), is announced, and the
        form closes."""
        self.detail = detail
        self._initial = self.state()
        self.saved.emit(emitted)  # type: ignore[attr-defined]
        self.accept()
        return True

    def save_and_close(self) -> None:
        """Save from the unsaved-changes question; a form whose save keeps it open closes."""
        if self.save() and self.isVisible():
            QDialog.reject(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.editable and self.state() != self._initial:
            if not may_close_unsaved(self, self.ask, self.unsaved_what, self.save_and_close):
                return
        super().reject()
