"""A small editable list of dated rows (from, to, [free or charged,] description): add, remove.

Fee periods of a year and the rules' leave-at-once windows are both a few dated rows; the
dates are typed as everywhere else (dd/mm/yyyy) and checked by the service on saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.ui.shared.forms import date_field, push_button

CHARGED, FREE = "Charged (pro rata)", "Free"


@dataclass(frozen=True)
class DatedRow:
    """One row as typed: dates as text, so the service can say what is wrong with them."""

    starts_on: str
    ends_on: str
    charged: bool
    description: str


class _RowWidgets:
    def __init__(self, with_charge: bool) -> None:
        self.starts_on = date_field(hint="The first day")
        self.ends_on = date_field(hint="The last day")
        self.charge: QComboBox | None = None
        if with_charge:
            self.charge = QComboBox()
            self.charge.addItems([FREE, CHARGED])
        self.description = QLineEdit()
        self.remove = QPushButton("Remove")


class DatedRowsEditor(QWidget):
    """Rows of from, to, (free or charged) and description, with Add and Remove buttons."""

    def __init__(self, add_text: str, *, with_charge: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.with_charge = with_charge
        self.rows: list[_RowWidgets] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        headings = ["From", "To", *(["Fee"] if with_charge else []), "Description", ""]
        for column, heading in enumerate(headings):
            self.grid.addWidget(QLabel(f"<i>{heading}</i>"), 0, column)
        outer.addLayout(self.grid)
        self.empty = QLabel("None.")
        self.empty.setStyleSheet("color: #666")
        outer.addWidget(self.empty)
        self.add_button = push_button(add_text, self.add_row)
        self.add_button.setObjectName("add_row")
        outer.addWidget(self.add_button)

    def add_row(
        self,
        starts_on: date | None = None,
        ends_on: date | None = None,
        charged: bool = False,
        description: str = "",
    ) -> None:
        widgets = _RowWidgets(self.with_charge)
        widgets.starts_on.setText(format_date(starts_on))
        widgets.ends_on.setText(format_date(ends_on))
        if widgets.charge is not None:
            widgets.charge.setCurrentText(CHARGED if charged else FREE)
        widgets.description.setText(description)
        widgets.remove.clicked.connect(lambda _checked=False: self.remove_row(widgets))
        self.rows.append(widgets)
        self._lay_out()
        widgets.starts_on.setFocus()

    def remove_row(self, widgets: _RowWidgets) -> None:
        self.rows.remove(widgets)
        for widget in self._widgets_of(widgets):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._lay_out()

    def values(self) -> list[DatedRow]:
        return [
            DatedRow(
                w.starts_on.text(),
                w.ends_on.text(),
                w.charge is not None and w.charge.currentText() == CHARGED,
                w.description.text(),
            )
            for w in self.rows
        ]

    @staticmethod
    def _widgets_of(widgets: _RowWidgets) -> list[QWidget]:
        charge = [widgets.charge] if widgets.charge is not None else []
        return [widgets.starts_on, widgets.ends_on, *charge, widgets.description, widgets.remove]

    def _lay_out(self) -> None:
        for number, widgets in enumerate(self.rows, start=1):
            for column, widget in enumerate(self._widgets_of(widgets)):
                self.grid.addWidget(widget, number, column)
                widget.setVisible(self.isVisible())  # at once, not at the next event
        self.empty.setVisible(not self.rows)
        window = self.window()
        if window is not self and window.isVisible():
            window.adjustSize()  # room for the rows, not squeezed into the old height
