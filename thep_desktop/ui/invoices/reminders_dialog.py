"""Invoices > Reminders…: the overdue invoices due a reminder on a day, ticked to include, sent
as one PDF of letters (each recorded, never sent twice)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.fees import money
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.invoices.reminders_service import ReminderResult
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.money_dialog_parts import (
    PDF_FILTER,
    AskPath,
    ask_save,
    close_buttons,
    default_ask_path,
    message_line,
    plural,
    run_job,
    say,
    typed_date,
)
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

COLUMNS = (
    PlainColumn("Send", tooltip="Untick an invoice to leave its reminder for now"),
    PlainColumn("Invoice"),
    PlainColumn("Customer"),
    PlainColumn("Reminder"),
    PlainColumn("Due", "date"),
    PlainColumn("Days overdue", "integer"),
    PlainColumn("Outstanding", "money"),
)


class TickedModel(PlainTableModel):
    """Plain rows with a tick box in the first column (all ticked to start with)."""

    def __init__(self, columns: Any, parent: Any = None) -> None:
        super().__init__(columns, parent=parent)
        self.ticked: list[bool] = []

    def set_rows(self, rows: Any) -> None:
        self.ticked = [True] * len(rows)
        super().set_rows(rows)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == 0:
            if role == Qt.ItemDataRole.CheckStateRole:
                checked = self.ticked[index.row()]
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return ""
        return super().data(index, role)

    def setData(self, index: Any, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            self.ticked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index)
            return True
        return False

    def flags(self, index: Any) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base


def stage_text(stage: Any) -> str:
    return str(getattr(stage, "label", stage))


class RemindersDialog(QDialog):
    """The reminders due on a day; Send lays them out as letters in one PDF and records them."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask_save_path: AskPath = default_ask_path
        self.on_changed: Callable[[], object] = lambda: None
        self.due: list[Any] = []
        self.job: Any = None
        self.setWindowTitle("Reminders")
        self.setObjectName("reminders_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Invoices overdue long enough for their next reminder (1st, 2nd, then final, "
            "on the days after the due date set in Invoice settings). Each reminder is sent "
            "once: sent ones leave this list."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.on = date_field(format_date(date.today()), "The date the letters carry")
        self.on.setObjectName("on")
        self.on.setMaximumWidth(130)
        form.addRow("&Date of the letters", self.on)
        layout.addLayout(form)
        self.model = TickedModel(COLUMNS, parent=self)
        self.table = list_view("reminders_table", self.model, sort_column=None)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("reminders_summary")
        layout.addWidget(self.summary)
        self.message = message_line("reminders_message")
        layout.addWidget(self.message)
        self.send_button = push_button(
            "&Send…", self.send, "Save the ticked reminders as one PDF of letters, and record them"
        )
        layout.addWidget(close_buttons(self, self.send_button))
        self.on.editingFinished.connect(self.reload)
        self.model.dataChanged.connect(lambda *_a: self._show_summary())
        self.resize(940, 520)
        self.reload()

    def _day(self) -> date | None:
        day = typed_date(self.on.text())
        if day is None:
            say(self.message, "Date: type the date as dd/mm/yyyy.", problem=True)
            self.on.setFocus()
        return day

    def reload(self) -> None:
        day = self._day()
        if day is None:
            return
        try:
            self.due = list(self.services.reminders.due(self.services.actor, day))
        except OfficeError as exc:
            say(self.message, str(exc), problem=True)
            return
        self.model.set_rows(
            [
                (
                    "",
                    d.number,
                    d.customer,
                    stage_text(d.stage),
                    d.due_date,
                    d.days_overdue,
                    d.outstanding,
                )
                for d in self.due
            ]
        )
        self.table.resizeColumnsToContents()
        self._show_summary()

    def ticked_ids(self) -> list[int]:
        return [d.invoice_id for d, on in zip(self.due, self.model.ticked, strict=True) if on]

    def _show_summary(self) -> None:
        ticked = self.ticked_ids()
        if not self.due:
            self.summary.setText("No reminders are due.")
        else:
            owed = sum(d.outstanding for d in self.due if d.invoice_id in ticked)
            self.summary.setText(
                f"{plural(len(self.due), 'reminder')} due; {len(ticked)} ticked, "
                f"{money(owed) if ticked else '£0.00'} outstanding on them."
            )
        self.send_button.setEnabled(self.services.actor.can(MANAGE_INVOICES) and bool(ticked))

    def send(self) -> None:
        day = self._day()
        ids = self.ticked_ids()
        if day is None or not ids:
            return
        path = ask_save(
            self,
            self.ask_save_path,
            "Save the reminder letters",
            f"Reminders {day.isoformat()}.pdf",
            PDF_FILTER,
            ".pdf",
        )
        if path is None:
            return
        actor = self.services.actor
        self.job = run_job(
            self,
            "Writing the reminders",
            lambda progress: self.services.reminders.send(
                actor, day, path, invoice_ids=ids, progress=progress
            ),
            lambda result: self._sent(result, path),
            self.message,
        )

    def _sent(self, result: ReminderResult, path: Path) -> None:
        self.reload()
        if not result.letters:
            say(self.message, str(result), problem=True)
        else:
            text = f"Saved {result} to {path}; each recorded as sent."
            for skipped in result.skipped:
                text += f" Left out: {skipped.school_name}: {skipped.reason}"
            say(self.message, text)
        self.on_changed()
