"""The Peer reviews tab: a cycle's schedule as a table and a month calendar, each school's year,
the clusters, and the actions that generate, check, confirm and record the reviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import Breach, ReviewStatus
from thep_desktop.domain.review_checks import breaches_for, breaches_for_school
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    CycleDetail,
    SavedReview,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.peer_reviews.clusters_view import ClustersView
from thep_desktop.ui.peer_reviews.month_calendar import (
    BANK_HOLIDAY,
    DAY_COLOURS,
    HALF_TERM,
    HOLIDAY,
    WEEKEND,
    CalendarVisit,
    DayInfo,
    MonthCalendar,
    day_infos,
    short_name,
)
from thep_desktop.ui.peer_reviews.move_command import MoveReviewCommand
from thep_desktop.ui.peer_reviews.review_actions import SECTIONS, ReviewActions
from thep_desktop.ui.peer_reviews.reviews_table_model import (
    COL_CLUSTER,
    COL_DATE,
    COL_FOCUS,
    COL_HOST,
    COL_LEAD,
    COL_TEAM,
    STATUS_COLOURS,
    WARNING_SIGN,
    ReviewFilterChoice,
    ReviewRow,
    ReviewsFilterProxy,
    ReviewsTableModel,
    status_label,
    summary_text,
    warnings_tip,
)
from thep_desktop.ui.peer_reviews.school_view import SchoolsView, school_html
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.tab_actions import TabAction, TabActions
from thep_desktop.ui.shared.table_export import ExportRequest

ALL_CLUSTERS = "All clusters"
ALL_STATUSES = "Any status"
SCHEDULE_VIEW, CALENDAR_VIEW, SCHOOLS_VIEW, CLUSTERS_VIEW = range(4)


def visit_tooltip(row: ReviewRow) -> str:
    review = row.review
    lines = [
        f"{review.host_name}: {review.visit_label}",
        f"Reviewed by {review.team_label or 'no schools yet'}",
    ]
    if review.lead is not None:
        lines.append(f"Lead: {review.lead.label}")
    lines.append(status_label(review))
    if row.warnings:
        lines.append(f"{WARNING_SIGN} " + warnings_tip(row.warnings))
    return "\n".join(lines)


def moved_text(saved: SavedReview, *, undone: bool) -> tuple[str, str]:
    """What a move did, as one status-bar line and as the warnings panel's rich text."""
    review = saved.review
    did = "Moved back" if undone else "Moved"
    line = f"{did}: the visit at {review.host_name} is now {review.visit_label}."
    if not saved.warnings:
        return line + " No rule of the cycle is broken.", ""
    count = len(saved.warnings)
    line += (
        f" {WARNING_SIGN} {count} warning{'' if count == 1 else 's'}: {saved.warnings[0].message}"
    )
    items = "".join(f"<li>{escape(b.message)}</li>" for b in saved.warnings)
    html = (
        f"<b>{WARNING_SIGN} {escape(did)}: the visit at {escape(review.host_name)} is now "
        f"{escape(review.visit_label)}, and breaks {count} rule{'' if count == 1 else 's'} of the "
        f"cycle</b> (kept as moved; Ctrl+Z puts it back):<ul style='margin:0'>{items}</ul>"
    )
    return line, html


