"""The annual report to the Advisory Council: write each section's narrative beside the
section's figures, save it (Ctrl+S), make the PDF (Ctrl+P) and its Excel appendix (Ctrl+E),
and mark it final, after which everything is read-only.

The figures beside each section are the ones the PDF prints: the dashboard's for the year's
last day (today while the year runs), or those kept when the report was marked final. Files
are made on a thread of their own; a save that fails keeps what was typed; closing or
changing year with unsaved text asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.annual_report import SECTIONS
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.annual_report.report_data import value_words
from thep_desktop.services.annual_report.annual_report_permissions import WRITE_ANNUAL_REPORT
from thep_desktop.services.annual_report.annual_report_service import (
    SECTION_AREAS,
    Narrative,
    last_complete_year,
)
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.pdf_window import PDF_FILTER, pdf_file_name, show_pdf
from thep_desktop.ui.shared.questions import Ask, Tell, ask, inform, tell

FOLDER_SETTING = "annual_report_folder"
EXCEL_FILTER = "Excel workbook (*.xlsx)"
YEARS_SHOWN = 8  # this year and the seven before it, and any other year with a report
SAVE, DISCARD, CANCEL = "Save", "Discard", "Cancel"
MAKE_FINAL = "Mark final"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]
ShowPdf = Callable[[QWidget | None, bytes, str, str], object]
AskApproval = Callable[[QWidget, AcademicYear], tuple[str, date] | None]


class ApprovalDialog(QDialog):
    """Who approved the report, and when (default today)."""

    def __init__(self, parent: QWidget, year: AcademicYear) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Mark the {year.label} report final")
        form = QFormLayout(self)
        self.by = QLineEdit(self)
        self.by.setObjectName("approved_by")
        self.by.setPlaceholderText("e.g. the chair of the Advisory Council")
        self.on = QDateEdit(QDate.currentDate(), self)
        self.on.setObjectName("approved_on")
        self.on.setDisplayFormat("dd/MM/yyyy")
        self.on.setCalendarPopup(True)
        form.addRow("Approved by", self.by)
        form.addRow("Approved on", self.on)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def ask_approval(parent: QWidget, year: AcademicYear) -> tuple[str, date] | None:
    dialog = ApprovalDialog(parent, year)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.by.text(), dialog.on.date().toPython()


class AnnualReportDialog(QDialog):
    """One academic year's report: its narrative per section, its files, its approval."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = services.actor
        # Held as attributes so tests answer them without a modal box.
        self.ask: Ask = ask
        self.tell: Tell = tell
        self.inform: Tell = inform
        self.ask_path: AskPath = QFileDialog.getSaveFileName
        self.ask_approval: AskApproval = ask_approval
        self.show_pdf: ShowPdf = show_pdf
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.job: BackgroundJob | None = None
        self.narrative: Narrative | None = None
        self._dirty = False
        self._loading = False
        self.setWindowTitle("Annual report to the Advisory Council")
        self.resize(1000, 680)

        self.year_box = QComboBox(self)
        self.year_box.setObjectName("year")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        top = QFormLayout()
        top.addRow("Academic year", self.year_box)
        top.addRow("Title", self.title_edit)
        top.addRow("", self.status_label)

        self.tabs = QTabWidget(self)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.figure_labels: dict[str, QLabel] = {}
        for key, heading, column in SECTIONS:
            splitter = QSplitter(Qt.Orientation.Horizontal, self.tabs)
            editor = QPlainTextEdit(splitter)
            editor.setObjectName(f"text_{key}")
            editor.setPlaceholderText(
                f"What the office says about {heading.lower()} this year. "
                "Leave a blank line between paragraphs."
            )
            editor.textChanged.connect(self._changed)
            scroll = QScrollArea(splitter)
            scroll.setWidgetResizable(True)
            figures = QLabel(scroll)
            figures.setObjectName(f"figures_{key}")
            figures.setWordWrap(True)
            figures.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            figures.setMargin(6)
            scroll.setWidget(figures)
            scroll.setMinimumWidth(260)
            splitter.addWidget(editor)
            splitter.addWidget(scroll)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 2)
            self.editors[column] = editor
            self.figure_labels[key] = figures
            self.tabs.addTab(splitter, heading)
        self.title_edit.textChanged.connect(self._changed)

        self.save_button = QPushButton("&Save", self)
        self.pdf_button = QPushButton("Make &PDF…", self)
        self.appendix_button = QPushButton("&Appendix (Excel)…", self)
        self.final_button = QPushButton("Mark &final…", self)
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.pdf_button, self.appendix_button, self.final_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(self.make_pdf)
        self.appendix_button.clicked.connect(self.make_appendix)
        self.final_button.clicked.connect(self.mark_final)
        self.close_button.clicked.connect(self.close)
        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.make_pdf),
            (QKeySequence("Ctrl+E"), self.make_appendix),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(slot)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self._fill_years()
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self._shown_year = self.year
        self._load()

    # -- the year --------------------------------------------------------------------------
    @property
    def year(self) -> AcademicYear:
        return AcademicYear(int(self.year_box.currentData()))

    def _fill_years(self) -> None:
        today = date.today()
        this_year = AcademicYear.of(today)
        kept = {r.year: r for r in self.services.annual_report.years(self.actor)}
        years = {AcademicYear(this_year.start_year - n) for n in range(YEARS_SHOWN)} | set(kept)
        default = last_complete_year(today)
        self.year_box.blockSignals(True)
        for year in sorted(years, reverse=True):
            report = kept.get(year)
            words = f" ({report.status.words.lower()})" if report is not None else ""
            self.year_box.addItem(f"{year.label}{words}", year.start_year)
            if year == default:
                self.year_box.setCurrentIndex(self.year_box.count() - 1)
        self.year_box.blockSignals(False)

    def _year_chosen(self) -> None:
        if self.year == self._shown_year:
            return
        if not self._settle_unsaved():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self._shown_year.start_year))
            self.year_box.blockSignals(False)
            return
        self._shown_year = self.year
        self._load()

    def _load(self) -> None:
        year = self.year
        try:
            narrative = self.services.annual_report.narrative(self.actor, year)
        except OfficeError as exc:
            self.tell(self, "Annual report", str(exc))
            return
        self._show(narrative)
        self._show_figures(year)

    def _show(self, narrative: Narrative) -> None:
        self.narrative = narrative
        self._loading = True
        try:
            self.title_edit.setText(narrative.title)
            for column, editor in self.editors.items():
                editor.setPlainText(narrative.texts.get(column, ""))
        finally:
            self._loading = False
        self._dirty = False
        self._update_state()

    def _show_figures(self, year: AcademicYear) -> None:
        if year.first_day > date.today():
            words = f"{year.label} has not begun yet."
            for label in self.figure_labels.values():
                label.setText(words)
            return
        try:
            as_at, sections = self.services.annual_report.section_figures(self.actor, year)
        except OfficeError as exc:
            for label in self.figure_labels.values():
                label.setText(str(exc))
            return
        final = self.narrative is not None and self.narrative.final
        kept = " (kept when the report was marked final)" if final else ""
        for section in sections:
            label = self.figure_labels[section.key]
            heading = f"<b>{_html(section.heading)}: figures as at {format_date(as_at)}</b>"
            if section.key not in SECTION_AREAS:
                label.setText(
                    f"<b>Figures as at {format_date(as_at)}</b>{_html(kept)}<br/>The "
                    "introduction has no figures of its own: each section's are beside it."
                )
                continue
            lines = [heading + _html(kept)]
            if section.empty_words:
                lines.append(_html(section.empty_words))
            for figure in section.figures:
                detail = f" <i>({_html(figure.detail)})</i>" if figure.detail else ""
                lines.append(f"{_html(figure.label)}: <b>{_html(figure.value)}</b>{detail}")
            for chart in section.charts:
                lines.append(f"<br/><b>{_html(chart.title)}</b>")
                for index, category in enumerate(chart.categories):
                    values = ", ".join(
                        (f"{_html(s.name)} " if len(chart.series) > 1 else "")
                        + value_words(s.values[index], chart.unit)
                        for s in chart.series
                    )
                    lines.append(f"{_html(category)}: {values}")
            label.setText("<br/>".join(lines))

    # -- state -----------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def _changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self._update_state()

    @property
    def may_write(self) -> bool:
        return self.actor.can(WRITE_ANNUAL_REPORT)

    def _update_state(self) -> None:
        narrative = self.narrative
        final = narrative is not None and narrative.final
        editable = self.may_write and not final
        for editor in self.editors.values():
            editor.setReadOnly(not editable)
        self.title_edit.setReadOnly(not editable)
        self.save_button.setEnabled(editable and self._dirty)
        self.final_button.setEnabled(editable)
        if narrative is None:
            self.status_label.setText("")
            return
        words = narrative.status_words
        if not self.may_write and not final:
            words += f" {self.actor.name} may read the report but not change it."
        if self._dirty:
            words += " Unsaved changes."
        self.status_label.setText(words)
        marker = "* " if self._dirty else ""
        self.setWindowTitle(
            f"{marker}Annual report to the Advisory Council {self.year.label}"
            + (" (final)" if final else "")
        )

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save the narrative; on failure say why and keep what was typed."""
        narrative = self.narrative
        if narrative is None or not self.may_write or narrative.final:
            return False
        if not self._dirty:
            return True
        texts = {column: editor.toPlainText() for column, editor in self.editors.items()}
        try:
            saved = self.services.annual_report.save_narrative(
                self.actor,
                self.year,
                texts,
                title=self.title_edit.text(),
                expected_version=narrative.version,
            )
        except OfficeError as exc:
            self.tell(self, "The report was not saved", str(exc))
            return False
        self.narrative = saved
        self._dirty = False
        self._update_state()
        self._refresh_year_label(saved)
        return True

    def _refresh_year_label(self, narrative: Narrative) -> None:
        index = self.year_box.findData(narrative.year.start_year)
        if index >= 0:
            self.year_box.setItemText(
                index, f"{narrative.year.label} ({narrative.status.words.lower()})"
            )

    def _settle_unsaved(self) -> bool:
        """Ask what to do with unsaved text; False when the user chose to stay."""
        if not self._dirty:
            return True
        answer = self.ask(
            self,
            "Unsaved changes",
            f"The {self._shown_year.label} report has changes that are not saved.",
            [SAVE, DISCARD, CANCEL],
        )
        if answer == SAVE:
            return self.save()
        return answer == DISCARD

    def mark_final(self) -> None:
        narrative = self.narrative
        if narrative is None or narrative.final or not self.may_write:
            return
        year = self.year
        if self._dirty and not self.save():
            return
        approval = self.ask_approval(self, year)
        if approval is None:
            return
        by, on = approval
        question = (
            f"Mark the {year.label} report final, approved by {by.strip() or '(nobody named)'} "
            f"on {format_date(on)}?\n\nThis cannot be undone: the report's text can never be "
            "changed afterwards, and it keeps the figures shown now."
        )
        if self.ask(self, "Mark final", question, [MAKE_FINAL, CANCEL]) != MAKE_FINAL:
            return
        current = self.narrative
        try:
            done = self.services.annual_report.mark_final(
                self.actor, year, by, on, current.version if current else None
            )
        except OfficeError as exc:
            self.tell(self, "The report was not marked final", str(exc))
            return
        self._show(done)
        self._show_figures(year)  # now the figures kept with it
        self._refresh_year_label(done)

    # -- files -----------------------------------------------------------------------------
    def _target(self, caption: str, name: str, filters: str, suffix: str) -> Path | None:
        start = config.remembered_folder(FOLDER_SETTING) / name
        chosen, _filter = self.ask_path(self, caption, str(start), filters)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.casefold() != suffix:
            path = path.with_name(path.name + suffix)
        config.remember_folder(FOLDER_SETTING, path.parent)
        return path

    def _ready_for_files(self) -> bool:
        """Unsaved text is saved first (the files print what is saved)."""
        if not self._dirty:
            return True
        return self.save() if self.may_write else True

    def make_pdf(self) -> BackgroundJob | None:
        if self.job is not None or not self._ready_for_files():
            return None
        year = self.year
        name = pdf_file_name(f"Annual report {year.label.replace('/', '-')}")
        target = self._target("Make the annual report", name, PDF_FILTER, ".pdf")
        if target is None:
            return None
        service, actor = self.services.annual_report, self.actor

        def work(progress: Progress) -> Any:
            progress.report(0, 0, "Laying out the annual report…")
            return service.write_pdf(actor, year, target)

        def done(data: Any) -> None:
            try:
                pdf = target.read_bytes()
            except OSError as exc:
                self.tell(self, "Annual report", f"{target} was saved but cannot be shown: {exc}.")
                return
            self.show_pdf(self, pdf, data.title, target.name)

        return self._run("Making the annual report…", work, done, "The PDF was not made")

    def make_appendix(self) -> BackgroundJob | None:
        if self.job is not None or not self._ready_for_files():
            return None
        year = self.year
        name = f"Annual report {year.label.replace('/', '-')} appendix.xlsx"
        target = self._target("Save the appendix", name, EXCEL_FILTER, ".xlsx")
        if target is None:
            return None
        service, actor = self.services.annual_report, self.actor

        def work(progress: Progress) -> Any:
            progress.report(0, 0, "Writing the appendix…")
            return service.write_appendix(actor, year, target)

        def done(data: Any) -> None:
            count = len(data.tables())
            message = f"Wrote the appendix ({count} table{'s' if count != 1 else ''}) to {target}."
            if self.ask(self, "Appendix", f"{message}\n\nOpen it now?", ["Open", "Close"]) == (
                "Open"
            ):
                self.open_url(QUrl.fromLocalFile(str(target)))

        return self._run("Writing the appendix…", work, done, "The appendix was not written")

    def _run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        done: Callable[[Any], None],
        failed_title: str,
    ) -> BackgroundJob:
        def finished(result: Any) -> None:
            self.job = None
            done(result)

        def failed(exc: BaseException) -> None:
            self.job = None
            if not isinstance(exc, OfficeError):
                raise exc
            self.tell(self, failed_title, str(exc))

        def cancelled() -> None:
            self.job = None

        self.job = BackgroundJob(self, title, work, finished, failed, cancelled).start()
        return self.job

    # -- closing ---------------------------------------------------------------------------
    def reject(self) -> None:  # Esc
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.job is not None or not self._settle_unsaved():
            event.ignore()
            return
        event.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_annual_report(services: Services, parent: QWidget | None = None) -> AnnualReportDialog:
    """Open the annual report's window (the lead calls this from the menus)."""
    dialog = AnnualReportDialog(services, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog
