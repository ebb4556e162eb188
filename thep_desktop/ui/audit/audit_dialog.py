"""Settings > Audit trail: the administrators' search of everything done, with its check."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import parse_date
from thep_desktop.services.audit.audit_service import (
    ACTION_WORDS,
    DEFAULT_LIMIT,
    AuditFilters,
    AuditPage,
    TrailCheck,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.audit.audit_entries import (
    EventsView,
    ExportAnswers,
    entry_values,
    export_entries,
)
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import date_field
from thep_desktop.ui.shared.plain_table_model import PlainColumn
from thep_desktop.ui.shared.questions import ask, tell

SEARCH_DELAY_MS = 300  # typing pauses this long before the trail is searched
COLUMNS = (
    PlainColumn("No.", "integer", "The event's number in the trail (1, 2, 3… without gaps)"),
    PlainColumn("When", "date", "This computer's date and time"),
    PlainColumn("Who", "text", "The login that did it"),
    PlainColumn("What", "text"),
    PlainColumn("Record", "text"),
    PlainColumn("Changes", "text", "Choose a row to see every field before and after"),
)
ANYONE, ANY_ACTION, ANY_KIND = "Anyone", "Any action", "Any kind of record"


class AuditDialog(QDialog):
    """Search the trail as you type, filter it, read an event in full, export, check it."""

    def __init__(self, services: Services, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services = services
        self.answers = ExportAnswers(ask, tell)
        self.export_job: BackgroundJob | None = None
        self.check_job: BackgroundJob | None = None
        self.page: AuditPage | None = None
        self.limit = DEFAULT_LIMIT
        self.sized = False
        self.setWindowTitle("Audit trail")
        self.resize(1200, 720)

        self.search = QLineEdit()
        self.search.setObjectName("audit_search")
        self.search.setPlaceholderText("Search names, values and notes…")
        self.search.setClearButtonEnabled(True)
        self.who = QComboBox()
        self.who.setObjectName("audit_who")
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.addItem(ANY_ACTION, "")
        for action, words in ACTION_WORDS.items():
            self.action.addItem(words, str(action))
        self.kind = QComboBox()
        self.kind.setObjectName("audit_kind")
        self.date_from = date_field(hint="The first day to show")
        self.date_from.setObjectName("audit_from")
        self.date_to = date_field(hint="The last day to show")
        self.date_to.setObjectName("audit_to")
        for edit in (self.date_from, self.date_to):
            edit.setFixedWidth(110)

        self.events = EventsView(COLUMNS, "audit_table", self)
        self.model, self.table, self.details = (
            self.events.model,
            self.events.table,
            self.events.details,
        )
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        self.message = QLabel()
        self.message.setObjectName("audit_message")
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.message.hide()

        self.export_button = QPushButton("&Export to Excel…")
        self.export_button.setToolTip("Save every event that matches (not only those shown)")
        self.check_button = QPushButton("&Check the trail")
        self.check_button.setToolTip("Check that no event was changed, removed or added afterwards")
        self.more_button = QPushButton(f"Show &{DEFAULT_LIMIT} more")
        self._lay_out()

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._typed)
        for combo in (self.who, self.action, self.kind):
            combo.currentIndexChanged.connect(self._typed)
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self._typed)
            edit.returnPressed.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.check_button.clicked.connect(self.check)
        self.more_button.clicked.connect(self.show_more)
        self._fill_choices()
        self.refresh()

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for label, widget in (
            ("&Who", self.who),
            ("&Action", self.action),
            ("&Kind", self.kind),
            ("&From", self.date_from),
            ("&To", self.date_to),
        ):
            name = QLabel(label)
            name.setBuddy(widget)
            filters.addWidget(name)
            filters.addWidget(widget)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.more_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.events, 1)
        layout.addLayout(bottom)
        layout.addWidget(buttons)

    def _fill_choices(self) -> None:
        actor = self.services.actor
        try:
            people = self.services.audit.people(actor)
            kinds = self.services.audit.kinds(actor)
        except ServiceError:
            people, kinds = [], []  # refused: the search below says so
        self.who.addItem(ANYONE, "")
        for name in people:
            self.who.addItem(name, name)
        self.kind.addItem(ANY_KIND, "")
        for table, words in kinds:
            self.kind.addItem(words, table)

    # -- searching ---------------------------------------------------------------------------
    def _typed(self) -> None:
        self.limit = DEFAULT_LIMIT
        self.timer.start()  # again: the search runs once the typing pauses

    def filters(self) -> AuditFilters | None:
        """The filters as chosen; None (having said why) when a date cannot be read."""
        days: list[date | None] = []
        for edit, which in ((self.date_from, "From"), (self.date_to, "To")):
            text = edit.text().strip()
            if not text:
                days.append(None)
                continue
            try:
                days.append(parse_date(text))
            except ValueError as exc:
                self._say(f"{which} date: {exc}")
                edit.setFocus()
                return None
        action = self.action.currentData()
        return AuditFilters(
            text=self.search.text().strip(),
            who=self.who.currentData() or "",
            actions=(action,) if action else (),
            table=self.kind.currentData() or "",
            date_from=days[0],
            date_to=days[1],
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        self.timer.stop()
        filters = self.filters()
        if filters is None:
            return
        try:
            page = self.services.audit.search_filters(
                self.services.actor, filters, limit=self.limit
            )
        except ServiceError as exc:
            self._say(exc.message)
            return
        self._say("")
        self.page = page
        header = self.table.horizontalHeader()
        rows = [
            (*values, entry)
            for values, entry in zip(entry_values(page.entries), page.entries, strict=True)
        ]
        self.model.set_rows(rows)
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.count_label.setText(page.count_line)
        self.more_button.setVisible(len(page.entries) < page.total)
        self.export_button.setEnabled(page.total > 0)
        if not self.sized and page.entries:  # once: later the person's widths stay
            self.sized = True
            self.table.resizeColumnsToContents()
            self.table.setColumnWidth(4, min(self.table.columnWidth(4), 340))
        if page.entries:
            self.table.selectRow(0)
        self.events.show_details()

    def show_more(self) -> None:
        self.limit += DEFAULT_LIMIT
        self.refresh()

    # -- the buttons -------------------------------------------------------------------------
    def export(self) -> None:
        filters = self.filters()
        if filters is None or self.page is None:
            return
        actor = self.services.actor
        self.export_job = export_entries(
            self,
            self.answers,
            "Audit trail",
            self.page.total,
            lambda: self.services.audit.table(actor, filters),
        )

    def check(self) -> None:
        """Verify the chain in the background (a long trail takes a while), then say how."""
        actor = self.services.actor
        service = self.services.audit

        def failed(exc: BaseException) -> None:
            text = exc.message if isinstance(exc, ServiceError) else f"Something went wrong: {exc}"
            self.answers.tell(self, "The trail was not checked", text)

        self.check_job = BackgroundJob(
            self,
            "Checking the audit trail…",
            lambda progress: service.check(actor, progress),
            on_done=self._checked,
            on_error=failed,
        ).start()

    def _checked(self, result: TrailCheck) -> None:
        if result.ok:
            self.answers.ask(self, "Audit trail checked", result.words, ["OK"])
        else:
            self.answers.tell(self, "Audit trail checked", result.words)

    def done(self, code: int) -> None:
        # A check or an export still running stops before the window goes.
        for job in (self.check_job, self.export_job):
            if job is not None and job.thread.isRunning():
                job.cancel()
                job.wait()
        super().done(code)