class PeerReviewsTab(ReviewActions, TabActions, QWidget):
    """A review cycle's schedule; emits ``status_message`` for the status bar."""

    status_message = Signal(str)
    counts_changed = Signal()
    changed = Signal()  # a review, cycle or cluster was changed here
    SECTIONS = SECTIONS

    def __init__(
        self, services: Services, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.ask = ask
        self.tell = tell
        # Opens the forms and shows the Check window; tests replace them to drive a form
        # without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.show_window: Callable[[QDialog], object] = lambda dialog: dialog.show()
        self.cycles: list[CycleDetail] = []
        self.cycle: CycleDetail | None = None
        self.clusters: list[ClusterDetail] = []
        self.breaches: list[Breach] = []
        self.day_info: dict[date, DayInfo] = {}
        self.check_dialog: QDialog | None = None
        self.note = ""  # why the reviews could not be checked, or the calendar shaded
        self._calendar_cycle_id: int | None = -1  # the cycle the calendar was turned to
        self.tab_actions: list[TabAction] = []
        self._toolbar_section = ""
        self.table_menu: QMenu | None = None
        self.model = ReviewsTableModel(self)
        self.proxy = ReviewsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.build_review_actions()
        self.build_output_actions()
        self._place_cycle_and_cluster_actions()
        self._connect()
        self.update_actions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = self.top_bar = QHBoxLayout()
        self.cycle_combo = QComboBox()
        self.cycle_combo.setObjectName("review_cycle")
        self.cycle_combo.setToolTip("The review cycle (academic year) shown")
        self.cycle_combo.setMinimumWidth(190)
        self.cluster_filter = QComboBox()
        self.cluster_filter.setObjectName("review_cluster_filter")
        self.cluster_filter.setMinimumWidth(170)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("review_status_filter")
        self.status_filter.addItem(ALL_STATUSES, None)
        for status in ReviewStatus:
            self.status_filter.addItem(status.label, status.value)
        for caption, widget in (
            ("C&ycle", self.cycle_combo),
            ("Cl&uster", self.cluster_filter),
            ("St&atus", self.status_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        self.search = QLineEdit()
        self.search.setObjectName("review_search")
        self.search.setPlaceholderText("Search by school, reviewer or focus")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 2)
        self.count_label = QLabel()
        self.count_label.setObjectName("review_count_label")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.toolbar = QToolBar("Peer reviews")
        self.toolbar.setObjectName("reviews_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)

        self.views = QTabWidget()
        self.views.setObjectName("review_views")
        self.views.setDocumentMode(True)
        layout.addWidget(self.views, 1)

        # Schedule: the table and its summary line.
        schedule = QWidget()
        column = QVBoxLayout(schedule)
        column.setContentsMargins(0, 4, 0, 0)
        self.table = list_view("reviews_table", self.proxy, sort_column=COL_DATE)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # Each column fits its contents up to a width (see reload); the row scrolls sideways
        # rather than squeezing a column of school names to nothing.
        self.table.verticalHeader().setDefaultSectionSize(24)
        column.addWidget(self.table, 1)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("review_summary")
        column.addWidget(self.summary_label)
        self.views.addTab(schedule, "Sche&dule")

        # Calendar: month navigation, the legend, the grid, and the last move's warnings.
        calendar_page = QWidget()
        column = QVBoxLayout(calendar_page)
        column.setContentsMargins(0, 4, 0, 0)
        nav = QHBoxLayout()
        self.previous_month = QPushButton("◀ Previous")
        self.previous_month.setObjectName("previous_month")
        self.previous_month.setToolTip("The month before (Page Up)")
        self.next_month = QPushButton("Next ▶")
        self.next_month.setObjectName("next_month")
        self.next_month.setToolTip("The month after (Page Down)")
        self.today_button = QPushButton("Today")
        self.today_button.setObjectName("today_month")
        self.today_button.setToolTip("This month (Home)")
        self.month_label = QLabel()
        self.month_label.setObjectName("month_label")
        font = self.month_label.font()
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.month_label.setFont(font)
        self.month_label.setMinimumWidth(170)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.previous_month)
        nav.addWidget(self.month_label)
        nav.addWidget(self.next_month)
        nav.addWidget(self.today_button)
        nav.addStretch(1)
        hint = QLabel("Drag a visit to another day, or Alt+arrow keys; Ctrl+Z puts it back")
        hint.setEnabled(False)
        nav.addWidget(hint)
        column.addLayout(nav)
        self.calendar = MonthCalendar()
        column.addWidget(self.calendar, 1)
        # Under the grid, so the window keeps its width at 1280 pixels.
        legend = QLabel(self._legend_html())
        legend.setObjectName("calendar_legend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(legend)
        self.calendar_note = QLabel()
        self.calendar_note.setObjectName("calendar_note")
        self.calendar_note.setWordWrap(True)
        column.addWidget(self.calendar_note)
        self.move_warnings = QLabel()
        self.move_warnings.setObjectName("move_warnings")
        self.move_warnings.setTextFormat(Qt.TextFormat.RichText)
        self.move_warnings.setWordWrap(True)
        self.move_warnings.setStyleSheet(
            "QLabel { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; "
            "padding: 6px; color: #5a3000; }"
        )
        self.move_warnings.hide()
        column.addWidget(self.move_warnings)
        self.views.addTab(calendar_page, "Cale&ndar")

        self.schools_view = SchoolsView()
        self.views.addTab(self.schools_view, "Sch&ools")
        self.clusters_view = ClustersView()
        self.views.addTab(self.clusters_view, "&Clusters")

    def _place_cycle_and_cluster_actions(self) -> None:
        """The cycle's actions beside its chooser; the clusters' above the Clusters view."""
        for number, action in enumerate(
            (self.new_cycle_action, self.cycle_settings_action, self.term_dates_action)
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            self.top_bar.insertWidget(2 + number, button)
        self.clusters_view.toolbar.addActions(
            [
                self.new_cluster_action,
                self.edit_cluster_action,
                self.delete_cluster_action,
                self.propose_clusters_action,
            ]
        )

    @staticmethod
    def _legend_html() -> str:
        """The colours of the calendar, each a framed swatch with its meaning."""

        def swatch(colour: str, words: str) -> str:
            return (
                "<td><table border='1' cellspacing='0' cellpadding='0' "
                "style='border-color:#8a9099; border-style:solid'><tr>"
                f"<td bgcolor='{colour}' width='14' height='10'></td></tr></table></td>"
                f"<td>&nbsp;{words}&nbsp;&nbsp;&nbsp;</td>"
            )

        cells = [swatch(STATUS_COLOURS[s].name(), s.label) for s in ReviewStatus]
        cells += [
            swatch(DAY_COLOURS[BANK_HOLIDAY].name(), "Bank holiday"),
            swatch(DAY_COLOURS[HALF_TERM].name(), "Half term"),
            swatch(DAY_COLOURS[HOLIDAY].name(), "Holiday"),
            swatch(DAY_COLOURS[WEEKEND].name(), "Weekend"),
        ]
        return f"<table cellspacing='0'><tr>{''.join(cells)}</tr></table>"

    def _connect(self) -> None:
        self.cycle_combo.currentIndexChanged.connect(lambda _i: self._cycle_chosen())
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.cluster_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.customContextMenuRequested.connect(self._table_menu_requested)
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key, widget, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.table, self.edit_selected),
            (QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected),
            (QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear),
        ):
            QShortcut(key, widget, activated=slot, context=only_here)
        self.previous_month.clicked.connect(lambda: self.calendar.step_month(-1))
        self.next_month.clicked.connect(lambda: self.calendar.step_month(1))
        self.today_button.clicked.connect(self.calendar.show_today)
        self.calendar.month_changed.connect(lambda _m: self._show_month())
        self.calendar.visit_selected.connect(self._calendar_selected)
        self.calendar.open_requested.connect(self.open_review)
        self.calendar.new_requested.connect(self.new_review)
        self.calendar.move_requested.connect(self.move_visit)
        self.schools_view.school_chosen.connect(self._show_school)
        self.schools_view.open_requested.connect(self.open_review)
        self.clusters_view.cluster_chosen.connect(lambda _id: self.update_actions())
        self.clusters_view.open_requested.connect(self.edit_cluster)
        self.views.currentChanged.connect(lambda _i: self.update_actions())

    # -- loading ----------------------------------------------------------------------------
    def reload(self, select_ids: Sequence[int] | None = None) -> bool:
        """Read the cycles, clusters and the chosen cycle's reviews and breaches again,
        keeping the filters and the selection (or selecting ``select_ids``)."""
        actor = self.services.actor
        selected = self.selected_ids() if select_ids is None else list(select_ids)
        try:
            cycles = self.services.reviews.list_cycles(actor)
            clusters = self.services.clusters.list_clusters(actor)
        except ServerUnavailableError:
            self.status_message.emit("Not reloaded: the reviews shown are as they were last read.")
            return False
        except ServiceError as exc:
            self.summary_label.setText(exc.message)
            return False
        self.cycles = cycles
        self.clusters = clusters
        self._fill_cycles()
        self._fill_cluster_filter()
        self._load_cycle(selected)
        return True

    def choose_cycle(self, cycle_id: int) -> None:
        found = self.cycle_combo.findData(cycle_id)
        if found >= 0:
            self.cycle_combo.setCurrentIndex(found)

    def _fill_cycles(self) -> None:
        """The cycles, latest year first; the one chosen stays chosen, else this year's."""
        combo = self.cycle_combo
        chosen = combo.currentData()
        if chosen is None:
            this_year = AcademicYear.of(date.today()).start_year
            chosen = next(
                (c.id for c in self.cycles if c.year.start_year == this_year),
                self.cycles[0].id if self.cycles else None,
            )
        combo.blockSignals(True)
        combo.clear()
        for cycle in self.cycles:
            label = cycle.year.label + (f" – {cycle.name}" if cycle.name else "")
            combo.addItem(label, cycle.id)
        if not self.cycles:
            combo.addItem("No cycle yet", None)
        found = combo.findData(chosen) if chosen is not None else -1
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        self.cycle = next((c for c in self.cycles if c.id == combo.currentData()), None)

    def _fill_cluster_filter(self) -> None:
        combo = self.cluster_filter
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_CLUSTERS, None)
        for cluster in self.clusters:
            combo.addItem(cluster.name + ("" if cluster.active else " (retired)"), cluster.id)
        found = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def _cycle_chosen(self) -> None:
        self.cycle = next((c for c in self.cycles if c.id == self.cycle_combo.currentData()), None)
        self.move_warnings.hide()
        self._load_cycle([])

    def _load_cycle(self, selected: Sequence[int]) -> None:
        actor = self.services.actor
        cycle = self.cycle
        rows: list[ReviewRow] = []
        self.breaches = []
        note = ""
        if cycle is not None:
            try:
                reviews = self.services.reviews.list_reviews(actor, cycle.id)
            except ServiceError as exc:
                reviews = []
                note = exc.message
            try:
                self.breaches = self.services.scheduling.check(actor, cycle.id)
            except ServiceError as exc:  # no term dates yet: the days cannot be judged
                note = exc.message
            rows = [ReviewRow(r, tuple(breaches_for(str(r.id), self.breaches))) for r in reviews]
            if not self._read_calendar(cycle) and not note:
                note = (
                    f"The term dates of {cycle.year.label} are not saved yet, so the calendar "
                    "shows no holidays: enter them with Peer reviews > Term dates…"
                )
        else:
            self.day_info = {}
            note = (
                "There is no review cycle yet: start one with Peer reviews > New cycle…, then "
                "make clusters and generate the schedule."
            )
        self.model.set_reviews(rows)
        self.proxy.set_filter(self._filter_choice())
        self.table.resizeColumnsToContents()
        for column, widest in (
            (COL_HOST, 210),
            (COL_CLUSTER, 160),
            (COL_TEAM, 250),
            (COL_LEAD, 200),
            (COL_FOCUS, 170),
        ):
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)
        self.select_ids(selected)
        shown_id = cycle.id if cycle is not None else None
        if shown_id != self._calendar_cycle_id:  # another cycle: the calendar turns to it
            self._calendar_cycle_id = shown_id
            self._turn_calendar_to_cycle()
        self.note = note
        self.calendar_note.setText(note)
        self.calendar_note.setVisible(bool(note))
        self._show_shown()
        self._fill_school_view()
        counts: dict[int, int] = defaultdict(int)
        for row in rows:
            if row.review.cluster_id is not None:
                counts[row.review.cluster_id] += 1
        self.clusters_view.set_clusters(self.clusters, counts)
        self.update_actions()

    def _read_calendar(self, cycle: CycleDetail) -> bool:
        """The year's shading: terms, half terms, bank holidays (named) and closures; False
        when the year's term dates are not saved."""
        actor = self.services.actor
        year = cycle.year
        calendar = self.services.school_calendar
        try:
            terms = calendar.year_terms(actor, year)
            holidays = calendar.bank_holidays(actor, year)
            closures = calendar.closures(actor, year)
        except ServiceError:
            self.day_info = {}
            return False
        closed: dict[date, list[str]] = defaultdict(list)
        for closure in closures:
            reason = f" ({closure.reason})" if closure.reason else ""
            closed[closure.closed_on].append(f"{closure.kind.label}: {closure.school_name}{reason}")
        self.day_info = day_infos(
            year.first_day, year.last_day, terms.terms if terms.saved else (), holidays, closed
        )
        return terms.saved

    def _turn_calendar_to_cycle(self) -> None:
        """This month when it is in the cycle's year, else the cycle's first visit's month."""
        cycle = self.cycle
        today = date.today()
        if cycle is None or today in cycle.year:
            self.calendar.set_month(today)
            return
        dated = [r.review.starts_on for r in self.model.rows() if r.review.starts_on]
        self.calendar.set_month(min(dated) if dated else cycle.year.first_day)

    # -- filtering --------------------------------------------------------------------------
    def _filter_choice(self) -> ReviewFilterChoice:
        status = self.status_filter.currentData()
        return ReviewFilterChoice(
            cluster_id=self.cluster_filter.currentData(),
            status=ReviewStatus(status) if status else None,
            words=tuple(self.search.text().casefold().split()),
        )

    def _filter_changed(self) -> None:
        selected = self.selected_ids()
        self.proxy.set_filter(self._filter_choice())
        self.select_ids(selected)
        self._show_shown()
        self._fill_school_view()  # the cluster chosen lists its schools only

    def _show_shown(self) -> None:
        """The count, the summary line and the calendar follow the reviews shown."""
        shown = self.proxy.shown()
        total = self.model.rowCount()
        noun = "review" if total == 1 else "reviews"
        self.count_label.setText(
            f"{total:,} {noun}"
            if len(shown) == total
            else f"{len(shown):,} of {total:,} {noun} shown"
        )
        summary = summary_text(shown) if self.cycle is not None else ""
        self.summary_label.setText("\n".join(line for line in (summary, self.note) if line))
        visits = [
            CalendarVisit(
                row.id,
                row.review.days,
                short_name(row.review.host_name),
                row.review.status,
                visit_tooltip(row),
                bool(row.warnings),
            )
            for row in shown
            if row.review.days
        ]
        self.calendar.set_visits(visits, self.day_info)
        self._show_month()
        self.counts_changed.emit()

    def _show_month(self) -> None:
        self.month_label.setText(self.calendar.month_title())

    def filter_in_words(self) -> str:
        parts = []
        if self.cluster_filter.currentData() is not None:
            parts.append(f"cluster {self.cluster_filter.currentText()}")
        if self.status_filter.currentData():
            parts.append(f"status {self.status_filter.currentText()}")
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        return f"Filter: {'; '.join(parts)}" if parts else ""

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def export_request(self) -> ExportRequest:
        """File > Export: the schedule as shown, to Excel or CSV."""
        title = self.cycle.title if self.cycle is not None else "Peer reviews"
        return ExportRequest(self.table, title, self.filter_in_words(), title)

    # -- the schools view -------------------------------------------------------------------
    def _fill_school_view(self) -> None:
        wanted = self.cluster_filter.currentData()
        schools: dict[int, str] = {}
        for cluster in self.clusters:
            if wanted is None or cluster.id == wanted:
                schools.update({s.school_id: s.name for s in cluster.schools})
        for row in self.model.rows():  # a review outside the clusters still shows its host
            if wanted is None or row.review.cluster_id == wanted:
                schools.setdefault(row.review.host_school_id, row.review.host_name)
        self.schools_view.set_schools(list(schools.items()))

    def _show_school(self, school_id: int) -> None:
        if not school_id or self.cycle is None:
            self.schools_view.show_html("")
            return
        actor = self.services.actor
        try:
            year = self.services.reviews.school_reviews(actor, self.cycle.id, school_id)
            clusters = [c for c in self.clusters if school_id in c.school_ids]
            closures = self.services.school_calendar.closures(actor, self.cycle.year, school_id)
        except ServiceError as exc:
            self.schools_view.show_html(f"<p>{escape(exc.message)}</p>")
            return
        warnings = breaches_for_school(school_id, self.breaches)
        self.schools_view.show_html(school_html(year, clusters, closures, warnings))

    def chosen_cluster(self) -> ClusterDetail | None:
        return self.clusters_view.cluster()

    # -- selection --------------------------------------------------------------------------
    def selected_rows(self) -> list[ReviewRow]:
        """The reviews selected in the schedule (the calendar selects there too)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.row_at(r) for r in rows]

    def shown_rows(self) -> list[ReviewRow]:
        """The reviews the filters and search leave in the schedule, in its order."""
        return [self.proxy.row_at(r) for r in range(self.proxy.rowCount())]

    def selected_ids(self) -> list[int]:
        return [r.id for r in self.selected_rows()]

    def show_review(self, review_id: int) -> None:
        """Select a review in the schedule and show it (the Check window's click)."""
        source_row = self.model.row_of_id(review_id)
        shown = self.proxy.mapFromSource(self.model.index(source_row, 0)).isValid()
        if source_row >= 0 and not shown:  # hidden by the filters: they are cleared
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            self.cluster_filter.setCurrentIndex(0)
        self.views.setCurrentIndex(SCHEDULE_VIEW)
        self.select_ids([review_id])
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.calendar.select(ids[0] if len(ids) == 1 else 0)
        self.update_actions()

    def _calendar_selected(self, review_id: int) -> None:
        if review_id:
            self.select_ids([review_id])
        else:
            self.table.selectionModel().clearSelection()

    def _table_menu_requested(self, position: QPoint) -> None:
        """Right-click on a review: what the toolbar does, for the reviews selected."""
        self.popup_table_menu(position, "review_menu")

    # -- moving a visit in the calendar -------------------------------------------------------
    def move_visit(self, review_id: int, starts_on: date) -> None:
        """A visit dragged (or moved with Alt+arrow) to another day: saved at once, then the
        rules it breaks shown as warnings. The move stays; Ctrl+Z puts it back."""
        if not self.services.actor.can(MANAGE_REVIEWS):
            self.status_message.emit("You may look at the schedule, but not move visits.")
            return
        source_row = self.model.row_of_id(review_id)
        if source_row < 0:
            return
        review = self.model.row_at(source_row).review
        if review.starts_on == starts_on:
            return
        try:
            saved = self.services.reviews.move_review(
                self.services.actor, review_id, starts_on, review.version
            )
        except ServiceError as exc:
            self.tell(self, "The visit was not moved", exc.message)
            self.reload()
            return
        self.undo_stack.push(
            MoveReviewCommand(
                self, review_id, review.host_name, review.starts_on, starts_on, saved.review.version
            )
        )
        self.show_moved(saved, undone=False)

    def show_moved(self, saved: SavedReview, *, undone: bool) -> None:
        """After a move (or its undo): the cycle read again, the move's warnings shown."""
        line, html = moved_text(saved, undone=undone)
        self.reload(select_ids=[saved.review.id])
        self.move_warnings.setText(html)
        self.move_warnings.setVisible(bool(html))
        self.status_message.emit(line)
        self.changed.emit()
