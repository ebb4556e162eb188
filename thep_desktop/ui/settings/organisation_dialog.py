"""Settings > Organisation profile: who we are, printed on every letter and invoice.

The form holds text as typed; the organisation service checks it and either saves the whole
profile or returns a message per field, shown beside the field, with nothing lost. The logo is
checked as soon as it is chosen, and a file that is not a PNG or JPEG leaves the old one in
place. If someone else saved the profile meanwhile, the service refuses and this dialog says
who and when, and lets the user bring in their version (keeping or dropping their own changes).
A user who may not change settings sees the same form, read only, with no Save button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.registry import Services
from thep_desktop.services.settings.organisation_service import (
    MAX_LOGO_BYTES,
    PROFILE_LABELS,
    ProfileData,
    check_logo,
)
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.shared.errors import ConflictError, ServiceError, ValidationError
from thep_desktop.ui.shared.forms import (
    KEEP_EDITING,
    RELOAD,
    FieldMessages,
    ask_about_conflict,
    correction_summary,
    editor_buttons,
    error_banner,
    field_text,
    may_close_unsaved,
    show_field_text,
)
from thep_desktop.ui.shared.image_picker import ImagePicker
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.signatory_widgets import StaffChooser, signature_picker

# Fields typed as text (the logo is handled apart).
IMAGE_FIELDS = ("logo", "logo_filename", "signature_image", "signature_image_filename")
TEXT_FIELDS = tuple(f.name for f in fields(ProfileData) if f.name not in (*IMAGE_FIELDS, "version"))
MULTI_LINE = ("address", "registered_office")
LOGO_FILTER = "Logo images (*.png *.jpg *.jpeg);;All files (*)"
PREVIEW_SIZE = QSize(280, 120)


ChooseFile = Callable[[QWidget], str]


def choose_logo_file(parent: QWidget) -> str:
    """Ask for an image file; "" when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the logo", "", LOGO_FILTER)
    return path


def format_sort_code(text: str) -> str:
    """``123456`` or ``12 34 56`` -> ``12-34-56``; anything else is left as typed."""
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) == 6 and digits.isdigit():
        return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"
    return text


def merge_changes(
    base: ProfileData, mine: ProfileData, theirs: ProfileData
) -> tuple[ProfileData, list[str]]:
    """Their version with my changes (since ``base``) on top; also the fields we both changed."""
    merged = replace(theirs)
    both: list[str] = []
    for f in fields(ProfileData):
        if f.name == "version":
            continue
        mine_value, base_value, their_value = (
            getattr(mine, f.name),
            getattr(base, f.name),
            getattr(theirs, f.name),
        )
        if mine_value != base_value:
            setattr(merged, f.name, mine_value)
            if their_value not in (base_value, mine_value) and not f.name.endswith("_filename"):
                both.append(f.name)
    return merged, both


