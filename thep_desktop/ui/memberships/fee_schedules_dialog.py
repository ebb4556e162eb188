"""Memberships > Fee schedules: the years' fees, an editor for one year, and the year's quote."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import ProRating, money
from thep_desktop.services.memberships.fees_service import (
    FeePeriodInput,
    ScheduleDetail,
    ScheduleInput,
    YearQuote,
)
from thep_desktop.services.memberships.memberships_permissions import EDIT_FEES
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.memberships.dated_rows_editor import DatedRowsEditor
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import tell

YEAR_COLUMNS = (
    PlainColumn("Year"),
    PlainColumn("Rate per pupil", "money", "What a full member pays for each pupil"),
    PlainColumn("Associate fee", "money", "What an associate member pays for the year"),
    PlainColumn("Census date", "date", "The pupil figures used are those at this census"),
    PlainColumn("Pro-rating"),
    PlainColumn("Fee periods", "count", "Free or pro-rated parts of the year"),
)
QUOTE_COLUMNS = (
    PlainColumn("Member"),
    PlainColumn("Category"),
    PlainColumn("Pupils", "count"),
    PlainColumn("Census", "date", "The census the pupil figure comes from"),
    PlainColumn("Fee", "money"),
    PlainColumn("Working"),
)


class ScheduleEditor(MembershipForm):
    """One year's fees; ``schedule`` None for a new year (prefilled from ``latest``)."""

    def __init__(
        self,
        services: Services,
        schedule: ScheduleDetail | None,
        latest: ScheduleDetail | None,
        parent: QWidget | None = None,
        on_quote: Callable[[ScheduleDetail], None] | None = None,
    ) -> None:
        self.services = services
        self.schedule = schedule
        self.year = QLineEdit()
        self.year.setPlaceholderText("e.g. 2026/27")
        self.rate = QLineEdit()
        self.associate_fee = QLineEdit()
        self.census = date_field(hint="The census whose pupil figures the fees use")
        self.census.setPlaceholderText("January census of the year")
        self.pro_rating = QComboBox()
        for choice in ProRating:
            self.pro_rating.addItem(choice.label, choice.value)
        self.periods = DatedRowsEditor("&Add fee period", with_charge=True)
        self.notes = QLineEdit()
        fields: dict[str, tuple[str, QWidget]] = {
            "academic_year": ("Academic &year", self.year),
            "rate_per_pupil": ("&Rate per pupil", self.rate),
            "associate_fee": ("A&ssociate fee", self.associate_fee),
            "census_date": ("&Census date", self.census),
            "pro_rating": ("&Pro-rating", self.pro_rating),
            "periods": ("Fee periods", self.periods),
            "notes": ("&Notes", self.notes),
        }
        title = f"Fee schedule {schedule.year.label}" if schedule else "New fee schedule"
        intro = (
            "The parts of the year no fee period names are charged in full. A free period "
            "costs nothing; a charged one is pro-rated by the months (or days) of membership."
        )
        can_edit = services.actor.can(EDIT_FEES)
        super().__init__(
            title, intro, fields, self._save_now, parent, what="the fee schedule", can_edit=can_edit
        )
        self.setObjectName("schedule_editor")
        self.setMinimumWidth(640)
        self.saved: ScheduleDetail | None = None
        self._fill(schedule or latest, is_new=schedule is None)
        if schedule is not None and on_quote is not None:
            self.quote_button = push_button(
                "&Quote…", lambda: on_quote(schedule), "Every member's fee for this year"
            )
            self.buttons.addButton(self.quote_button, QDialogButtonBox.ButtonRole.ActionRole)
        if not can_edit:
            for widget in fields.values():
                widget[1].setEnabled(False)

    def _fill(self, source: ScheduleDetail | None, *, is_new: bool) -> None:
        if source is None:
            return
        self.year.setText(source.year.next().label if is_new else source.year.label)
        self.year.setEnabled(is_new)  # a schedule's year is what it is: make another year
        self.rate.setText(money(source.rate_per_pupil))
        self.associate_fee.setText(money(source.associate_fee))
        self.pro_rating.setCurrentIndex(self.pro_rating.findData(source.pro_rating.value))
        if is_new:
            return  # the new year's census and periods are its own
        self.census.setText(format_date(source.census_date))
        for period in source.periods:
            self.periods.add_row(
                period.starts_on, period.ends_on, period.charged, period.description
            )
        self.notes.setText(source.notes)

    def schedule_input(self) -> ScheduleInput:
        return ScheduleInput(
            academic_year=self.year.text(),
            rate_per_pupil=self.rate.text(),
            associate_fee=self.associate_fee.text(),
            census_date=self.census.text() or None,
            pro_rating=self.pro_rating.currentData(),
            periods=tuple(
                FeePeriodInput(row.starts_on, row.ends_on, row.charged, row.description)
                for row in self.periods.values()
            ),
            notes=self.notes.text(),
        )

    def _save_now(self) -> ScheduleDetail:
        version = self.schedule.version if self.schedule is not None else None
        self.saved = self.services.fees.save_schedule(
            self.services.actor, self.schedule_input(), version
        )
        return self.saved


