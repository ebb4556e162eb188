"""An invoice's lines as typed: description, quantity, price, VAT code, account; net and VAT live.

Each line is a row of boxes (typed into like any form, so nothing typed is lost when the
service refuses a line); the net and VAT beside it are worked out as the person types, with
the same rounding the service uses, so the totals under the lines are what will be saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.invoices import LineAmounts, Totals, VatCode, line_amounts, totals_of
from thep_desktop.services.invoices.invoice_checks import parse_price, parse_quantity
from thep_desktop.services.invoices.invoice_data import LineDetail, LineInput
from thep_desktop.ui.shared.forms import ERROR_STYLE, INVALID_STYLE
from thep_desktop.ui.shared.plain_table_model import display_value

HEADINGS = ("Description", "Qty", "Unit price (£)", "VAT", "Account", "Net", "VAT (£)", "")


def money(value: Decimal) -> str:
    return display_value(value, "money") or "£0.00"


def plain_number(value: Decimal) -> str:
    """A quantity as a person types it: 2 not 2.00, 1.5 not 1.50."""
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return f"{value.normalize():f}"


class LineRow:
    """The boxes of one line."""

    def __init__(self, vat_code: VatCode, account_code: str) -> None:
        self.description = QLineEdit()
        self.description.setPlaceholderText("What was supplied, e.g. Ofsted preparation day")
        self.description.setMinimumWidth(260)
        self.quantity = QLineEdit("1")
        self.quantity.setMaximumWidth(60)
        self.quantity.setToolTip("How many (up to two decimals, e.g. 1.5 days)")
        self.unit_price = QLineEdit()
        self.unit_price.setPlaceholderText("0.00")
        self.unit_price.setMaximumWidth(100)
        self.unit_price.setToolTip(
            "The price of one, before VAT, in pounds and pence (a negative price is a discount)"
        )
        self.vat_code = QComboBox()
        for code in VatCode:
            self.vat_code.addItem(code.short, code.value)
            self.vat_code.setItemData(
                self.vat_code.count() - 1, code.label, Qt.ItemDataRole.ToolTipRole
            )
        self.vat_code.setCurrentIndex(self.vat_code.findData(vat_code.value))
        self.vat_code.setToolTip("The line's VAT: 20%, zero rate, exempt, or outside the scope")
        self.account_code = QLineEdit(account_code)
        self.account_code.setMaximumWidth(70)
        self.account_code.setToolTip("The sales account in the accounts (e.g. 200)")
        self.net = QLabel()
        self.vat = QLabel()
        for label in (self.net, self.vat):
            label.setMinimumWidth(80)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.up = QToolButton()
        self.up.setText("↑")
        self.up.setToolTip("Move this line up")
        self.down = QToolButton()
        self.down.setText("↓")
        self.down.setToolTip("Move this line down")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this line")
        self.service_item_id: int | None = None
        self.amounts: LineAmounts | None = None

    def widgets(self) -> list[QWidget]:
        return [
            self.description,
            self.quantity,
            self.unit_price,
            self.vat_code,
            self.account_code,
            self.net,
            self.vat,
            self.up,
            self.down,
            self.remove,
        ]

    def value(self) -> LineInput:
        return LineInput(
            self.description.text(),
            self.quantity.text(),
            self.unit_price.text(),
            self.vat_code.currentData(),
            self.account_code.text(),
            self.service_item_id,
        )

    def work_out(self) -> LineAmounts | None:
        """The line's net and VAT as typed, or None while the quantity or price is unreadable."""
        try:
            quantity = parse_quantity(self.quantity.text())
            price = parse_price(self.unit_price.text() or "0")
        except ValueError as exc:
            self.amounts = None
            self.net.setText("–")
            self.vat.setText("–")
            self.net.setToolTip(str(exc))
            return None
        self.amounts = line_amounts(quantity, price, VatCode(self.vat_code.currentData()))
        self.net.setText(money(self.amounts.net))
        self.vat.setText(money(self.amounts.vat))
        self.net.setToolTip("")
        return self.amounts


