"""Letters > Letter templates: the office's letters as editable data, with a live preview.

On the left, the templates (built in or the office's own) and the merge fields a letter may
use; in the middle, the wording of the chosen template and who signs it (someone from the
staff or typed, with a signature image; blank for the organisation's default signatory); on
the right, the letter as it will print, on the letterhead, fitted to the width of the pane
and zoomable (see :mod:`template_preview`), refreshed a moment after each change. A field
the program does not know is named beside the part of the letter that uses it, the preview
keeps the last letter that could be drawn with the error under it, and Save is refused
until it is put right. Built-in templates can be changed and put back to the wording
shipped; the office's own ones can also be deleted. A user who may not change letters sees
the same window, read only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME
from thep_desktop.services.letters.letter_templates import TEXT_FIELDS, fields_from
from thep_desktop.services.letters.letters_service import (
    MERGED_PARTS,
    TEMPLATE_LABELS,
    TemplateDetail,
    TemplateInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import CONTACT_ROLES
from thep_desktop.services.shared.actor import Permission
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.ui.letters.merge_field_picker import MergeFieldPicker
from thep_desktop.ui.letters.template_preview import TemplatePreview
from thep_desktop.ui.shared.forms import (
    ERROR_STYLE,
    KEEP_EDITING,
    RELOAD,
    FieldMessages,
    error_banner,
    may_close_unsaved,
)
from thep_desktop.ui.shared.pdf_window import pdf_file_name, show_pdf
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.signatory_widgets import (
    StaffChooser,
    choose_signature_file,
    signature_picker,
)
from thep_desktop.ui.shared.table_export import export_view

PREVIEW_DELAY_MS = 400
"""How long after the last keystroke the preview is drawn again."""

INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"
PROBLEM_STYLE = ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;"
NOTE_STYLE = "color: #555;"

LIST_COLUMNS = (
    PlainColumn("Template"),
    PlainColumn("Usually sent to"),
    PlainColumn(
        "Kind",
        tooltip="Built in: shipped with the program (its wording can be changed, or reset). "
        "Own: written by the office.",
    ),
)
BUILT_IN = "Built in"
BUILT_IN_CHANGED = "Built in, changed"
OWN = "Own"

PLACEHOLDERS = {
    "description": "What the letter is for, and when it is sent",
    "subject": "Printed in bold above the letter, e.g. Membership fee {member.fee_year}",
    "salutation": "e.g. Dear {contact.salutation},",
    "sign_off": "e.g. Yours sincerely",
    "signatory": "Blank: the default signatory from the organisation profile",
    "signatory_role": "e.g. Executive Director",
}

# Answers to the questions this window asks (and forms.RELOAD / KEEP_EDITING).
DELETE = "Delete"
RESET = "Reset"
CANCEL = "Cancel"


def kind_of(template: TemplateDetail) -> str:
    if not template.builtin:
        return OWN
    return BUILT_IN_CHANGED if template.changed_from_builtin else BUILT_IN


def membership_fields(data: TemplateInput) -> list[str]:
    """The fields of ``data`` that come from a school's membership record."""
    return fields_from(data, "membership")