class QuoteDialog(QDialog):
    """Every member's fee for a year, with its working and the total; problems first."""

    def __init__(self, quote: YearQuote, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quote_dialog")
        self.setWindowTitle(f"Fees for {quote.year.label}")
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        missing = quote.without_figures
        charged = [q for q in quote.quotes if q.amount is not None]
        self.total_label = QLabel(
            f"<b>Total {money(quote.total)}</b> from {len(charged):,} "
            f"member{'s' if len(charged) != 1 else ''}"
            + (
                f"; <span style='color:#b00020'><b>{len(missing):,}</b> cannot be worked out "
                "yet (listed first): give their pupil figures at the census date.</span>"
                if missing
                else "."
            )
        )
        self.total_label.setObjectName("total_label")
        self.total_label.setWordWrap(True)
        layout.addWidget(self.total_label)
        rows = [
            (
                q.name,
                q.category.label,
                q.pupils,
                q.census_date,
                q.amount,
                q.working if q.amount is not None else f"Cannot be worked out: {q.problem}.",
            )
            for q in (*missing, *charged)
        ]
        self.model = PlainTableModel(QUOTE_COLUMNS, rows, self)
        self.table = list_view("quote_table", self.model)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class FeeSchedulesDialog(QDialog):
    """The years that have a fee schedule, newest first; open, add and quote a year."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tell = tell
        # Opens the editor and the quote; tests replace it to drive them without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.schedules: list[ScheduleDetail] = []
        self.setObjectName("fee_schedules_dialog")
        self.setWindowTitle("Fee schedules")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.model = PlainTableModel(YEAR_COLUMNS, parent=self)
        self.table = list_view("schedules_table", self.model)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        can_edit = services.actor.can(EDIT_FEES)
        self.new_button = push_button("&New year…", self.new_year, "A fee schedule for a new year")
        self.new_button.setEnabled(can_edit)
        self.open_button = push_button(
            "&Edit…" if can_edit else "&View…", self.open_selected, "The selected year's fees"
        )
        self.quote_button = push_button(
            "&Quote…", self.quote_selected, "Every member's fee for the selected year"
        )
        for button in (self.new_button, self.open_button, self.quote_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.load()

    def load(self, select_year: str = "") -> None:
        try:
            self.schedules = self.services.fees.list_schedules(self.services.actor)
        except ServiceError as exc:
            self.tell(self, "Cannot read the fee schedules", exc.message)
            self.schedules = []
        self.model.set_rows(
            [
                (
                    s.year.label,
                    s.rate_per_pupil,
                    s.associate_fee,
                    s.census_date,
                    s.pro_rating.label,
                    len(s.periods),
                )
                for s in self.schedules
            ]
        )
        self.table.resizeColumnsToContents()
        labels = [s.year.label for s in self.schedules]
        if self.schedules:
            self.table.selectRow(labels.index(select_year) if select_year in labels else 0)
        self.open_button.setEnabled(bool(self.schedules))
        self.quote_button.setEnabled(bool(self.schedules))

    def selected(self) -> ScheduleDetail | None:
        rows = self.table.selectionModel().selectedRows()
        return self.schedules[rows[0].row()] if rows else None

    def _editor(self, schedule: ScheduleDetail | None) -> ScheduleEditor:
        latest = self.schedules[0] if self.schedules else None
        editor = ScheduleEditor(self.services, schedule, latest, self, on_quote=self.quote)
        editor.accepted.connect(lambda: self.load(editor.saved.year.label if editor.saved else ""))
        return editor

    def new_year(self) -> None:
        if self.services.actor.can(EDIT_FEES):
            self.run_dialog(self._editor(None))

    def open_selected(self) -> None:
        schedule = self.selected()
        if schedule is not None:
            self.run_dialog(self._editor(schedule))

    def quote_selected(self) -> None:
        self.quote(self.selected())

    def quote(self, schedule: ScheduleDetail | None) -> None:
        if schedule is None:
            return
        try:
            quote = self.services.fees.quote_year(self.services.actor, schedule.year)
        except ServiceError as exc:
            self.tell(self, "Cannot work out the fees", exc.message)
            return
        self.run_dialog(QuoteDialog(quote, self))
