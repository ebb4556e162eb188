"""Letters > Mail merge: one letter template, many schools, letters on the letterhead as PDF.

The user chooses the template, the schools (those selected or shown in the Schools tab, or
every open school), the contact to write to, the values typed once for the mailing (a
meeting's date and place, say), and where the letters go: one PDF for printing, one PDF per
school for emailing, or both. Before anything is produced, the list on the right shows who
each letter is addressed to, which schools fall back to "The Head Teacher" at the school's
address for want of a named contact, and which are left out and why. Producing runs off the
main thread with progress and Cancel; the service writes the files whole or not at all and
records each letter in its school's history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.progress import Progress
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME
from thep_desktop.services.letters.letters_service import MergeResult, TemplateDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Permission
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.letters.template_form import membership_fields
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import ERROR_STYLE, FieldMessages, date_field
from thep_desktop.ui.shared.pdf_window import PDF_FILTER, pdf_file_name, show_pdf
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import Tell, ask, tell
from thep_desktop.ui.shared.table_export import export_view

SELECTED = "selected"
SHOWN = "shown"
ALL_OPEN = "open"

INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"
PROBLEM_STYLE = ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;"
NOTE_STYLE = "color: #555;"
CHECK_DELAY_MS = 250

RECIPIENT_COLUMNS = (
    PlainColumn("School"),
    PlainColumn("Addressed to"),
    PlainColumn("Note", tooltip="Why a letter is addressed to the school, or left out"),
)
LEFT_OUT = "Left out: "

# Answers to the question about a file that exists.
REPLACE = "Replace it"
CANCEL = "Cancel"

ChoosePath = Callable[[QWidget, str], str]
"""``(parent, suggested path) -> chosen path``; "" when the user cancels."""


def choose_pdf_path(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Save the letters for printing as", suggested, PDF_FILTER
    )
    return path


def choose_folder(parent: QWidget, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Folder for one PDF per school", start)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A message that something went as asked."""
    QMessageBox.information(parent, title, text)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _listed(lines: Sequence[str], limit: int = 10) -> str:
    shown = [f"• {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"… and {len(lines) - limit:,} more")
    return "\n".join(shown)


def summary_text(result: MergeResult) -> str:
    """What a finished mail merge did, in words, for the message after it."""
    parts = [
        f"{_plural(result.letters, 'letter', 'letters')} "
        f"({_plural(result.pages, 'page', 'pages')}) produced and recorded in each "
        "school's history."
    ]
    saved: list[str] = []
    if result.combined_file is not None:
        saved.append(f"For printing: {result.combined_file}")
    if result.recipient_files:
        folder = result.recipient_files[0].parent
        saved.append(
            f"For emailing: {_plural(len(result.recipient_files), 'PDF', 'PDFs')} in {folder}"
        )
    if saved:
        parts.append(_listed(saved))
    if result.warnings:
        parts.append(
            f"Addressed to the school, for want of a named contact "
            f"({len(result.warnings):,}):\n{_listed(result.warnings)}"
        )
    if result.skipped:
        parts.append(
            f"Left out ({len(result.skipped):,}):\n"
            + _listed([f"{s.school_name}: {s.reason}" for s in result.skipped])
        )
    return "\n\n".join(parts)


class MailMergeDialog(QDialog):
    """Produce letters from a template. Emits ``produced(MergeResult)`` when letters are made."""

    produced = Signal(object)

    def __init__(
        self,
        services: Services,
        selected_ids: Sequence[int],
        shown_ids: Sequence[int],
        parent: QWidget | None = None,
        *,
        template_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        # Injectable for tests: questions, messages, the document window and file choosers.
        self.ask = ask
        self.tell: Tell = tell
        self.inform: Tell = inform
        self.show_pdf = show_pdf
        self.choose_file: ChoosePath = choose_pdf_path
        self.choose_folder: ChoosePath = choose_folder
        self.ask_save_path = QFileDialog.getSaveFileName
        self.export_job: object = None
        self.can_produce = services.actor.can(Permission.EDIT_SCHOOLS)
        self.job: BackgroundJob | None = None
        self.merge_result: MergeResult | None = None  # after letters were made
        self._running = False
        self.messages = FieldMessages()
        self.mailing_inputs: dict[str, QLineEdit] = {}
        self._path_chosen = False  # the user chose the PDF's name: keep it across templates
        self._confirmed_path = ""  # a file the user agreed to replace
        actor = services.actor
        self.school_ids_for = {
            SELECTED: list(selected_ids),
            SHOWN: list(shown_ids),
            ALL_OPEN: services.letters.open_school_ids(actor),
        }
        self.open_ids = self.school_ids_for[ALL_OPEN]
        self.proposed_ids = services.letters.proposed_school_ids(actor)
        self.produce_reason = ""  # why no letter can be made now ("" when some can)
        self.templates: list[TemplateDetail] = services.letters.list_templates(actor)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self.check_recipients)
        self.setWindowTitle("Mail merge")
        self.setMinimumSize(980, 600)
        self.resize(1180, 760)
        self._build()
        self._choose_defaults(template_id)
        self._apply_permissions()
        self.check_recipients()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            "Letters from one template to many schools, on the letterhead: one PDF to print, "
            "one PDF per school to email, or both. Each letter is kept in its school's history."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)
        outer.addWidget(intro)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        outer.addWidget(self.banner)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self._letter_group())
        left.addWidget(self._recipients_group())
        self.mailing_group = QGroupBox("For this mailing")
        self.mailing_form = QFormLayout(self.mailing_group)
        self.mailing_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.mailing_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.mailing_message = QLabel()
        left.addWidget(self.mailing_group)
        left.addWidget(self._output_group())
        left.addStretch(1)
        holder = QWidget()
        holder.setLayout(left)
        # Scrolls rather than squashes when a mailing has many fields to type.
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(490)
        columns.addWidget(scroll)
        columns.addWidget(self._check_pane(), 1)
        outer.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.produce_note = QLabel()
        self.produce_note.setObjectName("produce_note")
        self.produce_note.setWordWrap(True)
        self.produce_note.setStyleSheet(ERROR_STYLE)
        self.produce_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.produce_note, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.produce_button = QPushButton("&Produce letters")
        self.produce_button.setObjectName("produce")
        self.produce_button.setToolTip("Make the letters, save them and record them")
        self.buttons.addButton(self.produce_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.produce_button.clicked.connect(self.produce)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

    def _row(self, grid: QGridLayout, row: int, name: str, caption: str, widget: QWidget) -> None:
        """``caption: widget`` with a message line under the widget."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        message = FieldMessages.message_label(name)
        box.addWidget(message)
        self.messages.register(name, widget, message)
        label = QLabel(caption)
        label.setBuddy(widget)
        label.setMinimumHeight(widget.sizeHint().height())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(holder, row, 1)

    def _letter_group(self) -> QGroupBox:
        group = QGroupBox("Letter")
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("template")
        for template in self.templates:
            self.template_combo.addItem(template.name, template.id)
        self._row(grid, 0, "template", "&Template", self.template_combo)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet(NOTE_STYLE)
        grid.addWidget(self.description, 1, 1)
        self.membership_note = QLabel()
        self.membership_note.setObjectName("membership_note")
        self.membership_note.setWordWrap(True)
        self.membership_note.setStyleSheet(PROBLEM_STYLE)
        self.membership_note.hide()
        grid.addWidget(self.membership_note, 2, 0, 1, 2)
        self.letter_date = date_field(format_date(date.today()))
        self.letter_date.setObjectName("letter_date")
        self.letter_date.setMaximumWidth(140)
        self.letter_date.setToolTip("The date printed on the letters")
        self._row(grid, 3, "letter_date", "Letter &date", self.letter_date)
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        return group

    def _recipients_group(self) -> QGroupBox:
        group = QGroupBox("Write to")
        box = QVBoxLayout(group)
        self.recipient_choice = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for key, text in (
            (SELECTED, "&Selected schools"),
            (SHOWN, "Schools s&hown in the Schools tab"),
            (ALL_OPEN, "&All open schools"),
        ):
            count = len(self.school_ids_for[key])
            radio = QRadioButton(f"{text} ({count:,})")
            radio.setObjectName(f"recipients_{key}")
            radio.setEnabled(count > 0)
            self.radios[key] = radio
            self.recipient_choice.addButton(radio)
            box.addWidget(radio)
            radio.toggled.connect(self._recipients_toggled)
            if key == ALL_OPEN:
                box.addWidget(self._proposed_check())
        if not self.school_ids_for[SELECTED]:
            self.radios[SELECTED].setToolTip("Select schools in the Schools tab first")
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.contact_role = QComboBox()
        self.contact_role.setObjectName("contact_role")
        self.contact_role.setEditable(True)
        self.contact_role.addItems(self.services.letters.contact_roles(self.services.actor))
        self.contact_role.setToolTip(
            "Each letter goes to the school's contact with this role; a school without one "
            "gets a letter addressed to the role at the school's address."
        )
        self.contact_role.editTextChanged.connect(lambda _text: self._schedule_check())
        self._row(grid, 0, "contact_role", "&Contact", self.contact_role)
        box.addLayout(grid)
        return group

    def _proposed_check(self) -> QCheckBox:
        """Whether "all open schools" takes in those only proposed to open (off at first)."""
        count = len(self.proposed_ids)
        self.proposed_check = QCheckBox(
            f"Include schools &proposed to open ({count:,})"
            if count
            else "No schools are proposed to open"
        )
        self.proposed_check.setObjectName("include_proposed")
        self.proposed_check.setToolTip(
            "A school proposed to open has no pupils yet, and often no head or address: "
            "it is left out of “all open schools” unless you tick this."
        )
        self.proposed_check.setEnabled(False)
        self.proposed_check.setStyleSheet("margin-left: 22px;")
        self.proposed_check.toggled.connect(self._proposed_toggled)
        return self.proposed_check

    def _proposed_toggled(self, checked: bool) -> None:
        ids = self.open_ids + (self.proposed_ids if checked else [])
        self.school_ids_for[ALL_OPEN] = ids
        self.radios[ALL_OPEN].setText(f"&All open schools ({len(ids):,})")
        self.radios[ALL_OPEN].setEnabled(bool(ids))
        self._schedule_check()

    def _output_group(self) -> QGroupBox:
        group = QGroupBox("Save the letters")
        grid = QGridLayout(group)
        grid.setColumnStretch(0, 1)
        self.combined_check = QCheckBox("One PDF for &printing")
        self.combined_check.setObjectName("combined_check")
        self.combined_check.setChecked(True)
        self.combined_path = QLineEdit()
        self.combined_path.setObjectName("combined_file")
        self.combined_path.textEdited.connect(self._path_typed)
        self.combined_button = QPushButton("C&hoose…")
        self.combined_button.setAutoDefault(False)
        self.combined_button.clicked.connect(self.choose_combined_file)
        self.folder_check = QCheckBox("One PDF per school for &emailing")
        self.folder_check.setObjectName("folder_check")
        self.folder_path = QLineEdit()
        self.folder_path.setObjectName("recipient_folder")
        self.folder_path.setPlaceholderText("The folder to save them in")
        self.folder_button = QPushButton("Ch&oose…")
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(self.choose_recipient_folder)
        self.output_message = FieldMessages.message_label("output")
        self.messages.register("output", self.combined_check, self.output_message)
        row = 0
        for check, edit, button, name in (
            (self.combined_check, self.combined_path, self.combined_button, "combined_file"),
            (self.folder_check, self.folder_path, self.folder_button, "recipient_folder"),
        ):
            grid.addWidget(check, row, 0, 1, 2)
            grid.addWidget(edit, row + 1, 0)
            grid.addWidget(button, row + 1, 1)
            message = FieldMessages.message_label(name)
            self.messages.register(name, edit, message)
            grid.addWidget(message, row + 2, 0, 1, 2)
            check.toggled.connect(self._update_outputs)
            row += 3
        grid.addWidget(self.output_message, row, 0, 1, 2)
        note = QLabel("Each school's PDF is named by school, template and date.")
        note.setStyleSheet(NOTE_STYLE)
        note.setWordWrap(True)
        grid.addWidget(note, row + 1, 0, 1, 2)
        return group

    def _check_pane(self) -> QWidget:
        pane = QWidget()
        box = QVBoxLayout(pane)
        box.setContentsMargins(6, 0, 0, 0)
        caption = QLabel("<b>Who gets a letter</b>")
        box.addWidget(caption)
        self.check_summary = QLabel()
        self.check_summary.setObjectName("check_summary")
        self.check_summary.setWordWrap(True)
        box.addWidget(self.check_summary)
        self.recipients_model = PlainTableModel(RECIPIENT_COLUMNS, parent=self)
        self.recipients_table = QTableView()
        self.recipients_table.setObjectName("recipients")
        self.recipients_table.setModel(self.recipients_model)
        self.recipients_table.setSortingEnabled(True)
        self.recipients_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recipients_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recipients_table.setAlternatingRowColors(True)
        # Notes wrap, so each reason can be read in full.
        self.recipients_table.setWordWrap(True)
        self.recipients_table.verticalHeader().hide()
        self.recipients_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        header = self.recipients_table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.recipients_table.setColumnWidth(0, 220)
        self.recipients_table.setColumnWidth(1, 170)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        caption.setBuddy(self.recipients_table)
        box.addWidget(self.recipients_table, 1)
        row = QHBoxLayout()
        self.check_button = QPushButton("Check &recipients")
        self.check_button.setAutoDefault(False)
        self.check_button.setToolTip("Read the schools' contacts again and list who gets what")
        self.check_button.clicked.connect(self.check_recipients)
        row.addWidget(self.check_button)
        self.export_button = QPushButton("E&xport this list…")
        self.export_button.setAutoDefault(False)
        self.export_button.setToolTip("Save who gets a letter to Excel or CSV (Ctrl+E)")
        self.export_button.clicked.connect(self.export_recipients)
        row.addWidget(self.export_button)
        row.addStretch(1)
        box.addLayout(row)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_recipients)
        return pane

    def export_recipients(self) -> None:
        """Who gets a letter (and who is left out, and why) to Excel or CSV."""
        template = self.template_combo.currentText()
        self.export_job = export_view(
            self,
            self.recipients_table,
            f"Mail merge: {template}",
            f"Addressed to the {self.contact_role.currentText().lower()}",
            f"Recipients {date.today().isoformat()}.xlsx",
            ask_path=self.ask_save_path,
            ask=self.ask,
            tell=self.tell,
        )

    def _choose_defaults(self, template_id: int | None) -> None:
        position = self.template_combo.findData(template_id) if template_id is not None else -1
        self.template_combo.setCurrentIndex(max(position, 0))
        self._template_changed()
        for key in (SELECTED, SHOWN, ALL_OPEN):
            if self.school_ids_for[key]:
                self.radios[key].setChecked(True)
                break
        self._update_outputs()

    def _apply_permissions(self) -> None:
        if self.can_produce:
            return
        self.produce_button.setEnabled(False)
        actor = self.services.actor
        self._show_banner(
            f"{actor.name} may see who would get a letter but not produce letters "
            f"(role: {actor.role.value}).",
            problem=False,
        )

    # -- reading the form -------------------------------------------------------------------
    def template(self) -> TemplateDetail | None:
        index = self.template_combo.currentIndex()
        return self.templates[index] if 0 <= index < len(self.templates) else None

    def recipients_key(self) -> str:
        for key, radio in self.radios.items():
            if radio.isChecked():
                return key
        return ""

    def school_ids(self) -> list[int]:
        return list(self.school_ids_for.get(self.recipients_key(), []))

    def mailing_values(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.mailing_inputs.items()}

    # -- reacting ---------------------------------------------------------------------------
    def _template_changed(self, *_args: object) -> None:
        template = self.template()
        if template is None:
            self.description.setText("There are no letter templates.")
            return
        self.description.setText(template.description)
        if self.can_produce:
            self.messages.clear()
            self._show_banner("")
        self.contact_role.setCurrentText(template.contact_role)
        self._fill_mailing_fields(template)
        names = membership_fields(template.as_input())
        if names:
            shown = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in names)
            self.membership_note.setText(
                f"This letter needs each school's membership record ({shown}). A school "
                "without one is left out, as listed on the right."
            )
        self.membership_note.setVisible(bool(names))
        if not self._path_chosen:
            name = pdf_file_name(f"{template.name} {date.today().isoformat()}")
            self.combined_path.setText(str(documents_folder() / name))
        self._schedule_check()

    def _fill_mailing_fields(self, template: TemplateDetail) -> None:
        typed = self.mailing_values()
        while self.mailing_form.rowCount():
            self.mailing_form.removeRow(0)
        self.messages.forget("mailing")  # each field ("mailing.…") and the mailing as a whole
        self.mailing_inputs = {}
        names = self.services.letters.mailing_fields(template)
        for name in names:
            info = FIELDS_BY_NAME[name]
            edit = QLineEdit(typed.get(name, ""))
            edit.setObjectName(f"mailing.{name}")
            edit.setPlaceholderText(f"e.g. {info.example}")
            self.mailing_inputs[name] = edit
            self.messages.add_row(self.mailing_form, f"mailing.{name}", info.label, edit)
        # The service's message about the mailing as a whole shows under its fields.
        self.mailing_message = FieldMessages.message_label("mailing")
        self.mailing_form.addRow(self.mailing_message)
        self.messages.register("mailing", self.mailing_group, self.mailing_message)
        self.mailing_group.setVisible(bool(names))

    def _update_outputs(self, *_args: object) -> None:
        for check, edit, button in (
            (self.combined_check, self.combined_path, self.combined_button),
            (self.folder_check, self.folder_path, self.folder_button),
        ):
            edit.setEnabled(check.isChecked())
            button.setEnabled(check.isChecked())

    def _path_typed(self, _text: str) -> None:
        self._path_chosen = True
        self._confirmed_path = ""

    def choose_combined_file(self) -> bool:
        chosen = self.choose_file(self, self.combined_path.text().strip())
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.combined_path.setText(str(path))
        self.combined_check.setChecked(True)
        self._path_chosen = True
        # The file dialog has asked already whether to replace a file of that name.
        self._confirmed_path = str(path)
        return True

    def choose_recipient_folder(self) -> bool:
        start = self.folder_path.text().strip() or str(documents_folder())
        chosen = self.choose_folder(self, start)
        if not chosen:
            return False
        self.folder_path.setText(chosen)
        self.folder_check.setChecked(True)
        return True

    def _recipients_toggled(self, checked: bool) -> None:
        self.proposed_check.setEnabled(
            self.radios[ALL_OPEN].isChecked() and bool(self.proposed_ids)
        )
        if checked:  # the button turned on, not the one turned off
            self._schedule_check()

    def _schedule_check(self) -> None:
        self.check_timer.start()

    def _show_banner(self, text: str, *, problem: bool = True) -> None:
        self.banner.setStyleSheet(PROBLEM_STYLE if problem else INFO_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # -- checking the recipients -------------------------------------------------------------
    def check_recipients(self) -> bool:
        """List who each letter goes to, the fallbacks and the schools left out (one query)."""
        self.check_timer.stop()
        ids = self.school_ids()
        template = self.template()
        role = self.contact_role.currentText().strip()
        letters = self.services.letters
        actor = self.services.actor
        self.messages.show({})  # the role's message, from the last check
        if template is None:
            self.recipients_model.set_rows([])
            self._no_letters("There are no letter templates to write from.")
            return False
        if not ids:
            self.recipients_model.set_rows([])
            self._no_letters("No schools to write to: select schools in the Schools tab first.")
            return False
        try:
            letters.check_contact_role(actor, role)
        except ValidationError as exc:
            self.recipients_model.set_rows([])
            self.messages.show(exc.field_errors)
            self._no_letters(exc.message + ".")
            return False
        try:
            recipients, skipped = letters.recipients(actor, ids, role)
        except ServiceError as exc:
            self.recipients_model.set_rows([])
            self._no_letters(exc.message)
            return False
        needs = membership_fields(template.as_input())
        rows: list[tuple[int, str, str, str]] = []
        fallbacks = 0
        for recipient in recipients:
            addressed = recipient.contact_name or recipient.address[0]
            if any(n not in recipient.values for n in needs):
                # Which parts of the record, the note above the list says once.
                note = (
                    f"{LEFT_OUT}the letter needs the school's membership record, and none is "
                    "recorded yet"
                )
                rows.append((0, recipient.school_name, addressed, note))
            elif recipient.warning:
                fallbacks += 1
                note = recipient.warning[:1].upper() + recipient.warning[1:]
                rows.append((1, recipient.school_name, addressed, note))
            else:
                rows.append((2, recipient.school_name, addressed, ""))
        for school in skipped:
            rows.append((0, school.school_name, "", LEFT_OUT + school.reason))
        rows.sort(key=lambda r: (r[0], r[1].casefold()))
        self.recipients_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.recipients_model.set_rows([r[1:] for r in rows])
        count = sum(1 for r in rows if r[0] > 0)
        left_out = len(rows) - count
        if count == 0:
            self._no_letters(
                "No letters can be produced for these schools: every one is left out, for the "
                "reason given beside it."
            )
            return True
        unsigned = letters.signatory_problem(actor, template)
        if unsigned:
            self._no_letters(unsigned)
            return True
        self._set_produce_reason("")
        parts = [_plural(count, "letter", "letters")]
        if fallbacks:
            parts.append(
                f"{fallbacks:,} addressed to the {role.lower() or 'school'} at the school, for "
                "want of a named contact"
            )
        if left_out:
            parts.append(_plural(left_out, "school left out", "schools left out"))
        self._check_note("; ".join(parts) + ".", problem=bool(left_out))
        return True

    def _no_letters(self, reason: str) -> None:
        """No letter can be made: say why, and Produce stays off until that changes."""
        self._check_note(reason, problem=True)
        self._set_produce_reason(reason)

    def _set_produce_reason(self, reason: str) -> None:
        self.produce_reason = reason
        if self.can_produce:
            self.produce_note.setText(f"Produce letters is off. {reason}" if reason else "")
        self._update_produce_button()

    def _update_produce_button(self) -> None:
        enabled = self.can_produce and not self.running and not self.produce_reason
        self.produce_button.setEnabled(enabled)
        self.produce_button.setToolTip(
            "Make the letters, save them and record them"
            if enabled or not self.produce_reason
            else self.produce_reason
        )

    def _check_note(self, text: str, *, problem: bool = False) -> None:
        self.check_summary.setStyleSheet(ERROR_STYLE if problem else "")
        self.check_summary.setText(text)

    def recipient_rows(self) -> list[tuple[str, str, str]]:
        """The check list as shown (school, addressed to, note)."""
        model = self.recipients_model
        return [model.row_values(r) for r in range(model.rowCount())]  # type: ignore[misc]

    # -- producing --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def produce(self) -> BackgroundJob | None:
        """Check the choices, then produce the letters off the main thread."""
        if not self.can_produce or self.running:
            return None
        self.check_recipients()  # what was typed a moment ago counts
        if self.produce_reason:
            return None
        template = self.template()
        if template is None:
            return None
        self.messages.clear()
        self._show_banner("")
        errors: dict[str, str] = {}
        when = date.today()
        try:
            when = parse_date(self.letter_date.text())
        except ValueError as exc:
            errors["letter_date"] = f"{exc}."
        mailing = self.mailing_values()
        for name, value in mailing.items():
            if not value:
                errors[f"mailing.{name}"] = "Needed for this letter."
        combined: Path | None = None
        folder: Path | None = None
        if self.combined_check.isChecked():
            text = self.combined_path.text().strip()
            if not text:
                errors["combined_file"] = "Choose where to save the PDF for printing."
            else:
                combined = Path(text).expanduser()
                if combined.suffix.casefold() != ".pdf":
                    combined = combined.with_name(combined.name + ".pdf")
                if not combined.parent.is_dir():
                    errors["combined_file"] = f"The folder {combined.parent} does not exist."
        if self.folder_check.isChecked():
            text = self.folder_path.text().strip()
            if not text:
                errors["recipient_folder"] = "Choose the folder for the schools' PDFs."
            else:
                folder = Path(text).expanduser()
                if not folder.is_dir():
                    errors["recipient_folder"] = f"The folder {folder} does not exist."
        if not self.combined_check.isChecked() and not self.folder_check.isChecked():
            errors["output"] = "Choose one PDF for printing, one PDF per school, or both."
        ids = self.school_ids()
        if errors:
            self.messages.show(errors)
            what = "the entry" if len(errors) == 1 else f"the {len(errors)} entries"
            self._show_banner(f"Nothing was produced: put right {what} marked in red.")
            return None
        if not ids:
            self._show_banner("Nothing was produced: there are no schools to write to.")
            return None
        if combined is not None and combined.exists() and str(combined) != self._confirmed_path:
            answer = self.ask(
                self,
                "Replace the file?",
                f"{combined.name} already exists in {combined.parent}.\n\nReplace it with the "
                "new letters?",
                [REPLACE, CANCEL],
            )
            if answer != REPLACE:
                return None
            self._confirmed_path = str(combined)
        role = self.contact_role.currentText().strip()
        services = self.services
        template_id = template.id

        def work(progress: Progress) -> MergeResult:
            return services.letters.produce(
                services.actor,
                template_id,
                ids,
                role,
                combined_file=combined,
                recipient_folder=folder,
                mailing={k: v for k, v in mailing.items() if v} or None,
                letter_date=when,
                progress=progress,
            )

        self._set_running(True)
        self.job = BackgroundJob(
            self,
            "Producing letters…",
            work,
            on_done=self._produced,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        return self.job.start()

    def _set_running(self, running: bool) -> None:
        self._running = running
        self._update_produce_button()

    def _produced(self, result: MergeResult) -> None:
        self._set_running(False)
        self.merge_result = result
        template = self.template()
        self.inform(self, "Letters produced", summary_text(result))
        if result.combined_file is not None:
            try:
                data = result.combined_file.read_bytes()
            except OSError as exc:
                self.tell(
                    self,
                    "Letters produced",
                    f"The letters were saved but cannot be shown: {exc.strerror or exc}.",
                )
            else:
                name = template.name if template is not None else "Letters"
                self.show_pdf(
                    self.parentWidget(),
                    data,
                    f"{name} – {_plural(result.letters, 'letter', 'letters')}",
                    result.combined_file.name,
                )
        self.produced.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_running(False)
        nothing = "No files were saved and nothing was recorded."
        if isinstance(exc, ValidationError):
            unplaced = self.messages.show(exc.field_errors)
            self._show_banner(f"No letters were produced. {' '.join(unplaced) or exc.message}")
            return
        if isinstance(exc, ServiceError):
            message = exc.message
        elif isinstance(exc, OSError):
            message = f"The letters could not be saved: {exc.strerror or exc}."
        else:
            message = f"Something went wrong while producing the letters: {exc}"
        self._show_banner(f"{message}\n{nothing}")
        self.tell(self, "No letters were produced", f"{message}\n\n{nothing}")

    def _cancelled(self) -> None:
        self._set_running(False)
        self._show_banner(
            "Cancelled: no letters were saved and nothing was recorded.", problem=False
        )

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.running and self.job is not None:
            self.job.cancel()
            return
        self.check_timer.stop()
        super().reject()