class TemplatesDialog(QDialog):
    """View and edit the letter templates. Emits ``saved(TemplateDetail)`` after each save."""

    saved = Signal(object)

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        select_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        self.ask_save_path = QFileDialog.getSaveFileName
        self.ask_open_path = choose_signature_file
        self.show_pdf = show_pdf
        self.export_job: object = None
        self.can_edit = services.actor.can(Permission.EDIT_SCHOOLS)
        self.messages = FieldMessages()
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.current: TemplateDetail | None = None  # None: a new template, not yet saved
        self._loaded = TemplateInput()
        self._switching = False
        self.insert_target = "body"  # the text field fields are inserted into
        self.preview_problem = ""  # why the preview is not up to date ("" when it is)
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.refresh_preview)
        self.setWindowTitle("Letter templates")
        self.setMinimumSize(1000, 620)
        self.resize(1380, 860)
        self._build()
        self._apply_permissions()
        self.reload(select_id)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_pane())
        splitter.addWidget(self._editor_pane())
        splitter.addWidget(self._preview_pane())
        # The preview gets the most room: a letter must be readable at a glance.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 5)
        splitter.setSizes([250, 430, 620])
        self._sized = False
        self.splitter = splitter
        outer.addWidget(splitter, 1)

        if self.can_edit:
            self.buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
            )
            save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            save.setToolTip("Save this template (Ctrl+S)")
            save.clicked.connect(self.save)
            QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(
                self.save
            )
        else:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                # Enter in a one-line field must not save or close the window.
                button.setAutoDefault(False)
                button.setDefault(False)
        outer.addWidget(self.buttons)

    @property
    def save_button(self) -> QPushButton | None:
        """The Save button (None for a user who may only look)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _list_pane(self) -> QWidget:
        pane = QWidget()
        box = QVBoxLayout(pane)
        box.setContentsMargins(0, 0, 4, 0)
        caption = QLabel("<b>Templates</b>")
        box.addWidget(caption)
        self.model = PlainTableModel(LIST_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("templates")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        caption.setBuddy(self.table)
        box.addWidget(self.table, 3)
        # Ctrl+E saves the list of templates, as every table of the program can be saved.
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_list)

        row = QGridLayout()
        self.new_button = QPushButton("&New")
        self.new_button.setToolTip("Start a new template of the office's own")
        self.new_button.clicked.connect(self.new_template)
        self.duplicate_button = QPushButton("D&uplicate")
        self.duplicate_button.setToolTip("A new template starting from this one's wording")
        self.duplicate_button.clicked.connect(self.duplicate_template)
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setToolTip("Delete this template (only the office's own ones)")
        self.delete_button.clicked.connect(self.delete_template)
        self.reset_button = QPushButton("&Reset…")
        self.reset_button.setToolTip("Put this built-in template back to the wording shipped")
        self.reset_button.clicked.connect(self.reset_template)
        # Two by two, so the list can be narrow and the letter's preview wide.
        for number, button in enumerate(
            (self.new_button, self.duplicate_button, self.delete_button, self.reset_button)
        ):
            button.setAutoDefault(False)
            row.addWidget(button, number // 2, number % 2)
        box.addLayout(row)

        self.field_picker = MergeFieldPicker()
        self.fields_note = self.field_picker.fields_note
        self.field_tree = self.field_picker.field_tree
        self.insert_button = self.field_picker.insert_button
        self.insert_target_label = self.field_picker.insert_target_label
        self.field_tree.itemDoubleClicked.connect(lambda item, _column: self.insert_field(item))
        self.field_tree.currentItemChanged.connect(self._update_buttons)
        self.insert_button.clicked.connect(lambda: self.insert_field(self.field_tree.currentItem()))
        box.addWidget(self.field_picker, 5)
        return pane

    def _editor_pane(self) -> QWidget:
        pane = QWidget()
        box = QVBoxLayout(pane)
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
        self._add_signatory_rows(grid)
        box.addLayout(grid, 1)
        self.membership_note = QLabel()
        self.membership_note.setObjectName("membership_note")
        self.membership_note.setWordWrap(True)
        self.membership_note.setStyleSheet(INFO_STYLE)
        self.membership_note.hide()
        box.addWidget(self.membership_note)
        return pane

    def _add_signatory_rows(self, grid: QGridLayout) -> None:
        """A member of staff to sign, and the signature image, under the signatory's name."""
        try:
            staff = [
                (s.full_name, s.job_title)
                for s in self.services.staff.list_staff(self.services.actor, active_only=True)
            ]
            profile = self.services.organisation.get_profile(self.services.actor)
        except ServiceError:
            staff, profile = [], None
        if profile is not None and profile.signatory_name:
            default = profile.signatory_name
            if profile.signatory_position:
                default += f" ({profile.signatory_position})"
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
        self.signature.choose_file = lambda parent: self.ask_open_path(parent)
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

    def _preview_pane(self) -> QWidget:
        self.preview_pane = TemplatePreview()
        self.preview_pane.open_window = self._open_preview
        self.preview_school = self.preview_pane.school
        self.preview = self.preview_pane.view
        self.preview_note = self.preview_pane.note
        self._fill_preview_schools()
        self.preview_school.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        return self.preview_pane

    def _fill_preview_schools(self) -> None:
        self.preview_school.addItem("Example values", None)
        try:
            rows = self.services.schools.list_schools(self.services.actor)
        except ServiceError:
            return
        for school in sorted(rows, key=lambda r: r.name.casefold()):
            if school.status != SchoolStatus.CLOSED:
                self.preview_school.addItem(f"{school.name} ({school.urn})", school.id)

    def _apply_permissions(self) -> None:
        if self.can_edit:
            return
        for widget in self.inputs.values():
            widget.setReadOnly(True)  # still selectable, so wording can be copied
            palette = widget.palette()
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            widget.setPalette(palette)
        self.contact_role.setEnabled(False)
        self.staff_chooser.setEnabled(False)
        self.signature.set_read_only()
        for button in (
            self.new_button,
            self.duplicate_button,
            self.delete_button,
            self.reset_button,
            self.insert_button,
            self.insert_target_label,
        ):
            button.hide()
        self.fields_note.setText("The fields a letter may use, with an example of each.")
        actor = self.services.actor
        self._show_banner(
            f"{actor.name} may look at the letter templates but not change them "
            f"(role: {actor.role.value}).",
            problem=False,
        )

    # -- the list ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Read the templates again; show ``select_id`` (or the first one)."""
        templates = self.services.letters.list_templates(self.services.actor)
        self._switching = True
        try:
            self.model.set_rows([(t.name, t.contact_role, kind_of(t), t.id) for t in templates])
            header = self.table.horizontalHeader()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        finally:
            self._switching = False
        by_id = {t.id: t for t in templates}
        if select_id not in by_id:
            select_id = self.template_id_at(0) if self.model.rowCount() else None
        self._select_row_of(select_id)
        if select_id is not None:
            self._show_template(by_id[select_id])
        else:
            self._show_template(None)

    def names_shown(self) -> list[str]:
        return [self.model.row_values(r)[0] for r in range(self.model.rowCount())]

    def template_id_at(self, row: int) -> int:
        return int(self.model.row_values(row)[3])

    def select_template(self, name_or_id: str | int) -> bool:
        """Choose a template in the list as a click would (asking about unsaved changes)."""
        for row in range(self.model.rowCount()):
            values = self.model.row_values(row)
            if name_or_id in (values[0], values[3]):
                self.table.selectRow(row)
                return self.current is not None and self.current.id == values[3]
        return False

    def _select_row_of(self, template_id: int | None) -> bool:
        """Select the row of ``template_id`` (or nothing) without acting on the change."""
        self._switching = True
        try:
            selection = self.table.selectionModel()
            selection.clearSelection()
            for row in range(self.model.rowCount()):
                if self.model.row_values(row)[3] == template_id:
                    index = self.model.index(row, 0)
                    selection.setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.table.scrollTo(index)
                    return True
            return False
        finally:
            self._switching = False

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.template_id_at(rows[0].row()) if rows else None

    def export_list(self) -> None:
        """The list of templates to Excel or CSV (Ctrl+E)."""
        self.export_job = export_view(
            self,
            self.table,
            "Letter templates",
            "",
            f"Letter templates {date.today().isoformat()}.xlsx",
            ask_path=self.ask_save_path,
            ask=self.ask,
            tell=self.tell,
        )

    def _selection_changed(self, *_args: object) -> None:
        if self._switching:
            return
        wanted = self._selected_id()
        shown = self.current.id if self.current is not None else None
        if wanted is None or wanted == shown:
            return
        if not self._may_leave():
            self._select_row_of(shown)
            return
        try:
            detail = self._fetch(wanted)
        except NotFoundError as exc:
            self.tell(self, "Letter templates", exc.message)
            self.reload()
            return
        self._show_template(detail)

    def _fetch(self, template_id: int) -> TemplateDetail:
        return self.services.letters.get_template(self.services.actor, template_id)

    def _may_leave(self) -> bool:
        """Whether the template shown may be left (asking to save unsaved changes)."""
        if not self.can_edit or not self.is_dirty():
            return True
        what = f"“{self.current.name}”" if self.current is not None else "the new template"
        return may_close_unsaved(self, self.ask, what, self.save)

    # -- the form ---------------------------------------------------------------------------
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
                widget = self.inputs[name]
                if isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(value)
                else:
                    widget.setText(value)
                    widget.setCursorPosition(0)
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
            widget = self.inputs[name]
            if isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            else:
                values[name] = widget.text()
        return TemplateInput(
            **values,
            signature_image=self.signature.image,
            signature_image_filename=self.signature.filename,
        )

    def is_dirty(self) -> bool:
        return self.form_data() != self._loaded

    def _show_template(
        self,
        detail: TemplateDetail | None,
        data: TemplateInput | None = None,
        *,
        unsaved: bool = False,
    ) -> None:
        """Show a saved template, or (``detail`` None) a new one starting from ``data``.

        ``unsaved``: the form counts as changed from the start (a copy not yet saved).
        """
        self.current = detail
        self.messages.clear()
        self.set_form(detail.as_input() if detail is not None else (data or TemplateInput()))
        self._loaded = self.form_data()
        if unsaved:
            self._loaded = replace(self._loaded, name=self._loaded.name + "\0")
        self._show_state()
        self._update_buttons()
        self._show_membership_note()
        self.preview_timer.stop()
        self.refresh_preview()

    def _show_state(self) -> None:
        detail = self.current
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
            f"This letter needs the school's membership record ({shown}). Until a school's "
            "membership is recorded, a mail merge leaves that school out and says why; the "
            "preview shows example values."
        )
        self.membership_note.show()

    def _update_buttons(self, *_args: object) -> None:
        detail = self.current
        self.duplicate_button.setEnabled(self.can_edit)
        self.delete_button.setEnabled(self.can_edit and detail is not None and not detail.builtin)
        self.reset_button.setEnabled(self.can_edit and detail is not None and detail.builtin)
        item = self.field_tree.currentItem()
        is_field = item is not None and item.data(0, Qt.ItemDataRole.UserRole) is not None
        self.insert_button.setEnabled(self.can_edit and is_field)
        self.insert_target_label.setText(f"into: {TEMPLATE_LABELS[self.insert_target]}")

    def _edited(self, *_args: object) -> None:
        if self._switching:
            return
        self.preview_timer.start()  # restarts: the preview follows a pause in typing
        self._show_membership_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn:
            for name in MERGED_PARTS:
                if self.inputs.get(name) is watched:
                    self.insert_target = name
                    self.insert_target_label.setText(f"into: {TEMPLATE_LABELS[name]}")
        return super().eventFilter(watched, event)

    # -- merge fields -----------------------------------------------------------------------
    def insert_field(self, item: QTreeWidgetItem | None) -> bool:
        """Put ``{field}`` at the cursor of the part of the letter last typed in."""
        if item is None or not self.can_edit:
            return False
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if not name:
            return False
        code = f"{{{name}}}"
        widget = self.inputs[self.insert_target]
        if isinstance(widget, QPlainTextEdit):
            widget.insertPlainText(code)
        else:
            widget.insert(code)
            self._edited()  # insert() does not count as an edit for textEdited
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- preview ----------------------------------------------------------------------------
    @property
    def preview_pages(self) -> int:
        return self.preview_pane.pages

    @property
    def preview_document(self) -> QPdfDocument:
        return self.preview_pane.document

    def refresh_preview(self) -> bool:
        """Draw the letter as typed; True when the preview is up to date."""
        self.preview_timer.stop()
        data = self.form_data()
        if not data.body.strip():
            self._preview_note("Type the letter text to see the letter here.", problem=False)
            self.preview_problem = "no letter text"
            return False
        if not data.name.strip():
            data = replace(data, name="New template")
        school_id = self.preview_school.currentData()
        try:
            pdf = self.services.letters.preview(self.services.actor, data, school_id=school_id)
        except ValidationError as exc:
            self._show_errors_keeping_focus(exc.field_errors)
            self.preview_problem = exc.message
            self._preview_note(
                "The preview shows the letter as it last could be drawn. " + exc.message,
                problem=True,
            )
            return False
        except ServiceError as exc:
            self.preview_problem = exc.message
            name = self.preview_school.currentText()
            self._preview_note(f"{name} cannot be shown: {exc.message}", problem=True)
            return False
        self.preview_problem = ""
        self._show_errors_keeping_focus({})
        self._load_preview(pdf)
        if school_id is None:
            self._preview_note(
                "With example values. Choose a school above to see it with that school's.",
                problem=False,
            )
        else:
            self._preview_note(
                f"As {self.preview_school.currentText()} would get it, dated today.",
                problem=False,
            )
        unsigned = self.services.letters.signatory_problem(self.services.actor, data)
        if unsigned:
            # Drawn, but a mail merge would refuse it: say so where the letter is seen.
            self._preview_note(unsigned, problem=True)
        return True

    def _open_preview(self, pdf: bytes) -> None:
        name = self.form_data().name.strip() or "New template"
        self.show_pdf(self, pdf, f"{name} (preview)", pdf_file_name(f"{name} preview"))

    def _load_preview(self, pdf: bytes) -> None:
        self.preview_pane.show_pdf(pdf)

    def _preview_note(self, text: str, *, problem: bool) -> None:
        self.preview_pane.show_note(text, problem=problem)

    def _show_errors_keeping_focus(self, errors: dict[str, str]) -> None:
        """Show messages beside fields while the user types, without moving the cursor away."""
        focused = self.focusWidget()
        if errors:
            self.messages.show(errors)
        else:
            self.messages.clear()
        if focused is not None and focused is not self.focusWidget():
            focused.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions ----------------------------------------------------------------------------
    def _show_banner(self, text: str, *, problem: bool = True) -> None:
        self.banner.setStyleSheet(PROBLEM_STYLE if problem else INFO_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def new_template(self) -> bool:
        if not self.can_edit or not self._may_leave():
            return False
        self._select_row_of(None)
        self._show_banner("")
        # Signed by the organisation's default signatory until someone else is chosen.
        self._show_template(None, TemplateInput())
        self.inputs["name"].setFocus()
        return True

    def duplicate_template(self) -> bool:
        if not self.can_edit:
            return False
        data = self.form_data()
        source = f"“{data.name.strip()}”" if data.name.strip() else "the new template"
        names = set(self.names_shown())
        copy_name = f"{data.name.strip()} (copy)" if data.name.strip() else ""
        number = 2
        while copy_name in names:
            copy_name = f"{data.name.strip()} (copy {number})"
            number += 1
        self._select_row_of(None)
        self._show_template(None, replace(data, name=copy_name), unsaved=True)
        self._show_banner(
            f"A copy of {source} as shown, not saved yet: change it as you wish, then save. "
            "The original stays as it was saved.",
            problem=False,
        )
        name = self.inputs["name"]
        assert isinstance(name, QLineEdit)
        name.setFocus()
        name.selectAll()
        return True

    def save(self) -> bool:
        """Save the template as typed; True when saved."""
        if not self.can_edit:
            return False
        data = self.form_data()
        self._show_banner("")
        actor = self.services.actor
        try:
            if self.current is None:
                detail = self.services.letters.create_template(actor, data)
            else:
                detail = self.services.letters.update_template(
                    actor, self.current.id, data, self.current.version
                )
        except ValidationError as exc:
            self.messages.show(exc.field_errors)
            count = len(exc.field_errors)
            self._show_banner(
                "Not saved: " + exc.message
                if count == 1
                else f"Not saved: please correct the {count} entries marked in red."
            )
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except NotFoundError as exc:
            self.tell(self, "Not saved", exc.message)
            self._after_vanished()
            return False
        except ServiceError as exc:
            self._show_banner(exc.message)
            return False
        self.reload(detail.id)
        self._show_banner(f"Saved “{detail.name}”.", problem=False)
        self.saved.emit(detail)
        return True

    def _after_vanished(self) -> None:
        """The template shown was deleted by someone else: keep the text as a new one."""
        data = self.form_data()
        self.reload()
        self._select_row_of(None)
        self._show_template(None, data)
        self._show_banner(
            "That template no longer exists; what you typed is kept here as a new template. "
            "Save it to keep it.",
        )

    def _on_conflict(self, exc: ConflictError) -> None:
        if self.current is None:
            self._show_banner(exc.message)
            return
        answer = self.ask(
            self,
            "Changed by someone else",
            f"{exc.message}\n\nReload their version (what you typed here is dropped), or keep "
            "your text to compare or copy it; Duplicate saves it as a template of its own.",
            [RELOAD, KEEP_EDITING],
        )
        if answer != RELOAD:
            self._show_banner(exc.message + " What you typed is still here.")
            return
        try:
            latest = self._fetch(self.current.id)
        except NotFoundError:
            self._after_vanished()
            return
        self.reload(latest.id)
        who = exc.changed_by or "the other user"
        self._show_banner(f"Reloaded: this is the template as {who} saved it.", problem=False)

    def delete_template(self) -> bool:
        detail = self.current
        if not self.can_edit or detail is None or detail.builtin:
            return False
        answer = self.ask(
            self,
            "Delete template",
            f"Delete the template “{detail.name}”?\n\nLetters already sent with it stay in "
            "each school's history, exactly as sent.",
            [DELETE, CANCEL],
        )
        if answer != DELETE:
            return False
        try:
            self.services.letters.delete_template(self.services.actor, detail.id, detail.version)
        except NotFoundError:
            pass  # someone else deleted it first: the outcome is the same
        except ServiceError as exc:
            self.tell(self, "Not deleted", exc.message)
            self.reload(detail.id)
            return False
        self.reload()
        self._show_banner(f"Deleted “{detail.name}”.", problem=False)
        return True

    def reset_template(self) -> bool:
        detail = self.current
        if not self.can_edit or detail is None or not detail.builtin:
            return False
        answer = self.ask(
            self,
            "Reset template",
            f"Put “{detail.name}” back to the wording shipped with the program?\n\n"
            "The office's changes to it, saved or not, are lost. Letters already sent keep "
            "their wording.",
            [RESET, CANCEL],
        )
        if answer != RESET:
            return False
        try:
            reset = self.services.letters.reset_template(
                self.services.actor, detail.id, detail.version
            )
        except ConflictError as exc:
            self.tell(self, "Not reset", exc.message + " Look at their version, then try again.")
            self.reload(detail.id)
            return False
        except ServiceError as exc:
            self.tell(self, "Not reset", exc.message)
            self.reload()
            return False
        self.reload(reset.id)
        self._show_banner(f"“{reset.name}” has the wording shipped again.", problem=False)
        return True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._sized:
            # Shared out once the window has its size: the letter gets nearly half, so the
            # preview fitted to its width is large enough to read.
            self._sized = True
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([round(total * 0.25), round(total * 0.33), round(total * 0.42)])

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if not self._may_leave():
            return
        self.preview_timer.stop()
        super().reject()

    def done(self, result: int) -> None:
        self.preview_timer.stop()
        super().done(result)
