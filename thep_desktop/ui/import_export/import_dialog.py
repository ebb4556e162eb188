"""Import from a file with a preview first: GIAS establishment data, or pupil numbers.

The user chooses the file (and, for GIAS, the local authority or all of England), sees
what would change (new schools, changed fields old → new, schools GIAS shows as closed,
rows rejected with the reason) and then applies it in one go or closes without changing
anything. Reading and applying run off the main thread with progress and Cancel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.services.import_export.import_preview import ImportPreview, ImportResult
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ConflictError, ServiceError
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import date_field
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.table_export import export_view

GIAS = "gias"
PUPILS = "pupils"

# .txt: what Excel saves as "Unicode text" (UTF-16, tab-separated), which the imports read.
FILE_FILTER = (
    "Spreadsheets and CSV files (*.csv *.xlsx *.txt);;CSV files (*.csv);;"
    "Excel workbooks (*.xlsx);;Unicode text saved by Excel (*.txt)"
)

NEW_COLUMNS = (
    PlainColumn("Row", "integer", "Row number in the file (the header is row 1)"),
    PlainColumn("URN", "integer"),
    PlainColumn("School"),
    PlainColumn("Phase"),
    PlainColumn("Type"),
    PlainColumn("Status"),
    PlainColumn("Postcode"),
    PlainColumn("Pupils", "integer"),
)
CHANGE_COLUMNS = (
    PlainColumn("Row", "integer", "Row number in the file (the header is row 1)"),
    PlainColumn("URN", "integer"),
    PlainColumn("School"),
    PlainColumn("Field"),
    PlainColumn("In the register"),
    PlainColumn("In the file"),
)
CLOSED_COLUMNS = (
    PlainColumn("Row", "integer", "Row number in the file (the header is row 1)"),
    PlainColumn("URN", "integer"),
    PlainColumn("School"),
    PlainColumn("Closing date", "date"),
)
REJECTED_COLUMNS = (
    PlainColumn("Row", "integer", "Row number in the file (the header is row 1)"),
    PlainColumn("Column"),
    PlainColumn("Value"),
    PlainColumn("Reason"),
)


def preview_sentence(preview: ImportPreview) -> str:
    """One line saying what applying the preview would do."""
    parts: list[str] = []
    if preview.kind == GIAS:
        parts.append(_count(len(preview.new), "new school", "new schools"))
    changed_fields = sum(len(c.changes) for c in preview.changed)
    parts.append(
        _count(len(preview.changed), "school with changes", "schools with changes")
        + (f" ({_count(changed_fields, 'field', 'fields')})" if preview.changed else "")
    )
    if preview.kind == GIAS:
        parts.append(_count(len(preview.closed), "school closed", "schools closed") + " in GIAS")
    parts.append(_count(preview.rejected_rows, "row rejected", "rows rejected"))
    parts.append(f"{preview.unchanged:,} unchanged")
    sentence = ", ".join(parts) + "."
    if preview.rows_other_la:
        verb = "was" if preview.rows_other_la == 1 else "were"
        sentence += (
            f" {_count(preview.rows_other_la, 'row', 'rows')} for other local authorities"
            f" {verb} left out."
        )
    if preview.inspections:
        sentence += f" {preview.inspections_words}."
    return sentence


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


class ImportDialog(QDialog):
    """Choose a file, preview, apply. ``applied`` is emitted after a successful apply."""

    applied = Signal(object)

    def __init__(
        self,
        services: Services,
        kind: str = GIAS,
        parent: QWidget | None = None,
        *,
        default_la: str = "",
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.kind = kind
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self.job: BackgroundJob | None = None
        self.ask = ask
        self.tell = tell
        self.choose_file: Callable[[QWidget, str, str], str] = _choose_file
        self.ask_save_path = QFileDialog.getSaveFileName  # tests answer it themselves
        self.export_job: object = None
        self.setWindowTitle("Import schools from GIAS" if kind == GIAS else "Refresh pupil numbers")
        self.resize(980, 640)
        self._build(default_la)
        self._show_preview(None)

    # -- layout ------------------------------------------------------------------------------
    def _build(self, default_la: str) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose the establishment extract downloaded from Get Information about Schools "
            "(“edubasealldata…csv”, or the same columns in an Excel workbook). Nothing changes "
            "until you have seen the preview and chosen Apply. Link officers, notes, contacts "
            "and chairs of governors are the office's own and are never overwritten."
            if self.kind == GIAS
            else "Choose a sheet of pupil numbers with the columns URN, Number of pupils and "
            "Census date (.xlsx or .csv). These are the figures membership fees are based on. "
            "Nothing changes until you have seen the preview and chosen Apply."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        grid = QGridLayout()
        file_label = QLabel("&File:")
        grid.addWidget(file_label, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Choose a .csv or .xlsx file")
        self.path_edit.textChanged.connect(self._file_changed)
        file_label.setBuddy(self.path_edit)
        grid.addWidget(self.path_edit, 0, 1)
        self.browse_button = QPushButton("&Choose…")
        self.browse_button.clicked.connect(self.browse)
        grid.addWidget(self.browse_button, 0, 2)

        self.la_choice = QButtonGroup(self)
        self.only_la = QRadioButton("Schools in &local authority")
        self.all_england = QRadioButton("&All of England")
        self.la_edit = QLineEdit(default_la)
        self.la_edit.setMaxLength(3)
        self.la_edit.setFixedWidth(60)
        self.la_edit.setToolTip("The three-digit DfE local authority code (Tower Hamlets is 211)")
        self.la_edit.textChanged.connect(self._options_changed)
        self.la_choice.addButton(self.only_la)
        self.la_choice.addButton(self.all_england)
        (self.only_la if default_la else self.all_england).setChecked(True)
        self.la_choice.buttonToggled.connect(self._options_changed)
        if self.kind == GIAS:
            row = QHBoxLayout()
            row.addWidget(self.only_la)
            row.addWidget(self.la_edit)
            row.addSpacing(24)
            row.addWidget(self.all_england)
            row.addStretch(1)
            grid.addWidget(QLabel("Which schools:"), 1, 0)
            grid.addLayout(row, 1, 1, 1, 2)
        self.census_edit = date_field(
            hint="Used for rows that give no census date (or when the sheet has no such column)"
        )
        self.census_edit.textChanged.connect(self._options_changed)
        if self.kind == PUPILS:
            census_label = QLabel("Census &date:")
            census_label.setBuddy(self.census_edit)
            row = QHBoxLayout()
            row.addWidget(self.census_edit)
            row.addWidget(QLabel("for rows that give none (optional)"))
            row.addStretch(1)
            grid.addWidget(census_label, 1, 0)
            grid.addLayout(row, 1, 1, 1, 2)
        self.preview_button = QPushButton("&Preview")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.run_preview)
        grid.addWidget(self.preview_button, 2, 2)
        self.option_message = QLabel()
        self.option_message.setStyleSheet("color: #b00020;")
        grid.addWidget(self.option_message, 2, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "background: #fff4ce; border: 1px solid #e0c060; padding: 6px; color: #4a3b00;"
        )
        layout.addWidget(self.warnings)
        # Shown when Apply found the register changed since the preview: the preview is
        # dropped, and one click makes a new one from the same file and choices.
        self.changed_notice = QFrame()
        self.changed_notice.setObjectName("changed_notice")
        self.changed_notice.setStyleSheet(
            "#changed_notice { background: #fdecea; border: 1px solid #d9534f; }"
        )
        notice_row = QHBoxLayout(self.changed_notice)
        self.changed_text = QLabel()
        self.changed_text.setWordWrap(True)
        self.changed_text.setStyleSheet("color: #5f1411;")
        notice_row.addWidget(self.changed_text, 1)
        self.preview_again_button = QPushButton("Make a &new preview")
        self.preview_again_button.clicked.connect(self.run_preview)
        notice_row.addWidget(self.preview_again_button)
        self.changed_notice.hide()
        layout.addWidget(self.changed_notice)

        self.tabs = QTabWidget()
        self.new_model = PlainTableModel(NEW_COLUMNS, parent=self)
        self.change_model = PlainTableModel(CHANGE_COLUMNS, parent=self)
        self.closed_model = PlainTableModel(CLOSED_COLUMNS, parent=self)
        self.rejected_model = PlainTableModel(REJECTED_COLUMNS, parent=self)
        self.views: dict[str, QTableView] = {}
        pages = [("changes", self.change_model), ("rejected", self.rejected_model)]
        if self.kind == GIAS:  # pupil numbers only change schools already in the register
            pages[1:1] = [("closed", self.closed_model)]
            pages.insert(0, ("new", self.new_model))
        for name, model in pages:
            view = _table(model)
            self.views[name] = view
            self.tabs.addTab(view, name)
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(
            "E&xport this list…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.setToolTip(
            "Save the list shown (for example the rejected rows, to correct them) to Excel "
            "or CSV (Ctrl+E)"
        )
        self.export_button.clicked.connect(self.export_list)
        self.apply_button = buttons.addButton(
            "&Apply to the register", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.clicked.connect(self.run_apply)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+O"), self, activated=self.browse)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.export_list)

    def export_list(self) -> None:
        """The list on the page shown, as sorted, to Excel or CSV."""
        view = self.tabs.currentWidget()
        if not isinstance(view, QTableView) or self.preview is None:
            return
        page = self.tabs.tabText(self.tabs.currentIndex()).split(" (")[0]
        title = f"{self.windowTitle()}: {page}"
        self.export_job = export_view(
            self,
            view,
            title,
            f"From {self.preview.source_name}",
            f"{page} {date.today().isoformat()}.xlsx",
            ask_path=self.ask_save_path,
            ask=self.ask,
            tell=self.tell,
        )

    # -- actions -------------------------------------------------------------------------------
    def browse(self) -> None:
        start = self.path_edit.text() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        path = self.choose_file(self, start, FILE_FILTER)
        if path:
            self.path_edit.setText(path)
            self.run_preview()

    def _file_changed(self) -> None:
        self._options_changed()

    def _options_changed(self) -> None:
        # A preview belongs to one file and one choice of schools; anything else is stale.
        if self.preview is not None:
            self._show_preview(None)
            self.summary.setText("The file or the choice of schools changed: preview again.")
        self.option_message.clear()

    def la_code(self) -> str | None:
        if self.kind != GIAS or self.all_england.isChecked():
            return None
        return self.la_edit.text().strip()

    def run_preview(self) -> None:
        path_text = self.path_edit.text().strip()
        if not path_text:
            self.option_message.setText("Choose the file to import first.")
            return
        path = Path(path_text)
        if not path.is_file():
            self.option_message.setText(f"There is no file at {path}.")
            return
        la_code = self.la_code()
        if la_code is not None and not re.fullmatch(r"\d{3}", la_code):
            self.option_message.setText(
                "The local authority code is three digits (Tower Hamlets is 211)."
            )
            self.la_edit.setFocus()
            return
        self.option_message.clear()
        service = self._service()
        actor = self.services.actor
        if self.kind == GIAS:
            fn: Callable[[Any], ImportPreview] = lambda progress: service.preview(  # noqa: E731
                actor, path, la_code=la_code, progress=progress
            )
        else:
            census = self.census_edit.text().strip() or None
            fn = lambda progress: service.preview(  # noqa: E731
                actor, path, progress, census_date=census
            )
        self.job = BackgroundJob(
            self,
            f"Reading {path.name}…",
            fn,
            on_done=self._previewed,
            on_error=lambda exc: self._failed("The file was not read", exc),
            on_cancel=lambda: self.summary.setText("Reading the file was cancelled."),
        ).start()

    def run_apply(self) -> None:
        preview = self.preview
        if preview is None or not preview.has_changes:
            return
        service = self._service()
        actor = self.services.actor
        self.job = BackgroundJob(
            self,
            "Applying the changes…",
            lambda progress: service.apply(actor, preview, progress=progress),
            on_done=self._applied,
            on_error=self._apply_failed,
            on_cancel=lambda: self.summary.setText(
                "Cancelled: nothing was changed in the register. " + preview_sentence(preview)
            ),
        ).start()

    # -- results -------------------------------------------------------------------------------
    def _service(self) -> Any:
        return self.services.gias_import if self.kind == GIAS else self.services.pupil_import

    def _previewed(self, preview: ImportPreview) -> None:
        self._show_preview(preview)

    def _applied(self, result: ImportResult) -> None:
        self.result = result
        self._show_preview(None)
        if result.already_applied:
            self.summary.setText(
                "<b>Nothing left to change:</b> someone else made the same changes to the "
                "register after this preview. The register is up to date."
            )
        else:
            self.summary.setText(f"<b>Done:</b> {result}. The register is up to date.")
        self.applied.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            # The preview no longer says what Apply would do: drop it, say why, and offer a
            # new one from the same file and choices (kept as they are).
            self._show_preview(None)
            self.changed_text.setText(exc.message)
            self.changed_notice.show()
            self.preview_again_button.setFocus()
            return
        self._failed("The changes were not applied", exc)

    def _failed(self, title: str, exc: BaseException) -> None:
        if not isinstance(exc, ServiceError | OSError):
            raise exc
        self.tell(self, title, str(exc))

    def _show_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        if preview is not None:
            self.changed_notice.hide()
        if preview is None:
            self.summary.setText("")
            self.warnings.hide()
            for model in (self.new_model, self.change_model, self.closed_model):
                model.set_rows([])
            self.rejected_model.set_rows([])
            self.apply_button.setEnabled(False)
            self.export_button.setEnabled(False)
            self._label_tabs()
            return
        self.new_model.set_rows(
            [
                (
                    n.row_number,
                    n.urn,
                    n.name,
                    n.data.phase,
                    n.data.establishment_type,
                    getattr(n.data.status, "label", str(n.data.status)),
                    n.data.postcode,
                    n.data.pupils_on_roll,
                )
                for n in preview.new
            ]
        )
        self.change_model.set_rows(
            [
                (c.row_number, c.urn, c.name, f.label, f.old, f.new)
                for c in preview.changed
                for f in c.changes
            ]
        )
        self.closed_model.set_rows(
            [(c.row_number, c.urn, c.name, c.close_date) for c in preview.closed]
        )
        self.rejected_model.set_rows(
            [(r.row_number, r.column, r.value, r.reason) for r in preview.rejected]
        )
        for view in self.views.values():
            view.resizeColumnsToContents()
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column), 260))
        self._label_tabs()
        source = preview.source_name
        scope = f"local authority {preview.la_code}" if preview.la_code else "all of England"
        heading = f"<b>{source}</b>: {preview.rows_read:,} rows read"
        if self.kind == GIAS:
            heading += f" ({scope})"
        self.summary.setText(f"{heading}. {preview_sentence(preview)}")
        if preview.warnings:
            self.warnings.setText("\n".join(preview.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
        self.apply_button.setEnabled(preview.has_changes)
        self.export_button.setEnabled(True)
        if not preview.has_changes:
            self.summary.setText(self.summary.text() + " Nothing in the register would change.")
        # Open on the most useful page: problems first if there are only problems.
        for name in ("new", "changes", "closed", "rejected"):
            view = self.views.get(name)
            if view is not None and view.model().rowCount() > 0:
                self.tabs.setCurrentWidget(view)
                break

    def _label_tabs(self) -> None:
        titles = {
            "new": ("New schools", self.new_model),
            "changes": ("Changes", self.change_model),
            "closed": ("Closed in GIAS", self.closed_model),
            "rejected": ("Rejected rows", self.rejected_model),
        }
        for name, view in self.views.items():
            title, model = titles[name]
            self.tabs.setTabText(self.tabs.indexOf(view), f"{title} ({model.rowCount():,})")

    def reject(self) -> None:
        if self.job is not None and self.job.thread.isRunning():
            return  # the progress dialog's Cancel stops the job first
        super().reject()


def _table(model: PlainTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def _choose_file(parent: QWidget, start: str, file_filter: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the file to import", start, file_filter)
    return path
