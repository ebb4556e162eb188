"""What the fee run, payment, aged debt, statement and reminder dialogs share.

A message line under a dialog (blue for what was done, red for what stopped it), the
customer chooser, the save-file question that remembers its folder, and a background job
whose refusal is said on that line instead of in a box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.dates import parse_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Progress
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import ERROR_STYLE

FOLDER_SETTING = "invoices_folder"
PDF_FILTER = "PDF document (*.pdf)"
XLSX_FILTER = "Excel workbook (*.xlsx)"
CSV_FILTER = "CSV, comma-separated (*.csv)"
DONE_STYLE = "color: #1f4e79;"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]


def close_buttons(dialog: QDialog, *extra: QAbstractButton) -> QDialogButtonBox:
    """Close, with the dialog's own buttons beside it; none of them the Enter key's.

    Enter in a date or filter box then only finishes the typing (it shows the list again),
    instead of closing the dialog or running its first button.
    """
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    for button in extra:
        buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
    for button in buttons.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)
    return buttons


def message_line(name: str) -> QLabel:
    """The line a dialog says what it did, or what stopped it, on."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def say(label: QLabel, text: str, *, problem: bool = False) -> None:
    label.setStyleSheet(ERROR_STYLE if problem else DONE_STYLE)
    label.setText(text)


def parse_money(text: str) -> Decimal | None:
    """An amount typed as 1,050.00 or £1050; None when it is not a sum of money."""
    cleaned = text.strip().replace(",", "").replace("£", "").strip()
    if not cleaned:
        return Decimal("0.00")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value


def typed_date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # a member not yet a customer: its member id


def customer_combo(
    services: Services, selected_id: int | None = None, *, members_too: bool = False
) -> QComboBox:
    """The customers on record (members and others), typed into to find one; with
    ``members_too`` also the members never invoiced yet (a payment may come first)."""
    combo = QComboBox()
    combo.setObjectName("customer")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText("Type part of the customer's name")
    choices = [
        c
        for c in services.invoices.customer_choices(services.actor)
        if c.customer_id is not None or (members_too and c.member_id is not None)
    ]
    for choice in sorted(choices, key=lambda c: c.name.casefold()):
        combo.addItem(choice.label, choice.customer_id)
        if choice.customer_id is None:
            combo.setItemData(combo.count() - 1, choice.member_id, MEMBER_ROLE)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCurrentIndex(combo.findData(selected_id) if selected_id is not None else -1)
    return combo


def chosen_payer(combo: QComboBox) -> tuple[int | None, int | None]:
    """(customer id, None), or (None, member id) for a member not yet a customer; (None,
    None) when nothing is chosen. A name typed in full counts as chosen."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    if index < 0:
        return None, None
    if index != combo.currentIndex():
        combo.setCurrentIndex(index)
    customer_id = combo.itemData(index)
    member_id = combo.itemData(index, MEMBER_ROLE)
    return (
        int(customer_id) if customer_id is not None else None,
        int(member_id) if member_id is not None else None,
    )


def chosen_customer(combo: QComboBox) -> int | None:
    """The customer chosen, also when its name was typed in full rather than picked."""
    return chosen_payer(combo)[0]


def ask_save(
    parent: QWidget,
    ask_path: AskPath,
    caption: str,
    file_name: str,
    file_filter: str,
    suffix: str,
) -> Path | None:
    """Where to save a file (the folder remembered for next time); None when cancelled."""
    start = config.remembered_folder(FOLDER_SETTING) / file_name
    chosen, _filter = ask_path(parent, caption, str(start), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.casefold() != suffix:
        path = path.with_name(path.name + suffix)
    config.remember_folder(FOLDER_SETTING, path.parent)
    return path


def default_ask_path(
    parent: QWidget, caption: str, start: str, file_filter: str
) -> tuple[str, str]:
    return QFileDialog.getSaveFileName(parent, caption, start, file_filter)


def run_job(
    parent: QWidget,
    title: str,
    fn: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    line: QLabel,
) -> BackgroundJob:
    """``fn`` off the main thread with a progress bar; a refusal is said on ``line``."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, OfficeError):
            say(line, str(exc), problem=True)
        else:
            raise exc

    def cancelled() -> None:
        say(line, "Cancelled: nothing was changed.", problem=True)

    return BackgroundJob(parent, title, fn, on_done, failed, cancelled).start()


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def numbers_text(numbers: Sequence[str]) -> str:
    """INV-000001 to INV-000012, or the one number."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return numbers[0]
    return f"{numbers[0]} to {numbers[-1]}"
