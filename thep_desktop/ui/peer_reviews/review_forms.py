"""What the peer-review forms share: a refusal shown beside its fields, and an Enter key that
never presses one of the form's buttons by accident."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel

from thep_desktop.services.shared.errors import ConflictError, ServiceError, ValidationError
from thep_desktop.ui.shared.forms import FieldMessages, correction_summary


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


def is_enter(event: QKeyEvent) -> bool:
    """Enter or Return: in these forms it adds what was typed, or moves on; a dialog would
    otherwise press its default button with it (Save, or Add closure…)."""
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