class InvoiceLinesEditor(QWidget):
    """The lines, with Remove and move up/down on each; emits ``changed`` as anything is typed."""

    changed = Signal()

    def __init__(
        self,
        *,
        vat_code: VatCode,
        account_code: str,
        show_vat: bool,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.default_vat = vat_code
        self.default_account = account_code
        self.show_vat = show_vat
        self.read_only = read_only
        self.rows: list[LineRow] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        self.grid.setHorizontalSpacing(6)
        for column, heading in enumerate(HEADINGS):
            label = QLabel(f"<i>{heading}</i>")
            if column in (5, 6):
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(label, 0, column)
            if column == 6:
                label.setVisible(show_vat)
                self.vat_heading = label
        outer.addLayout(self.grid)
        self.empty = QLabel("No lines yet: add what is being invoiced.")
        self.empty.setStyleSheet("color: #666")
        outer.addWidget(self.empty)
        self.message = QLabel()
        self.message.setObjectName("error_lines")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        outer.addStretch(1)  # the lines at the top, however few

    # -- rows -------------------------------------------------------------------------------
    def add_line(self, line: LineInput | LineDetail | None = None) -> LineRow:
        row = LineRow(self.default_vat, self.default_account)
        if line is not None:
            row.description.setText(line.description)
            # Typed text stays as typed (it may not be a number yet); figures are written out.
            quantity, price = line.quantity, line.unit_price
            row.quantity.setText(quantity if isinstance(quantity, str) else plain_number(quantity))
            row.unit_price.setText(price if isinstance(price, str) else f"{price:.2f}")
            row.vat_code.setCurrentIndex(row.vat_code.findData(VatCode(line.vat_code).value))
            row.account_code.setText(line.account_code)
            row.service_item_id = line.service_item_id
        for edit in (row.description, row.quantity, row.unit_price, row.account_code):
            edit.setReadOnly(self.read_only)
            if self.read_only:
                edit.setPlaceholderText("")
            edit.textChanged.connect(lambda _t, r=row: self._row_changed(r))
        row.vat_code.setEnabled(not self.read_only)
        row.vat_code.currentIndexChanged.connect(lambda _i, r=row: self._row_changed(r))
        row.up.clicked.connect(lambda _c=False, r=row: self.move(r, -1))
        row.down.clicked.connect(lambda _c=False, r=row: self.move(r, 1))
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove_line(r))
        row.work_out()
        self.rows.append(row)
        self._lay_out()
        if not self.read_only:
            row.description.setFocus()
        self.changed.emit()
        return row

    def set_lines(self, lines: Sequence[LineInput | LineDetail]) -> None:
        for row in list(self.rows):
            self._drop(row)
        self.rows.clear()
        for line in lines:
            self.add_line(line)
        self._lay_out()

    def remove_line(self, row: LineRow) -> None:
        self._drop(row)
        self.rows.remove(row)
        self._lay_out()
        self.changed.emit()

    def move(self, row: LineRow, step: int) -> None:
        at = self.rows.index(row)
        to = at + step
        if 0 <= to < len(self.rows):
            self.rows[at], self.rows[to] = self.rows[to], self.rows[at]
            self._lay_out()
            row.description.setFocus()
            self.changed.emit()

    def _drop(self, row: LineRow) -> None:
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.deleteLater()

    def _row_changed(self, row: LineRow) -> None:
        row.work_out()
        self.changed.emit()

    def _lay_out(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            for column, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, number, column)
                visible = self.isVisible()
                if column == 6:
                    visible = visible and self.show_vat
                if column >= 7:
                    visible = visible and not self.read_only
                widget.setVisible(visible)
            row.up.setEnabled(number > 1)
            row.down.setEnabled(number < len(self.rows))
        self.empty.setVisible(not self.rows)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self._lay_out()

    # -- values -----------------------------------------------------------------------------
    def values(self) -> tuple[LineInput, ...]:
        return tuple(row.value() for row in self.rows)

    def totals(self) -> Totals | None:
        """The invoice's totals as typed; None while a line cannot be worked out."""
        amounts = [row.amounts for row in self.rows]
        if any(a is None for a in amounts):
            return None
        return totals_of([a for a in amounts if a is not None])

    def state(self) -> tuple[tuple[str, ...], ...]:
        """What is typed, to tell whether anything changed."""
        return tuple(
            (
                r.description.text(),
                r.quantity.text(),
                r.unit_price.text(),
                str(r.vat_code.currentData()),
                r.account_code.text(),
            )
            for r in self.rows
        )

    # -- refusals ---------------------------------------------------------------------------
    def show_problems(self, text: str) -> None:
        """The service's messages about the lines ("Line 2: …"), each bad line marked."""
        self.clear_problems()
        if not text:
            return
        self.message.setText(text)
        self.message.show()
        bad = set()
        for problem in text.splitlines():
            head = problem.split(":", 1)[0]
            if head.startswith("Line ") and head[5:].strip().isdigit():
                bad.add(int(head[5:].strip()))
        for number in sorted(bad):
            if 1 <= number <= len(self.rows):
                row = self.rows[number - 1]
                for edit in (row.description, row.quantity, row.unit_price):
                    edit.setStyleSheet(INVALID_STYLE)
        if bad and min(bad) <= len(self.rows):
            self.rows[min(bad) - 1].description.setFocus()

    def clear_problems(self) -> None:
        self.message.clear()
        self.message.hide()
        for row in self.rows:
            for edit in (row.description, row.quantity, row.unit_price):
                edit.setStyleSheet("")

    def problem_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""
