"""What the History window and the audit screen share: an event's table row and its details."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QSplitter,
    QTextBrowser,
    QWidget,
)

from thep_desktop.reports.shared.spreadsheet import TableData
from thep_desktop.services.audit.audit_service import AuditEntry
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import Ask, Tell
from thep_desktop.ui.shared.table_export import AskPath, export_built, safe_file_stem

EMPTY_DETAILS = "<p style='color:#666'>Choose an event above to see what it changed.</p>"


def one_line(entry: AuditEntry) -> str:
    """The changes on one line for a table cell (the details pane shows them in full)."""
    text = entry.changes_text.replace("\n", "; ") or entry.detail
    return text if len(text) <= 200 else text[:199] + "…"


def details_html(entry: AuditEntry | None) -> str:
    """An event in full: what, who, when, and each field before and after."""
    if entry is None:
        return EMPTY_DETAILS
    e = html.escape
    parts = [
        f"<p><b>{e(entry.action_words)}</b> {e(entry.what)}<br>"
        f"by <b>{e(entry.who)}</b> on {entry.when:%d/%m/%Y at %H:%M:%S} "
        f"<span style='color:#666'>(event {entry.seq:,})</span></p>"
    ]
    if entry.detail:
        parts.append(f"<p>{e(entry.detail)}</p>")
    if entry.changes:
        rows = "".join(
            f"<tr><td><b>{e(c.label)}</b></td><td>{e(c.before) or '&nbsp;'}</td>"
            f"<td>{e(c.after) or '&nbsp;'}</td></tr>"
            for c in entry.changes
        )
        parts.append(
            "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#bbb'>"
            "<tr style='background:#eee'><th align='left'>Field</th><th align='left'>Before"
            f"</th><th align='left'>After</th></tr>{rows}</table>"
        )
    if entry.record_uuid:
        parts.append(f"<p style='color:#666'>Record's id: {entry.record_uuid}</p>")
    return "".join(parts)


class EventsView(QSplitter):
    """A table of events over the details of the one chosen (each row's last value is its
    :class:`AuditEntry`, not shown)."""

    def __init__(self, columns: Sequence[PlainColumn], name: str, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.model = PlainTableModel(columns, parent=self)
        self.table = list_view(name, self.model, alternating=False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.details = QTextBrowser()
        self.details.setObjectName("audit_details")
        self.details.setOpenLinks(False)
        self.details.setHtml(EMPTY_DETAILS)
        self.addWidget(self.table)
        self.addWidget(self.details)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_details())

    def selected_entry(self) -> AuditEntry | None:
        current = self.table.currentIndex()
        if not current.isValid():
            return None
        return self.model.row_values(current.row())[-1]

    def show_details(self) -> None:
        self.details.setHtml(details_html(self.selected_entry()))


class ExportAnswers:
    """How an export asks where and tells the outcome (tests replace these on the window)."""

    def __init__(self, ask: Ask, tell: Tell) -> None:
        self.ask = ask
        self.tell = tell
        self.ask_save_path: AskPath = QFileDialog.getSaveFileName
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl


def export_entries(
    parent: QWidget,
    answers: ExportAnswers,
    title: str,
    count: int,
    build: Callable[[], TableData],
    show_status: Callable[[str], None] | None = None,
) -> BackgroundJob | None:
    """Ask where, then write the events to Excel (or CSV) in the background, as File >
    Export does for any table."""
    from datetime import date

    return export_built(
        parent,
        title,
        count,
        build,
        f"{safe_file_stem(title)} {date.today().isoformat()}.xlsx",
        ask_path=answers.ask_save_path,
        ask=answers.ask,
        tell=answers.tell,
        open_url=answers.open_url,
        show_status=show_status,
    )


def entry_values(entries: Sequence[AuditEntry]) -> list[tuple[Any, ...]]:
    """The audit screen's rows: number, when, who, what was done, record, changes."""
    return [(e.seq, e.when, e.who, e.action_words, e.what, one_line(e)) for e in entries]
