"""Memberships > Register of members: the statutory register as at a date, shown or saved."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.pdf_window import show_pdf

_FOLDER_SETTING = "members_register"


class RegisterDialog(QDialog):
    """The register of members (name, address, date admitted, date ceased) as at a date.

    *Show PDF* opens it on the letterhead in the document window (print or save it there);
    *Save as Excel…* writes a workbook. A date that cannot be read is said beside the field.
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        # Injectable for tests: the document window and the file chooser.
        self.show_pdf: Callable[..., object] = show_pdf
        self.ask_save_path = QFileDialog.getSaveFileName
        self.setWindowTitle("Register of members")
        self.setObjectName("members_register_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The statutory register of members (Companies Act 2006, section 113): each "
            "member's name and address, the date it was admitted and the date it ceased, "
            "former members included, as it stood at the end of the day below."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.as_at = date_field(format_date(date.today()), "The register as at the end of this day")
        self.as_at.setObjectName("as_at")
        form.addRow("&As at", self.as_at)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("register_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.pdf_button = push_button(
            "&Show PDF…", self.show_register, "The register on the letterhead, to print or save"
        )
        self.excel_button = push_button(
            "Save as &Excel…", self.save_workbook, "The register as an Excel workbook"
        )
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.excel_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.resize(520, 220)

    def _day(self) -> date | None:
        try:
            return parse_date(self.as_at.text())
        except ValueError as exc:
            self._say(f"As at: {exc}", problem=True)
            self.as_at.setFocus()
            return None

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if problem else "")
        self.message.setText(text)

    def show_register(self) -> None:
        day = self._day()
        if day is None:
            return
        try:
            with tempfile.TemporaryDirectory(prefix="thep-register-") as folder:
                path = Path(folder) / "register.pdf"
                register = self.services.members_register.write_register(
                    self.services.actor, path, day
                )
                data = path.read_bytes()
        except OfficeError as exc:
            self._say(str(exc), problem=True)
            return
        entries = len(register.entries)
        self._say(f"{entries:,} {'entry' if entries == 1 else 'entries'} as at {format_date(day)}.")
        self.show_pdf(
            self,
            data,
            f"Register of members as at {format_date(day)}",
            f"Register of members {day.isoformat()}.pdf",
        )

    def save_workbook(self) -> None:
        day = self._day()
        if day is None:
            return
        start = config.remembered_folder(_FOLDER_SETTING) / f"Register of members {day}.xlsx"
        chosen, _filter = self.ask_save_path(
            self, "Save the register of members", str(start), "Excel workbook (*.xlsx)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.casefold() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            register = self.services.members_register.write_register(self.services.actor, path, day)
        except OfficeError as exc:
            self._say(str(exc), problem=True)
            return
        config.remember_folder(_FOLDER_SETTING, path.parent)
        entries = len(register.entries)
        self._say(
            f"Saved {entries:,} {'entry' if entries == 1 else 'entries'} as at "
            f"{format_date(day)} to {path}."
        )
