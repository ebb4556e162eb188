"""A school's profile in one window: the register at the top, then a tab for each section
(membership and fees, invoices, peer reviews, Ofsted history, letters, notes); printable.

Non-modal: several schools' profiles can be open beside the main window. Everything shown is
read by ``services.school_profile`` in one go (F5 reads it again); the Ofsted history's and the
notes' buttons open the dialogs that record them, and the profile is read again after.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from thep_desktop import config
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.reports.schools.profile_data import (
    NO_FEES,
    NO_INSPECTIONS,
    NO_INVOICES,
    NO_LETTERS,
    NO_MEMBERSHIP,
    NO_NOTES,
    NO_REVIEWS_GIVEN,
    NO_REVIEWS_HOSTED,
    ReviewLine,
    SchoolProfile,
    register_facts,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.roles import ROW_ROLE, SORT_ROLE

# Ctrl+I is File > Import schools from GIAS; the profile takes Ctrl+Shift+O ("overview").
PROFILE_KEY = "Ctrl+Shift+O"
FOLDER_SETTING = "profiles_folder"
PDF_FILTER = "PDF documents (*.pdf)"

AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]

_PERIODS = (
    PlainColumn("Category"),
    PlainColumn("Applied", "date"),
    PlainColumn("Admitted", "date"),
    PlainColumn("Notice given", "date"),
    PlainColumn("Ceased", "date"),
    PlainColumn("Standing"),
)
_FEES = (
    PlainColumn("Year"),
    PlainColumn("Category"),
    PlainColumn("Fee", "money"),
    PlainColumn("Working"),
    PlainColumn("Invoiced", "money"),
    PlainColumn("Still owed", "money"),
)
_INVOICES = (
    PlainColumn("Date", "date"),
    PlainColumn("Number"),
    PlainColumn("Kind"),
    PlainColumn("Due", "date"),
    PlainColumn("Reference"),
    PlainColumn("Total", "money"),
    PlainColumn("Paid", "money"),
    PlainColumn("Credited", "money"),
    PlainColumn("Outstanding", "money"),
)
_HOSTED = (
    PlainColumn("Visit", "date"),
    PlainColumn("Cycle"),
    PlainColumn("Status"),
    PlainColumn("Since", "date"),
    PlainColumn("Visiting schools"),
    PlainColumn("Reviewers"),
)
_GIVEN = (
    PlainColumn("Visit", "date"),
    PlainColumn("Cycle"),
    PlainColumn("Status"),
    PlainColumn("Since", "date"),
    PlainColumn("School reviewed"),
    PlainColumn("The school's reviewers"),
)
_INSPECTIONS = (
    PlainColumn("Inspected", "date"),
    PlainColumn("Published", "date"),
    PlainColumn("Type"),
    PlainColumn("Outcome"),
    PlainColumn("From"),
    PlainColumn("Notes"),
)
_LETTERS = (
    PlainColumn("Sent", "date"),
    PlainColumn("Subject"),
    PlainColumn("Letter"),
    PlainColumn("To"),
    PlainColumn("Our ref"),
    PlainColumn("Sent by"),
)
_NOTES = (
    PlainColumn("Date", "date"),
    PlainColumn("Author"),
    PlainColumn("Subject"),
    PlainColumn("Note"),
)


class _Section:
    """One list of the profile: its table (sortable) and the words shown when it is empty."""

    def __init__(self, name: str, columns: Sequence[PlainColumn], empty: str) -> None:
        self.model = PlainTableModel(columns)
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = list_view(name, self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel(empty)
        self.empty.setObjectName(f"{name}_empty")
        self.empty.setStyleSheet("color: #666")

    def set_rows(self, rows: Sequence[Sequence[Any]], sort_column: int | None = 0) -> None:
        """Show ``rows``, newest first by ``sort_column`` (None: in the order given)."""
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows:
            if sort_column is not None:
                self.table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                if self.table.columnWidth(column) > 320:
                    self.table.setColumnWidth(column, 320)

    def shown(self) -> list[tuple[Any, ...]]:
        """The rows as the table shows them (sorted), each with its record's values."""
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def selected(self) -> tuple[Any, ...] | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def widgets(self) -> list[QWidget]:
        return [self.empty, self.table]