class OrganisationDialog(QDialog):
    """View and edit the organisation profile. Emits ``saved(ProfileData)``."""

    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        self.choose_file: ChooseFile = choose_logo_file
        self.can_edit = services.actor.can(EDIT_SETTINGS)
        self.messages = FieldMessages()
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._version = 0
        self._loaded = ProfileData()
        self.setWindowTitle("Organisation profile")
        self.setMinimumSize(680, 460)
        self._build()
        self._show_profile(services.organisation.get_profile(services.actor))
        self._apply_permissions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            "Who we are: printed on every letter, invoice and remittance advice the office sends."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        outer.addWidget(intro)
        self.banner = error_banner()
        outer.addWidget(self.banner)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._organisation_page(), "&Organisation")
        self.tabs.addTab(self._legal_page(), "&Legal")
        self.tabs.addTab(self._bank_page(), "&Bank details for remittance")
        self.tabs.addTab(self._logo_page(), "Lo&go")
        self.tabs.addTab(self._signatory_page(), "&Signatory")

        self.buttons = editor_buttons(self, self.can_edit, self.save, "the profile")
        self.history_button = self.buttons.addButton(
            "&History…", QDialogButtonBox.ButtonRole.HelpRole
        )
        self.history_button.setToolTip("Every change made to the organisation's profile")
        self.history_button.clicked.connect(self.show_history)
        outer.addWidget(self.buttons)

    @property
    def save_button(self) -> QPushButton | None:
        """The Save button (None for a user who may only look)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return form

    def _page(self, note: str = "") -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        box = QVBoxLayout(page)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            label.setStyleSheet("color: #555;")
            box.addWidget(label)
        form = self._form()
        box.addLayout(form)
        box.addStretch(1)
        return page, form

    def _add(
        self,
        form: QFormLayout,
        name: str,
        max_length: int = 0,
        placeholder: str = "",
        *,
        narrow: bool = False,
    ) -> None:
        widget: QLineEdit | QPlainTextEdit
        if name in MULTI_LINE:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            line = widget.fontMetrics().lineSpacing()
            widget.setFixedHeight(line * 4 + 14)
        else:
            widget = QLineEdit()
            if max_length:
                # A little beyond the limit, so the service (not a silent cut) says what is wrong.
                widget.setMaxLength(max_length + 50)
        if placeholder:
            widget.setPlaceholderText(placeholder)
        if narrow:
            # Short codes in a short box; the message under it still has the full width.
            sample = placeholder or "0" * max_length
            widget.setMaximumWidth(max(140, widget.fontMetrics().horizontalAdvance(sample) + 30))
        widget.setObjectName(name)
        self.inputs[name] = widget
        self.messages.add_row(form, name, PROFILE_LABELS[name], widget)

    def _organisation_page(self) -> QWidget:
        page, form = self._page()
        self._add(form, "name", 200)
        self._add(form, "address", placeholder="Street, area and town, one per line")
        self._add(form, "postcode", 8, "e.g. E2 6AB", narrow=True)
        self._add(form, "phone", 30, "e.g. 020 7364 1234", narrow=True)
        self._add(form, "email", 254, "e.g. info@the-partnership.org.uk")
        self._add(form, "website", 300, "e.g. www.the-partnership.org.uk")
        self._add(form, "la_code", 3, "3 digits, e.g. 211", narrow=True)
        return page

    def _legal_page(self) -> QWidget:
        page, form = self._page(
            "As registered with Companies House and the Charity Commission; printed at the foot "
            "of letters and invoices. Leave blank what does not apply."
        )
        self._add(form, "company_number", 8, "8 characters, e.g. 09876543", narrow=True)
        self._add(form, "charity_number", 20, "e.g. 1234567", narrow=True)
        self._add(form, "vat_number", 20, "if registered, e.g. GB 980 7806 84", narrow=True)
        self._add(form, "registered_office", placeholder="If different from the address")
        return page

    def _bank_page(self) -> QWidget:
        page, form = self._page(
            "Printed on invoices so that schools know where to pay: check every digit."
        )
        self._add(form, "bank_name", 100, "e.g. Lloyds Bank")
        self._add(form, "bank_account_name", 200)
        self._add(form, "bank_sort_code", 8, "e.g. 20-00-00", narrow=True)
        self._add(form, "bank_account_number", 8, "8 digits", narrow=True)
        sort_code = self.inputs["bank_sort_code"]
        assert isinstance(sort_code, QLineEdit)
        sort_code.editingFinished.connect(
            lambda: sort_code.setText(format_sort_code(sort_code.text().strip()))
        )
        return page

    def _logo_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        note = QLabel(
            "Shown at the top of letters and invoices. Use a PNG or JPEG image "
            f"of at most {MAX_LOGO_BYTES // (1024 * 1024)} MB; a wide logo prints best."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        box.addWidget(note)
        self.logo = ImagePicker(
            self.messages,
            "logo",
            what="logo",
            preview_size=PREVIEW_SIZE,
            check=check_logo,
            choose_text="&Choose logo…",
            remove_text="&Remove logo",
            empty_note="Letters are printed without a logo.",
            taken_note="",
            choose_file=lambda parent: self.choose_file(parent),
        )
        box.addWidget(self.logo)
        # The parts by their names of old, for whoever reaches for them.
        self.logo_preview = self.logo.preview
        self.logo_name = self.logo.name_label
        self.logo_message = self.logo.message
        self.choose_logo_button = self.logo.choose_button
        self.remove_logo_button = self.logo.remove_button
        box.addStretch(1)
        return page

    def _signatory_page(self) -> QWidget:
        page, form = self._page(
            "Who signs the letters: this person, unless a letter's template names someone "
            "else. Formal notices are signed “By order of the Board” by the company secretary."
        )
        try:
            staff = [
                (s.full_name, s.job_title)
                for s in self.services.staff.list_staff(self.services.actor, active_only=True)
            ]
        except ServiceError:
            staff = []
        self.staff_chooser = StaffChooser(staff)
        form.addRow("From the staff", self.staff_chooser)
        self._add(form, "signatory_name", 200, "e.g. Helen Marsh")
        self._add(form, "signatory_position", 200, "e.g. Executive Director")
        self.signature = signature_picker(self.messages)
        self.signature.choose_file = lambda parent: self.choose_file(parent)
        form.addRow(PROFILE_LABELS["signature_image"], self.signature)
        self._add(form, "company_secretary", 200, "Signs formal notices, e.g. notice of the AGM")

        def fill(name: str, job_title: str) -> None:
            for field, value in (("signatory_name", name), ("signatory_position", job_title)):
                widget = self.inputs[field]
                assert isinstance(widget, QLineEdit)
                widget.setText(value)

        self.staff_chooser.picked.connect(fill)
        return page

    def _apply_permissions(self) -> None:
        if self.can_edit:
            return
        for widget in self.inputs.values():
            widget.setReadOnly(True)  # still selectable, so values can be copied
            palette = widget.palette()  # and grey, so nobody tries to type in them
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            widget.setPalette(palette)
        self.logo.set_read_only()
        self.staff_chooser.setEnabled(False)
        self.signature.set_read_only()
        actor = self.services.actor
        self._show_banner(
            f"{actor.name} may look at the organisation's settings but not change them "
            f"(role: {actor.role.value})."
        )
        self.banner.setStyleSheet("background: #eef3f8; padding: 6px; border-radius: 3px;")

    # -- values in and out -------------------------------------------------------------------
    def set_form(self, data: ProfileData) -> None:
        for name in TEXT_FIELDS:
            value = getattr(data, name) or ""
            if name == "bank_sort_code":
                value = format_sort_code(value)
            show_field_text(self.inputs[name], value)
        self.logo.show_problem("")
        self.logo.set_image(data.logo, data.logo_filename)
        self.signature.set_image(data.signature_image, data.signature_image_filename)

    def show_history(self) -> None:
        services = self.services
        record = services.organisation.profile_uuid(services.actor)
        if record is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        HistoryDialog(services, "Organisation profile", record, self).exec()

    def form_data(self) -> ProfileData:
        """What the form holds now, as typed, at the version it was loaded."""
        values: dict[str, str] = {}
        for name, widget in self.inputs.items():
            values[name] = field_text(widget).strip()
        return ProfileData(
            **values,
            logo=self.logo.image,
            logo_filename=self.logo.filename,
            signature_image=self.signature.image,
            signature_image_filename=self.signature.filename,
            version=self._version,
        )

    def is_dirty(self) -> bool:
        return self.form_data() != self._loaded

    def _show_profile(self, profile: ProfileData) -> None:
        self._version = profile.version
        self.set_form(profile)
        self._loaded = self.form_data()

    # -- the logo ----------------------------------------------------------------------------
    def choose_logo(self) -> bool:
        """Ask for an image and show it; True when it was taken (saved with the profile)."""
        return self.logo.choose()

    def remove_logo(self) -> None:
        self.logo.remove()

    # -- saving -----------------------------------------------------------------------------
    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def save(self) -> bool:
        """Save through the service; True when saved (the dialog then closes)."""
        if not self.can_edit:
            return False
        data = self.form_data()
        self.messages.clear()
        self._show_banner("")
        for page_number in range(self.tabs.count()):
            self.tabs.setTabIcon(page_number, QIcon())
        try:
            profile = self.services.organisation.update_profile(self.services.actor, data)
        except ValidationError as exc:
            self._show_errors(exc.field_errors)
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except ServiceError as exc:
            self._show_banner(exc.message)
            return False
        self._show_profile(profile)
        self.saved.emit(profile)
        self.accept()
        return True

    def _show_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.messages.show(errors)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        first_page = -1
        for page_number in range(self.tabs.count()):
            page = self.tabs.widget(page_number)
            names = [
                n
                for n in errors
                if (n in self.inputs or n in IMAGE_FIELDS)
                and page.isAncestorOf(self.messages.widget(n))
            ]
            if names:
                self.tabs.setTabIcon(page_number, warning)
                if first_page < 0:
                    first_page = page_number
                    self.tabs.setCurrentIndex(page_number)
                    self.messages.widget(names[0]).setFocus()
        self._show_banner("\n".join([correction_summary(len(errors)), *unplaced]))

    def _on_conflict(self, exc: ConflictError) -> None:
        answer = ask_about_conflict(self, self.ask, exc.message)
        if answer == KEEP_EDITING:
            self._show_banner(exc.message + " What you typed is still here.")
            return
        mine = self.form_data()
        base = self._loaded
        try:
            latest = self.services.organisation.get_profile(self.services.actor)
        except ServiceError as error:
            self._show_banner(error.message)
            return
        self._show_profile(latest)
        who = exc.changed_by or "the other user"
        if answer == RELOAD:
            self._show_banner(f"Reloaded: this is the profile as {who} saved it.")
            return
        merged, both = merge_changes(base, mine, self._loaded)
        self.set_form(merged)
        text = f"{who}'s changes are now in the form, with yours on top. Check them, then save."
        if both:
            names = ", ".join(PROFILE_LABELS[n] for n in both)
            text += f" You both changed: {names}; your values are the ones shown."
        self._show_banner(text)

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        if self.can_edit and self.is_dirty():
            if not may_close_unsaved(self, self.ask, "the organisation profile", self.save):
                return
        super().reject()
