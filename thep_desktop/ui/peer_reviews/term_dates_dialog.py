"""A year's term dates (three terms and their half terms), its bank holidays, and the schools'
own closure days (INSET and occasional days), which visits avoid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.peer_reviews import ClosureKind, Term, TermName
from thep_desktop.services.peer_reviews.peer_reviews_permissions import EDIT_TERM_DATES
from thep_desktop.services.peer_reviews.review_data import (
    ClosureDetail,
    ClosureInput,
    YearTerms,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import (
    FieldMessages,
    date_field,
    error_banner,
    push_button,
    searchable_combo,
)
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import tell
from thep_desktop.ui.shared.record_forms import RecordForm, show_refusal

# A term's four dates: the field names the service uses, and the column headings.
TERM_FIELDS = (
    ("starts_on", "First day"),
    ("ends_on", "Last day"),
    ("half_term_starts_on", "Half term from"),
    ("half_term_ends_on", "Half term to"),
)
CLOSURE_COLUMNS = (
    PlainColumn("Date", "date"),
    PlainColumn("School"),
    PlainColumn("Kind"),
    PlainColumn("Reason"),
)
ALL_SCHOOLS = "All schools"
REMOVE = "Remove"


class TermDatesDialog(RecordForm):
    """``TermDatesDialog(services, AcademicYear(2025), parent)``.

    The terms are saved together with Save (Ctrl+S); closure days are saved as each is
    added or removed. ``saved(YearTerms)`` is emitted when the terms are saved.
    """

    saved = Signal(object)

    def __init__(self, services: Services, year: AcademicYear, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.year = year
        self.unsaved_what = f"the {year.label} calendar"  # "…but not saved it"
        self.tell = tell
        # Opens the Add closure form; tests replace it to drive the form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        actor = services.actor
        self.editable = actor.can(EDIT_TERM_DATES)
        self.terms: YearTerms = services.school_calendar.year_terms(actor, year)
        self.closures: list[ClosureDetail] = []
        self.setObjectName("term_dates_dialog")
        self.setWindowTitle(f"Term dates {year.label}")
        self.resize(900, 720)
        self._build()
        self._show_terms(self.terms)
        self._fill_bank_holidays()
        self._fill_school_filter()
        self.load_closures()
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        self.proposed_note = QLabel()
        self.proposed_note.setObjectName("proposed_note")
        self.proposed_note.setWordWrap(True)
        self.proposed_note.setStyleSheet(
            "background: #fff4d6; padding: 6px; border-radius: 3px; color: #5c4100;"
        )
        outer.addWidget(self.proposed_note)
        self.saved_note = QLabel()
        self.saved_note.setObjectName("saved_note")
        self.saved_note.setStyleSheet("color: #1b5e20;")
        self.saved_note.hide()
        outer.addWidget(self.saved_note)

        self.messages = FieldMessages()
        terms_box = QGroupBox("Terms")
        grid = QGridLayout(terms_box)
        for column, (_field, heading) in enumerate(TERM_FIELDS, start=1):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        self.edits: dict[tuple[TermName, str], QLineEdit] = {}
        for row, term in enumerate(TermName, start=1):
            grid.addWidget(QLabel(term.label), row, 0, Qt.AlignmentFlag.AlignTop)
            for column, (field, heading) in enumerate(TERM_FIELDS, start=1):
                edit = date_field(hint=f"{term.label}: {heading.lower()}")
                edit.setObjectName(f"{term.value}.{field}")
                self.edits[(term, field)] = edit
                holder, _message = self.messages.with_message(f"{term.value}.{field}", edit)
                grid.addWidget(holder, row, column, Qt.AlignmentFlag.AlignTop)
        overlap = FieldMessages.message_label("overlap")
        self.messages.register("overlap", terms_box, overlap)
        grid.addWidget(overlap, len(TermName) + 1, 0, 1, len(TERM_FIELDS) + 1)
        outer.addWidget(terms_box)

        middle = QHBoxLayout()
        holidays_box = QGroupBox("Bank holidays")
        holidays_layout = QVBoxLayout(holidays_box)
        source = QLabel("England and Wales, from GOV.UK via the holidays package: no visits.")
        source.setWordWrap(True)
        holidays_layout.addWidget(source)
        self.bank_holidays = QListWidget()
        self.bank_holidays.setObjectName("bank_holidays")
        self.bank_holidays.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.bank_holidays.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        holidays_layout.addWidget(self.bank_holidays)
        middle.addWidget(holidays_box, 2)

        closures_box = QGroupBox("Schools' closure days (INSET and occasional days)")
        closures_layout = QVBoxLayout(closures_box)
        filter_row = QHBoxLayout()
        caption = QLabel("S&how")
        self.school_filter = QComboBox()
        self.school_filter.setObjectName("closure_school_filter")
        caption.setBuddy(self.school_filter)
        filter_row.addWidget(caption)
        filter_row.addWidget(self.school_filter, 1)
        closures_layout.addLayout(filter_row)
        self.closure_model = PlainTableModel(CLOSURE_COLUMNS, parent=self)
        self.closure_table = list_view("closures", self.closure_model, sort_column=0)
        self.closure_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.closure_table.horizontalHeader().setStretchLastSection(True)
        closures_layout.addWidget(self.closure_table, 1)
        closure_buttons = QHBoxLayout()
        self.add_closure_button = push_button(
            "&Add closure…", self.add_closure, "A school's closure on a day or several days"
        )
        self.remove_closure_button = push_button(
            "&Remove", self.remove_closures, "Remove the closure days chosen (Delete)"
        )
        closure_buttons.addWidget(self.add_closure_button)
        closure_buttons.addWidget(self.remove_closure_button)
        closure_buttons.addStretch(1)
        self.closure_count = QLabel()
        closure_buttons.addWidget(self.closure_count)
        closures_layout.addLayout(closure_buttons)
        saved_now = QLabel("<i>Closure days are saved as you add or remove them.</i>")
        closures_layout.addWidget(saved_now)
        middle.addWidget(closures_box, 3)
        outer.addLayout(middle, 1)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.closure_table,
            activated=self.remove_closures,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.school_filter.currentIndexChanged.connect(lambda _i: self.load_closures())

        self.buttons = QDialogButtonBox()
        if self.editable:
            self.save_button = QPushButton("&Save term dates")
            self.save_button.setToolTip("Save the three terms together (Ctrl+S)")
            self.save_button.clicked.connect(lambda _c=False: self.save())
            self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
            QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        for push in self.buttons.buttons():
            push.setAutoDefault(False)
        outer.addWidget(self.buttons)
        if not self.editable:
            for edit in self.edits.values():
                edit.setReadOnly(True)
                edit.setClearButtonEnabled(False)
            self.add_closure_button.hide()
            self.remove_closure_button.hide()

    # -- filling ----------------------------------------------------------------------------
    def _show_terms(self, terms: YearTerms) -> None:
        for name in TermName:
            term = terms.term(name)
            for field, _heading in TERM_FIELDS:
                value = getattr(term, field) if term is not None else None
                self.edits[(name, field)].setText(format_date(value) if value else "")
        if terms.saved:
            self.proposed_note.hide()
        else:
            self.proposed_note.setText(
                f"Proposed, not yet saved: the usual dates of London boroughs for "
                f"{self.year.label}. Check them against the borough's calendar, change what "
                "differs, and save them (Ctrl+S) before scheduling visits."
            )
            self.proposed_note.show()

    def _fill_bank_holidays(self) -> None:
        days = self.services.school_calendar.bank_holidays(self.services.actor, self.year)
        for day, name in days.items():
            self.bank_holidays.addItem(f"{day:%a} {format_date(day)}  {name}")

    def _fill_school_filter(self) -> None:
        self.schools = self.services.clusters.school_choices(self.services.actor)
        self.school_filter.blockSignals(True)
        self.school_filter.addItem(ALL_SCHOOLS, None)
        for school in self.schools:
            self.school_filter.addItem(school.name, school.school_id)
        self.school_filter.blockSignals(False)

    def load_closures(self) -> None:
        chosen = self.school_filter.currentData()
        school_id = chosen if isinstance(chosen, int) else None
        self.closures = self.services.school_calendar.closures(
            self.services.actor, self.year, school_id
        )
        self.closure_model.set_rows(
            [(c.closed_on, c.school_name, c.kind.label, c.reason, c) for c in self.closures]
        )
        self.closure_table.resizeColumnsToContents()
        count = len(self.closures)
        self.closure_count.setText(f"{count} day{'s' if count != 1 else ''}")

    # -- the terms --------------------------------------------------------------------------
    def state(self) -> tuple[str, ...]:
        return tuple(edit.text() for edit in self.edits.values())

    def typed_terms(self) -> tuple[tuple[Term, ...], dict[str, str]]:
        """The terms as typed, and each date that cannot be read, by field."""
        problems: dict[str, str] = {}
        terms = []
        for name in TermName:
            values: dict[str, date | None] = {}
            for field, heading in TERM_FIELDS:
                text = self.edits[(name, field)].text().strip()
                if not text:
                    values[field] = None
                    if field in ("starts_on", "ends_on"):
                        problems[f"{name.value}.{field}"] = (
                            f"Give the {name.label.lower()}'s {heading.lower()}."
                        )
                    continue
                try:
                    values[field] = parse_date(text)
                except ValueError:
                    values[field] = None
                    problems[f"{name.value}.{field}"] = (
                        f"“{text}” is not a date: type it as dd/mm/yyyy."
                    )
            if values["starts_on"] is not None and values["ends_on"] is not None:
                terms.append(
                    Term(
                        name,
                        values["starts_on"],
                        values["ends_on"],
                        values["half_term_starts_on"],
                        values["half_term_ends_on"],
                    )
                )
        return tuple(terms), problems

    def save(self) -> bool:
        """Save the three terms (Ctrl+S); refused, the reasons are shown by the fields."""
        if not self.editable:
            return False
        self.banner.hide()
        self.saved_note.hide()
        terms, problems = self.typed_terms()
        try:
            if problems:
                raise ValidationError(problems)
            saved = self.services.school_calendar.save_terms(
                self.services.actor, self.year, terms, self.terms.versions or None
            )
        except ServiceError as exc:
            aliases = {f"{t.value}.half_term": f"{t.value}.half_term_starts_on" for t in TermName}
            aliases |= {t.value: f"{t.value}.starts_on" for t in TermName}
            show_refusal(self.banner, self.messages, exc, aliases)
            return False
        self.messages.clear()
        self.terms = saved
        self._show_terms(saved)
        self._initial = self.state()
        self.saved_note.setText(f"The term dates for {self.year.label} are saved.")
        self.saved_note.show()
        self.saved.emit(saved)
        return True

    # -- closures ---------------------------------------------------------------------------
    def add_closure(self) -> None:
        """A school's closure: one day, or every weekday from the first to the last."""
        school = searchable_combo("Type a few letters of the school's name", 300)
        for choice in self.schools:
            school.addItem(choice.name, choice.school_id)
        chosen = self.school_filter.currentData()
        school.setCurrentIndex(school.findData(chosen) if isinstance(chosen, int) else -1)
        first = date_field(hint="The first day the school is closed")
        last = date_field(hint="The last day (blank: the one day)")
        kind = QComboBox()
        for value in ClosureKind:
            kind.addItem(value.label, value.value)
        reason = QLineEdit()
        reason.setPlaceholderText("e.g. Staff training: curriculum day")

        def add() -> list[ClosureDetail]:
            index = school.findText(school.currentText())
            errors = {}
            if index < 0:
                errors["school_id"] = "Choose the school from the list."
            days = {}
            for field, edit in (("first_day", first), ("last_day", last)):
                text = edit.text().strip()
                if not text:
                    days[field] = None
                    if field == "first_day":
                        errors[field] = "Give the first day of the closure."
                    continue
                try:
                    days[field] = parse_date(text)
                except ValueError:
                    errors[field] = f"“{text}” is not a date: type it as dd/mm/yyyy."
            if errors:
                raise ValidationError(errors)
            assert days["first_day"] is not None
            return self.services.school_calendar.add_closures(
                self.services.actor,
                ClosureInput(
                    school.itemData(index),
                    days["first_day"],
                    days["last_day"],
                    kind.currentData(),
                    reason.text(),
                ),
            )

        form = MembershipForm(
            "Add closure",
            f"Days in {self.year.label} a school is closed to pupils: no visit is planned to "
            "or from it on them. Weekends in the range are left out.",
            {
                "school_id": ("&School", school),
                "first_day": ("&First day", first),
                "last_day": ("&Last day", last),
                "kind": ("&Kind", kind),
                "reason": ("&Reason", reason),
            },
            add,
            self,
            what="the closure",
        )
        form.setObjectName("add_closure")
        form.accepted.connect(lambda: self._closures_added(form.result_value))
        self.run_dialog(form)

    def _closures_added(self, added: object) -> None:
        self.load_closures()
        days = added if isinstance(added, list) else []
        if not days:
            self.tell(self, "Add closure", "Those days were already recorded: nothing to add.")

    def chosen_closures(self) -> list[ClosureDetail]:
        rows = sorted({index.row() for index in self.closure_table.selectionModel().selectedRows()})
        return [self.closure_model.row_values(row)[-1] for row in rows]

    def remove_closures(self) -> None:
        chosen = self.chosen_closures()
        if not self.editable or not chosen:
            return
        if len(chosen) == 1:
            what = f"{chosen[0].school_name}'s closure on {format_date(chosen[0].closed_on)}"
        else:
            what = f"these {len(chosen)} closure days"
        answer = self.ask(self, "Remove closure", f"Remove {what}?", [REMOVE, "Cancel"])
        if answer != REMOVE:
            return
        for closure in chosen:
            try:
                self.services.school_calendar.delete_closure(
                    self.services.actor, closure.id, closure.version
                )
            except ServiceError as exc:
                self.tell(self, "Remove closure", exc.message)
                break
        self.load_closures()
