"""One peer review: host, cluster, visit days, team, named reviewers, focus; live warnings.

As the date, host or team change, the cycle's rules are checked at once (without saving) and
any breach is shown as a warning: warnings never stop a save; only what cannot be stored
(no host, the host on its own team, a last day before the first...) is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.peer_reviews import Breach, ReviewStatus
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    ClusterMember,
    ReviewDetail,
    ReviewerInput,
    ReviewInput,
    SavedReview,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.shared.forms import (
    FieldMessages,
    date_field,
    error_banner,
    push_button,
    searchable_combo,
)
from thep_desktop.ui.shared.questions import tell
from thep_desktop.ui.shared.record_forms import RecordForm, show_refusal

# The live check waits for a pause in the typing, so it runs once per change, not per key.
PREVIEW_DELAY_MS = 300
NO_CLUSTER = "No cluster"
WARNING_SIGN = "⚠"


def school_label(school: ClusterMember) -> str:
    """How a school reads in the lists: "Bow School (E3 3QW)" tells two of a name apart."""
    return f"{school.name} ({school.postcode})" if school.postcode else school.name


class TeamEditor(QWidget):
    """The reviewing schools in order: add from a list (the cluster's first), remove, reorder."""

    changed = Signal()

    def __init__(self, schools: dict[int, ClusterMember]) -> None:
        super().__init__()
        self.schools = schools
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("team")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMaximumHeight(110)
        self.list.setToolTip("The reviewing schools; the first is the lead reviewer's, usually")
        layout.addWidget(self.list, 0, 0, 4, 1)
        self.up_button = push_button("Move &up", lambda: self.move(-1), "Earlier in the team")
        self.down_button = push_button("Move do&wn", lambda: self.move(1), "Later in the team")
        self.remove_button = push_button("&Remove", self.remove, "Take off the team (Delete)")
        for row, push in enumerate((self.up_button, self.down_button, self.remove_button)):
            layout.addWidget(push, row, 1)
        self.choice = searchable_combo("Type a few letters of a school to add", 260)
        self.choice.setObjectName("team_choice")
        self.add_button = push_button("&Add to team", self.add_chosen, "Add the school chosen")
        adding = QHBoxLayout()
        adding.addWidget(self.choice, 1)
        adding.addWidget(self.add_button)
        layout.addLayout(adding, 4, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.list,
            activated=self.remove,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.choice.lineEdit().returnPressed.connect(self.add_chosen)

    def offer(self, first: list[int], host_id: int | None) -> None:
        """The schools to add from: ``first`` (the cluster's), then the rest of the register."""
        taken = set(self.school_ids())
        if host_id is not None:
            taken.add(host_id)
        self.choice.clear()
        ordered = [i for i in first if i in self.schools] + sorted(
            (i for i in self.schools if i not in first),
            key=lambda i: self.schools[i].name.casefold(),
        )
        for school_id in ordered:
            if school_id not in taken:
                self.choice.addItem(school_label(self.schools[school_id]), school_id)
        self.choice.setCurrentIndex(-1)
        self.choice.setEditText("")

    def school_ids(self) -> tuple[int, ...]:
        return tuple(self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in self._rows())

    def set_schools(self, school_ids: tuple[int, ...], names: dict[int, str]) -> None:
        self.list.clear()
        for school_id in school_ids:
            self._append(school_id, names.get(school_id, ""))
        self.changed.emit()

    def add_chosen(self) -> None:
        index = self.choice.findText(self.choice.currentText())
        if index < 0:
            return
        school_id = self.choice.itemData(index)
        self._append(school_id, "")
        self.choice.removeItem(index)
        self.choice.setCurrentIndex(-1)
        self.choice.setEditText("")
        self.list.setCurrentRow(self.list.count() - 1)
        self.changed.emit()

    def remove(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        item = self.list.takeItem(row)
        school_id = item.data(Qt.ItemDataRole.UserRole)
        if school_id in self.schools:
            self.choice.addItem(school_label(self.schools[school_id]), school_id)
        self.changed.emit()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)
        self.changed.emit()

    def name(self, school_id: int) -> str:
        school = self.schools.get(school_id)
        if school is not None:
            return school.name
        for row in self._rows():
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == school_id:
                return item.data(Qt.ItemDataRole.UserRole + 1)
        return ""

    def _append(self, school_id: int, name: str) -> None:
        school = self.schools.get(school_id)
        item = QListWidgetItem(school_label(school) if school else name)
        item.setData(Qt.ItemDataRole.UserRole, school_id)
        item.setData(Qt.ItemDataRole.UserRole + 1, school.name if school else name)
        self.list.addItem(item)

    def _rows(self) -> range:
        return range(self.list.count())

    def set_read_only(self) -> None:
        for widget in (
            self.up_button,
            self.down_button,
            self.remove_button,
            self.choice,
            self.add_button,
        ):
            widget.hide()


class ReviewerRow:
    """The boxes of one named reviewer."""

    def __init__(self) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("Full name")
        self.school = QComboBox()
        self.school.setMinimumWidth(180)
        self.job_title = QLineEdit()
        self.job_title.setPlaceholderText("e.g. Deputy headteacher")
        self.email = QLineEdit()
        self.lead = QRadioButton()
        self.lead.setToolTip("The lead reviewer (one a review)")
        # Only as big as its circle, so a click on it (not beside it) chooses the lead.
        self.lead.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Take this reviewer off")

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.school, self.job_title, self.email, self.lead, self.remove)

    def school_id(self) -> int | None:
        value = self.school.currentData()
        return value if isinstance(value, int) else None

    def value(self) -> ReviewerInput:
        return ReviewerInput(
            self.name.text(),
            self.school_id(),
            self.job_title.text(),
            self.email.text(),
            self.lead.isChecked(),
        )


class ReviewersEditor(QWidget):
    """The named reviewers: name, school (one of the team's), job title, email, lead."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ReviewerRow] = []
        self.team: list[tuple[int, str]] = []
        self.lead_group = QButtonGroup(self)
        self.lead_group.setExclusive(True)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        for column, heading in enumerate(("Name", "School", "Job title", "Email", "Lead", "")):
            label = QLabel(f"<b>{heading}</b>")
            self.grid.addWidget(label, 0, column)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 2)
        self.grid.setColumnStretch(3, 2)
        self.empty = QLabel("<i>No reviewers named yet: Add the heads, or Add reviewer.</i>")
        self.grid.addWidget(self.empty, 1, 0, 1, 6)
        self.read_only = False

    def set_team(self, team: list[tuple[int, str]]) -> None:
        """The schools a reviewer can be from; a reviewer's school left off stays, marked."""
        self.team = team
        for row in self.rows:
            self._fill_schools(row, row.school_id())

    def add(self, reviewer: ReviewerInput | None = None) -> ReviewerRow:
        row = ReviewerRow()
        self._fill_schools(row, reviewer.school_id if reviewer else None)
        if reviewer is not None:
            row.name.setText(reviewer.name)
            row.job_title.setText(reviewer.job_title)
            row.email.setText(reviewer.email)
            for edit in (row.name, row.job_title, row.email):
                edit.setCursorPosition(0)  # the start of a long address, not its end
            row.lead.setChecked(reviewer.is_lead)
        self.lead_group.addButton(row.lead)
        number = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, number, column)
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove(r))
        row.lead.toggled.connect(lambda _on: self.changed.emit())
        row.school.currentIndexChanged.connect(lambda _i: self.changed.emit())
        if self.read_only:
            _read_only_row(row)
        self.rows.append(row)
        self.empty.hide()
        self.changed.emit()
        return row

    def remove(self, row: ReviewerRow) -> None:
        reviewers = [r.value() for r in self.rows if r is not row]
        self.set_reviewers(reviewers)

    def set_reviewers(self, reviewers: list[ReviewerInput]) -> None:
        for row in self.rows:
            self.lead_group.removeButton(row.lead)
            for widget in row.widgets():
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        for reviewer in reviewers:
            self.add(reviewer)
        self.empty.setVisible(not self.rows)
        self.changed.emit()

    def values(self) -> tuple[ReviewerInput, ...]:
        """Every row with something typed in it (a row left blank is not a reviewer)."""
        return tuple(
            row.value()
            for row in self.rows
            if row.name.text().strip() or row.job_title.text().strip() or row.email.text().strip()
        )

    def schools_named(self) -> set[int]:
        return {school_id for row in self.rows if (school_id := row.school_id()) is not None}

    def _fill_schools(self, row: ReviewerRow, chosen: int | None) -> None:
        row.school.blockSignals(True)
        row.school.clear()
        row.school.addItem("", None)
        for school_id, name in self.team:
            row.school.addItem(name, school_id)
        if chosen is not None and row.school.findData(chosen) < 0:
            row.school.addItem("(not on the team)", chosen)
        row.school.setCurrentIndex(max(row.school.findData(chosen), 0) if chosen else 0)
        row.school.blockSignals(False)

    def set_read_only(self) -> None:
        self.read_only = True
        for row in self.rows:
            _read_only_row(row)


