"""Invoices > Service catalogue: the services sold and their prices, each changed in a small form.

Also the small form of the invoice editor's *Add from catalogue…*: a service and how many,
giving a line at the service's price now.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.catalogue_service import ServiceItemDetail, ServiceItemInput
from thep_desktop.services.invoices.invoice_data import LineInput
from thep_desktop.services.invoices.invoices_permissions import EDIT_CATALOGUE
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.invoices.invoice_settings_dialog import vat_code_combo
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import ask, tell

COLUMNS = (
    PlainColumn("Code"),
    PlainColumn("Name"),
    PlainColumn("Unit"),
    PlainColumn("Price", "money", "Before VAT"),
    PlainColumn("VAT"),
    PlainColumn("Account"),
    PlainColumn("Active", "bool", "Offered for new invoices"),
)


def item_form(
    services: Services, item: ServiceItemDetail | None, parent: QWidget, *, can_edit: bool
) -> MembershipForm:
    """One service: new (``item`` None) or as it is, to change or (without the right) to read."""
    actor = services.actor
    data = item.as_input() if item is not None else ServiceItemInput("", "")
    code = QLineEdit(data.code)
    code.setPlaceholderText("e.g. SLA-DAY")
    name = QLineEdit(data.name)
    name.setPlaceholderText("e.g. School improvement SLA day")
    description = QLineEdit(data.description)
    description.setPlaceholderText("Printed on the line after the name")
    unit = QLineEdit(data.unit)
    unit.setPlaceholderText("e.g. day, place, review")
    price = QLineEdit("" if item is None else f"{item.unit_price:.2f}")
    price.setPlaceholderText("0.00")
    price.setToolTip("The price of one, before VAT, in pounds and pence")
    vat = vat_code_combo(item.vat_code if item is not None else VatCode.STANDARD)
    account = QLineEdit(data.account_code)
    active = QCheckBox("Offered for new invoices")
    active.setChecked(bool(data.active))
    fields: dict[str, tuple[str, QWidget]] = {
        "code": ("&Code", code),
        "name": ("&Name", name),
        "description": ("&Description", description),
        "unit": ("&Unit", unit),
        "unit_price": ("&Price (£)", price),
        "vat_code": ("&VAT", vat),
        "account_code": ("&Account code", account),
        "active": ("Acti&ve", active),
    }
    if not can_edit:
        for _label, widget in fields.values():
            widget.setEnabled(False)
    form = MembershipForm(
        "New service" if item is None else f"Service – {item.name}",
        "A new price applies to lines added from now on; invoices already made keep theirs.",
        fields,
        lambda: services.catalogue.save_item(
            actor,
            ServiceItemInput(
                code.text(),
                name.text(),
                description.text(),
                unit.text(),
                price.text(),
                vat.currentData(),
                account.text(),
                active.isChecked(),
            ),
            None if item is None else item.id,
            None if item is None else item.version,
        ),
        parent,
        what="the service",
        can_edit=can_edit,
    )
    form.setObjectName("service_item")
    return form


class CatalogueDialog(QDialog):
    """The catalogue, retired services too; New, Edit (Enter or double-click) and Delete."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # Opens the service's form; tests replace it to drive the form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.can_edit = services.actor.can(EDIT_CATALOGUE)
        self.items: list[ServiceItemDetail] = []
        self.setObjectName("catalogue")
        self.setWindowTitle("Service catalogue")
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The services sold to schools and others, with their prices. A service on an "
            "invoice stays for the invoice's record: retire it (untick Active) to stop "
            "offering it."
            if self.can_edit
            else "The services sold and their prices. The treasurer and staff may change them."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = PlainTableModel(COLUMNS, parent=self)
        self.table = list_view("catalogue_table", self.model)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = push_button("&New service…", self.new_item, "Add a service (Ctrl+N)")
        self.edit_button = push_button(
            "&Edit…" if self.can_edit else "&Open…", self.edit_selected, "Enter or double-click"
        )
        self.delete_button = push_button(
            "&Delete…", self.delete_selected, "Remove a service never put on an invoice"
        )
        self.defaults_button = push_button(
            "Add the &usual services",
            self.add_defaults,
            "SLA days, training places, Ofsted preparation, pupil premium reviews… at typical "
            "prices, to change as needed; services with the same code are left alone",
        )
        for button in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.defaults_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.new_button.setEnabled(self.can_edit)
        self.delete_button.setEnabled(self.can_edit)
        self.defaults_button.setEnabled(self.can_edit)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key), self.table, activated=self.edit_selected, context=only_here
            )
        if self.can_edit:
            QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_item)
        self.load()

    def load(self, select_id: int | None = None) -> None:
        try:
            self.items = self.services.catalogue.list_items(
                self.services.actor, include_inactive=True
            )
        except ServiceError as exc:
            self.tell(self, "Cannot show the catalogue", exc.message)
            self.items = []
        self.model.set_rows(
            [
                (
                    i.code,
                    i.name,
                    i.unit,
                    i.unit_price,
                    i.vat_code.short,
                    i.account_code,
                    i.active,
                )
                for i in self.items
            ]
        )
        self.table.resizeColumnsToContents()
        ids = [i.id for i in self.items]
        if select_id in ids:
            self.table.selectRow(ids.index(select_id))
        elif self.items:
            self.table.selectRow(0)
        self._update()

    def selected(self) -> ServiceItemDetail | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _update(self) -> None:
        item = self.selected()
        self.edit_button.setEnabled(item is not None)
        self.delete_button.setEnabled(self.can_edit and item is not None)

    def new_item(self) -> None:
        if self.can_edit:
            self._open(None)

    def edit_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self._open(item)

    def _open(self, item: ServiceItemDetail | None) -> None:
        form = item_form(self.services, item, self, can_edit=self.can_edit)
        form.accepted.connect(lambda: self.load(getattr(form.result_value, "id", None)))
        self.run_dialog(form)

    def add_defaults(self) -> None:
        """The usual services of a schools partnership, beside the office's own."""
        if not self.can_edit:
            return
        try:
            added = self.services.catalogue.add_defaults(self.services.actor)
        except ServiceError as exc:
            self.tell(self, "Nothing was added", exc.message)
            return
        self.load(added[0].id if added else None)
        if not added:
            self.tell(
                self,
                "Add the usual services",
                "The catalogue already has every one of the usual services; nothing was added.",
            )

    def delete_selected(self) -> None:
        item = self.selected()
        if item is None or not self.can_edit:
            return
        answer = self.ask(
            self, "Delete service", f"Delete {item.name} from the catalogue?", ["Delete", "Cancel"]
        )
        if answer != "Delete":
            return
        try:
            self.services.catalogue.delete_item(self.services.actor, item.id, item.version)
        except ServiceError as exc:
            self.tell(self, "The service was not deleted", exc.message)
            self.load(item.id)
            return
        self.load()


def catalogue_line_form(
    services: Services, parent: QWidget
) -> tuple[MembershipForm, Callable[[], LineInput | None]] | None:
    """*Add from catalogue…*: a service and a quantity; the form's result is the new line.

    None when the catalogue offers nothing (said to the person first).
    """
    actor = services.actor
    items = services.catalogue.list_items(actor)
    if not items:
        tell(
            parent,
            "Add from catalogue",
            "The catalogue has no services to offer. Add them in Invoices > Service catalogue…",
        )
        return None
    chooser = QComboBox()
    for item in items:
        chooser.addItem(item.label, item.id)
    quantity = QLineEdit("1")
    quantity.setToolTip("How many (up to two decimals, e.g. 1.5 days)")
    form = MembershipForm(
        "Add from catalogue",
        "The line gets the service's description, price, VAT and account code as they are "
        "now; you may change them on the invoice.",
        {"item": ("&Service", chooser), "quantity": ("&Quantity", quantity)},
        lambda: services.catalogue.line_for(actor, chooser.currentData(), quantity.text()),
        parent,
        what="the line",
    )
    form.setObjectName("catalogue_line")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Add line")

    def line() -> LineInput | None:
        value = form.result_value
        return value if isinstance(value, LineInput) else None

    return form, line
