"""A dated note on a school: the link officer's visit, a call, a concern raised."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_notes_service import NoteDetail, NoteInput
from thep_desktop.ui.schools.school_record_dialog import SchoolRecordDialog
from thep_desktop.ui.shared.forms import date_field, searchable_combo


class SchoolNoteDialog(SchoolRecordDialog):
    """``SchoolNoteDialog(services, school_id, note_id=None, parent=None)``: a new note on
    the school (dated today, written by the staff member linked to the user if any), or the
    note ``note_id`` to change."""

    what = "the note"
    aliases = {"author_id": "author", "author_name": "author"}

    def __init__(
        self,
        services: Services,
        school_id: int,
        note_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        actor = services.actor
        school = services.schools.get_school(actor, school_id)
        detail = services.school_notes.get_note(actor, note_id) if note_id is not None else None
        title = "New note" if detail is None else "Note"
        super().__init__(services, f"{title}: {school.name}", parent)
        self.setObjectName("school_note_dialog")
        self.school_id = school_id
        self.detail = detail
        self.resize(520, 420)
        self.noted_on = date_field(
            format_date(detail.noted_on if detail else date.today()), "The day of the note"
        )
        self.noted_on.setObjectName("noted_on")
        self.noted_on.setMaximumWidth(140)
        self.messages.add_row(self.form, "noted_on", "&Date:", self.noted_on)
        self.subject = QLineEdit(detail.subject if detail else "")
        self.subject.setObjectName("subject")
        self.subject.setPlaceholderText("e.g. Link visit")
        self.messages.add_row(self.form, "subject", "&Subject:", self.subject)
        self.author = searchable_combo("Someone on the staff list, or type a name", 280)
        self.author.setObjectName("author")
        staff = services.staff.list_staff(actor)
        for person in staff:
            if person.active or (detail is not None and person.id == detail.author_id):
                self.author.addItem(person.full_name, person.id)
        chosen = detail.author_id if detail else services.school_notes.default_author(actor)
        index = self.author.findData(chosen) if chosen is not None else -1
        self.author.setCurrentIndex(index)
        if index < 0:
            self.author.setEditText(detail.author_name if detail else "")
        self.messages.add_row(self.form, "author", "&Written by:", self.author)
        self.text = QPlainTextEdit(detail.text if detail else "")
        self.text.setObjectName("text")
        self.text.setPlaceholderText("What happened, what was agreed")
        self.messages.add_row(self.form, "text", "&Note:", self.text)
        self.finish()
        (self.text if detail is None else self.noted_on).setFocus()

    def note_input(self) -> NoteInput:
        typed = self.author.currentText().strip()
        index = self.author.findText(typed) if typed else -1
        staff_id = self.author.itemData(index) if index >= 0 else None
        return NoteInput(
            noted_on=self.noted_on.text(),
            text=self.text.toPlainText(),
            subject=self.subject.text(),
            author_id=staff_id,
            author_name="" if staff_id is not None else typed,
        )

    def write(self) -> NoteDetail:
        notes = self.services.school_notes
        actor = self.services.actor
        if self.detail is None:
            return notes.add_note(actor, self.school_id, self.note_input())
        return notes.update_note(actor, self.detail.id, self.detail.version, self.note_input())
