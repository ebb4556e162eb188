"""A record's History window: every change to it (and to what belongs to it), newest first."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.audit.audit_service import AuditEntry
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.audit.audit_entries import (
    EventsView,
    ExportAnswers,
    export_entries,
    one_line,
)
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.plain_table_model import PlainColumn
from thep_desktop.ui.shared.questions import ask, tell

COLUMNS = (
    PlainColumn("When", "date", "This computer's date and time"),
    PlainColumn("Who", "text", "The login that did it"),
    PlainColumn("What", "text"),
    PlainColumn("Changes", "text", "Choose a row to see every field before and after"),
)


class HistoryDialog(QDialog):
    """``HistoryDialog(services, "Alder Primary School", school.uuid, parent).exec()``.

    Any window showing a record adds one line to offer its history; anyone who may see the
    record may see its history.
    """

    def __init__(
        self, services: Services, title: str, record_uuid: uuid.UUID, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record_uuid = record_uuid
        self.title = title
        self.answers = ExportAnswers(ask, tell)
        self.export_job: BackgroundJob | None = None
        self.setWindowTitle(f"History – {title}")
        self.resize(900, 560)
        self.entries: list[AuditEntry] = []
        self.events = EventsView(COLUMNS, "history_table", self)
        self.model, self.table, self.details = (
            self.events.model,
            self.events.table,
            self.events.details,
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("history_count")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("&Export to Excel…")
        self.export_button.setToolTip("Save this history as an Excel workbook")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)

        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.events, 1)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        try:
            self.entries = self.services.audit.history(self.services.actor, self.record_uuid)
        except ServiceError as exc:
            self.entries = []
            self.count_label.setText(exc.message)
        else:
            count = len(self.entries)
            self.count_label.setText(
                f"{count:,} event{'s' if count != 1 else ''}, newest first."
                if count
                else "Nothing is recorded about this yet."
            )
        self.model.set_rows([(e.when, e.who, self._what(e), one_line(e), e) for e in self.entries])
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 320))
        self.export_button.setEnabled(bool(self.entries))
        if self.entries:
            self.table.selectRow(0)
        self.events.show_details()

    def _what(self, entry: AuditEntry) -> str:
        # The record's own events say what was done; those of what belongs to it say to what.
        if entry.record_uuid == self.record_uuid:
            return entry.action_words
        return f"{entry.action_words} – {entry.what}"

    def export(self) -> None:
        entries = list(self.entries)
        actor = self.services.actor
        self.export_job = export_entries(
            self,
            self.answers,
            f"History of {self.title}",
            len(entries),
            lambda: self.services.audit.table(actor, entries, title=f"History of {self.title}"),
        )
