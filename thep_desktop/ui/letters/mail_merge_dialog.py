"""Letters > Mail merge: one letter template, many schools, letters on the letterhead as PDF.

The user chooses the template, the schools (those selected or shown in the Schools tab, or
every open school), the contact to write to, the values typed once for the mailing (a
meeting's date and place, say), and where the letters go: one PDF for printing, one PDF per
school for emailing, or both. Before anything is produced, the list on the right shows who
each letter is addressed to, which schools fall back to "The Head Teacher" at the school's
address for want of a named contact, and which are left out and why (see
:mod:`mail_merge_recipients`; where the letters go, :mod:`mail_merge_output`). Producing runs
off the main thread with progress and Cancel (see :mod:`mail_merge_job`); the service writes
the files whole or not at all and records each letter in its school's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME
from thep_desktop.services.letters.letters_permissions import SEND_LETTERS
from thep_desktop.services.letters.letters_service import (
    MergeResult,
    TemplateDetail,
    sent_elsewhere,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.letters.mail_merge_job import MailMergeJob, plural
from thep_desktop.ui.letters.mail_merge_output import (
    ChoosePath,
    OutputChoice,
    choose_folder,
    choose_pdf_path,
)
from thep_desktop.ui.letters.mail_merge_recipients import (
    CLUSTER,
    RecipientCheck,
    RecipientChoice,
    check_rows,
    field_row,
)
from thep_desktop.ui.letters.template_form import membership_fields
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import ERROR_STYLE, FieldMessages, date_field
from thep_desktop.ui.shared.pdf_window import pdf_file_name, show_pdf
from thep_desktop.ui.shared.questions import Tell, ask, inform, tell
from thep_desktop.ui.shared.table_export import export_view

INFO_STYLE = "background: #eef3f8; padding: 6px; border-radius: 3px;"
PROBLEM_STYLE = ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;"
NOTE_STYLE = "color: #555;"
CHECK_DELAY_MS = 250


class MailMergeDialog(MailMergeJob, QDialog):
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
        chosen_member_ids: Sequence[int] = (),
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.chosen_member_ids = list(chosen_member_ids)
        # Injectable for tests: questions, messages, the document window and file choosers.
        self.ask = ask
        self.tell: Tell = tell
        self.inform: Tell = inform
        self.show_pdf = show_pdf
        self.choose_file: ChoosePath = choose_pdf_path
        self.choose_folder: ChoosePath = choose_folder
        self.ask_save_path = QFileDialog.getSaveFileName
        self.export_job: object = None
        self.can_produce = services.actor.can(SEND_LETTERS)
        self.job: BackgroundJob | None = None
        self.merge_result: MergeResult | None = None  # after letters were made
        self._running = False
        self.messages = FieldMessages()
        self.selected_ids = list(selected_ids)
        self.shown_ids = list(shown_ids)
        self.mailing_inputs: dict[str, QLineEdit] = {}
        self.produce_reason = ""  # why no letter can be made now ("" when some can)
        # A letter about one overdue invoice is sent from the invoices' reminders instead.
        self.templates: list[TemplateDetail] = [
            t for t in services.letters.list_templates(services.actor) if not sent_elsewhere(t)
        ]
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
            "Letters from one template to many schools or members, on the letterhead: one PDF "
            "to print, one PDF each to email, or both. Each letter is kept in the history of "
            "its school or member."
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

    def _letter_group(self) -> QGroupBox:
        group = QGroupBox("Letter")
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("template")
        for template in self.templates:
            self.template_combo.addItem(template.name, template.id)
        field_row(self.messages, grid, 0, "template", "&Template", self.template_combo)
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
        field_row(self.messages, grid, 3, "letter_date", "Letter &date", self.letter_date)
        # The membership on the letters' date (and the fee year it falls in) fills them.
        self.letter_date.textChanged.connect(lambda _text: self._schedule_check())
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        return group

    def _recipients_group(self) -> QGroupBox:
        letters, actor = self.services.letters, self.services.actor
        self.recipient_choice = RecipientChoice(
            self.messages,
            self.selected_ids,
            self.shown_ids,
            letters.open_school_ids(actor),
            letters.proposed_school_ids(actor),
            letters.contact_roles(actor),
            member_ids=letters.member_ids(actor),
            full_member_ids=letters.member_ids(actor, full_only=True),
            chosen_member_ids=self.chosen_member_ids,
            clusters=letters.cluster_audiences(actor),
        )
        self.recipient_choice.changed.connect(self._schedule_check)
        self.radios = self.recipient_choice.radios
        self.proposed_check = self.recipient_choice.proposed_check
        self.contact_role = self.recipient_choice.contact_role
        return self.recipient_choice

    def _output_group(self) -> QGroupBox:
        # Through the window's own choosers, which tests replace.
        self.output = OutputChoice(
            self.messages,
            lambda parent, path: self.choose_file(parent, path),
            lambda parent, start: self.choose_folder(parent, start),
        )
        self.combined_check = self.output.combined_check
        self.combined_path = self.output.combined_path
        self.combined_button = self.output.combined_button
        self.folder_check = self.output.folder_check
        self.folder_path = self.output.folder_path
        self.folder_button = self.output.folder_button
        return self.output

    def _check_pane(self) -> QWidget:
        self.recipient_check = RecipientCheck()
        self.check_summary = self.recipient_check.check_summary
        self.recipients_model = self.recipient_check.model
        self.recipients_table = self.recipient_check.table
        self.check_button = self.recipient_check.check_button
        self.check_button.clicked.connect(self.check_recipients)
        self.export_button = self.recipient_check.export_button
        self.export_button.clicked.connect(self.export_recipients)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_recipients)
        return self.recipient_check

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
        self.recipient_choice.choose_default()
        self.output.update_outputs()

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
        return self.recipient_choice.recipients_key()

    def school_ids(self) -> list[int]:
        return self.recipient_choice.school_ids()

    def member_ids(self) -> list[int]:
        return self.recipient_choice.member_ids()

    def letters_date(self) -> date:
        """The date typed for the letters, or today while it is not a date."""
        try:
            return parse_date(self.letter_date.text())
        except ValueError:
            return date.today()

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
                f"This letter needs each recipient's membership record ({shown}). A school "
                "that is not a member, or a member whose record lacks one of these, is left "
                "out, as listed on the right."
            )
        self.membership_note.setVisible(bool(names))
        self.output.suggest_file_name(pdf_file_name(f"{template.name} {date.today().isoformat()}"))
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
        member_ids = self.member_ids()
        template = self.template()
        role = self.contact_role.currentText().strip()
        letters = self.services.letters
        actor = self.services.actor
        self.messages.show({})  # the role's message, from the last check
        if template is None:
            self.recipients_model.set_rows([])
            self._no_letters("There are no letter templates to write from.")
            return False
        if not ids and not member_ids:
            self.recipients_model.set_rows([])
            if self.recipients_key() == CLUSTER:
                self._no_letters(
                    f"No schools to write to: the cluster {self.recipient_choice.cluster_name()} "
                    "has no open schools."
                )
            else:
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
            recipients, skipped = letters.recipients(
                actor,
                ids,
                role,
                member_ids=member_ids,
                on=self.letters_date(),
                fields=template.fields_used,
            )
        except ServiceError as exc:
            self.recipients_model.set_rows([])
            self._no_letters(exc.message)
            return False
        rows, fallbacks = check_rows(recipients, skipped, membership_fields(template.as_input()))
        self.recipient_check.show_rows([r[1:] for r in rows])
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
        parts = [plural(count, "letter", "letters")]
        if fallbacks:
            parts.append(
                f"{fallbacks:,} addressed to the {role.lower() or 'school'} at the school, for "
                "want of a named contact"
            )
        if left_out:
            parts.append(plural(left_out, "school left out", "schools left out"))
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
        self.recipient_check.show_note(text, problem=problem)

    def recipient_rows(self) -> list[tuple[str, str, str]]:
        """The check list as shown (school, addressed to, note)."""
        return self.recipient_check.rows()

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.running and self.job is not None:
            self.job.cancel()
            return
        self.check_timer.stop()
        super().reject()
