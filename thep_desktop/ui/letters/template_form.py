"""The middle of Letters > Letter templates: the wording of one template and who signs it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME
from thep_desktop.services.letters.letter_templates import TEXT_FIELDS, fields_from
from thep_desktop.services.letters.letters_service import (
    MERGED_PARTS,
    TEMPLATE_LABELS,
    TemplateDetail,
    TemplateInput,
)
from thep_desktop.services.schools.school_choices import CONTACT_ROLES
from thep_desktop.ui.shared.forms import FieldMessages, field_text, show_field_text
from thep_desktop.ui.shared.signatory_widgets import StaffChooser, signature_picker

INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"
NOTE_STYLE = "color: #555;"

PLACEHOLDERS = {
    "description": "What the letter is for, and when it is sent",
    "subject": "Printed in bold above the letter, e.g. Membership fee {member.fee_year}",
    "salutation": "e.g. Dear {contact.salutation},",
    "sign_off": "e.g. Yours sincerely",
    "signatory": "Blank: the default signatory from the organisation profile",
    "signatory_role": "e.g. Executive Director",
}


def membership_fields(data: TemplateInput) -> list[str]:
    """The fields of ``data`` that come from the recipient's membership record."""
    return fields_from(data, "membership")


class TemplateForm(QWidget):
    """The fields of a template, the staff to sign it, and notes on what it is and needs.

    ``staff`` are (name, job title) pairs to choose a signatory from; ``default_signatory``
    names the organisation's default one ("" when there is none). Emits ``edited`` after
    each change the user makes (not when a template is shown), and ``target_changed(part)``
    when the cursor moves into another part of the letter that merge fields can go into.
    """

    edited = Signal()
    target_changed = Signal(str)

    def __init__(
        self,
        staff: list[tuple[str, str]],
        default_signatory: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.messages = FieldMessages()
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.loaded = TemplateInput()  # what the form held when the template was shown
        self._switching = False
        self.insert_target = "body"  # the text field fields are inserted into
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 0, 4, 0)
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(NOTE_STYLE)
        box.addWidget(self.state_label)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        self._grid_row = 0
        for name in ("name", "description"):
            self._add(grid, name)
        self.contact_role = QComboBox()
        self.contact_role.setObjectName("contact_role")
        self.contact_role.setEditable(True)
        self.contact_role.addItems(CONTACT_ROLES)
        self.contact_role.setToolTip(
            "Who the mail merge writes to unless you choose otherwise: the school's contact "
            "with this role."
        )
        self._add(grid, "contact_role", self.contact_role)
        for name in ("subject", "salutation", "body", "sign_off", "signatory", "signatory_role"):
            self._add(grid, name)
        self.inputs["sign_off"].setToolTip(
            "“Yours sincerely” and “Yours faithfully” follow each letter's salutation: "
            "Yours sincerely to a person by name, Yours faithfully to “Sir or Madam” or a "
            "post (“Dear Head Teacher”). Any other close, such as “By order of the Board”, "
            "prints as written."
        )
        self._add_signatory_rows(grid, staff, default_signatory)
        box.addLayout(grid, 1)
        self.membership_note = QLabel()
        self.membership_note.setObjectName("membership_note")
        self.membership_note.setWordWrap(True)
        self.membership_note.setStyleSheet(INFO_STYLE)
        self.membership_note.hide()
        box.addWidget(self.membership_note)

    # -- building ---------------------------------------------------------------------------
    def _add_signatory_rows(
        self, grid: QGridLayout, staff: list[tuple[str, str]], default: str
    ) -> None:
        """A member of staff to sign, and the signature image, under the signatory's name."""
        if default:
            self.inputs["signatory"].setPlaceholderText(f"Blank: the default signatory, {default}")
        self.staff_chooser = StaffChooser(staff)
        self.staff_chooser.picked.connect(self._signatory_picked)
        caption = QLabel("From the staff")
        caption.setBuddy(self.staff_chooser)
        row = self._grid_row
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.staff_chooser, row, 1, Qt.AlignmentFlag.AlignLeft)
        self.signature = signature_picker(
            self.messages,
            "None of its own: with “Signed by” blank, the default signatory's "
            "signature is printed; otherwise a space is left to sign by hand.",
        )
        self.signature.changed.connect(self._edited)
        caption = QLabel(TEMPLATE_LABELS["signature_image"])
        grid.addWidget(caption, row + 1, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.signature, row + 1, 1)
        self._grid_row += 2

    def _signatory_picked(self, name: str, job_title: str) -> None:
        for field, value in (("signatory", name), ("signatory_role", job_title)):
            widget = self.inputs[field]
            assert isinstance(widget, QLineEdit)
            widget.setText(value)
        self._edited()

    def _add(self, grid: QGridLayout, name: str, widget: QWidget | None = None) -> None:
        if widget is None:
            if name == "body":
                text = QPlainTextEdit()
                text.setTabChangesFocus(True)
                text.setPlaceholderText(
                    "The letter itself. Leave a blank line between paragraphs; a line starting "
                    "with “- ” is a bullet point."
                )
                text.textChanged.connect(self._edited)
                widget = text
            else:
                line = QLineEdit()
                line.setPlaceholderText(PLACEHOLDERS.get(name, ""))
                line.textEdited.connect(self._edited)
                widget = line
            widget.setObjectName(name)
            self.inputs[name] = widget  # type: ignore[assignment]
            if name in MERGED_PARTS:
                widget.installEventFilter(self)
        else:
            assert isinstance(widget, QComboBox)
            widget.currentTextChanged.connect(self._edited)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget, 1)
        message = FieldMessages.message_label(name)
        column.addWidget(message)
        self.messages.register(name, widget, message)
        caption = QLabel(TEMPLATE_LABELS[name])
        caption.setBuddy(widget)
        if name != "body":
            # Level with the middle of a one-line field (its message goes below).
            caption.setMinimumHeight(widget.sizeHint().height())
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = self._grid_row
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(holder, row, 1)
        if name == "body":
            grid.setRowStretch(row, 1)
        self._grid_row += 1

    def set_read_only(self) -> None:
        """For a user who may look but not change: the wording stays selectable to copy."""
        for widget in self.inputs.values():
            widget.setReadOnly(True)
            palette = widget.palette()
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            widget.setPalette(palette)
        self.contact_role.setEnabled(False)
        self.staff_chooser.setEnabled(False)
        self.signature.set_read_only()

    # -- editing ----------------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        if self._switching:
            return
        self.edited.emit()
        self._show_membership_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn:
            for name in MERGED_PARTS:
                if self.inputs.get(name) is watched:
                    self.insert_target = name
                    self.target_changed.emit(name)
        return super().eventFilter(watched, event)

    def insert_code(self, code: str) -> None:
        """Put ``code`` at the cursor of the part of the letter last typed in."""
        widget = self.inputs[self.insert_target]
        if isinstance(widget, QPlainTextEdit):
            widget.insertPlainText(code)
        else:
            widget.insert(code)
            self._edited()  # insert() does not count as an edit for textEdited
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- what it holds ----------------------------------------------------------------------
    def show_template(
        self, detail: TemplateDetail | None, data: TemplateInput, *, unsaved: bool = False
    ) -> None:
        """Show ``data`` as the wording of ``detail`` (None: a new template, not yet saved).

        ``unsaved``: the form counts as changed from the start (a copy not yet saved).
        """
        self.messages.clear()
        self.set_form(data)
        self.loaded = self.form_data()
        if unsaved:
            self.loaded = replace(self.loaded, name=self.loaded.name + "\0")
        self._show_state(detail)
        self._show_membership_note()

    def set_form(self, data: TemplateInput) -> None:
        self._switching = True
        try:
            self.signature.show_problem("")
            self.signature.set_image(data.signature_image, data.signature_image_filename)
            for name in TEXT_FIELDS:
                if name == "signature_image_filename":
                    continue
                value = getattr(data, name) or ""
                if name == "contact_role":
                    self.contact_role.setCurrentText(value)
                    continue
                show_field_text(self.inputs[name], value)
        finally:
            self._switching = False

    def form_data(self) -> TemplateInput:
        """What the form holds now, as typed."""
        values: dict[str, str] = {}
        for name in TEXT_FIELDS:
            if name == "signature_image_filename":
                continue
            if name == "contact_role":
                values[name] = self.contact_role.currentText().strip()
                continue
            values[name] = field_text(self.inputs[name])
        return TemplateInput(
            **values,
            signature_image=self.signature.image,
            signature_image_filename=self.signature.filename,
        )

    def is_dirty(self) -> bool:
        return self.form_data() != self.loaded

    def _show_state(self, detail: TemplateDetail | None) -> None:
        if detail is None:
            self.state_label.setText("A new template of the office's own, not saved yet.")
            return
        when = detail.updated_at.astimezone()
        changed = (
            f"Last changed by {detail.updated_by} on {format_date(when.date())} at {when:%H:%M}."
        )
        if detail.builtin and detail.changed_from_builtin:
            kind = "Built in; the office has changed its wording (Reset puts it back)."
        elif detail.builtin:
            kind = "Built in, with the wording shipped with the program."
        else:
            kind = "The office's own template."
        self.state_label.setText(f"{kind} {changed}")

    def _show_membership_note(self) -> None:
        names = membership_fields(self.form_data())
        if not names:
            self.membership_note.hide()
            return
        shown = ", ".join(f"{FIELDS_BY_NAME[n].label.lower()} {{{n}}}" for n in names)
        self.membership_note.setText(
            f"This letter needs the recipient's membership record ({shown}). A mail merge "
            "leaves out a school that is not a member, or a member whose record lacks one of "
            "these, and says why; the preview shows example values."
        )
        self.membership_note.show()
