"""Adding and editing one school: every field of the register, its contacts, and safe saving.

The form holds text as typed; the schools service checks it and either saves the whole
school or returns a message per field, shown beside the field, with nothing lost. If someone
else saved the same school meanwhile, the service refuses and this dialog offers to bring in
their version with the user's own changes kept on top.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_choices import (
    ESTABLISHMENT_TYPES,
    OFSTED_GRADES,
    PHASES,
)
from thep_desktop.services.schools.schools_service import (
    SCHOOL_FIELDS,
    SCHOOL_LABELS,
    ContactInput,
    SchoolDetail,
    SchoolInput,
)
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)
from thep_desktop.ui.schools.contacts_table_model import (
    COL_CONTACT_ROLE,
    ContactsTableModel,
    RoleDelegate,
)
from thep_desktop.ui.shared.forms import (
    KEEP_EDITING,
    RELOAD,
    FieldMessages,
    ask_about_conflict,
    correction_summary,
    date_field,
    error_banner,
    may_close_unsaved,
)
from thep_desktop.ui.shared.questions import ask, tell

DATE_FIELDS = ("open_date", "close_date", "pupils_census_date", "ofsted_date")
NUMBER_FIELDS = ("statutory_low_age", "statutory_high_age", "pupils_on_roll")
HEAD_TITLES = ("", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")


def as_form_text(data: SchoolInput) -> SchoolInput:
    """The same school with every value as the form shows it (text for dates and numbers).

    Comparing two of these tells which fields the user changed.
    """
    values: dict[str, Any] = {}
    for name in SCHOOL_FIELDS:
        value = getattr(data, name)
        if name in DATE_FIELDS:
            value = format_date(value) if isinstance(value, date) else (value or "")
        elif name in NUMBER_FIELDS:
            value = "" if value is None else str(value)
        elif name == "status":
            value = SchoolStatus(value)
        elif name in ("causing_concern",):
            value = bool(value)
        elif name != "link_officer_id":
            value = value or ""
        values[name] = value
    contacts = [replace(c) for c in data.contacts]
    return SchoolInput(**values, contacts=contacts)


def merge_changes(
    base: SchoolInput, mine: SchoolInput, theirs: SchoolInput
) -> tuple[SchoolInput, list[str]]:
    """Their version with my changes (since ``base``) on top; also the fields we both changed."""
    merged = replace(theirs, contacts=[replace(c) for c in theirs.contacts])
    both: list[str] = []
    for f in fields(SchoolInput):
        name = f.name
        mine_value, base_value, their_value = (
            getattr(mine, name),
            getattr(base, name),
            getattr(theirs, name),
        )
        if mine_value != base_value:
            setattr(merged, name, mine_value)
            if their_value != base_value and their_value != mine_value:
                both.append(name)
    return merged, both


class SchoolDialog(QDialog):
    """Add a school (``school_id`` None) or edit one. Emits ``saved(SchoolDetail)``."""

    saved = Signal(object)

    def __init__(
        self, services: Services, school_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.school_id = school_id
        self.ask = ask
        self.tell = tell
        self.detail: SchoolDetail | None = None
        self.before: SchoolDetail | None = None  # as it was before this dialog saved
        self._version = 0
        self._loaded = as_form_text(SchoolInput())
        self.messages = FieldMessages()
        self.inputs: dict[str, QWidget] = {}
        self.setWindowTitle("New school" if school_id is None else "Edit school")
        self.setMinimumSize(860, 560)
        self._build()
        if school_id is not None:
            detail = services.schools.get_school(services.actor, school_id)
            self._show_detail(detail)
        else:
            self._fill_staff(None)
            self._loaded = self.form_input()
        self._apply_permissions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._school_page(), "&School")
        self.tabs.addTab(self._address_page(), "&Address and contact")
        self.tabs.addTab(self._people_page(), "&People")
        self.tabs.addTab(self._ofsted_page(), "&Ofsted and notes")

        bottom = QHBoxLayout()
        self.audit_label = QLabel()
        self.audit_label.setStyleSheet("color: #666;")
        bottom.addWidget(self.audit_label, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip("Save this school (Ctrl+S)")
        self.history_button = QPushButton("&History…")
        self.history_button.setToolTip("Everything changed in this school, by whom and when")
        self.history_button.setVisible(self.school_id is not None)
        self.history_button.clicked.connect(self.show_history)
        self.buttons.addButton(self.history_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

    def _columns(self) -> tuple[QWidget, QFormLayout, QFormLayout]:
        page = QWidget()
        row = QHBoxLayout(page)
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        row.addLayout(left, 1)
        row.addSpacing(16)
        row.addLayout(right, 1)
        return page, left, right

    def _add(self, form: QFormLayout, name: str, widget: QWidget, label: str | None = None) -> None:
        widget.setObjectName(name)
        self.inputs[name] = widget
        self.messages.add_row(form, name, label or SCHOOL_LABELS[name], widget)

    @staticmethod
    def _line(max_length: int = 0, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        if max_length:
            # A little beyond the limit, so the service (not a silent cut) says what is wrong.
            edit.setMaxLength(max_length + 50)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    @staticmethod
    def _combo(items: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(["", *items])
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return combo

    def _school_page(self) -> QWidget:
        page, left, right = self._columns()
        self._add(left, "urn", self._line(6, "6 digits, e.g. 100492"))
        self._add(left, "name", self._line(200))
        self._add(left, "la_code", self._line(3, "e.g. 211"))
        self._add(left, "establishment_number", self._line(4, "e.g. 2345"))
        self._add(left, "establishment_type", self._combo(ESTABLISHMENT_TYPES))
        self._add(left, "phase", self._combo(PHASES))
        status = QComboBox()
        for member in SchoolStatus:
            status.addItem(member.label, member.value)
        self._add(left, "status", status)
        self._add(left, "open_date", date_field())
        closing = date_field()
        # A closure can be recorded ahead: the school counts as open until the date comes.
        closing.setToolTip(
            "The date the school closes or closed. A date still to come keeps the school "
            "open (in lists and mailings) until that day."
        )
        self._add(left, "close_date", closing)
        self._add(right, "statutory_low_age", self._line(2))
        self._add(right, "statutory_high_age", self._line(2))
        self._add(right, "pupils_on_roll", self._line(6))
        self._add(right, "pupils_census_date", date_field())
        # The figures kept from earlier censuses (fees use the one at a schedule's date).
        self.census_label = QLabel()
        self.census_label.setObjectName("census_figures")
        self.census_label.setWordWrap(True)
        self.census_label.setStyleSheet("color: #555;")
        self.census_label.setToolTip(
            "A new census date keeps the figure beside the earlier ones; "
            "the same census date corrects its figure."
        )
        self.census_label.hide()
        right.addRow("", self.census_label)
        self._add(right, "trust", self._line(200, "the academy trust or MAT, if any"))
        self._add(right, "diocese", self._line(200))
        self._add(right, "religious_character", self._line(100))
        return page

    def _address_page(self) -> QWidget:
        page, left, right = self._columns()
        self._add(left, "street", self._line(200))
        self._add(left, "locality", self._line(200))
        self._add(left, "address3", self._line(200))
        self._add(left, "town", self._line(100))
        self._add(left, "county", self._line(100))
        self._add(left, "postcode", self._line(8, "e.g. E2 6AB"))
        self._add(right, "phone", self._line(30, "e.g. 020 7364 1234"))
        self._add(right, "email", self._line(254))
        self._add(right, "website", self._line(300, "e.g. www.school.sch.uk"))
        return page

    def _people_page(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        top, left, right = self._columns()
        title = QComboBox()
        title.setEditable(True)
        title.addItems(HEAD_TITLES)
        self._add(left, "head_title", title)
        self._add(left, "head_first_name", self._line(100))
        self._add(left, "head_last_name", self._line(100))
        self._add(left, "head_job_title", self._line(100, "e.g. Headteacher, Executive Head"))
        self._add(right, "chair_of_governors", self._line(200))
        self._add(right, "link_officer_id", QComboBox())
        outer.addWidget(top)

        caption = QLabel("&Contacts")
        outer.addWidget(caption)
        self.contacts_model = ContactsTableModel(self)
        self.contacts_view = QTableView()
        self.contacts_view.setObjectName("contacts")
        caption.setBuddy(self.contacts_view)
        self.contacts_view.setModel(self.contacts_model)
        self.contacts_view.setItemDelegateForColumn(COL_CONTACT_ROLE, RoleDelegate(self))
        self.contacts_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.contacts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.contacts_view.setMinimumHeight(140)
        outer.addWidget(self.contacts_view, 1)
        self.contacts_message = FieldMessages.message_label("contacts")
        outer.addWidget(self.contacts_message)
        buttons = QHBoxLayout()
        self.add_contact_button = QPushButton("Add contact")
        self.add_contact_button.clicked.connect(self.add_contact)
        self.remove_contact_button = QPushButton("Remove contact")
        self.remove_contact_button.clicked.connect(self.remove_contact)
        buttons.addWidget(self.add_contact_button)
        buttons.addWidget(self.remove_contact_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        return page

    def _ofsted_page(self) -> QWidget:
        page, left, right = self._columns()
        self._add(left, "ofsted_grade", self._combo(OFSTED_GRADES))
        self._add(left, "ofsted_date", date_field())
        concern = QCheckBox("This is a school causing concern")
        self._add(left, "causing_concern", concern, "Causing concern")
        notes = QPlainTextEdit()
        notes.setPlaceholderText("The office's own notes on this school")
        self._add(right, "notes", notes)
        return page

    # -- values in and out -------------------------------------------------------------------
    def _fill_staff(self, current_id: int | None) -> None:
        combo = self.inputs["link_officer_id"]
        assert isinstance(combo, QComboBox)
        combo.clear()
        combo.addItem("(none)", None)
        for staff in self.services.staff.list_staff(self.services.actor):
            if staff.active or staff.id == current_id:
                suffix = "" if staff.active else " (former staff)"
                label = f"{staff.full_name}{suffix}"
                if staff.job_title:
                    label += f" – {staff.job_title}"
                combo.addItem(label, staff.id)

    def set_form(self, data: SchoolInput) -> None:
        """Show ``data`` in the form (values as text)."""
        data = as_form_text(data)
        for name in SCHOOL_FIELDS:
            widget = self.inputs[name]
            value = getattr(data, name)
            if isinstance(widget, QLineEdit):
                widget.setText(str(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif name == "status":
                assert isinstance(widget, QComboBox)
                widget.setCurrentIndex(max(0, widget.findData(SchoolStatus(value).value)))
            elif name == "link_officer_id":
                assert isinstance(widget, QComboBox)
                position = widget.findData(value) if value is not None else 0
                widget.setCurrentIndex(max(0, position))
            else:
                assert isinstance(widget, QComboBox)
                widget.setCurrentText(str(value))
        self.contacts_model.set_contacts(data.contacts)

    def form_input(self) -> SchoolInput:
        """What the form holds now, as typed."""
        values: dict[str, Any] = {}
        for name in SCHOOL_FIELDS:
            widget = self.inputs[name]
            if isinstance(widget, QLineEdit):
                values[name] = widget.text().strip()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText().strip()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif name in ("status", "link_officer_id"):
                assert isinstance(widget, QComboBox)
                values[name] = widget.currentData()
            else:
                assert isinstance(widget, QComboBox)
                values[name] = widget.currentText().strip()
        values["status"] = SchoolStatus(values["status"])
        return SchoolInput(**values, contacts=self.contacts_model.contacts())

    def show_history(self) -> None:
        if self.detail is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        HistoryDialog(self.services, self.detail.name, self.detail.uuid, self).exec()

    def is_dirty(self) -> bool:
        return self.form_input() != self._loaded

    def _show_detail(self, detail: SchoolDetail) -> None:
        self.detail = detail
        self._version = detail.version
        self._fill_staff(detail.link_officer_id)
        self.set_form(detail.as_input())
        self._loaded = self.form_input()
        self.setWindowTitle(f"{detail.name} (URN {detail.urn})")
        when = detail.updated_at.astimezone()
        self.audit_label.setText(
            f"Last changed by {detail.updated_by} on {format_date(when.date())} at {when:%H:%M}"
        )
        kept = self.services.schools.census_history(self.services.actor, detail.id)
        self.census_label.setText(
            "Census figures kept: "
            + ", ".join(f"{f.pupils:,} ({format_date(f.census_date)})" for f in kept)
        )
        self.census_label.setVisible(bool(kept))

    def _apply_permissions(self) -> None:
        from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS

        if self.services.actor.can(EDIT_SCHOOLS):
            return
        for widget in self.inputs.values():
            widget.setEnabled(False)
        self.contacts_view.setEnabled(False)
        self.add_contact_button.setEnabled(False)
        self.remove_contact_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._show_banner(
            f"{self.services.actor.name} may look at the register but not change it "
            f"(role: {self.services.actor.role.value})."
        )

    # -- contacts ---------------------------------------------------------------------------
    def add_contact(self) -> None:
        row = self.contacts_model.add_contact()
        index = self.contacts_model.index(row, 0)
        self.contacts_view.setCurrentIndex(index)
        self.contacts_view.edit(index)

    def remove_contact(self) -> None:
        index = self.contacts_view.currentIndex()
        if index.isValid():
            self.contacts_model.remove_contact(index.row())

    # -- saving -----------------------------------------------------------------------------
    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def save(self) -> bool:
        """Save through the service; True when saved (the dialog then closes)."""
        if not self.save_button.isEnabled():
            return False
        data = self.form_input()
        self.messages.clear()
        self.contacts_message.hide()
        self.contacts_model.set_problems({})
        self._show_banner("")
        for page_number in range(self.tabs.count()):
            self.tabs.setTabIcon(page_number, QIcon())
        schools = self.services.schools
        try:
            if self.school_id is None:
                detail = schools.create_school(self.services.actor, data)
            else:
                detail = schools.update_school(
                    self.services.actor, self.school_id, self._version, data
                )
        except ValidationError as exc:
            self._show_errors(exc.field_errors)
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except (NotFoundError, PermissionDeniedError) as exc:
            self._show_banner(exc.message)
            return False
        except ServiceError as exc:
            self._show_banner(exc.message)
            return False
        self.before = self.detail
        self.detail = detail
        self.school_id = detail.id
        self._version = detail.version
        self._loaded = self.form_input()
        self.saved.emit(detail)
        self.accept()
        return True

    def _show_errors(self, errors: dict[str, str]) -> None:
        contact_problems: dict[int, str] = {}
        for key, text in errors.items():
            if key.startswith("contacts["):
                row = int(key.split("]")[0].split("[")[1])
                contact_problems.setdefault(row, text)
        unplaced = [t for t in self.messages.show(errors) if t not in contact_problems.values()]
        if contact_problems:
            self.contacts_model.set_problems(contact_problems)
            self.contacts_message.setText("\n".join(contact_problems.values()))
            self.contacts_message.show()
        # Mark every page with a problem, and bring the first into view.
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        first_page = -1
        for page_number in range(self.tabs.count()):
            page = self.tabs.widget(page_number)
            names = [n for n in errors if n in self.inputs and page.isAncestorOf(self.inputs[n])]
            has_contacts = contact_problems and page.isAncestorOf(self.contacts_view)
            if names or has_contacts:
                self.tabs.setTabIcon(page_number, warning)
                if first_page < 0:
                    first_page = page_number
                    self.tabs.setCurrentIndex(page_number)
                    if names:
                        self.inputs[names[0]].setFocus()
        self._show_banner("\n".join([correction_summary(len(errors)), *unplaced]))

    def _on_conflict(self, exc: ConflictError) -> None:
        answer = ask_about_conflict(self, self.ask, exc.message)
        if answer == KEEP_EDITING:
            self._show_banner(exc.message + " What you typed is still here.")
            return
        assert self.school_id is not None
        try:
            latest = self.services.schools.get_school(self.services.actor, self.school_id)
        except NotFoundError as gone:
            self._show_banner(gone.message)
            return
        mine = self.form_input()
        base = self._loaded
        self._show_detail(latest)
        theirs = self._loaded
        if answer == RELOAD:
            self._show_banner(f"Reloaded: this is the school as {latest.updated_by} saved it.")
            return
        merged, both = merge_changes(base, mine, theirs)
        self.set_form(merged)
        text = (
            f"{latest.updated_by}'s changes are now in the form, with yours on top. "
            "Check them, then save again."
        )
        if both:
            names = ", ".join(SCHOOL_LABELS.get(n, "Contacts") for n in both)
            text += f" You both changed: {names}; your values are the ones shown."
        self._show_banner(text)

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.save_button.isEnabled() and self.is_dirty():
            if not may_close_unsaved(self, self.ask, "this school", self.save):
                return
        super().reject()

    def contact(self, row: int) -> ContactInput:
        return self.contacts_model.contacts()[row]
