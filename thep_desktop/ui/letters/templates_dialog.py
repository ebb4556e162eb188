"""Letters > Letter templates: the office's letters as editable data, with a live preview.

On the left, the templates (built in or the office's own) and the merge fields a letter may
use (see :mod:`template_list`); in the middle, the wording of the chosen template and who
signs it (someone from the staff or typed, with a signature image; blank for the
organisation's default signatory; see :mod:`template_form`); on the right, the letter as it
will print, on the letterhead, fitted to the width of the pane and zoomable (see
:mod:`template_preview`), refreshed a moment after each change. A field the program does not
know is named beside the part of the letter that uses it, the preview keeps the last letter
that could be drawn with the error under it, and Save is refused until it is put right.
Built-in templates can be changed and put back to the wording shipped; the office's own ones
can also be deleted. A user who may not change letters sees the same window, read only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.models import SchoolStatus
from thep_desktop.services.letters.letters_permissions import EDIT_TEMPLATES
from thep_desktop.services.letters.letters_service import (
    TEMPLATE_LABELS,
    TemplateDetail,
    TemplateInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.ui.letters.template_actions import TemplateActions
from thep_desktop.ui.letters.template_form import INFO_STYLE, TemplateForm
from thep_desktop.ui.letters.template_list import TemplateList
from thep_desktop.ui.letters.template_preview import TemplatePreview
from thep_desktop.ui.shared.forms import (
    ERROR_STYLE,
    error_banner,
    may_close_unsaved,
)
from thep_desktop.ui.shared.pdf_window import pdf_file_name, show_pdf
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.signatory_widgets import choose_signature_file
from thep_desktop.ui.shared.table_export import export_view

PREVIEW_DELAY_MS = 400
"""How long after the last keystroke the preview is drawn again."""

PROBLEM_STYLE = ERROR_STYLE + "background: #fdecef; padding: 6px; border-radius: 3px;"


class TemplatesDialog(TemplateActions, QDialog):
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
        self.can_edit = services.actor.can(EDIT_TEMPLATES)
        self.current: TemplateDetail | None = None  # None: a new template, not yet saved
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
        self.history_button = QPushButton("&History…")
        self.history_button.setToolTip("Every change to this template, by whom and when")
        self.history_button.clicked.connect(self.show_history)
        self.buttons.addButton(self.history_button, QDialogButtonBox.ButtonRole.HelpRole)
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
        self.template_list = TemplateList()
        self.model = self.template_list.model
        self.table = self.template_list.table
        self.template_list.chosen.connect(self._template_chosen)
        # Ctrl+E saves the list of templates, as every table of the program can be saved.
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_list)
        self.new_button = self.template_list.new_button
        self.new_button.clicked.connect(self.new_template)
        self.duplicate_button = self.template_list.duplicate_button
        self.duplicate_button.clicked.connect(self.duplicate_template)
        self.delete_button = self.template_list.delete_button
        self.delete_button.clicked.connect(self.delete_template)
        self.reset_button = self.template_list.reset_button
        self.reset_button.clicked.connect(self.reset_template)

        self.field_picker = self.template_list.field_picker
        self.fields_note = self.field_picker.fields_note
        self.field_tree = self.field_picker.field_tree
        self.insert_button = self.field_picker.insert_button
        self.insert_target_label = self.field_picker.insert_target_label
        self.field_tree.itemDoubleClicked.connect(lambda item, _column: self.insert_field(item))
        self.field_tree.currentItemChanged.connect(self._update_buttons)
        self.insert_button.clicked.connect(lambda: self.insert_field(self.field_tree.currentItem()))
        return self.template_list

    def _editor_pane(self) -> QWidget:
        try:
            staff = [
                (s.full_name, s.job_title)
                for s in self.services.staff.list_staff(self.services.actor, active_only=True)
            ]
            profile = self.services.organisation.get_profile(self.services.actor)
        except ServiceError:
            staff, profile = [], None
        default = ""
        if profile is not None and profile.signatory_name:
            default = profile.signatory_name
            if profile.signatory_position:
                default += f" ({profile.signatory_position})"
        self.form = TemplateForm(staff, default)
        self.form.edited.connect(self.preview_timer.start)  # restarts: follows a pause in typing
        self.form.target_changed.connect(self._update_buttons)
        self.form.signature.choose_file = lambda parent: self.ask_open_path(parent)
        self.messages = self.form.messages
        self.inputs = self.form.inputs
        self.contact_role = self.form.contact_role
        self.staff_chooser = self.form.staff_chooser
        self.signature = self.form.signature
        self.state_label = self.form.state_label
        self.membership_note = self.form.membership_note
        return self.form

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
        self.form.set_read_only()
        for button in (
            *self.template_list.action_buttons,
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
        self.template_list.set_templates(templates)
        by_id = {t.id: t for t in templates}
        if select_id not in by_id:
            select_id = self.template_id_at(0) if self.model.rowCount() else None
        self.template_list.select_row_of(select_id)
        if select_id is not None:
            self._show_template(by_id[select_id])
        else:
            self._show_template(None)

    def names_shown(self) -> list[str]:
        return self.template_list.names_shown()

    def template_id_at(self, row: int) -> int:
        return self.template_list.template_id_at(row)

    def select_template(self, name_or_id: str | int) -> bool:
        """Choose a template in the list as a click would (asking about unsaved changes)."""
        chosen = self.template_list.select_as_clicked(name_or_id)
        return chosen is not None and self.current is not None and self.current.id == chosen

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

    def _template_chosen(self, wanted: int) -> None:
        shown = self.current.id if self.current is not None else None
        if wanted == shown:
            return
        if not self._may_leave():
            self.template_list.select_row_of(shown)
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
    def form_data(self) -> TemplateInput:
        """What the form holds now, as typed."""
        return self.form.form_data()

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

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
        shown = detail.as_input() if detail is not None else (data or TemplateInput())
        self.form.show_template(detail, shown, unsaved=unsaved)
        self._update_buttons()
        self.preview_timer.stop()
        self.refresh_preview()

    def show_history(self) -> None:
        detail = self.current
        if detail is None or detail.uuid is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        HistoryDialog(self.services, detail.name, detail.uuid, self).exec()

    def _update_buttons(self, *_args: object) -> None:
        detail = self.current
        self.history_button.setEnabled(detail is not None and detail.uuid is not None)
        self.duplicate_button.setEnabled(self.can_edit)
        self.delete_button.setEnabled(self.can_edit and detail is not None and not detail.builtin)
        self.reset_button.setEnabled(self.can_edit and detail is not None and detail.builtin)
        item = self.field_tree.currentItem()
        is_field = item is not None and item.data(0, Qt.ItemDataRole.UserRole) is not None
        self.insert_button.setEnabled(self.can_edit and is_field)
        self.insert_target_label.setText(f"into: {TEMPLATE_LABELS[self.form.insert_target]}")

    # -- merge fields -----------------------------------------------------------------------
    def insert_field(self, item: QTreeWidgetItem | None) -> bool:
        """Put ``{field}`` at the cursor of the part of the letter last typed in."""
        if item is None or not self.can_edit:
            return False
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if not name:
            return False
        self.form.insert_code(f"{{{name}}}")
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
