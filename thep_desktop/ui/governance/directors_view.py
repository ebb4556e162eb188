"""The Register of directors view: the Board's directors as at a date typed (today at first),
those in office and those who had ceased by then, and Print."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.services.governance.governance_data import DirectorEntry, DirectorsRegister
from thep_desktop.ui.shared.forms import date_field
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel

CURRENT_COLUMNS = (
    PlainColumn("Name"),
    PlainColumn("Role"),
    PlainColumn("Service address", tooltip="The address on the public register"),
    PlainColumn("Appointed", "date"),
    PlainColumn("How appointed"),
    PlainColumn("Term ends", "date"),
)
FORMER_COLUMNS = (
    PlainColumn("Name"),
    PlainColumn("Service address"),
    PlainColumn("Appointed", "date"),
    PlainColumn("Ceased", "date", "The day they ceased to be a director"),
    PlainColumn("Why"),
)


def one_line(address: str) -> str:
    return ", ".join(part.strip() for part in address.splitlines() if part.strip())


class DirectorsView(QWidget):
    """``as_at_changed(date)`` when a date is typed and Enter pressed (or the field left);
    ``print_requested`` on Print; ``person_chosen(person_id)`` on Enter or double-click."""

    as_at_changed = Signal(object)
    print_requested = Signal()
    person_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        self.as_at = date_field(format_date(date.today()), "The day the register is shown as at")
        self.as_at.setObjectName("directors_as_at")
        self.as_at.setMaximumWidth(140)
        caption = QLabel("As at")
        caption.setBuddy(self.as_at)
        bar.addWidget(caption)
        bar.addWidget(self.as_at)
        self.today_button = QPushButton("Today")
        self.today_button.setObjectName("directors_today")
        bar.addWidget(self.today_button)
        self.print_button = QPushButton("Print register…")
        self.print_button.setObjectName("print_directors")
        self.print_button.setToolTip("The register of directors as at this date, as a PDF")
        bar.addWidget(self.print_button)
        self.problem = QLabel()
        self.problem.setObjectName("directors_problem")
        self.problem.setStyleSheet("color: #b00020;")
        bar.addWidget(self.problem, 1)
        layout.addLayout(bar)
        self.current_label = QLabel()
        self.current_label.setObjectName("current_directors_label")
        self.current_label.setStyleSheet("font-weight: bold")
        layout.addWidget(self.current_label)
        self.current_model = PlainTableModel(CURRENT_COLUMNS, parent=self)
        self.current = list_view("current_directors", self.current_model, sort_column=3)
        self.current.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.current, 3)
        self.former_label = QLabel()
        self.former_label.setObjectName("former_directors_label")
        self.former_label.setStyleSheet("font-weight: bold")
        layout.addWidget(self.former_label)
        self.former_model = PlainTableModel(FORMER_COLUMNS, parent=self)
        self.former = list_view("former_directors", self.former_model, sort_column=3)
        self.former.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.former, 2)
        for table in (self.current, self.former):
            table.verticalHeader().setDefaultSectionSize(24)
        # What the status bar shows while this view is in front.
        self.count_label = QLabel()
        self.shown_on: date = date.today()
        self.as_at.returnPressed.connect(self._typed)
        self.as_at.editingFinished.connect(self._typed)
        self.today_button.clicked.connect(self._today)
        self.print_button.clicked.connect(self.print_requested.emit)
        for model, table in ((self.current_model, self.current), (self.former_model, self.former)):
            table.doubleClicked.connect(lambda index, m=model: self._chosen(m, index.row()))
            # Enter too: the person of the row that has the keyboard.
            QShortcut(
                QKeySequence(Qt.Key.Key_Return),
                table,
                activated=lambda m=model, t=table: self._chosen(m, t.currentIndex().row()),
                context=Qt.ShortcutContext.WidgetShortcut,
            )

    def _chosen(self, model: PlainTableModel, row: int) -> None:
        if 0 <= row < model.rowCount():
            self.person_chosen.emit(model.row_values(row)[-1].person_id)

    def _today(self) -> None:
        self.as_at.setText(format_date(date.today()))
        self._typed()

    def _typed(self) -> None:
        try:
            day = parse_date(self.as_at.text())
        except ValueError:
            self.problem.setText(
                f"“{self.as_at.text().strip()}” is not a date: type it as dd/mm/yyyy."
            )
            return
        self.problem.clear()
        if day != self.shown_on:
            self.as_at_changed.emit(day)

    def show_register(self, register: DirectorsRegister, terms: dict[int, date | None]) -> None:
        """The register; ``terms``: each appointment's term end, which the register omits."""
        self.shown_on = register.as_at
        self.as_at.setText(format_date(register.as_at))
        on = format_date(register.as_at)
        current, former = register.current, register.former
        self.current_label.setText(
            f"Directors on {on}: {len(current)}" if current else f"No directors on {on}."
        )
        self.former_label.setText(
            f"Former directors (ceased by {on}): {len(former)}"
            if former
            else f"No director had ceased by {on}."
        )
        self.count_label.setText(
            f"{len(current)} director{'' if len(current) == 1 else 's'} on {on}"
            + (f", {len(former)} former" if former else "")
        )
        self.current_model.set_rows([self._current_row(e, terms) for e in current])
        self.former_model.set_rows(
            [
                (
                    e.name,
                    one_line(e.service_address),
                    e.appointed_on,
                    e.ceased_on,
                    e.why_ended.label if e.why_ended else "",
                    e,
                )
                for e in former
            ]
        )
        for table in (self.current, self.former):
            # The models sort themselves: the rows just set, in the order the heading shows
            # (by the day appointed, or ceased, to start with: the register's own order).
            header = table.horizontalHeader()
            table.model().sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            table.resizeColumnsToContents()
            if table.columnWidth(1 if table is self.former else 2) > 360:
                table.setColumnWidth(1 if table is self.former else 2, 360)

    @staticmethod
    def _current_row(entry: DirectorEntry, terms: dict[int, date | None]) -> tuple[object, ...]:
        return (
            entry.name,
            entry.capacity.label,
            one_line(entry.service_address),
            entry.appointed_on,
            entry.how_appointed.label,
            terms.get(entry.appointment_id),
            entry,
        )

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def names(self, *, former: bool = False) -> list[str]:
        """The names listed, top to bottom (current, or ``former``)."""
        table = self.former if former else self.current
        model = table.model()
        return [model.index(r, 0).data() for r in range(model.rowCount())]