class SchoolProfileWindow(QDialog):
    """One school's profile. Tests replace ``ask_save_path``, ``ask``, ``tell`` and
    ``run_dialog`` to drive it without real boxes."""

    def __init__(self, services: Services, urn: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.urn = urn
        self.profile: SchoolProfile | None = None
        self.ask_save_path: AskPath = QFileDialog.getSaveFileName
        self.ask = ask
        self.tell = tell
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        # Shows a letter as it was sent (tests replace it to see what would be shown).
        self.show_pdf: Callable[[QWidget, bytes, str, str], object] = _show_pdf
        self.setObjectName("school_profile_window")
        self.setModal(False)
        self.setWindowTitle("School profile")
        self.resize(980, 680)
        self._build()
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("profile_summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("profile_tabs")
        self.register_view = _Section(
            "register_table", (PlainColumn("Detail"), PlainColumn("Recorded")), ""
        )
        self.register_view.table.setSortingEnabled(False)
        self.periods = _Section("periods_table", _PERIODS, NO_MEMBERSHIP)
        self.fees = _Section("fees_table", _FEES, NO_FEES)
        self.invoices = _Section("invoices_table", _INVOICES, NO_INVOICES)
        self.balance = QLabel()
        self.balance.setObjectName("profile_balance")
        self.hosted = _Section("hosted_table", _HOSTED, NO_REVIEWS_HOSTED)
        self.given = _Section("given_table", _GIVEN, NO_REVIEWS_GIVEN)
        self.inspections = _Section("inspections_table", _INSPECTIONS, NO_INSPECTIONS)
        self.letters = _Section("letters_table", _LETTERS, NO_LETTERS)
        self.notes = _Section("notes_table", _NOTES, NO_NOTES)
        self.letters.table.setToolTip("Double-click or Enter: the letter exactly as it was sent")
        self.note_text = QLabel()
        self.note_text.setObjectName("note_text")
        self.note_text.setWordWrap(True)
        self.note_text.setTextFormat(Qt.TextFormat.PlainText)
        self.note_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.add_inspection_button = QPushButton("&Add inspection…")
        self.edit_inspection_button = QPushButton("&Edit…")
        self.delete_inspection_button = QPushButton("&Delete")
        self.add_note_button = QPushButton("Add &note…")
        self.edit_note_button = QPushButton("&Edit…")
        self.delete_note_button = QPushButton("&Delete")

        self._tab("Register", [*self.register_view.widgets()])
        self._tab(
            "Membership and fees",
            [
                *self.periods.widgets(),
                _heading("Fees by academic year"),
                *self.fees.widgets(),
            ],
        )
        self._tab("Invoices and balance", [*self.invoices.widgets(), self.balance])
        self._tab(
            "Peer reviews",
            [
                _heading("Hosted"),
                *self.hosted.widgets(),
                _heading("Given at other schools"),
                *self.given.widgets(),
            ],
        )
        self._tab(
            "Ofsted history",
            [
                *self.inspections.widgets(),
                _buttons(
                    self.add_inspection_button,
                    self.edit_inspection_button,
                    self.delete_inspection_button,
                ),
            ],
        )
        self._tab("Correspondence", [*self.letters.widgets()])
        self._tab(
            "Notes",
            [
                *self.notes.widgets(),
                self.note_text,
                _buttons(self.add_note_button, self.edit_note_button, self.delete_note_button),
            ],
        )
        layout.addWidget(self.tabs, 1)

        self.print_button = QPushButton("&Print / Save as PDF…")
        self.print_button.setToolTip("Save the profile as a PDF on the letterhead (Ctrl+P)")
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read the school's records again (F5)")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the profile (Esc)")
        self.close_button.setAutoDefault(False)
        self.status = QLabel()
        self.status.setObjectName("profile_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.print_action = QAction("Print / Save as PDF…", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(lambda _checked=False: self.print_profile())
        self.refresh_action = QAction("Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(lambda _checked=False: self.refresh())
        self.addActions([self.print_action, self.refresh_action])

        # Enter in a list must not press whichever button last had the focus.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_profile)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.reject)
        self.add_inspection_button.clicked.connect(self.add_inspection)
        self.edit_inspection_button.clicked.connect(self.edit_inspection)
        self.delete_inspection_button.clicked.connect(self.delete_inspection)
        self.add_note_button.clicked.connect(self.add_note)
        self.edit_note_button.clicked.connect(self.edit_note)
        self.delete_note_button.clicked.connect(self.delete_note)
        for section in (self.inspections, self.notes):
            section.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.inspections.table.doubleClicked.connect(lambda _index: self.edit_inspection())
        self.notes.table.doubleClicked.connect(lambda _index: self.edit_note())
        self.notes.table.selectionModel().selectionChanged.connect(self._show_note)
        self.letters.table.doubleClicked.connect(lambda _index: self.open_letter())
        self.letters.table.activated.connect(lambda _index: self.open_letter())

    def _tab(self, title: str, widgets: list[QWidget]) -> None:
        page = QWidget()
        page_layout = QVBoxLayout(page)
        for widget in widgets:
            stretch = 1 if isinstance(widget, QTableView) else 0
            page_layout.addWidget(widget, stretch)
        page_layout.addStretch(0)
        self.tabs.addTab(page, title)

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Read the school's profile again and show it; False (said in words) when it cannot."""
        try:
            found = self.services.school_profile.profile(self.services.actor, self.urn)
        except ServiceError as exc:
            self.status.setText(exc.message)
            self.summary.setText(f"<p>{html.escape(exc.message)}</p>")
            self.print_button.setEnabled(False)
            self._update_buttons()
            return False
        self.profile = found
        self.print_button.setEnabled(True)
        self._show(found)
        self._update_buttons()
        return True

    def _show(self, profile: SchoolProfile) -> None:
        r = profile.register
        self.setWindowTitle(f"School profile – {r.name}")
        concern = " · <b style='color:#a4262c'>causing concern</b>" if r.causing_concern else ""
        facts = " · ".join(
            html.escape(p)
            for p in (
                f"URN {r.urn}",
                r.phase,
                r.status,
                f"Link officer: {r.link_officer or 'none named'}",
                profile.membership_status,
                f"Ofsted: {profile.latest_outcome}",
                f"Balance {_pounds(abs(profile.balance))} {profile.balance_words}",
            )
            if p
        )
        self.summary.setText(
            f"<h2 style='margin:0'>{html.escape(r.name)}</h2><p>{facts}{concern}</p>"
            f"<p style='color:#666'>As at {format_date(profile.as_at)}</p>"
        )
        self.register_view.set_rows(register_facts(profile, line_break=", "), sort_column=None)
        self.periods.set_rows(
            [
                (
                    m.category,
                    m.applied_on,
                    m.admitted_on,
                    m.notice_received_on,
                    m.ceased_on,
                    m.status,
                )
                for m in profile.memberships
            ],
            sort_column=1,
        )
        self.fees.set_rows(
            [
                (
                    f.year,
                    f.category,
                    f.fee,
                    f.working,
                    f.invoiced,
                    f.outstanding,
                )
                for f in profile.fees
            ]
        )
        self.invoices.set_rows(
            [
                (
                    i.invoice_date,
                    i.number,
                    i.kind,
                    i.due_date,
                    i.reference,
                    i.total,
                    i.paid if i.kind == "Invoice" else None,
                    i.credited if i.kind == "Invoice" else None,
                    i.outstanding,
                )
                for i in profile.invoices
            ]
        )
        self.balance.setText(
            f"Balance on {format_date(profile.as_at)}: {_pounds(abs(profile.balance))} "
            f"{profile.balance_words} (owed on invoices {_pounds(profile.owed)}, credit held "
            f"{_pounds(profile.credit_held)})."
        )
        self.hosted.set_rows(_review_rows(profile.reviews_hosted))
        self.given.set_rows(_review_rows(profile.reviews_given))
        self.inspections.set_rows(
            [
                (
                    i.inspected_on,
                    i.published_on,
                    i.kind,
                    i.outcome,
                    i.source.capitalize(),
                    i.notes,
                    i.id,
                    i.version,
                )
                for i in profile.inspections
            ]
        )
        self.letters.set_rows(
            [
                (
                    letter.sent_on,
                    letter.subject,
                    letter.template_name,
                    letter.recipient,
                    letter.our_ref,
                    letter.sent_by,
                    letter.id,
                )
                for letter in profile.letters
            ]
        )
        self.notes.set_rows(
            [(n.noted_on, n.author, n.subject, n.text, n.id, n.version) for n in profile.notes]
        )
        self._show_note()

    def _show_note(self, *_args: object) -> None:
        """The chosen note in full under the list (the list shows its first line)."""
        row = self.notes.selected()
        self.note_text.setText("" if row is None else row[3])

    def open_letter(self) -> object:
        """The chosen letter exactly as it was sent, in a document window."""
        row = self.letters.selected()
        if row is None or self.profile is None:
            return None
        try:
            data = self.services.letters.correspondence_pdf(self.services.actor, row[-1])
        except ServiceError as exc:
            self.tell(self, "Cannot open this letter", exc.message)
            return None
        what = row[1] or row[2]
        school = self.profile.register.name
        title = f"{what} – {school}, sent {format_date(row[0])}"
        return self.show_pdf(self, data, title, f"{school} - {row[2]} - {row[0].isoformat()}")

    def _update_buttons(self, *_args: object) -> None:
        can_edit = self.services.actor.can(EDIT_SCHOOLS) and self.profile is not None
        self.add_inspection_button.setEnabled(can_edit)
        self.add_note_button.setEnabled(can_edit)
        inspection = can_edit and self.inspections.selected() is not None
        note = can_edit and self.notes.selected() is not None
        for button in (self.edit_inspection_button, self.delete_inspection_button):
            button.setEnabled(inspection)
        for button in (self.edit_note_button, self.delete_note_button):
            button.setEnabled(note)
        if not self.services.actor.can(EDIT_SCHOOLS):
            why = "Your role may look at the profile but not change the school's records."
            for button in (
                self.add_inspection_button,
                self.edit_inspection_button,
                self.delete_inspection_button,
                self.add_note_button,
                self.edit_note_button,
                self.delete_note_button,
            ):
                button.setToolTip(why)

    # -- printing ---------------------------------------------------------------------------
    def print_profile(self) -> Path | None:
        """Save the profile as a PDF where the user chooses; the path, or None."""
        if self.profile is None:
            return None
        name = _file_name(f"School profile - {self.profile.register.name} - {date.today()}")
        start = config.remembered_folder(FOLDER_SETTING) / f"{name}.pdf"
        chosen, _filter = self.ask_save_path(
            self, "Save the school profile as a PDF", str(start), PDF_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            self.services.school_profile.write_profile(self.services.actor, self.urn, path)
        except OfficeError as exc:
            self.tell(self, "The profile was not saved", str(exc))
            return None
        config.remember_folder(FOLDER_SETTING, path.parent)
        self.status.setText(f"Saved to {path}.")
        return path

    # -- the Ofsted history and the notes -----------------------------------------------------
    def add_inspection(self) -> None:
        from thep_desktop.ui.schools.inspection_dialog import InspectionDialog

        self._run(InspectionDialog(self.services, self._school_id(), None, self))

    def edit_inspection(self) -> None:
        row = self.inspections.selected()
        if row is None or not self.edit_inspection_button.isEnabled():
            return
        from thep_desktop.ui.schools.inspection_dialog import InspectionDialog

        self._run(InspectionDialog(self.services, self._school_id(), row[-2], self))

    def delete_inspection(self) -> None:
        row = self.inspections.selected()
        if row is None or not self.delete_inspection_button.isEnabled():
            return
        question = f"Delete the inspection of {format_date(row[0])} ({row[2]}) from the history?"
        if self.ask(self, "Delete inspection", question, ["Delete", "Cancel"]) != "Delete":
            return
        self._change(
            lambda: self.services.ofsted.delete_inspection(self.services.actor, row[-2], row[-1])
        )

    def add_note(self) -> None:
        from thep_desktop.ui.schools.school_note_dialog import SchoolNoteDialog

        self._run(SchoolNoteDialog(self.services, self._school_id(), None, self))

    def edit_note(self) -> None:
        row = self.notes.selected()
        if row is None or not self.edit_note_button.isEnabled():
            return
        from thep_desktop.ui.schools.school_note_dialog import SchoolNoteDialog

        self._run(SchoolNoteDialog(self.services, self._school_id(), row[-2], self))

    def delete_note(self) -> None:
        row = self.notes.selected()
        if row is None or not self.delete_note_button.isEnabled():
            return
        question = f"Delete the note of {format_date(row[0])} ({row[2] or 'no subject'})?"
        if self.ask(self, "Delete note", question, ["Delete", "Cancel"]) != "Delete":
            return
        self._change(
            lambda: self.services.school_notes.delete_note(self.services.actor, row[-2], row[-1])
        )

    def _school_id(self) -> int:
        assert self.profile is not None
        return self.profile.school_id

    def _run(self, dialog: QDialog) -> None:
        self.run_dialog(dialog)
        self.refresh()

    def _change(self, change: Callable[[], object]) -> None:
        try:
            change()
        except ServiceError as exc:
            self.tell(self, "Not changed", exc.message)
        self.refresh()


def open_school_profile(
    services: Services, urn: int, parent: QWidget | None = None
) -> SchoolProfileWindow:
    """Open the school's profile beside the main window (not modal) and bring it to the front."""
    window = SchoolProfileWindow(services, urn, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def _show_pdf(parent: QWidget, data: bytes, title: str, name: str) -> object:
    # The document window (and Qt's PDF modules) load when a letter is first opened.
    from thep_desktop.ui.shared.pdf_window import show_pdf

    return show_pdf(parent, data, title, name)


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{html.escape(text)}</b>")
    return label


def _buttons(*buttons: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        layout.addWidget(button)
    layout.addStretch(1)
    return row


def _pounds(value: Any) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _file_name(text: str) -> str:
    """A name Windows accepts: the characters it refuses left out."""
    return "".join(c for c in text if c not in '<>:"/\\|?*').strip()


def _review_rows(lines: Sequence[ReviewLine]) -> list[tuple[Any, ...]]:
    return [
        (
            r.starts_on,
            r.cycle,
            r.status,
            r.status_on,
            ", ".join(r.schools),
            ", ".join(r.reviewers),
            r.review_id,
        )
        for r in lines
    ]
