"""Who signs a letter: a chooser of the partnership's staff, and the signature image.

Used by Settings > Organisation profile (the default signatory) and by the letter templates
(a template's own signatory). Choosing a member of staff fills the name and position; both
can still be typed, for someone not on the staff list.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QWidget,
)

from thep_desktop.services.settings.organisation_service import (
    check_signature_image,
)
from thep_desktop.ui.shared.forms import FieldMessages
from thep_desktop.ui.shared.image_picker import ImagePicker

SIGNATURE_FILTER = "Signature images (*.png *.jpg *.jpeg);;All files (*)"
SIGNATURE_PREVIEW = QSize(220, 60)
PICK_STAFF = "Choose from the staff list…"


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


def signature_picker(messages: FieldMessages, empty_note: str = "") -> ImagePicker:
    """The signature image of a signatory, printed above the name."""
    return ImagePicker(
        messages,
        "signature_image",
        what="signature",
        preview_size=SIGNATURE_PREVIEW,
        check=check_signature_image,
        choose_text="Choose si&gnature…",
        remove_text="Remove signature",
        empty_note=empty_note or "A space is left above the name to sign by hand.",
        taken_note=": printed above the name.",
        choose_file=choose_signature_file,
    )
