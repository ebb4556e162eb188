"""A year's review cycle: its name, the rules its schedule keeps, its seed and focus areas."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ScheduleRules, TermName
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import CycleDetail, CycleInput
from thep_desktop.services.registry import Services
from thep_desktop.ui.shared.forms import FieldMessages, editor_buttons, error_banner
from thep_desktop.ui.shared.record_forms import RecordForm


class CycleDialog(RecordForm):
    """``CycleDialog(services, None, parent, year)``: a new cycle; with an id, that cycle.

    ``saved(detail)`` is emitted once it is saved (and the dialog accepted).
    """

    saved = Signal(object)
    unsaved_what = "the cycle"

    def __init__(
        self,
        services: Services,
        cycle_id: int | None,
        parent: QWidget | None = None,
        year: AcademicYear | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        actor = services.actor
        self.detail: CycleDetail | None = (
            services.reviews.get_cycle(actor, cycle_id) if cycle_id is not None else None
        )
        self.editable = actor.can(MANAGE_REVIEWS)
        self.setObjectName("cycle_dialog")
        self.setWindowTitle(self.detail.title if self.detail else "New review cycle")
        self.setMinimumWidth(560)
        self._build(year)
        self._show(self.detail, year)
        self._initial = self.state()

    def _build(self, year: AcademicYear | None) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(
            "A cycle is one academic year's peer reviews. Its rules are what the schedule "
            "keeps: the scheduler follows them and the checker warns when a review breaks one."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        form = QFormLayout()
        self.messages = FieldMessages()

        self.year = QComboBox()
        self.year.setObjectName("academic_year")
        self.year.setEditable(True)
        self.year.lineEdit().setPlaceholderText("2025/26")
        self.year.setToolTip("The academic year, as 2025/26")
        self.year.setMaximumWidth(160)
        this_year = AcademicYear.of(date.today())
        for offered in (this_year.previous(), this_year, this_year.next()):
            self.year.addItem(offered.label, offered)
        if year is not None and self.year.findText(year.label) < 0:
            self.year.addItem(year.label, year)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Blank: Peer reviews and the year")
        self.team_size = _number(1, 6, "How many schools review each host school")
        self.reviews_per_school = _number(1, 6, "How many other schools each school reviews")
        self.visit_days = _number(1, 5, "How many days each visit lasts")
        rules = ScheduleRules()
        self.avoid_same_trust = QCheckBox("No school reviews a school of its own trust")
        self.no_mutual = QCheckBox("No two schools review each other in the same term")
        self.one_a_week = QCheckBox("At most one visit a week for each school")
        self.term_boxes: dict[TermName, QCheckBox] = {}
        terms_row = QWidget()
        terms_layout = QHBoxLayout(terms_row)
        terms_layout.setContentsMargins(0, 0, 0, 0)
        for term in TermName:
            box = QCheckBox(term.label)
            box.setObjectName(f"term_{term.value}")
            box.setChecked(term in rules.terms)
            self.term_boxes[term] = box
            terms_layout.addWidget(box)
        terms_layout.addStretch(1)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setMaximumWidth(160)
        self.seed.setToolTip(
            "The scheduler gives the same schedule for the same number; another number gives "
            "another schedule, just as fair"
        )
        self.focus = QPlainTextEdit()
        self.focus.setPlaceholderText("One focus area a line, e.g. Reading in Key Stage 2")
        self.focus.setMaximumHeight(90)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)

        rules_box = QWidget()
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.avoid_same_trust, self.no_mutual, self.one_a_week):
            rules_layout.addWidget(box)
        for field, label, widget in (
            ("academic_year", "Academic &year", self.year),
            ("name", "&Name", self.name),
            ("team_size", "Schools in each &team", self.team_size),
            ("reviews_per_school", "&Reviews each school gives", self.reviews_per_school),
            ("visit_days", "&Days a visit lasts", self.visit_days),
            ("rules", "Rules", rules_box),
            ("terms", "Terms for &visits", terms_row),
            ("seed", "S&eed", self.seed),
            ("focus", "&Focus areas", self.focus),
            ("notes", "N&otes", self.notes),
        ):
            self.messages.add_row(form, field, label, widget)
        outer.addLayout(form)
        self.buttons = editor_buttons(self, self.editable, self.save, "the cycle")
        outer.addWidget(self.buttons)
        if not self.editable:
            for widget in (self.year, self.team_size, self.reviews_per_school, self.visit_days):
                widget.setEnabled(False)
            for box in (self.avoid_same_trust, self.no_mutual, self.one_a_week, self.seed):
                box.setEnabled(False)
            for box in self.term_boxes.values():
                box.setEnabled(False)
            for edit in (self.name, self.focus, self.notes):
                edit.setReadOnly(True)

    def _show(self, detail: CycleDetail | None, year: AcademicYear | None) -> None:
        data = detail.as_input() if detail is not None else CycleInput(year or _next_cycle_year())
        shown = data.academic_year
        label = shown.label if isinstance(shown, AcademicYear) else str(shown)
        found = self.year.findText(label)
        if found < 0:
            self.year.addItem(label)
            found = self.year.count() - 1
        self.year.setCurrentIndex(found)
        self.name.setText(data.name)
        self.team_size.setValue(int(data.team_size))
        self.reviews_per_school.setValue(int(data.reviews_per_school))
        self.visit_days.setValue(int(data.visit_days))
        self.avoid_same_trust.setChecked(data.avoid_same_trust)
        self.no_mutual.setChecked(data.no_mutual_in_same_term)
        self.one_a_week.setChecked(data.one_visit_per_week)
        for term, box in self.term_boxes.items():
            box.setChecked(term in data.terms)
        self.seed.setValue(int(data.seed))
        self.focus.setPlainText(data.focus)
        self.notes.setPlainText(data.notes)

    def cycle_input(self) -> CycleInput:
        """The cycle as typed (the service checks it)."""
        return CycleInput(
            academic_year=self.year.currentText().strip(),
            name=self.name.text(),
            team_size=self.team_size.value(),
            reviews_per_school=self.reviews_per_school.value(),
            visit_days=self.visit_days.value(),
            avoid_same_trust=self.avoid_same_trust.isChecked(),
            no_mutual_in_same_term=self.no_mutual.isChecked(),
            one_visit_per_week=self.one_a_week.isChecked(),
            terms=tuple(term for term, box in self.term_boxes.items() if box.isChecked()),
            seed=self.seed.value(),
            focus=self.focus.toPlainText(),
            notes=self.notes.toPlainText(),
        )

    def state(self) -> CycleInput:
        return self.cycle_input()

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, or the reasons shown beside the fields."""
        if not self.editable:
            return False
        actor = self.services.actor
        saved = self.save_record(
            lambda found, version: self.services.reviews.save_cycle(
                actor, self.cycle_input(), found, version
            )
        )
        return saved is not None and self.close_saved(saved, saved)


def _number(low: int, high: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setToolTip(tip)
    box.setMaximumWidth(90)
    return box


def _next_cycle_year() -> AcademicYear:
    """The year a new cycle is most likely for: the current one (the next from June)."""
    today = date.today()
    year = AcademicYear.of(today)
    return year.next() if today.month in (6, 7, 8) else year