def _read_only_row(row: ReviewerRow) -> None:
    for edit in (row.name, row.job_title, row.email):
        edit.setReadOnly(True)
    row.school.setEnabled(False)
    row.lead.setEnabled(False)
    row.remove.hide()


class ReviewEditor(RecordForm):
    """``ReviewEditor(services, cycle_id, None, parent, host_school_id, starts_on)``: a new
    review; with a review id, that review (to change, for one who may; else to read).

    ``saved(SavedReview)`` is emitted once it is saved.
    """

    saved = Signal(object)
    unsaved_what = "this review"

    def __init__(
        self,
        services: Services,
        cycle_id: int,
        review_id: int | None,
        parent: QWidget | None = None,
        host_school_id: int | None = None,
        starts_on: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.cycle_id = cycle_id
        self.tell = tell
        # Opens the History window; tests replace it to look at the window without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        actor = services.actor
        self.cycle = services.reviews.get_cycle(actor, cycle_id)
        self.detail: ReviewDetail | None = (
            services.reviews.get_review(actor, review_id) if review_id is not None else None
        )
        self.editable = actor.can(MANAGE_REVIEWS)
        self.clusters: list[ClusterDetail] = services.clusters.list_clusters(actor)
        self.schools: dict[int, ClusterMember] = {
            s.school_id: s for s in services.clusters.school_choices(actor)
        }
        self.breaches: list[Breach] = []
        self.warning_lines: list[str] = []  # the warnings shown, as the person reads them
        self._preview = QTimer(self)
        self._preview.setSingleShot(True)
        self._preview.setInterval(PREVIEW_DELAY_MS)
        self._preview.timeout.connect(self.show_warnings)
        self.setObjectName("review_editor")
        self.setWindowTitle(self._title())
        self.resize(980, 760)
        self._build()
        self._load(host_school_id, starts_on)
        self._initial = self.state()
        self.show_warnings()

    # -- building ---------------------------------------------------------------------------
    def _title(self) -> str:
        if self.detail is None:
            return f"New review – {self.cycle.title}"
        return f"Review at {self.detail.host_name} – {self.cycle.title}"

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        self.status = QLabel()
        self.status.setObjectName("review_status")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        self.messages = FieldMessages()
        top = QHBoxLayout()
        left = QFormLayout()
        right = QFormLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        outer.addLayout(top)

        self.host = searchable_combo("Type a few letters of the school's name")
        self.host.setObjectName("host")
        for school in sorted(self.schools.values(), key=lambda s: s.name.casefold()):
            self.host.addItem(school_label(school), school.school_id)
        self.host.setCurrentIndex(-1)
        self.host.completer().activated.connect(lambda _text: self._host_changed())
        self.host.currentIndexChanged.connect(lambda _i: self._host_changed())
        self.host.lineEdit().editingFinished.connect(self._host_typed)
        # Leaving the box while its list of matches is open sends it no focus-out event
        # (nor editingFinished): the application's focus change is what says so.
        QApplication.instance().focusChanged.connect(self._focus_moved)
        self.cluster = QComboBox()
        self.cluster.setObjectName("cluster")
        self.cluster.currentIndexChanged.connect(lambda _i: self._cluster_changed())
        self.first_day = date_field(hint="The first day of the visit")
        self.last_day = date_field(hint="The last day of the visit (blank: a one-day visit)")
        self.first_day.setObjectName("first_day")
        self.last_day.setObjectName("last_day")
        self.visit_days = QLabel()
        self.visit_days.setObjectName("visit_length")
        for layout, field, label, widget in (
            (left, "host_school_id", "&Host school", self.host),
            (left, "cluster_id", "C&luster", self.cluster),
            (right, "starts_on", "&First day", self.first_day),
            (right, "ends_on", "La&st day", self.last_day),
        ):
            self.messages.add_row(layout, field, label, widget)
        right.addRow("", self.visit_days)

        team_box = QGroupBox("Reviewing schools")
        team_layout = QVBoxLayout(team_box)
        self.team = TeamEditor(self.schools)
        holder, message = self.messages.with_message("team_school_ids", self.team)
        team_layout.addWidget(holder)
        outer.addWidget(team_box)

        reviewers_box = QGroupBox("Reviewers")
        reviewers_layout = QVBoxLayout(reviewers_box)
        self.reviewers = ReviewersEditor()
        holder, message = self.messages.with_message("reviewers", self.reviewers)
        reviewers_layout.addWidget(holder)
        reviewer_buttons = QHBoxLayout()
        self.add_reviewer_button = push_button(
            "Add re&viewer", self.add_reviewer, "A reviewer to name, from a school of the team"
        )
        self.add_heads_button = push_button(
            "Add the hea&ds",
            self.add_heads,
            "Each team school's head teacher, from the register (the first school's as lead)",
        )
        reviewer_buttons.addWidget(self.add_reviewer_button)
        reviewer_buttons.addWidget(self.add_heads_button)
        reviewer_buttons.addStretch(1)
        reviewers_layout.addLayout(reviewer_buttons)
        outer.addWidget(reviewers_box)

        lower = QFormLayout()
        self.focus = QPlainTextEdit()
        self.focus.setPlaceholderText("One focus area a line")
        self.focus.setMaximumHeight(70)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(56)
        self.messages.add_row(lower, "focus", "F&ocus areas", self.focus)
        self.messages.add_row(lower, "notes", "&Notes", self.notes)
        outer.addLayout(lower)

        warnings_box = QGroupBox("Warnings: the cycle's rules (they do not stop you saving)")
        warnings_layout = QVBoxLayout(warnings_box)
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        warnings_layout.addWidget(self.warnings)
        outer.addWidget(warnings_box, 1)

        self.buttons = QDialogButtonBox()
        self.history_button = QPushButton("Histor&y…")
        self.history_button.setToolTip("Every change to this review, who made it and when")
        self.history_button.clicked.connect(lambda _c=False: self.show_history())
        self.buttons.addButton(self.history_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.history_button.setVisible(self.detail is not None)
        if self.editable:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            save.setToolTip("Save the review (Ctrl+S)")
            self.buttons.accepted.connect(self.save)
            QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
            for push in self.buttons.buttons():
                # Enter in a box moves on (or adds a school); it never saves by accident.
                push.setAutoDefault(False)
                push.setDefault(False)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        for edit in (self.first_day, self.last_day):
            edit.textChanged.connect(lambda _t: self._changed())
        self.team.changed.connect(self._team_changed)
        self.reviewers.changed.connect(self._changed)

    # -- filling ----------------------------------------------------------------------------
    def _load(self, host_school_id: int | None, starts_on: date | None) -> None:
        detail = self.detail
        if detail is None:
            self._host_changed()  # the clusters to choose from, before a host is
            if host_school_id is not None:
                self._choose_host(host_school_id, "")
            self.first_day.setText(format_date(starts_on) if starts_on else "")
            self.focus.setPlainText(self.cycle.focus)
            self.status.setText(
                f"A new review in {_html(self.cycle.title)}: it is saved as proposed."
            )
        else:
            self._show(detail)
        if not self.editable:
            self._read_only()
        else:
            self.host.setFocus()

    def _show(self, detail: ReviewDetail) -> None:
        self._choose_host(detail.host_school_id, detail.host_name)
        self._choose_cluster(detail.cluster_id, detail.cluster_name)
        self.first_day.setText(format_date(detail.starts_on) if detail.starts_on else "")
        last = detail.ends_on if detail.ends_on != detail.starts_on else None
        self.last_day.setText(format_date(last) if last else "")
        names = {school.school_id: school.name for school in detail.team}
        self.team.set_schools(tuple(names), names)
        self.reviewers.set_reviewers(list(detail.as_input().reviewers))
        self.focus.setPlainText(detail.focus)
        self.notes.setPlainText(detail.notes)
        self.status.setText(status_line(detail))

    def _read_only(self) -> None:
        self.host.setEnabled(False)
        self.cluster.setEnabled(False)
        for edit in (self.first_day, self.last_day):
            edit.setReadOnly(True)
            edit.setClearButtonEnabled(False)
        for edit in (self.focus, self.notes):
            edit.setReadOnly(True)
        self.team.set_read_only()
        self.reviewers.set_read_only()
        self.add_reviewer_button.hide()
        self.add_heads_button.hide()

    def _choose_host(self, school_id: int, name: str) -> None:
        index = self.host.findData(school_id)
        if index < 0:  # a school closed since: still this review's host
            self.host.addItem(name, school_id)
            index = self.host.count() - 1
        self.host.setCurrentIndex(index)

    def _choose_cluster(self, cluster_id: int | None, name: str) -> None:
        if cluster_id is not None and self.cluster.findData(cluster_id) < 0:
            self.cluster.addItem(name, cluster_id)  # retired since: still this review's
        self._select_cluster(cluster_id)

    def _select_cluster(self, cluster_id: int | None) -> None:
        index = self.cluster.findData(cluster_id) if cluster_id is not None else -1
        self.cluster.setCurrentIndex(index if index >= 0 else self.cluster.findText(NO_CLUSTER))

    # -- as the person types ----------------------------------------------------------------
    def host_id(self) -> int | None:
        """The host chosen from the list; None when what is typed is none of the schools."""
        index = self.host.currentIndex()
        if index < 0 or self.host.currentText() != self.host.itemText(index):
            return None
        value = self.host.itemData(index)
        return value if isinstance(value, int) else None

    def cluster_id(self) -> int | None:
        value = self.cluster.currentData()
        return value if isinstance(value, int) else None

    def _focus_moved(self, old: QWidget | None, now: QWidget | None) -> None:
        if old is self.host and now is not None and now.window() is self:
            self._host_typed()

    def _host_typed(self) -> None:
        """Part of one school's name typed and left: that school is taken as the choice."""
        text = self.host.currentText().strip().casefold()
        if not text or self.host_id() is not None:
            return
        matches = [i for i in range(self.host.count()) if text in self.host.itemText(i).casefold()]
        if len(matches) == 1:
            self.host.setCurrentIndex(matches[0])

    def _host_changed(self) -> None:
        """The host's clusters come first in the list, and its cluster is chosen."""
        host = self.host_id()
        current = self.cluster_id()
        theirs = [c for c in self.clusters if host is not None and host in c.school_ids]
        others = [c for c in self.clusters if c not in theirs and c.active]
        self.cluster.blockSignals(True)
        self.cluster.clear()
        for cluster in theirs:
            self.cluster.addItem(cluster.name, cluster.id)
        if theirs and others:
            self.cluster.insertSeparator(self.cluster.count())
        for cluster in others:
            self.cluster.addItem(f"{cluster.name} (the host is not in it)", cluster.id)
        self.cluster.addItem(NO_CLUSTER, None)
        keep = current if current in {c.id for c in theirs} else None
        if keep is None and theirs:
            keep = theirs[0].id
        self._select_cluster(keep)
        self.cluster.blockSignals(False)
        self._cluster_changed()

    def _cluster_changed(self) -> None:
        cluster = next((c for c in self.clusters if c.id == self.cluster_id()), None)
        self.team.offer(list(cluster.school_ids) if cluster else [], self.host_id())
        self._changed()

    def _team_changed(self) -> None:
        self.reviewers.set_team([(i, self.team.name(i)) for i in self.team.school_ids()])
        self._cluster_changed()

    def _changed(self) -> None:
        self._show_length()
        if self.editable:
            self._preview.start()

    def _show_length(self) -> None:
        first, last = _read(self.first_day.text()), _read(self.last_day.text())
        if isinstance(first, date) and isinstance(last, date) and last >= first:
            days = (last - first).days + 1
            self.visit_days.setText(f"{days} day{'s' if days != 1 else ''}")
        elif isinstance(first, date) and last is None:
            self.visit_days.setText(f"{first:%A}: a one-day visit")
        else:
            self.visit_days.setText("")

    def add_reviewer(self) -> None:
        row = self.reviewers.add()
        # The new row is shown once control returns to Qt; only then can it take the focus.
        QTimer.singleShot(0, row.name.setFocus)

    def add_heads(self) -> None:
        """Each team school's head teacher (from the register) not yet named; the first
        school's is the lead when nobody leads yet."""
        named = self.reviewers.schools_named()
        has_lead = any(r.is_lead for r in self.reviewers.values())
        missing = []
        for position, school_id in enumerate(self.team.school_ids()):
            if school_id in named:
                continue
            try:
                school = self.services.schools.get_school(self.services.actor, school_id)
            except ServiceError as exc:
                self.tell(self, "Add the heads", exc.message)
                return
            if not school.head_teacher:
                missing.append(school.name)
                continue
            self.reviewers.add(
                ReviewerInput(
                    school.head_teacher,
                    school_id,
                    school.head_job_title or "Head teacher",
                    school.email,
                    is_lead=not has_lead and position == 0,
                )
            )
        if missing:
            self.tell(
                self,
                "Add the heads",
                "The register has no head teacher for "
                + ", ".join(missing)
                + ". Type the reviewer's name instead (Add reviewer).",
            )
        elif not self.team.school_ids():
            self.tell(self, "Add the heads", "Add the reviewing schools first.")

    # -- warnings ---------------------------------------------------------------------------
    def review_input(self) -> tuple[ReviewInput | None, dict[str, str]]:
        """The review as typed, and what cannot be read (a date typed wrongly) by field."""
        problems: dict[str, str] = {}
        days: dict[str, date | None] = {}
        for field, edit in (("starts_on", self.first_day), ("ends_on", self.last_day)):
            value = _read(edit.text())
            if isinstance(value, str):
                problems[field] = value
                days[field] = None
            else:
                days[field] = value
        host = self.host_id()
        if host is None:
            typed = self.host.currentText().strip()
            problems["host_school_id"] = (
                f"“{typed}” is not in the list: choose the school from it."
                if typed
                else "Choose the school the review is at."
            )
            return None, problems
        return (
            ReviewInput(
                cycle_id=self.cycle_id,
                host_school_id=host,
                cluster_id=self.cluster_id(),
                starts_on=days["starts_on"],
                ends_on=days["ends_on"],
                team_school_ids=self.team.school_ids(),
                reviewers=self.reviewers.values(),
                focus=self.focus.toPlainText(),
                notes=self.notes.toPlainText(),
            ),
            problems,
        )

    def show_warnings(self) -> None:
        """Check the review as typed against the cycle's rules (nothing saved) and say what
        it breaks; called a moment after each change."""
        data, problems = self.review_input()
        self.breaches, self.warning_lines = [], []
        if data is None:
            self._say("<i>Choose the host school to see whether the rules are kept.</i>", "")
            return
        try:
            self.breaches = self.services.scheduling.preview_breaches(
                self.services.actor, data, self.detail.id if self.detail else None
            )
        except ServiceError as exc:
            self._say(f"<i>The rules cannot be checked: {_html(exc.message)}</i>", "")
            return
        self.warning_lines = [b.message for b in self.breaches] + list(problems.values())
        if self.warning_lines:
            lines = (f"{WARNING_SIGN} {_html(line)}" for line in self.warning_lines)
            self._say("<br>".join(lines), "color: #8a4b00;")
        elif data.cluster_id is None:
            # The checker judges a cluster's schedule; a review in none is not judged.
            self._say(
                "<i>This review is in no cluster, so the cycle's rules are not checked for it: "
                "choose its cluster to check them.</i>",
                "",
            )
        else:
            self._say("✓ This review keeps every rule of the cycle.", "color: #1b5e20;")

    def _say(self, text: str, style: str) -> None:
        self.warnings.setText(text)
        self.warnings.setStyleSheet(style)

    # -- saving -----------------------------------------------------------------------------
    def state(self) -> tuple[object, ...]:
        """What is typed, to tell whether anything changed since it was opened."""
        return (
            self.host.currentText(),
            self.cluster.currentText(),
            self.first_day.text(),
            self.last_day.text(),
            self.team.school_ids(),
            self.reviewers.values(),
            self.focus.toPlainText(),
            self.notes.toPlainText(),
        )

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, with any warnings said; or the reasons shown beside
        the fields and everything typed kept."""
        if not self.editable:
            return False
        self.banner.hide()
        data, problems = self.review_input()
        if data is None or problems:
            show_refusal(self.banner, self.messages, ValidationError(problems))
            return False
        actor = self.services.actor
        saved: SavedReview | None = self.save_record(
            lambda found, version: self.services.reviews.save_review(actor, data, found, version)
        )
        if saved is None:
            return False
        if saved.warnings:
            listed = "\n".join(f"{WARNING_SIGN} {breach.message}" for breach in saved.warnings)
            self.tell(
                self,
                "Saved, with warnings",
                f"The review at {saved.review.host_name} is saved. It breaks "
                f"{'a rule' if len(saved.warnings) == 1 else 'some rules'} of the cycle:\n\n"
                f"{listed}",
            )
        return self.close_saved(saved.review, saved)

    def show_history(self) -> None:
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        if self.detail is None:
            return
        title = f"Review at {self.detail.host_name}, {self.detail.visit_label}"
        self.run_dialog(HistoryDialog(self.services, title, self.detail.uuid, self))

    def done(self, result: int) -> None:
        self._preview.stop()  # no check of a form that is gone
        super().done(result)


def status_line(detail: ReviewDetail) -> str:
    """``Status: Confirmed`` and each step's date: "Proposed 01/10/2025 · Confirmed ..."."""
    steps = " · ".join(
        f"{status.label} {format_date(on)}"
        for status in ReviewStatus
        if (on := detail.status_dates.get(status)) is not None
    )
    words = f"Status: <b>{_html(detail.status.label)}</b>"
    if steps:
        words += f" ({_html(steps)})"
    if detail.qa_outcome is not None:
        words += f" · QA: {_html(detail.qa_outcome.label)}"
    return words


def _read(text: str) -> date | None | str:
    """A typed date, None when blank, or what is wrong with it in words."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError:
        return f"“{text.strip()}” is not a date: type it as dd/mm/yyyy."


def _html(text: str) -> str:
    """Text shown as typed in a rich-text label ("St Mary & St John" is not markup)."""
    return escape(text, quote=False)
